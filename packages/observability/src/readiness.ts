import { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import { missingSchema } from '@wildduck/schema';

/**
 * One thing a process needs to serve. `check` resolves when it is fine (optionally with a note,
 * e.g. "not configured") and rejects with the reason when it is not.
 */
export interface ReadinessCheck {
  name: string;
  check(): Promise<string | void>;
}

/** The outcome of every check: `ok` only when all passed. */
export interface ReadinessReport {
  ok: boolean;
  /** Per check: `ok`, a note, or why it failed. */
  checks: Record<string, string>;
  /** Names of the failed checks. */
  failed: string[];
}

/** Longest a check may take before it counts as failed. */
export const CHECK_TIMEOUT_MS = 2000;

/** Runs the checks side by side, each bounded by `timeoutMs`. */
export async function runReadinessChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs = CHECK_TIMEOUT_MS,
): Promise<ReadinessReport> {
  const report: ReadinessReport = { ok: true, checks: {}, failed: [] };
  await Promise.all(
    checks.map(async ({ name, check }) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        const note = await Promise.race([
          check(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        report.checks[name] = note || 'ok';
      } catch (error) {
        report.checks[name] = error instanceof Error ? error.message : String(error);
        report.failed.push(name);
        report.ok = false;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  report.failed.sort();
  return report;
}

/** MongoDB answers a ping. */
export function mongoCheck(db: Db): ReadinessCheck {
  return {
    name: 'mongodb',
    async check() {
      await db.command({ ping: 1 });
    },
  };
}

/** The collections and indexes of the schema exist (`applySchema` ran against this database). */
export function schemaCheck(db: Db): ReadinessCheck {
  return {
    name: 'schema',
    async check() {
      const missing = await missingSchema(db);
      if (missing.length) throw new Error(`not applied: missing ${missing.join(', ')}`);
    },
  };
}

/** A readiness check that owns a connection, closed with the process. */
export interface ClosableCheck extends ReadinessCheck {
  close(): Promise<void>;
}

/**
 * Redis answers PING, on a small connection of its own (so the check sees what a new command
 * would see, not a connection that happens to be busy). Without a URL the process runs on the
 * in-process bus and the check passes with a note.
 */
export function redisCheck(url: string | undefined): ClosableCheck {
  if (!url)
    return {
      name: 'redis',
      check: () => Promise.resolve('not configured (in-process bus)'),
      close: () => Promise.resolve(),
    };
  let lastError = '';
  const client = new Redis(url, {
    // fail a PING at once while disconnected, rather than queueing it until Redis is back
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: CHECK_TIMEOUT_MS,
    retryStrategy: (attempt: number) => Math.min(100 * attempt, 1000),
    lazyConnect: true,
  });
  client.on('error', (error: Error) => (lastError = error.message));
  client.on('ready', () => (lastError = ''));
  return {
    name: 'redis',
    async check() {
      if (client.status === 'wait') client.connect().catch(() => {});
      if (client.status !== 'ready') await readyWithin(client, CHECK_TIMEOUT_MS / 2);
      if (client.status !== 'ready')
        throw new Error(`not connected (${client.status}${lastError ? `: ${lastError}` : ''})`);
      const answer = await client.ping();
      if (answer !== 'PONG') throw new Error(`PING answered ${answer}`);
    },
    async close() {
      client.disconnect();
    },
  };
}

/** Waits for the client's 'ready' event, at most `ms`. */
function readyWithin(client: Redis, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    client.once('ready', done);
  });
}
