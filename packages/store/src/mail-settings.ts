/**
 * How a user's mail sorts itself at delivery (issue 17): the vacation reply, forwarding, the
 * filter rules built with the web console's form, and the last time a filter failed at delivery.
 * One document per user in `mailSettings`, under the user's id, so delivery reads it with one
 * `_id` equality. A user who never saved anything has no document and gets the defaults.
 *
 * The store checks the shape of what it writes (the collection's validator, which FerretDB does
 * not enforce itself); the callers (the API) check the meaning: addresses, mailbox paths, dates.
 */
import { ObjectId, type Db } from 'mongodb';
import { mailSettings as settingsSpec, validateDocument, type JsonSchema } from '@wildduck/schema';
import { StoreError, isDuplicateKeyError } from './errors.js';
import type { LockManager } from './locks.js';
import { touchFiltersStamp } from './filters-stamp.js';

export type FilterField = 'from' | 'to' | 'cc' | 'subject';
export type FilterMatch = 'contains' | 'is';
export type FilterActionType = 'move' | 'markRead' | 'flag' | 'forward' | 'discard';

/** One thing a rule does: `mailbox` for move, `address` for forward. */
export interface FilterAction {
  type: FilterActionType;
  mailbox?: string;
  address?: string;
}

/** A rule built with the form: when `field` `match`es `value`, do `actions`; `stop`: no later rule or script. */
export interface FilterRule {
  id: string;
  name: string;
  enabled: boolean;
  field: FilterField;
  match: FilterMatch;
  value: string;
  actions: FilterAction[];
  stop: boolean;
}

/** A rule as given to setFilterRules: without an id, one is made. */
export type FilterRuleInput = Omit<FilterRule, 'id'> & { id?: string | null };

/** The vacation reply (RFC 5230): `start`/`end` null mean "from now" / "until disabled". */
export interface VacationSettings {
  enabled: boolean;
  subject: string;
  text: string;
  start: Date | null;
  end: Date | null;
  /** Days before the same sender is answered again. */
  days: number;
}

/** Forwarding of every incoming message; `keepCopy` false means the user's mailbox keeps none. */
export interface ForwardingSettings {
  enabled: boolean;
  addresses: string[];
  keepCopy: boolean;
}

/** The last failure of a filter at delivery: which script ('rules', 'vacation', 'forwarding' or a Sieve script name). */
export interface FilterError {
  at: Date;
  script: string;
  message: string;
}

export interface MailSettings {
  vacation: VacationSettings;
  forwarding: ForwardingSettings;
  /** In the order they run. */
  filterRules: FilterRule[];
  lastFilterError: FilterError | null;
  /** When the user last changed a setting; null: never (the defaults). */
  updated: Date | null;
}

/** What the API allows; the collection's validator holds the same numbers. */
export const MAIL_SETTINGS_LIMITS = {
  forwardingAddresses: 5,
  vacationSubjectLength: 200,
  vacationTextLength: 20_000,
  vacationDaysMin: 1,
  vacationDaysMax: 30,
  filterRules: 50,
  filterRuleNameLength: 200,
  filterValueLength: 500,
  filterActions: 10,
  filterErrorMessageLength: 2000,
} as const;

/** What a user who never saved a setting has. */
export function defaultMailSettings(): MailSettings {
  return {
    vacation: { enabled: false, subject: '', text: '', start: null, end: null, days: 7 },
    forwarding: { enabled: false, addresses: [], keepCopy: true },
    filterRules: [],
    lastFilterError: null,
    updated: null,
  };
}

type SettingsDocument = MailSettings & { _id: ObjectId };

const settingsOf = (db: Db) => db.collection<SettingsDocument>('mailSettings');
const schemaOf = (field: keyof MailSettings): JsonSchema => settingsSpec.validator!.properties![field]!;

/** The lock that serialises one user's settings writes (FerretDB loses concurrent updates of one document). */
export function mailSettingsLock(user: ObjectId): string {
  return `mail-settings:${user.toHexString()}`;
}

/** The user's settings, every missing part at its default. */
export async function getMailSettings(db: Db, user: ObjectId): Promise<MailSettings> {
  const stored = await settingsOf(db).findOne({ _id: user });
  return fromDocument(stored);
}

/** Replaces the vacation reply; answers the settings as they are now. */
export async function setVacation(
  db: Db,
  user: ObjectId,
  vacation: VacationSettings,
  locks?: LockManager,
): Promise<MailSettings> {
  const value: VacationSettings = {
    enabled: vacation.enabled,
    subject: vacation.subject,
    text: vacation.text,
    start: vacation.start,
    end: vacation.end,
    days: vacation.days,
  };
  return writeSection(db, user, 'vacation', value, locks);
}

/** Replaces forwarding; answers the settings as they are now. */
export async function setForwarding(
  db: Db,
  user: ObjectId,
  forwarding: ForwardingSettings,
  locks?: LockManager,
): Promise<MailSettings> {
  const value: ForwardingSettings = {
    enabled: forwarding.enabled,
    addresses: [...forwarding.addresses],
    keepCopy: forwarding.keepCopy,
  };
  return writeSection(db, user, 'forwarding', value, locks);
}

/**
 * Replaces every filter rule, in this order; a rule without an id gets a new one, a given id is
 * kept (two rules with one id: INVALID_SETTINGS). Answers the settings as they are now.
 */
export async function setFilterRules(
  db: Db,
  user: ObjectId,
  rules: readonly FilterRuleInput[],
  locks?: LockManager,
): Promise<MailSettings> {
  const seen = new Set<string>();
  const value = rules.map((rule): FilterRule => {
    const id = rule.id || new ObjectId().toHexString();
    if (seen.has(id)) throw new StoreError('INVALID_SETTINGS', `Two filter rules have the id ${id}`);
    seen.add(id);
    return {
      id,
      name: rule.name,
      enabled: rule.enabled,
      field: rule.field,
      match: rule.match,
      value: rule.value,
      // only the fields an action uses, never an undefined (the driver would store it as null)
      actions: rule.actions.map((action) => ({
        type: action.type,
        ...(action.mailbox !== undefined && action.mailbox !== null ? { mailbox: action.mailbox } : {}),
        ...(action.address !== undefined && action.address !== null ? { address: action.address } : {}),
      })),
      stop: rule.stop,
    };
  });
  return writeSection(db, user, 'filterRules', value, locks);
}

/**
 * Notes that a filter failed at delivery (the message went to INBOX), for the user to see in the
 * settings. Not a change of the user's settings: `updated` stays.
 */
export async function recordFilterError(
  db: Db,
  user: ObjectId,
  failure: { script: string; message: string },
  locks?: LockManager,
): Promise<void> {
  const value: FilterError = {
    at: new Date(),
    script: failure.script.slice(0, 200),
    message: failure.message.slice(0, MAIL_SETTINGS_LIMITS.filterErrorMessageLength),
  };
  await writeSection(db, user, 'lastFilterError', value, locks, false);
}

/** Forgets the last filter failure (the user has read it, or fixed the filter). */
export async function clearFilterError(db: Db, user: ObjectId, locks?: LockManager): Promise<void> {
  await writeSection(db, user, 'lastFilterError', null, locks, false);
}

/**
 * Sets one top-level part of the user's document, creating the document with every other part at
 * its default when there is none; `touch` sets `updated` too. Under the settings lock when given.
 */
async function writeSection<Field extends keyof MailSettings>(
  db: Db,
  user: ObjectId,
  field: Field,
  value: MailSettings[Field],
  locks: LockManager | undefined,
  touch = true,
): Promise<MailSettings> {
  const problems = validateDocument(schemaOf(field), value, field);
  if (problems.length)
    throw new StoreError('INVALID_SETTINGS', `Invalid mail settings: ${problems.join('; ')}`);

  const write = async (): Promise<MailSettings> => {
    const set: Partial<MailSettings> = { [field]: value };
    if (touch) set.updated = new Date();
    const defaults: Partial<MailSettings> = defaultMailSettings();
    for (const key of Object.keys(set) as (keyof MailSettings)[]) delete defaults[key];
    const update = { $set: set, $setOnInsert: defaults };
    const options = { upsert: true, returnDocument: 'after' as const };
    try {
      return fromDocument(await settingsOf(db).findOneAndUpdate({ _id: user }, update, options));
    } catch (error) {
      // two first writes raced to insert the document: the loser updates the one that won
      if (!isDuplicateKeyError(error)) throw error;
      return fromDocument(await settingsOf(db).findOneAndUpdate({ _id: user }, update, options));
    }
  };
  const settings = await (locks ? locks.run(mailSettingsLock(user), write) : write());
  // a change of what runs at delivery: delivery re-reads the user's filters when this stamp moves
  if (touch) await touchFiltersStamp(db, user, locks);
  return settings;
}

/** A stored document as settings, with the defaults under any part it lacks (an older document). */
function fromDocument(stored: Partial<SettingsDocument> | null): MailSettings {
  const defaults = defaultMailSettings();
  if (!stored) return defaults;
  return {
    vacation: { ...defaults.vacation, ...stored.vacation },
    forwarding: { ...defaults.forwarding, ...stored.forwarding },
    filterRules: stored.filterRules ?? defaults.filterRules,
    lastFilterError: stored.lastFilterError ?? null,
    updated: stored.updated ?? null,
  };
}
