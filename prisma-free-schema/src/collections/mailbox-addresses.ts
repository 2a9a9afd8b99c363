import type { CollectionSpec } from '../types.js';

/**
 * Addresses that deliver into one mailbox (a team inbox) rather than to an account: mail to the
 * address lands in `mailbox`, which `user` owns, and runs the owner's filters. An address is either
 * a user's or a mailbox's, never both (the store checks the other collection after each insert).
 * Looked up at every RCPT by `address` equality, which FerretDB 1.24 pushes down.
 */
export const mailboxAddresses: CollectionSpec = {
  name: 'mailboxAddresses',
  description: 'addresses of shared mailboxes (team inboxes): address, owner, mailbox, created',
  validator: {
    bsonType: 'object',
    required: ['address', 'user', 'mailbox', 'created'],
    properties: {
      address: { bsonType: 'string', minLength: 3, maxLength: 320, description: 'lower-cased email address' },
      // the mailbox's owner: delivery runs their filters and charges their quota
      user: { bsonType: 'objectId' },
      mailbox: { bsonType: 'objectId' },
      created: { bsonType: 'date' },
    },
  },
  indexes: [
    { name: 'address_unique', key: { address: 1 }, unique: true },
    { name: 'user', key: { user: 1 } },
    { name: 'mailbox', key: { mailbox: 1 } },
  ],
};
