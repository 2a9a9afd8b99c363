import type { ServerMemory, Target } from './environment.js';
import { ImapConnection } from './imap-client.js';
import { formatBytes, formatDuration } from './report.js';

export interface IdleMemoryResult {
  connections: number;
  users: number;
  openSeconds: number;
  /** Mean time of each step of opening one connection, with OPEN_CONCURRENCY at a time. */
  stepMs: { connect: number; login: number; select: number; idle: number };
  before: ServerMemory | undefined;
  after: ServerMemory | undefined;
  rssPerConnection: number | undefined;
  /** PSS growth per connection (shared pages divided among the processes: Dovecot's one process per connection). */
  pssPerConnection: number | undefined;
  heapPerConnection: number | undefined;
  /** Connections that could not be opened, logged in, selected or put in IDLE, with the reason. */
  failures: string[];
}

interface IdleClient {
  client: ImapConnection;
  finished: Promise<unknown>;
}

export const OPEN_CONCURRENCY = 25;
/**
 * The client's time-out per command, IDLE included: an IDLE stays pending until the memory is read,
 * and opening 1,000 connections can take many minutes (each LOGIN checks an Argon2 hash), so a
 * shorter one (it was 120 s) closed the first connections before the reading.
 */
const IDLE_TIMEOUT_MS = 4 * 3600_000;

/** Opens `count` connections: LOGIN (users in turn), SELECT INBOX, IDLE; `concurrency` at a time. */
async function openIdle(
  target: Target,
  count: number,
  failures: string[],
  log?: (line: string) => void,
  steps?: IdleMemoryResult['stepMs'],
): Promise<IdleClient[]> {
  const opened: IdleClient[] = [];
  const sums = { connect: 0, login: 0, select: 0, idle: 0 };
  let next = 0;
  const started = performance.now();
  let lastLog = started;
  await Promise.all(
    Array.from({ length: Math.min(OPEN_CONCURRENCY, count) }, async () => {
      while (next < count) {
        const index = next++;
        let client: ImapConnection | undefined;
        try {
          let mark = performance.now();
          const lap = (step: keyof typeof sums) => {
            const now = performance.now();
            sums[step] += now - mark;
            mark = now;
          };
          client = await ImapConnection.open(target.endpoint, IDLE_TIMEOUT_MS);
          lap('connect');
          await client.login(target.user((index % target.users) + 1), target.password);
          lap('login');
          await client.run('SELECT INBOX');
          lap('select');
          const { finished } = await client.idle();
          lap('idle');
          finished.catch(() => {});
          opened.push({ client, finished });
        } catch (error) {
          client?.close();
          if (failures.length < 10) failures.push(`connection ${index + 1}: ${(error as Error).message}`);
          else failures.push('');
        }
        if (log && performance.now() - lastLog > 10_000) {
          lastLog = performance.now();
          log(`  ${opened.length}/${count} idle (${formatDuration(lastLog - started)})`);
        }
      }
    }),
  );
  if (steps)
    for (const step of Object.keys(sums) as (keyof typeof sums)[])
      steps[step] = opened.length ? sums[step] / opened.length : NaN;
  return opened;
}

/** Ends IDLE and logs out, `OPEN_CONCURRENCY * 2` at a time. */
async function closeIdle(clients: IdleClient[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: OPEN_CONCURRENCY * 2 }, async () => {
      while (next < clients.length) {
        const { client, finished } = clients[next++]!;
        client.done();
        await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, 5000))]).catch(() => {});
        await client.logout();
      }
    }),
  );
}

/**
 * Memory per idle connection: the server's memory (after a full GC when it is our server) with
 * no client connected, then with `count` authenticated connections in IDLE on INBOX; the
 * difference divided by `count`. A warm-up round first runs the same code paths once.
 */
export async function idleMemory(
  target: Target,
  options: { connections: number; settleMs: number; log(line: string): void },
): Promise<IdleMemoryResult> {
  const { connections, log } = options;
  const failures: string[] = [];
  log(`idle1000: warm-up (${OPEN_CONCURRENCY * 2} connections opened, put in IDLE and closed)`);
  await closeIdle(await openIdle(target, OPEN_CONCURRENCY * 2, failures));
  await new Promise((resolve) => setTimeout(resolve, options.settleMs));
  const before = await target.memory();
  log(`  before: ${describeMemory(before)}`);

  log(
    `idle1000: opening ${connections} connections (LOGIN, SELECT INBOX, IDLE), ${OPEN_CONCURRENCY} at a time`,
  );
  const started = performance.now();
  const stepMs = { connect: NaN, login: NaN, select: NaN, idle: NaN };
  const clients = await openIdle(target, connections, failures, log, stepMs);
  const openSeconds = (performance.now() - started) / 1000;
  log(
    `  ${clients.length} connections idle after ${formatDuration(openSeconds * 1000)}; mean per connection: ${describeSteps(stepMs)}`,
  );
  await new Promise((resolve) => setTimeout(resolve, options.settleMs));
  const after = await target.memory();
  log(`  after: ${describeMemory(after)}`);
  await closeIdle(clients);

  const per = (a: number | undefined, b: number | undefined) =>
    a !== undefined && b !== undefined && clients.length ? (b - a) / clients.length : undefined;
  return {
    connections: clients.length,
    users: Math.min(target.users, connections),
    openSeconds,
    stepMs,
    before,
    after,
    rssPerConnection: per(before?.rss, after?.rss),
    pssPerConnection: per(before?.pss, after?.pss),
    heapPerConnection: per(before?.heapUsed, after?.heapUsed),
    failures: failures
      .filter(Boolean)
      .concat(
        failures.filter((line) => !line).length
          ? [`and ${failures.filter((line) => !line).length} more`]
          : [],
      ),
  };
}

export function describeMemory(memory: ServerMemory | undefined): string {
  if (!memory) return 'not measurable (external server without --server-pid)';
  return (
    `RSS ${formatBytes(memory.rss)}` +
    (memory.pss !== undefined ? `, PSS ${formatBytes(memory.pss)}` : '') +
    (memory.processes !== undefined ? ` (${memory.processes} processes)` : '') +
    (memory.heapUsed !== undefined ? `, V8 heap used ${formatBytes(memory.heapUsed)}` : '')
  );
}

export function describeSteps(steps: IdleMemoryResult['stepMs']): string {
  return `connect ${formatDuration(steps.connect)}, LOGIN ${formatDuration(steps.login)}, SELECT ${formatDuration(steps.select)}, IDLE ${formatDuration(steps.idle)}`;
}
