/**
 * `npm run bench:store-calls`: the profile behind the latency figures. For each IMAP command of the
 * latency benchmark it prints how many store commands our server sent and how long the store took
 * to answer them (the MongoDB driver's own command monitoring: commandStarted/commandSucceeded),
 * beside the command's wall time, so what a command costs without its store calls reads off the
 * table. It runs the IMAP backend in this process (the same StoreImapBackend and ImapServer the mail
 * server runs, with in-process locks and bus instead of Redis) over the store `npm run bench --
 * --only latency` seeded: user 1's INBOX of 1,000 messages in a store of 100,000.
 *
 * Options: --tries N (10), --database NAME (wildduck_bench_latency).
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MongoClient, type CommandStartedEvent, type CommandSucceededEvent } from 'mongodb';
import { pino } from 'pino';
import { ImapServer } from '@wildduck/imap-core';
import { MemoryChangeBus } from '@wildduck/change-bus';
import { MemoryRateLimiter } from '@wildduck/coordination';
import { InProcessLockManager, storeContext } from '@wildduck/store';
import { StoreImapBackend } from '../apps/mailserver/src/imap/store-backend.js';
import { startServices } from './environment.js';
import { ImapConnection } from './imap-client.js';
import { formatDuration, median, table } from './report.js';

const { values: args } = parseArgs({
  options: {
    tries: { type: 'string', default: '10' },
    database: { type: 'string', default: 'wildduck_bench_latency' },
  },
});
const tries = Number(args.tries);

/** The store commands of one IMAP command: "find messages", "insert journal", … with durations. */
interface Recorded {
  name: string;
  ms: number;
}

/** While an IMAP command is profiled, the store commands it caused; null between commands. */
let recording: Recorded[] | null = null;

async function main(): Promise<void> {
  const log = (line: string) => console.log(`[store-calls] ${line}`);
  const services = await startServices(log);
  const client = new MongoClient(services.storeUri, { monitorCommands: true });
  await client.connect();
  const started = new Map<number, string>();
  client.on('commandStarted', (event: CommandStartedEvent) => {
    const collection = event.command[event.commandName];
    started.set(
      event.requestId,
      `${event.commandName}${typeof collection === 'string' ? ` ${collection}` : ''}`,
    );
  });
  client.on('commandSucceeded', (event: CommandSucceededEvent) => {
    const name = started.get(event.requestId);
    started.delete(event.requestId);
    if (name && recording && event.commandName !== 'hello' && event.commandName !== 'ping')
      recording.push({ name, ms: event.duration });
  });
  const db = client.db(args.database);
  const user = await db.collection('users').findOne({ address: 'bench1@example.com' });
  if (!user)
    throw new Error(`no bench1@example.com in ${args.database}: run npm run bench -- --only latency first`);
  const ctx = storeContext(db, new InProcessLockManager());
  const bus = new MemoryChangeBus();
  const backend = new StoreImapBackend({
    ctx,
    bus,
    userLimiter: new MemoryRateLimiter({ attempts: 1_000, windowSeconds: 60 }),
    addressLimiter: new MemoryRateLimiter({ attempts: 1_000, windowSeconds: 60 }),
  });
  const server = new ImapServer({
    backend,
    tls: await selfSignedPlaceholder(),
    allowPlaintextLogin: true,
    logger: pino({ level: 'silent' }),
  });
  const port = ((await server.listen(0, '127.0.0.1')) as AddressInfo).port;
  const imap = await ImapConnection.open({ host: '127.0.0.1', port });
  try {
    await profileCommands(imap, log);
    await imap.run('LOGOUT').catch(() => {});
  } finally {
    await server.close();
    await client.close();
    await services.stop();
  }
}

async function profileCommands(imap: ImapConnection, log: (line: string) => void): Promise<void> {
  await imap.login('bench1@example.com', 'benchpass');

  const rows: string[][] = [];
  const profile = async (name: string, run: (attempt: number) => Promise<unknown>) => {
    await run(-1);
    const walls: number[] = [];
    const calls: number[] = [];
    const storeMs: number[] = [];
    const names = new Map<string, number>();
    for (let attempt = 0; attempt < tries; attempt++) {
      recording = [];
      const start = performance.now();
      await run(attempt);
      walls.push(performance.now() - start);
      const done = recording;
      recording = null;
      calls.push(done.length);
      storeMs.push(done.reduce((sum, call) => sum + call.ms, 0));
      for (const call of done) names.set(call.name, (names.get(call.name) ?? 0) + 1);
    }
    const perCommand = [...names]
      .sort((a, b) => b[1] - a[1])
      .map(([call, count]) => `${call}${count / tries === 1 ? '' : ` ×${+(count / tries).toFixed(1)}`}`)
      .join(', ');
    rows.push([
      name,
      String(+median(calls).toFixed(1)),
      formatDuration(median(storeMs)),
      formatDuration(median(walls)),
      formatDuration(Math.max(0, median(walls) - median(storeMs))),
      perCommand || '-',
    ]);
    log(`${name}: ${rows[rows.length - 1]!.slice(1).join(' | ')}`);
  };

  await profile('CAPABILITY', () => imap.run('CAPABILITY'));
  await profile('NOOP', () => imap.run('NOOP'));
  await profile('LIST', () => imap.run('LIST "" "*"'));
  await profile('STATUS', () => imap.run('STATUS INBOX (MESSAGES UIDNEXT UNSEEN)'));
  await profile('SELECT', () => imap.run('SELECT INBOX'));
  await profile('FETCH FLAGS', () => imap.run('FETCH 1:20 (UID FLAGS)'));
  await profile('FETCH BODY[]', (attempt) => imap.run(`FETCH ${attempt + 2} (BODY.PEEK[])`));
  await profile('STORE', (attempt) =>
    imap.run(`STORE ${Math.floor((attempt + 3) / 2)} ${attempt % 2 ? '+' : '-'}FLAGS (\\Flagged)`),
  );
  await profile('SEARCH UNSEEN', () => imap.run('SEARCH UNSEEN'));
  await profile('SEARCH FROM', () => imap.run('SEARCH FROM "sender17@"'));
  let appended = 0;
  await profile('APPEND', async (attempt) => {
    appended++;
    const body = `From: a@example.org\r\nSubject: profile ${attempt}\r\n\r\n${'x'.repeat(1900)}\r\n`;
    return imap.append('INBOX', Buffer.from(body), [], new Date());
  });
  // what APPEND added goes again, so the seeded mailbox stays as seeded
  await imap.run(`STORE ${1000 + 1}:* +FLAGS.SILENT (\\Deleted)`);
  await imap.run('EXPUNGE');
  log(`removed the ${appended} appended messages`);

  console.log(
    `\n--- Store calls per IMAP command: ${args.database}, user 1's INBOX (median of ${tries}) ---`,
  );
  console.log(
    table([
      [
        'command',
        'store calls',
        'store time',
        'wall time',
        'wall − store',
        'store commands (per IMAP command)',
      ],
      ...rows,
    ]),
  );
  console.log(
    "  store time: the sum of the driver-measured durations of the command's store calls (FerretDB + PostgreSQL);\n" +
      '  wall − store: what the command costs without them (in-process client and server, so it includes both).',
  );
}

/** The server needs TLS material for STARTTLS; this profile uses plain IMAP only. */
async function selfSignedPlaceholder() {
  const { loadOrCreateCertificate } = await import('../apps/mailserver/src/tls.js');
  const { dataDir } = await import('./environment.js');
  return loadOrCreateCertificate({ dataDir: join(dataDir, 'server') });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
