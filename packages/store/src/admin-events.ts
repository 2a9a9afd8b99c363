/**
 * The server-wide event log administrators follow (deliveries, sign-ins, failures, quota warnings).
 *
 * Shaped for FerretDB, which pushes down only top-level scalar equality and has no TTL indexes:
 * every event carries its `minute` and `hour` (whole minutes and hours since the epoch) and its
 * `user`, and is only ever read by equality on one of them; a range of time is read as one query
 * per hour (whole hours) and per minute (the current hour). The mail server's upkeep deletes what
 * is older than the retention.
 */
import { ObjectId, type Db } from 'mongodb';

export const ADMIN_EVENT_TYPES = [
  'DELIVERY',
  'DELIVERY_FAILED',
  'SIGN_IN',
  'SIGN_IN_FAILED',
  'QUOTA_WARNING',
] as const;
export type AdminEventType = (typeof ADMIN_EVENT_TYPES)[number];

/** How long events are kept: a resume after a longer gap starts from the oldest kept. */
export const ADMIN_EVENT_RETENTION_MS = 7 * 24 * 3600 * 1000;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** What a recorder hands in. */
export interface NewAdminEvent {
  type: AdminEventType;
  at?: Date;
  user?: ObjectId | null;
  address?: string | null;
  protocol?: string | null;
  remote?: string | null;
  detail?: string | null;
  size?: number | null;
  storageUsed?: number | null;
  quota?: number | null;
}

/** One event as stored. */
export interface AdminEventDocument {
  _id: ObjectId;
  type: AdminEventType;
  at: Date;
  /** Whole minutes since the epoch: the equality key of live reads. */
  minute: number;
  /** Whole hours since the epoch: the equality key of longer reads. */
  hour: number;
  user: ObjectId | null;
  address: string | null;
  protocol: string | null;
  remote: string | null;
  detail: string | null;
  size: number | null;
  storageUsed: number | null;
  quota: number | null;
}

const eventsOf = (db: Db) => db.collection<AdminEventDocument>('adminEvents');

/** Longest text kept in a field (a subject, a name tried at sign-in). */
const MAX_TEXT = 200;

const text = (value: string | null | undefined) =>
  value === null || value === undefined ? null : value.slice(0, MAX_TEXT);

/** The document of an event (its id and time are given here, so the recorder can publish them). */
export function adminEventDocument(event: NewAdminEvent): AdminEventDocument {
  const at = event.at ?? new Date();
  return {
    _id: new ObjectId(),
    type: event.type,
    at,
    minute: Math.floor(at.getTime() / MINUTE_MS),
    hour: Math.floor(at.getTime() / HOUR_MS),
    user: event.user ?? null,
    address: text(event.address),
    protocol: text(event.protocol),
    remote: text(event.remote),
    detail: text(event.detail),
    size: event.size ?? null,
    storageUsed: event.storageUsed ?? null,
    quota: event.quota ?? null,
  };
}

/** Stores a batch of events in one insert. */
export async function insertAdminEvents(db: Db, events: readonly AdminEventDocument[]): Promise<void> {
  if (events.length) await eventsOf(db).insertMany([...events], { ordered: false });
}

/**
 * Every event at or after `from` (ms) up to now, oldest first (by time, then id). Whole hours before
 * the current one are read by `hour`, the current hour by `minute`: a gap of a week costs about
 * 170 queries, a live read one or two.
 */
export async function readAdminEventsSince(
  db: Db,
  from: number,
  now = Date.now(),
): Promise<AdminEventDocument[]> {
  const start = Math.max(from, now - ADMIN_EVENT_RETENTION_MS);
  const currentHour = Math.floor(now / HOUR_MS);
  const filters: Record<string, number>[] = [];
  const firstMinute = Math.floor(start / MINUTE_MS);
  const lastMinute = Math.floor(now / MINUTE_MS);
  if (lastMinute - firstMinute <= 60) {
    for (let minute = firstMinute; minute <= lastMinute; minute++) filters.push({ minute });
  } else {
    for (let hour = Math.floor(start / HOUR_MS); hour < currentHour; hour++) filters.push({ hour });
    for (let minute = currentHour * 60; minute <= lastMinute; minute++) filters.push({ minute });
  }
  const found = await readInBatches(db, filters);
  return sortEvents(found.filter((event) => event.at.getTime() >= start));
}

/**
 * The latest events, newest first, up to `limit`, reading back an hour at a time (a few hours at
 * once) until enough are found or the retention is reached.
 */
export async function readRecentAdminEvents(
  db: Db,
  limit: number,
  types?: ReadonlySet<AdminEventType>,
  now = Date.now(),
): Promise<AdminEventDocument[]> {
  const found: AdminEventDocument[] = [];
  const currentHour = Math.floor(now / HOUR_MS);
  // the first stored event (an empty filter with a limit is FerretDB's one cheap read): no need to
  // look back past its hour, less a margin for writers with slower clocks. Storage order is close
  // to insertion order; should a store reuse the room of pruned events, this list (a first paint,
  // not the feed) may show fewer old events, never wrong ones.
  const first = await eventsOf(db)
    .find({}, { limit: 1, projection: { hour: 1 } })
    .next();
  if (!first) return [];
  const oldestHour = Math.max(Math.floor((now - ADMIN_EVENT_RETENTION_MS) / HOUR_MS), first.hour - 1);
  const STEP = 6;
  for (let hour = currentHour; hour >= oldestHour && found.length < limit; hour -= STEP) {
    const filters: Record<string, number>[] = [];
    for (let each = hour; each > hour - STEP && each >= oldestHour; each--) filters.push({ hour: each });
    const read = await readInBatches(db, filters);
    found.push(...read.filter((event) => !types || types.has(event.type)));
  }
  return sortEvents(found).reverse().slice(0, limit);
}

/** A user's latest events, newest first (one equality read on `user`). */
export async function readUserAdminEvents(
  db: Db,
  user: ObjectId,
  limit: number,
): Promise<AdminEventDocument[]> {
  const found = await eventsOf(db).find({ user }).toArray();
  return sortEvents(found).reverse().slice(0, limit);
}

/** Deletes the events older than the retention (upkeep; FerretDB has no TTL index). */
export async function deleteExpiredAdminEvents(db: Db, now = Date.now()): Promise<number> {
  const oldestMinute = Math.floor((now - ADMIN_EVENT_RETENTION_MS) / MINUTE_MS);
  return (await eventsOf(db).deleteMany({ minute: { $lt: oldestMinute } })).deletedCount;
}

/** Oldest first: by time, then by id (ids made in one process grow). */
function sortEvents(events: AdminEventDocument[]): AdminEventDocument[] {
  return events.sort(
    (a, b) => a.at.getTime() - b.at.getTime() || a._id.toHexString().localeCompare(b._id.toHexString()),
  );
}

/** Equality reads, a few at a time (each costs FerretDB a scan; too many at once only queue). */
async function readInBatches(
  db: Db,
  filters: readonly Record<string, number>[],
): Promise<AdminEventDocument[]> {
  const found: AdminEventDocument[] = [];
  const BATCH = 8;
  for (let index = 0; index < filters.length; index += BATCH) {
    const reads = await Promise.all(
      filters.slice(index, index + BATCH).map((filter) => eventsOf(db).find(filter).toArray()),
    );
    for (const read of reads) found.push(...read);
  }
  return found;
}
