import type { CollectionSpec, JsonSchema } from '../types.js';

const dateOrNull: JsonSchema = { bsonType: ['date', 'null'] };

const vacation: JsonSchema = {
  bsonType: 'object',
  required: ['enabled', 'subject', 'text', 'start', 'end', 'days'],
  properties: {
    enabled: { bsonType: 'bool' },
    subject: { bsonType: 'string', maxLength: 200 },
    text: { bsonType: 'string', maxLength: 20_000 },
    start: dateOrNull,
    end: dateOrNull,
    days: { bsonType: ['int', 'long', 'double', 'number'], minimum: 1, maximum: 30 },
  },
};

const forwarding: JsonSchema = {
  bsonType: 'object',
  required: ['enabled', 'addresses', 'keepCopy'],
  properties: {
    enabled: { bsonType: 'bool' },
    addresses: { bsonType: 'array', items: { bsonType: 'string', minLength: 3, maxLength: 254 } },
    keepCopy: { bsonType: 'bool' },
  },
};

const filterAction: JsonSchema = {
  bsonType: 'object',
  required: ['type'],
  properties: {
    type: { enum: ['move', 'markRead', 'flag', 'forward', 'discard'] },
    mailbox: { bsonType: 'string', minLength: 1 },
    address: { bsonType: 'string', minLength: 3, maxLength: 254 },
  },
};

const filterRule: JsonSchema = {
  bsonType: 'object',
  required: ['id', 'name', 'enabled', 'field', 'match', 'value', 'actions', 'stop'],
  properties: {
    id: { bsonType: 'string', minLength: 1, maxLength: 64 },
    name: { bsonType: 'string', maxLength: 200 },
    enabled: { bsonType: 'bool' },
    field: { enum: ['from', 'to', 'cc', 'subject'] },
    match: { enum: ['contains', 'is'] },
    value: { bsonType: 'string', minLength: 1, maxLength: 500 },
    actions: { bsonType: 'array', items: filterAction },
    stop: { bsonType: 'bool' },
  },
};

/**
 * How a user's mail sorts itself at delivery, as set in the web console or the API: the vacation
 * reply, forwarding, the rules built with the form, and the last run-time failure of a filter.
 * One document per user whose `_id` is the user's id, so delivery reads it with one `_id`
 * equality (the one filter FerretDB pushes down). No document: every default (store
 * mail-settings.ts). Raw Sieve scripts live in `sieveScripts`.
 */
export const mailSettings: CollectionSpec = {
  name: 'mailSettings',
  description:
    'per-user vacation, forwarding, form-built filter rules, last filter error; _id is the user id',
  validator: {
    bsonType: 'object',
    required: ['vacation', 'forwarding', 'filterRules', 'lastFilterError', 'updated'],
    properties: {
      _id: { bsonType: 'objectId', description: 'the user id' },
      vacation,
      forwarding,
      filterRules: { bsonType: 'array', items: filterRule },
      lastFilterError: {
        bsonType: ['object', 'null'],
        required: ['at', 'script', 'message'],
        properties: {
          at: { bsonType: 'date' },
          script: { bsonType: 'string', maxLength: 200 },
          message: { bsonType: 'string', maxLength: 2000 },
        },
      },
      updated: { bsonType: ['date', 'null'], description: 'last change by the user; null: never' },
    },
  },
  // `_id` is the key and already unique: no index of its own
  indexes: [],
};
