/**
 * Storage over time for the admin charts: once a minute one process of the cluster (whichever
 * claims the minute in Redis) sums every user's `storageUsed` and writes the sample three times,
 * each by `_id` with an upsert: as the minute's, as the latest of its hour and as the latest of its
 * day. One writer per minute, so the upserts do not race (FerretDB loses concurrent updates).
 *
 * A chart then costs few equality reads (FerretDB pushes down only top-level equality): the last
 * hour's minutes are read by `{scale: 'm', hour}` for two hours, the last day's hours by
 * `{scale: 'h', day}` for two days, and the month's days by `{scale: 'd'}` (pruned to the month).
 */
import type { Db } from 'mongodb';
import { toNumber } from './ids.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export type SampleScale = 'm' | 'h' | 'd';

/** One sample: the bytes every user stored at `at`. */
export interface StatsSampleDocument {
  /** `m:<minute>`, `h:<hour>` or `d:<day>` (whole units since the epoch). */
  _id: string;
  scale: SampleScale;
  /** Start of the period, in whole units of its scale since the epoch. */
  period: number;
  hour: number;
  day: number;
  at: Date;
  storage: number;
}

const samplesOf = (db: Db) => db.collection<StatsSampleDocument>('statsSamples');

/** The bytes stored by every user now (one read of the users' counters). */
export async function totalStorage(db: Db): Promise<number> {
  const users = await db
    .collection('users')
    .find({}, { projection: { _id: 0, storageUsed: 1 } })
    .toArray();
  return users.reduce((sum, user) => sum + toNumber(user.storageUsed ?? 0), 0);
}

/** Writes the sample of this minute (and as the latest of its hour and day). */
export async function writeStorageSample(db: Db, storage: number, at = new Date()): Promise<void> {
  const time = at.getTime();
  const hour = Math.floor(time / HOUR_MS);
  const day = Math.floor(time / DAY_MS);
  const periods: [SampleScale, number][] = [
    ['m', Math.floor(time / MINUTE_MS)],
    ['h', hour],
    ['d', day],
  ];
  await Promise.all(
    periods.map(([scale, period]) =>
      samplesOf(db).replaceOne(
        { _id: `${scale}:${period}` },
        { scale, period, hour, day, at, storage },
        { upsert: true },
      ),
    ),
  );
}

/** Samples of one scale whose period starts at or after `from` (ms), read by the equality keys above. */
export async function readStorageSamples(
  db: Db,
  scale: SampleScale,
  from: number,
  now = Date.now(),
): Promise<StatsSampleDocument[]> {
  let filters: Record<string, unknown>[];
  if (scale === 'm') filters = hoursOrDays(from, now, HOUR_MS).map((hour) => ({ scale, hour }));
  else if (scale === 'h') filters = hoursOrDays(from, now, DAY_MS).map((day) => ({ scale, day }));
  else filters = [{ scale }];
  const reads = await Promise.all(filters.map((filter) => samplesOf(db).find(filter).toArray()));
  const unit = scale === 'm' ? MINUTE_MS : scale === 'h' ? HOUR_MS : DAY_MS;
  return reads.flat().filter((sample) => sample.period * unit >= Math.floor(from / unit) * unit);
}

/** Deletes minute samples older than two days, hour samples older than three, day samples older than 32. */
export async function deleteOldStorageSamples(db: Db, now = Date.now()): Promise<void> {
  const keep: [SampleScale, number][] = [
    ['m', 2 * DAY_MS],
    ['h', 3 * DAY_MS],
    ['d', 32 * DAY_MS],
  ];
  // one equality per scale is pushed down; the age is checked in Go on that scale's documents
  await Promise.all(
    keep.map(([scale, age]) => samplesOf(db).deleteMany({ scale, at: { $lt: new Date(now - age) } })),
  );
}

/** The whole units (hours or days) from `from` to `now`. */
function hoursOrDays(from: number, now: number, unit: number): number[] {
  const units: number[] = [];
  for (let each = Math.floor(from / unit); each <= Math.floor(now / unit); each++) units.push(each);
  return units;
}
