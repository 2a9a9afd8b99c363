import { Readable } from 'node:stream';
import { appendMessage, findMailbox } from '@wildduck/store';
import type { Target } from './environment.js';
import { ImapConnection, existsCount } from './imap-client.js';
import { appendedMessage, generateMessage, seededRandom } from './messages.js';
import { percentile } from './report.js';

/** The command mix: each client picks the next command with these weights. */
export const MIX = [
  { name: 'SELECT', weight: 10, what: 'SELECT INBOX' },
  { name: 'FETCH FLAGS', weight: 25, what: 'FETCH of a 20-message window (UID FLAGS)' },
  { name: 'FETCH BODY[]', weight: 20, what: 'FETCH n (BODY.PEEK[]) of one random message' },
  { name: 'SEARCH', weight: 15, what: 'SEARCH UNSEEN, FROM "senderN@" or SUBJECT "word", in turn' },
  { name: 'STORE', weight: 20, what: 'STORE n +FLAGS / -FLAGS (\\Seen) on a random message' },
  { name: 'APPEND', weight: 10, what: 'APPEND of a ~2 kB message to INBOX' },
] as const;

type OperationName = (typeof MIX)[number]['name'];

export interface OperationFigure {
  name: OperationName;
  count: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  failures: number;
  /** The first NO/BAD/timeout seen for this command: the command and the server's answer. */
  firstFailure?: string;
}

export interface ThroughputResult {
  clients: number;
  seconds: number;
  mailboxSize: number;
  commands: number;
  commandsPerSecond: number;
  operations: OperationFigure[];
  /** Clients that stopped early on a protocol error or timeout. */
  clientErrors: string[];
}

export interface ThroughputOptions {
  clients: number;
  durationMs: number;
  /** Messages in each client's INBOX at the start (the run's APPENDs are removed afterwards). */
  mailboxSize: number;
  log(line: string): void;
}

/**
 * N clients, one user each, run the mix against their INBOX for a fixed time; each command's
 * latency is the time from writing it to reading its tagged answer.
 */
export async function throughput(target: Target, options: ThroughputOptions): Promise<ThroughputResult> {
  const { clients, mailboxSize, log } = options;
  if (target.users < clients)
    throw new Error(`throughput needs ${clients} users, the target has ${target.users}`);
  log(
    `throughput: ${clients} clients, INBOX of ${mailboxSize} messages each, ${options.durationMs / 1000} s`,
  );
  await prepareMailboxes(target, clients, mailboxSize, log);

  const latencies = new Map<OperationName, number[]>(MIX.map((entry) => [entry.name, []]));
  const failures = new Map<OperationName, { count: number; first?: string }>(
    MIX.map((entry) => [entry.name, { count: 0 }]),
  );
  const clientErrors: string[] = [];
  const connections = await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      const client = await ImapConnection.open(target.endpoint, 120_000);
      await client.login(target.user(i + 1), target.password);
      await client.run('SELECT INBOX');
      return client;
    }),
  );
  const totalWeight = MIX.reduce((sum, entry) => sum + entry.weight, 0);
  const started = performance.now();
  const deadline = started + options.durationMs;
  const progress = setInterval(() => {
    const done = [...latencies.values()].reduce((sum, list) => sum + list.length, 0);
    log(`  ${Math.round((performance.now() - started) / 1000)} s: ${done} commands`);
  }, 5000);
  await Promise.all(
    connections.map(async (client, index) => {
      const random = seededRandom(1000 + index);
      let exists = mailboxSize;
      client.onUntagged = (line) => {
        const count = existsCount([line]);
        if (count !== undefined) exists = count;
      };
      let appended = 0;
      let searches = 0;
      try {
        while (performance.now() < deadline) {
          let roll = random() * totalWeight;
          const operation = MIX.find((entry) => (roll -= entry.weight) < 0)!.name;
          const n = 1 + Math.floor(random() * Math.max(1, exists));
          let command: string;
          const begin = performance.now();
          let response;
          if (operation === 'APPEND') {
            command = 'APPEND INBOX';
            response = await client.append('INBOX', appendedMessage(appended++, index));
          } else {
            command = commandFor(operation, n, exists, searches++, random);
            response = await client.send(command);
          }
          const took = performance.now() - begin;
          if (response.status === 'OK') latencies.get(operation)!.push(took);
          else {
            const failure = failures.get(operation)!;
            failure.count++;
            failure.first ??= `${command} -> ${response.status} ${response.text}`;
          }
        }
      } catch (error) {
        clientErrors.push(`client ${index + 1}: ${(error as Error).message}`);
      }
    }),
  );
  clearInterval(progress);
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(connections.map((client) => client.logout()));
  await prepareMailboxes(target, clients, mailboxSize, log, true);

  const operations = MIX.map((entry): OperationFigure => {
    const list = latencies.get(entry.name)!;
    const failure = failures.get(entry.name)!;
    return {
      name: entry.name,
      count: list.length,
      perSecond: list.length / seconds,
      p50Ms: percentile(list, 50),
      p99Ms: percentile(list, 99),
      maxMs: percentile(list, 100),
      failures: failure.count,
      ...(failure.first ? { firstFailure: failure.first } : {}),
    };
  });
  const commands = operations.reduce((sum, entry) => sum + entry.count, 0);
  return {
    clients,
    seconds,
    mailboxSize,
    commands,
    commandsPerSecond: commands / seconds,
    operations,
    clientErrors,
  };
}

const SEARCH_WORDS = ['invoice', 'meeting', 'quarterly', 'budget', 'release'];

function commandFor(
  operation: Exclude<OperationName, 'APPEND'>,
  n: number,
  exists: number,
  turn: number,
  random: () => number,
): string {
  switch (operation) {
    case 'SELECT':
      return 'SELECT INBOX';
    case 'FETCH FLAGS': {
      const first = Math.max(1, Math.min(n, exists - 19));
      return `FETCH ${first}:${Math.min(exists, first + 19)} (UID FLAGS)`;
    }
    case 'FETCH BODY[]':
      return `FETCH ${n} (BODY.PEEK[])`;
    case 'SEARCH': {
      const kind = turn % 3;
      if (kind === 0) return 'SEARCH UNSEEN';
      if (kind === 1) return `SEARCH FROM "sender${Math.floor(random() * 200)}@"`;
      return `SEARCH SUBJECT "${SEARCH_WORDS[Math.floor(random() * SEARCH_WORDS.length)]}"`;
    }
    case 'STORE':
      return `STORE ${n} ${random() < 0.5 ? '+' : '-'}FLAGS (\\Seen)`;
  }
}

/**
 * Brings each client's INBOX to exactly `size` messages: removes what earlier runs appended
 * (STORE \Deleted + EXPUNGE over IMAP), and tops it up (store API on our server, APPEND elsewhere).
 */
async function prepareMailboxes(
  target: Target,
  clients: number,
  size: number,
  log: (line: string) => void,
  trimOnly = false,
): Promise<void> {
  let added = 0;
  let removed = 0;
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(clients, 4) }, async () => {
      while (next < clients) {
        const n = ++next;
        const client = await ImapConnection.open(target.endpoint, 300_000);
        try {
          await client.login(target.user(n), target.password);
          const exists = existsCount((await client.run('SELECT INBOX')).untagged) ?? 0;
          if (exists > size) {
            await client.run(`STORE ${size + 1}:* +FLAGS.SILENT (\\Deleted)`);
            await client.run('EXPUNGE');
            removed += exists - size;
          } else if (exists < size && !trimOnly) {
            for (let i = exists; i < size; i++) {
              const message = generateMessage(i, size, 2);
              if (target.store) {
                const user = target.store.userId(n);
                const inbox = await findMailbox(target.store.db, user, 'INBOX');
                const outcome = await appendMessage(
                  target.store.ctx,
                  user,
                  inbox!._id!,
                  Readable.from([message.bytes]),
                  { flags: message.flags, internalDate: message.date },
                );
                if (!outcome.ok) throw new Error(`appendMessage failed: ${outcome.code}`);
              } else {
                const response = await client.append('INBOX', message.bytes, message.flags, message.date);
                if (response.status !== 'OK')
                  throw new Error(`APPEND failed: ${response.status} ${response.text}`);
              }
              added++;
            }
          }
        } finally {
          await client.logout();
        }
      }
    }),
  );
  if (added || removed)
    log(
      `  ${trimOnly ? 'cleanup' : 'prepared INBOXes'}: ${added} added, ${removed} removed (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
}
