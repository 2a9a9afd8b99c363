/**
 * Once a minute, one process of the cluster samples the storage every user holds for the admin
 * charts (store stats-samples.ts): each mail server runs this, and the first to claim the minute in
 * Redis takes the sample. Once an hour the one that claims the hour deletes admin events past their
 * retention and old samples (FerretDB has no TTL indexes).
 */
import type { Db } from 'mongodb';
import type { PeriodCounters } from '@wildduck/coordination';
import {
  deleteExpiredAdminEvents,
  deleteOldStorageSamples,
  totalStorage,
  writeStorageSample,
} from '@wildduck/store';
import type { RecorderLogger } from './recorder.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export interface StorageSampler {
  stop(): void;
}

export function startStorageSampler(options: {
  db: Db;
  counters: PeriodCounters;
  logger?: RecorderLogger;
}): StorageSampler {
  const { db, counters, logger } = options;
  const tick = async () => {
    const now = Date.now();
    const minute = Math.floor(now / MINUTE_MS);
    try {
      if (await counters.claim(`storage-sample:${minute}`, 2 * MINUTE_MS))
        await writeStorageSample(db, await totalStorage(db), new Date(now));
      const hour = Math.floor(now / HOUR_MS);
      if (await counters.claim(`admin-events-prune:${hour}`, 2 * HOUR_MS)) {
        await deleteExpiredAdminEvents(db, now);
        await deleteOldStorageSamples(db, now);
      }
    } catch (error) {
      logger?.warn({ err: error }, 'storage sample failed');
    }
  };
  void tick();
  // at the start of each minute, so every instance asks for the same minute
  let timer: NodeJS.Timeout | null = null;
  const schedule = () => {
    timer = setTimeout(
      () => {
        void tick();
        schedule();
      },
      MINUTE_MS - (Date.now() % MINUTE_MS) + 50,
    );
    timer.unref();
  };
  schedule();
  return {
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
