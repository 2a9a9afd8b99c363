/**
 * Deliveries and storage over time (statsHistory). Deliveries are counted by the recorders in
 * Redis per minute, hour and day (coordination period-counters.ts), so any range is one MGET;
 * storage comes from the samples one mail server takes each minute (store stats-samples.ts), read
 * by one to three equality queries. The recorders count DELIVERY events, so the chart and the feed
 * agree.
 */
import type { Db } from 'mongodb';
import { periodOf, type CounterScale, type PeriodCounters } from '@wildduck/coordination';
import { readStorageSamples } from '@wildduck/store';

export type StatsRange = 'HOUR' | 'DAY' | 'MONTH';

export interface StatsPoint {
  at: Date;
  deliveries: number;
  storage: number | null;
}

const RANGES: Record<StatsRange, { scale: CounterScale; points: number; unit: number }> = {
  HOUR: { scale: 'm', points: 60, unit: 60_000 },
  DAY: { scale: 'h', points: 24, unit: 3_600_000 },
  MONTH: { scale: 'd', points: 30, unit: 86_400_000 },
};

export async function statsHistory(
  db: Db,
  counters: PeriodCounters | undefined,
  range: StatsRange,
  now = Date.now(),
): Promise<StatsPoint[]> {
  const { scale, points, unit } = RANGES[range];
  const last = periodOf(scale, now);
  const periods = Array.from({ length: points }, (_, index) => last - points + 1 + index);
  const [deliveries, samples] = await Promise.all([
    counters ? counters.read(scale, periods) : Promise.resolve(periods.map(() => 0)),
    readStorageSamples(db, scale, periods[0]! * unit, now),
  ]);
  const storage = new Map(samples.map((sample) => [sample.period, sample.storage]));
  return periods.map((period, index) => ({
    at: new Date(period * unit),
    deliveries: deliveries[index] ?? 0,
    storage: storage.get(period) ?? null,
  }));
}
