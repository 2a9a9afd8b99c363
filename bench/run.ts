/**
 * `npm run bench`: figures for the IMAP server. Without --host/--port/--user-pattern it starts the
 * embedded store (unless MONGODB_URI is set) and, for each benchmark, the mail server as a child
 * process on a database of that benchmark's own; with them, it measures the given server.
 * See bench/README.md for what each figure means.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BENCH_DATABASE,
  openExternalTarget,
  openOwnTarget,
  resultsDir,
  startServices,
  type OwnStore,
  type Services,
  type Target,
} from './environment.js';
import { startCluster, type Cluster, type LatencyFigures } from './cluster.js';
import { fetchLarge, type FetchLargeResult } from './fetch-large.js';
import { graphqlLatency, type GraphqlLatencyResult } from './graphql-latency.js';
import { idleLatency, type IdleLatencyResult } from './idle-latency.js';
import {
  OPEN_CONCURRENCY,
  describeMemory,
  describeSteps,
  idleMemory,
  type IdleMemoryResult,
} from './idle-memory.js';
import { lmtpDelivery, type LmtpDeliveryResult } from './lmtp-delivery.js';
import { lmtpMemory, type LmtpMemoryResult } from './lmtp-memory.js';
import { formatBytes, formatDuration, median, table } from './report.js';
import { searchLarge, searchLayout, type SearchLargeResult } from './search-large.js';
import { MIX, throughput, type ThroughputResult } from './throughput.js';
import type { Db } from 'mongodb';
import { dovecotDir, dovecotVersion, startDovecot, type DovecotServer } from './dovecot.js';
import { commandLatency, latencyLayout, seedLatencyStore, type CommandLatencyResult } from './latency.js';
import { dropUnlessSeeded } from './seed.js';
import { viewMemory, type ViewMemoryResult } from './view-memory.js';
import { loginRate, type LoginRateResult } from './login-rate.js';
import { printComparison } from './compare.js';

const BENCHMARKS = [
  'latency',
  'throughput',
  'fetch20mb',
  'search50k',
  'idle1000',
  'lmtp',
  'lmtp50mb',
  'view-memory',
  'login',
  'idle-latency',
  'graphql-latency',
] as const;
type Benchmark = (typeof BENCHMARKS)[number];
/** The database of each benchmark on our server: `wildduck_bench_<suffix>`. */
const DATABASE_SUFFIX: Record<Benchmark, string> = {
  latency: 'latency',
  throughput: 'throughput',
  fetch20mb: 'fetch',
  search50k: 'search',
  idle1000: 'idle',
  lmtp: 'lmtp',
  lmtp50mb: 'lmtp50mb',
  // the search benchmark's large mailbox, reused
  'view-memory': 'search',
  login: 'login',
  'idle-latency': 'idlelat',
  'graphql-latency': 'gqllat',
};
/** Benchmarks of several product processes (mail servers, API) started by the benchmark. */
const CLUSTER_BENCHMARKS: readonly Benchmark[] = ['idle-latency', 'graphql-latency'];
/** Benchmarks also run against Dovecot with --compare dovecot (lmtp50mb samples one process; Dovecot forks one per LMTP session). */
const DOVECOT_BENCHMARKS: readonly Benchmark[] = [
  'latency',
  'throughput',
  'fetch20mb',
  'search50k',
  'idle1000',
  'lmtp',
  'view-memory',
  'login',
];

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    compare: { type: 'string' },
    clients: { type: 'string', default: '20,50' },
    duration: { type: 'string', default: '20' },
    'mailbox-size': { type: 'string', default: '25' },
    messages: { type: 'string', default: '50000' },
    idle: { type: 'string', default: '1000' },
    'idle-users': { type: 'string', default: '20' },
    'search-repeat': { type: 'string', default: '3' },
    'search-budget': { type: 'string', default: '120' },
    'fetch-size-mb': { type: 'string', default: '20' },
    'lmtp-concurrency': { type: 'string', default: '8' },
    'login-clients': { type: 'string', default: '8' },
    'lmtp-10kb': { type: 'string', default: '500' },
    'lmtp-1mb': { type: 'string', default: '40' },
    'lmtp-duration': { type: 'string' },
    'lmtp-size-mb': { type: 'string', default: '50' },
    'latency-tries': { type: 'string', default: '30' },
    'latency-budget': { type: 'string', default: '30' },
    'latency-users': { type: 'string', default: '100' },
    'latency-mailbox': { type: 'string', default: '1000' },
    'view-connections': { type: 'string', default: '4' },
    'push-connections': { type: 'string', default: '1000' },
    'push-users': { type: 'string', default: '20' },
    'push-deliveries': { type: 'string', default: '100' },
    host: { type: 'string' },
    port: { type: 'string' },
    'lmtp-port': { type: 'string' },
    tls: { type: 'boolean', default: false },
    'user-pattern': { type: 'string' },
    password: { type: 'string' },
    'server-pid': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log(`npm run bench -- [options]
  --only LIST            benchmarks to run, of ${BENCHMARKS.join(',')} (default: all)
  --compare dovecot      also run ${DOVECOT_BENCHMARKS.join(', ')} against Debian's Dovecot, started
                         by the benchmark (apt-get install -y dovecot-imapd dovecot-lmtpd), and print
                         each figure beside ours
  --latency-tries N      tries of each command of the latency benchmark (30)
  --latency-budget S     seconds after which a command is not tried again (30)
  --latency-users N      users of the latency store, each with an INBOX of --latency-mailbox (100)
  --latency-mailbox N    messages in each INBOX of the latency store (1000)
  --clients N[,N…]       concurrent clients of the throughput benchmark, one run per number (20,50)
  --duration S           seconds of the throughput benchmark (20)
  --mailbox-size N       messages in each throughput client's INBOX (25)
  --messages N           messages in the SEARCH mailbox (50000)
  --idle N               idle connections of the memory benchmark (1000)
  --idle-users N         users the idle connections log in as, in turn (20)
  --search-repeat N      runs of each SEARCH while the budget lasts (3)
  --search-budget S      seconds after which SEARCHes are run only once more each (120)
  --fetch-size-mb N      size of the large message (20)
  --lmtp-concurrency N   LMTP connections of the delivery-rate benchmark, one user each (8)
  --login-clients N      clients signing in and out at once in the login benchmark, one user each (8)
  --lmtp-10kb N          10 kB messages it delivers (500)
  --lmtp-1mb N           1 MB messages it delivers (40)
  --lmtp-duration S      deliver each size for S seconds instead of a count
  --lmtp-size-mb N       size of the message of the LMTP memory benchmark (50)
  --view-connections N   connections that SELECT the large mailbox in view-memory (4)
  --push-connections N   idle IMAP connections (idle-latency) / graphql-ws subscribers (graphql-latency) (1000)
  --push-users N         users they belong to, in turn (20)
  --push-deliveries N    messages delivered one at a time, each timed to every listener of its user (100)
  another server:  --host H --port P [--tls] --user-pattern 'bench{n}@example.com' --password PW [--server-pid PID] [--lmtp-port P]`);
  process.exit(0);
}

function positive(name: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`--${name} must be a positive whole number (got "${text}")`);
  return value;
}

const selected: Benchmark[] = args.only
  ? (args.only.split(',').map((name) => name.trim()) as Benchmark[])
  : [...BENCHMARKS];
for (const name of selected)
  if (!BENCHMARKS.includes(name))
    throw new Error(`unknown benchmark "${name}"; known: ${BENCHMARKS.join(', ')}`);
if (args.compare && args.compare !== 'dovecot')
  throw new Error(`--compare knows only "dovecot" (got "${args.compare}")`);
const compareDovecot = args.compare === 'dovecot';
const clientCounts = (args.clients ?? '20').split(',').map((text) => positive('clients', text.trim()));
const settings = {
  clients: clientCounts,
  durationMs: positive('duration', args.duration) * 1000,
  mailboxSize: positive('mailbox-size', args['mailbox-size']),
  messages: positive('messages', args.messages),
  idle: positive('idle', args.idle),
  idleUsers: positive('idle-users', args['idle-users']),
  searchRepeat: positive('search-repeat', args['search-repeat']),
  searchBudgetMs: positive('search-budget', args['search-budget']) * 1000,
  fetchBytes: positive('fetch-size-mb', args['fetch-size-mb']) * 1_000_000,
  lmtpConcurrency: positive('lmtp-concurrency', args['lmtp-concurrency']),
  loginClients: positive('login-clients', args['login-clients']),
  lmtpSmall: positive('lmtp-10kb', args['lmtp-10kb']),
  lmtpLarge: positive('lmtp-1mb', args['lmtp-1mb']),
  lmtpDurationMs: args['lmtp-duration'] ? positive('lmtp-duration', args['lmtp-duration']) * 1000 : undefined,
  lmtpMemoryBytes: positive('lmtp-size-mb', args['lmtp-size-mb']) * 1_000_000,
  latencyTries: positive('latency-tries', args['latency-tries']),
  latencyBudgetMs: positive('latency-budget', args['latency-budget']) * 1000,
  latencyUsers: positive('latency-users', args['latency-users']),
  latencyMailbox: positive('latency-mailbox', args['latency-mailbox']),
  viewConnections: positive('view-connections', args['view-connections']),
  pushConnections: positive('push-connections', args['push-connections']),
  pushUsers: positive('push-users', args['push-users']),
  pushDeliveries: positive('push-deliveries', args['push-deliveries']),
};
/** How long a push benchmark waits for one delivery to reach every listener before counting misses. */
const PUSH_TIMEOUT_MS = 10_000;
/** How often the LMTP memory benchmark samples the server's RSS. */
const RSS_SAMPLE_MS = 20;
const external = !!(args.host || args.port || args['user-pattern'] || args['lmtp-port']);
if (external && compareDovecot)
  throw new Error('--compare dovecot measures our own server beside Dovecot: no --host/--port');

const runStarted = performance.now();
const log = (line: string) =>
  console.log(`[bench ${formatDuration(performance.now() - runStarted).padStart(9)}] ${line}`);

/** The figures of one server. */
interface Measured {
  latency?: CommandLatencyResult;
  throughput?: ThroughputResult[];
  fetch20mb?: FetchLargeResult;
  search50k?: SearchLargeResult;
  idle1000?: IdleMemoryResult;
  lmtp?: LmtpDeliveryResult;
  lmtp50mb?: LmtpMemoryResult;
  viewMemory?: ViewMemoryResult;
  login?: LoginRateResult;
}

interface Results extends Measured {
  started: string;
  target: string[];
  settings: typeof settings;
  idleLatency?: IdleLatencyResult;
  graphqlLatency?: GraphqlLatencyResult;
  /** The same benchmarks against Dovecot (--compare dovecot). */
  dovecot?: Measured & { version: string; target: string[]; failed: Record<string, string> };
  failed: Record<string, string>;
  notMeasured: string[];
  seconds?: number;
}

const NOT_YET: string[] = [];

let services: Services | undefined;
let current: Target | undefined;
let currentCluster: Cluster | undefined;
let currentDovecot: DovecotServer | undefined;
let stopping = false;

async function cleanUp(): Promise<void> {
  const target = current;
  current = undefined;
  await target?.stop().catch((error: unknown) => log(`stopping the server: ${String(error)}`));
  const dovecot = currentDovecot;
  currentDovecot = undefined;
  await dovecot?.stop().catch((error: unknown) => log(`stopping Dovecot: ${String(error)}`));
  const cluster = currentCluster;
  currentCluster = undefined;
  await cluster?.stop().catch((error: unknown) => log(`stopping the servers: ${String(error)}`));
  const shared = services;
  services = undefined;
  await shared?.stop().catch((error: unknown) => log(`stopping the store: ${String(error)}`));
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping everything the benchmark started`);
    void cleanUp().finally(() => process.exit(130));
  });
}

/** How the latency store was seeded (our server), for the report. */
let latencySeeding = 'external server: not seeded by the benchmark';

/** The target of one benchmark: the external server, or our server on a database of its own. */
async function targetFor(benchmark: Benchmark, users: number): Promise<Target> {
  if (external) {
    return openExternalTarget({
      host: args.host,
      port: args.port ? positive('port', args.port) : undefined,
      tls: args.tls,
      userPattern: args['user-pattern'],
      password: args.password,
      serverPid: args['server-pid'] ? positive('server-pid', args['server-pid']) : undefined,
      lmtpPort: args['lmtp-port'] ? positive('lmtp-port', args['lmtp-port']) : undefined,
      users,
    });
  }
  services ??= await startServices(log);
  // seeded layouts: a database that holds anything else is dropped and seeded again before the server starts
  const layout =
    benchmark === 'latency'
      ? latencyLayout(settings.latencyUsers, settings.latencyMailbox)
      : benchmark === 'search50k' || benchmark === 'view-memory'
        ? searchLayout(settings.messages)
        : undefined;
  // one database per benchmark: on a store that scans whole collections (FerretDB 1.24), the
  // messages of one benchmark would otherwise slow every query of the others
  return openOwnTarget(services, {
    database: `${process.env.MONGODB_DB ?? BENCH_DATABASE}_${DATABASE_SUFFIX[benchmark]}`,
    users,
    log,
    ...(args.password ? { password: args.password } : {}),
    ...(layout ? { beforeUsers: async (db: Db) => void (await dropUnlessSeeded(db, layout, log)) } : {}),
    ...(benchmark === 'latency'
      ? {
          prepare: async (store: OwnStore) => {
            latencySeeding = await seedLatencyStore(store, layout!, log);
          },
        }
      : {}),
  });
}

/** Bench users a benchmark needs. */
function usersOf(benchmark: Benchmark): number {
  if (benchmark === 'throughput') return Math.max(...settings.clients);
  if (benchmark === 'idle1000') return Math.min(settings.idleUsers, settings.idle);
  if (benchmark === 'lmtp') return settings.lmtpConcurrency;
  if (benchmark === 'login') return settings.loginClients;
  if (benchmark === 'latency') return settings.latencyUsers;
  return 1;
}

/** Runs one benchmark against one target and puts its figures into `into`. */
async function measure(benchmark: Benchmark, target: Target, into: Measured): Promise<void> {
  if (benchmark === 'latency')
    into.latency = await commandLatency(
      target,
      {
        tries: settings.latencyTries,
        budgetMs: settings.latencyBudgetMs,
        mailboxSize: settings.latencyMailbox,
        log,
      },
      target.store
        ? latencySeeding
        : "external server: user 1's INBOX trimmed or topped up (IMAP APPEND) to --latency-mailbox",
    );
  if (benchmark === 'throughput') {
    into.throughput = [];
    for (const clients of settings.clients)
      into.throughput.push(
        await throughput(target, {
          clients,
          durationMs: settings.durationMs,
          mailboxSize: settings.mailboxSize,
          log,
        }),
      );
  }
  if (benchmark === 'fetch20mb')
    into.fetch20mb = await fetchLarge(target, { sizeBytes: settings.fetchBytes, repeat: 5, log });
  if (benchmark === 'search50k')
    into.search50k = await searchLarge(target, {
      messages: settings.messages,
      repeat: settings.searchRepeat,
      budgetMs: settings.searchBudgetMs,
      timeoutMs: 900_000,
      log,
    });
  if (benchmark === 'idle1000')
    into.idle1000 = await idleMemory(target, { connections: settings.idle, settleMs: 3000, log });
  if (benchmark === 'lmtp')
    into.lmtp = await lmtpDelivery(target, {
      concurrency: settings.lmtpConcurrency,
      sizes: [
        { label: '10 kB', bytes: 10_000, count: settings.lmtpSmall },
        { label: '1 MB', bytes: 1_000_000, count: settings.lmtpLarge },
      ],
      ...(settings.lmtpDurationMs ? { durationMs: settings.lmtpDurationMs } : {}),
      log,
    });
  if (benchmark === 'lmtp50mb')
    into.lmtp50mb = await lmtpMemory(target, {
      sizeBytes: settings.lmtpMemoryBytes,
      intervalMs: RSS_SAMPLE_MS,
      log,
    });
  if (benchmark === 'login')
    into.login = await loginRate(target, {
      clients: settings.loginClients,
      durationMs: settings.durationMs,
      log,
    });
  if (benchmark === 'view-memory')
    into.viewMemory = await viewMemory(target, {
      messages: settings.messages,
      connections: settings.viewConnections,
      settleMs: 2000,
      log,
    });
}

/** Users in Dovecot's passwd-file: enough for every benchmark. */
function dovecotUsers(): number {
  return Math.max(100, ...BENCHMARKS.map(usersOf));
}

/** The same benchmark against Dovecot, started for it with a mail folder of its own, and stopped after. */
async function measureDovecot(benchmark: Benchmark, results: Results): Promise<void> {
  const into = (results.dovecot ??= { version: dovecotVersion() ?? 'not installed', target: [], failed: {} });
  try {
    currentDovecot = await startDovecot({
      name: DATABASE_SUFFIX[benchmark],
      users: dovecotUsers(),
      password: args.password ?? 'benchpass',
      log,
    });
    const target = currentDovecot.target(usersOf(benchmark));
    into.target = [
      `Dovecot ${into.version}, started for each benchmark: ${currentDovecot.configFile}, IMAP and LMTP on free ports of 127.0.0.1, mail in ${join(dovecotDir, 'mail', '<benchmark>')}`,
    ];
    log(`  ${target.describe.join('; ')}`);
    await measure(benchmark, target, into);
  } catch (error) {
    into.failed[benchmark] = (error as Error).stack ?? String(error);
    log(`${benchmark} on Dovecot FAILED: ${(error as Error).message}`);
  } finally {
    const dovecot = currentDovecot;
    currentDovecot = undefined;
    await dovecot?.stop();
  }
}

async function main(): Promise<Results> {
  const results: Results = {
    started: new Date().toISOString(),
    target: [],
    settings,
    failed: {},
    notMeasured: NOT_YET,
  };
  log(
    `benchmarks: ${selected.join(', ')}${external ? ` against ${args.host ?? '127.0.0.1'}:${args.port ?? ''}` : ' against apps/mailserver'}${compareDovecot ? ', and against Dovecot' : ''}`,
  );
  if (compareDovecot) {
    const version = dovecotVersion();
    if (!version)
      throw new Error(
        "--compare dovecot needs Debian's Dovecot, which the benchmark does not install: apt-get install -y dovecot-imapd dovecot-lmtpd",
      );
    log(`Dovecot ${version} found (/usr/sbin/dovecot)`);
  }
  for (const benchmark of selected) {
    if (stopping) break;
    if (CLUSTER_BENCHMARKS.includes(benchmark)) {
      if (external) {
        results.notMeasured.push(
          `${benchmark}: measured on the product's own processes only (two mail servers, the API), not with --host/--port`,
        );
        continue;
      }
      await runClusterBenchmark(benchmark, results);
      if (compareDovecot)
        results.notMeasured.push(
          `${benchmark}: not run against Dovecot (it measures the product's own processes)`,
        );
      continue;
    }
    try {
      current = await targetFor(benchmark, usersOf(benchmark));
      for (const line of current.describe) log(`  ${line}`);
      if (!results.target.length || external) results.target = current.describe;
      await measure(benchmark, current, results);
    } catch (error) {
      results.failed[benchmark] = (error as Error).stack ?? String(error);
      log(`${benchmark} FAILED: ${(error as Error).message}`);
    } finally {
      const target = current;
      current = undefined;
      await target?.stop();
    }
    if (compareDovecot && !stopping) {
      if (DOVECOT_BENCHMARKS.includes(benchmark)) await measureDovecot(benchmark, results);
      else
        results.notMeasured.push(
          `${benchmark}: not run against Dovecot (it samples one process's memory, and Dovecot forks a process per LMTP session)`,
        );
    }
  }
  results.seconds = (performance.now() - runStarted) / 1000;
  return results;
}

/** idle-latency (two mail servers) and graphql-latency (a mail server and the API), on one store and Redis. */
async function runClusterBenchmark(benchmark: Benchmark, results: Results): Promise<void> {
  try {
    services ??= await startServices(log);
    currentCluster = await startCluster(services, {
      database: `${process.env.MONGODB_DB ?? BENCH_DATABASE}_${DATABASE_SUFFIX[benchmark]}`,
      users: settings.pushUsers,
      mailServers: benchmark === 'idle-latency' ? 2 : 1,
      api: benchmark === 'graphql-latency',
      log,
    });
    for (const line of currentCluster.describe) log(`  ${line}`);
    const options = {
      deliveries: settings.pushDeliveries,
      timeoutMs: PUSH_TIMEOUT_MS,
      log,
    };
    if (benchmark === 'idle-latency')
      results.idleLatency = await idleLatency(currentCluster, {
        ...options,
        connections: settings.pushConnections,
      });
    else
      results.graphqlLatency = await graphqlLatency(currentCluster, {
        ...options,
        subscribers: settings.pushConnections,
      });
  } catch (error) {
    results.failed[benchmark] = (error as Error).stack ?? String(error);
    log(`${benchmark} FAILED: ${(error as Error).message}`);
  } finally {
    const cluster = currentCluster;
    currentCluster = undefined;
    await cluster?.stop();
  }
}

function latencyRow(label: string, figures: LatencyFigures): string[] {
  return [
    label,
    String(figures.samples),
    formatDuration(figures.p50Ms),
    formatDuration(figures.p90Ms),
    formatDuration(figures.p99Ms),
    formatDuration(figures.minMs),
    formatDuration(figures.maxMs),
  ];
}

const LATENCY_HEADER = ['', 'samples', 'p50', 'p90', 'p99', 'min', 'max'];

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

function print(results: Results): void {
  const out: string[] = [''];
  out.push('=== WildDuck IMAP benchmark ===');
  if (external) out.push(...results.target.map((line) => `  ${line}`));
  else
    out.push(
      '  target: apps/mailserver started by the benchmark (a child process per benchmark, each on a database of its own)',
    );
  const lat = results.latency;
  if (lat) {
    out.push(
      '',
      `--- 0. Per-command latency, one client: INBOX of ${lat.mailboxSize.toLocaleString('en-US')} messages${lat.storeMessages !== undefined ? ` in a store of ${lat.storeMessages.toLocaleString('en-US')} messages` : ''} ---`,
    );
    out.push(`  seeding: ${lat.seeding}`);
    out.push(
      indent(
        table([
          ['command', 'tries', 'median', 'p90', 'min', 'max', 'failed'],
          ...lat.commands.map((c) => [
            c.name,
            String(c.tries),
            formatDuration(c.p50Ms),
            formatDuration(c.p90Ms),
            formatDuration(c.minMs),
            formatDuration(c.maxMs),
            String(c.failures),
          ]),
        ]),
      ),
    );
    for (const c of lat.commands)
      out.push(`  ${c.name}: ${c.command}${c.firstFailure ? ` — first failure: ${c.firstFailure}` : ''}`);
  }
  for (const t of results.throughput ?? []) {
    out.push(
      '',
      `--- 1. IMAP command throughput: ${t.clients} clients, ${t.seconds.toFixed(1)} s, INBOX of ${t.mailboxSize} messages each ---`,
    );
    out.push(`  total: ${t.commands} commands, ${t.commandsPerSecond.toFixed(1)} commands/s`);
    out.push(
      table([
        ['command', 'count', 'per s', 'p50', 'p99', 'max', 'failed'],
        ...t.operations.map((op) => [
          op.name,
          String(op.count),
          op.perSecond.toFixed(1),
          formatDuration(op.p50Ms),
          formatDuration(op.p99Ms),
          formatDuration(op.maxMs),
          String(op.failures),
        ]),
      ])
        .split('\n')
        .map((line) => `  ${line}`)
        .join('\n'),
    );
    out.push(`  mix: ${MIX.map((entry) => `${entry.name} ${entry.weight}%`).join(', ')}`);
    for (const op of t.operations)
      if (op.firstFailure) out.push(`  first failure of ${op.name}: ${op.firstFailure}`);
    for (const error of t.clientErrors) out.push(`  client error: ${error}`);
  }
  const f = results.fetch20mb;
  if (f) {
    const times = f.part1.map((run) => run.ms);
    out.push(
      '',
      `--- 2. FETCH BODY.PEEK[1] of a ${formatBytes(f.messageBytes)} message whose part 2 is the attachment ---`,
    );
    out.push(
      `  BODY.PEEK[1]: ${f.part1[0]?.bytesToClient ?? 0} bytes to the client; time median ${formatDuration(median(times))} (min ${formatDuration(Math.min(...times))}, max ${formatDuration(Math.max(...times))}, ${times.length} runs)`,
    );
    if (f.part1[0]?.store) {
      const read = f.part1.map((run) => run.store!.fromStore);
      out.push(
        `  bytes read from the store per BODY.PEEK[1]: median ${formatBytes(median(read))} (max ${formatBytes(Math.max(...read))}); sent to the store ${formatBytes(median(f.part1.map((run) => run.store!.toStore)))}`,
      );
    }
    out.push(
      `  for comparison, BODY.PEEK[] (whole message): ${formatDuration(f.whole.ms)}, ${formatBytes(f.whole.bytesToClient)} to the client${f.whole.store ? `, ${formatBytes(f.whole.store.fromStore)} read from the store` : ''}`,
    );
    if (f.append !== 'reused')
      out.push(
        `  APPEND of the message: ${formatDuration(f.append.ms)}${f.append.store ? ` (${formatBytes(f.append.store.toStore)} written to the store)` : ''}`,
      );
    else out.push('  (message appended by an earlier run and reused)');
    out.push(`  store bytes measured by: ${f.storeBytesMethod ?? 'not measurable on an external server'}`);
  }
  const s = results.search50k;
  if (s) {
    out.push(
      '',
      `--- 3. SEARCH on a ${s.messages.toLocaleString('en-US')}-message mailbox (${s.mailbox}) ---`,
    );
    out.push(
      s.fill.reused
        ? `  fill: reused from an earlier run (that fill took ${formatDuration(s.fill.seconds * 1000)}, ${s.fill.method})`
        : `  fill: ${s.fill.added} messages in ${formatDuration(s.fill.seconds * 1000)}, ${s.fill.rate?.toFixed(1)} messages/s, ${s.fill.method}`,
    );
    out.push(`  SELECT of the mailbox: ${formatDuration(s.selectMs)}`);
    out.push(
      table([
        ['query', 'matches', 'expected', 'median', 'runs'],
        ...s.queries.map((q) => [
          q.name,
          q.error ? 'FAILED' : String(q.matches),
          q.expected === undefined ? '' : String(q.expected),
          formatDuration(median(q.runsMs)),
          q.runsMs.map((ms) => formatDuration(ms)).join(' / '),
        ]),
      ])
        .split('\n')
        .map((line) => `  ${line}`)
        .join('\n'),
    );
    for (const q of s.queries) out.push(`  ${q.name}: ${q.error ?? q.command}`);
    for (const q of s.skipped) out.push(`  skipped (--search-budget spent): ${q}`);
  }
  const m = results.idle1000;
  if (m) {
    out.push(
      '',
      `--- 4. Memory per idle IMAP connection: ${m.connections} connections (LOGIN as ${m.users} users in turn, SELECT INBOX, IDLE) ---`,
    );
    if (m.before && m.after) {
      out.push(
        `  server RSS: ${formatBytes(m.before.rss)} before, ${formatBytes(m.after.rss)} after -> ${formatBytes(m.rssPerConnection ?? NaN)} per connection`,
      );
      if (m.before.heapUsed !== undefined && m.after.heapUsed !== undefined) {
        out.push(
          `  server V8 heap used (after full GC): ${formatBytes(m.before.heapUsed)} before, ${formatBytes(m.after.heapUsed)} after -> ${formatBytes(m.heapPerConnection ?? NaN)} per connection`,
        );
      }
    } else out.push('  server memory not measurable (external server without --server-pid)');
    out.push(
      `  opening all connections took ${formatDuration(m.openSeconds * 1000)} (${OPEN_CONCURRENCY} at a time; mean per connection: ${describeSteps(m.stepMs)})`,
    );
    for (const failure of m.failures) out.push(`  failed: ${failure}`);
  }
  const l = results.lmtp;
  if (l) {
    out.push(
      '',
      `--- 5. LMTP delivery rate: ${l.concurrency} connections, one recipient (a user of its own) each, ${l.mode === 'count' ? 'a fixed number of messages' : 'a fixed time'} per size ---`,
    );
    out.push(
      table([
        ['size', 'messages', 'seconds', 'msg/s', 'MB/s', 'p50', 'p99', 'max', 'failed'],
        ...l.phases.map((phase) => [
          phase.label,
          String(phase.messages),
          phase.seconds.toFixed(1),
          phase.messagesPerSecond.toFixed(1),
          phase.megabytesPerSecond.toFixed(2),
          formatDuration(phase.p50Ms),
          formatDuration(phase.p99Ms),
          formatDuration(phase.maxMs),
          String(phase.failures),
        ]),
      ])
        .split('\n')
        .map((line) => `  ${line}`)
        .join('\n'),
    );
    out.push(
      '  latency: per message, from MAIL FROM on the open connection to the 250 reply after DATA; 1 MB = a base64 attachment of random bytes (stored in GridFS)',
    );
    for (const phase of l.phases)
      if (phase.firstFailure) out.push(`  first failure (${phase.label}): ${phase.firstFailure}`);
  }
  const p = results.lmtp50mb;
  if (p) {
    out.push(
      '',
      `--- 6. Mail server memory while one ${formatBytes(p.messageBytes)} message is delivered over LMTP ---`,
    );
    out.push(
      `  message: ${p.messageBytes} bytes, ${p.attachmentBase64Bytes} of them the base64 attachment of random bytes; delivery ${formatDuration(p.deliveryMs)}, ${(p.messageBytes / 1e6 / (p.deliveryMs / 1000)).toFixed(1)} MB/s`,
    );
    if (p.baseline && p.peakRss !== undefined) {
      out.push(
        `  server RSS: baseline ${formatBytes(p.baseline.rss)}, peak ${formatBytes(p.peakRss)}, peak growth ${formatBytes(p.peakGrowth!)} (${((p.peakGrowth! / p.messageBytes) * 100).toFixed(1)}% of the message)`,
      );
      out.push(
        `  measured by: VmHWM ${p.peakReset ? `reset to the baseline before the delivery, ${formatBytes(p.hwmAfter ?? NaN)} after it` : `not resettable (lifetime peak ${formatBytes(p.baseline.hwm)} before, ${formatBytes(p.hwmAfter ?? NaN)} after)`}; ` +
          `VmRSS sampled every ${p.samples!.intervalMs} ms: ${p.samples!.count} samples, largest ${formatBytes(p.samples!.maxRss)} at ${formatDuration(p.samples!.maxAtMs)}, longest gap ${formatDuration(p.samples!.maxGapMs)}`,
      );
    } else out.push('  server memory not measurable (external server without --server-pid)');
    if (p.before?.heapUsed !== undefined && p.after?.heapUsed !== undefined)
      out.push(
        `  after a full GC: V8 heap used ${formatBytes(p.before.heapUsed)} before, ${formatBytes(p.after.heapUsed)} after; RSS ${formatBytes(p.before.rss)} before, ${formatBytes(p.after.rss)} after`,
      );
    out.push(
      `  read back over IMAP (UID ${p.verified.uid}, ${formatDuration(p.verified.fetchMs)}): RFC822.SIZE ${p.verified.storedSize} = ${p.messageBytes} + ${p.verified.prefixBytes} bytes of ${p.verified.prefixFields.join(', ')}; SHA-256 of the message ${p.verified.sha256Matches ? 'matches' : 'DIFFERS'}`,
    );
  }
  const v = results.viewMemory;
  if (v) {
    out.push(
      '',
      `--- 6b. Memory per message held in mailbox views: ${v.connections} connections SELECT ${v.mailbox} (${v.messages.toLocaleString('en-US')} messages) ---`,
    );
    out.push(
      `  SELECT times: ${v.selectMs.map((ms) => formatDuration(ms)).join(', ')}`,
      `  before: ${describeMemory(v.before)}`,
      `  selected: ${describeMemory(v.selected)}`,
      `  after logging out: ${describeMemory(v.closed)}`,
      `  per message (selected − before, ÷ messages): V8 heap ${formatBytes(v.heapPerMessage ?? NaN)}, RSS ${formatBytes(v.rssPerMessage ?? NaN)}`,
    );
  }
  const sign = results.login;
  if (sign) {
    out.push(
      '',
      `--- 6c. Sign-in rate: ${sign.clients} clients connect, LOGIN and LOGOUT for ${formatDuration(sign.durationMs)} ---`,
      `  ${sign.sessions} sessions, ${sign.perSecond.toFixed(1)} sessions/s; LOGIN p50 ${formatDuration(sign.loginP50Ms)}, p99 ${formatDuration(sign.loginP99Ms)}; ${sign.failed} failed`,
    );
  }
  const il = results.idleLatency;
  if (il) {
    out.push(
      '',
      `--- 7. IDLE push latency: ${il.connections} idle IMAP connections (A ${il.perInstance.A ?? 0}, B ${il.perInstance.B ?? 0}) of ${il.users} users; ${il.deliveries} LMTP deliveries on instance B, one at a time ---`,
    );
    out.push(
      indent(
        table([
          LATENCY_HEADER,
          latencyRow('all sessions', il.all),
          latencyRow('on B (delivering)', il.byInstance.B!),
          latencyRow('on A (over Redis)', il.byInstance.A!),
          latencyRow('LMTP transaction', il.lmtp),
        ]),
      ),
    );
    out.push(
      '  latency: from reading the LMTP 250 reply to reading "* n EXISTS" on each IDLE session of the recipient',
      `  EXISTS before the 250 was read: ${il.beforeReply}; not seen within ${PUSH_TIMEOUT_MS / 1000} s: ${il.missed}; opening the connections took ${formatDuration(il.openSeconds * 1000)}`,
    );
    for (const failure of il.failures) out.push(`  failed: ${failure}`);
  }
  const gl = results.graphqlLatency;
  if (gl) {
    out.push(
      '',
      `--- 8. GraphQL subscription latency: ${gl.subscribers} graphql-ws subscribers to mailboxChanges of ${gl.users} users; ${gl.deliveries} LMTP deliveries, one at a time ---`,
    );
    out.push(
      indent(
        table([
          LATENCY_HEADER,
          latencyRow('all subscribers', gl.all),
          latencyRow('LMTP transaction', gl.lmtp),
        ]),
      ),
    );
    out.push(
      '  latency: from reading the LMTP 250 reply to receiving the EXISTS change (its UID) on each subscriber of the recipient',
      `  EXISTS before the 250 was read: ${gl.beforeReply}; not received within ${PUSH_TIMEOUT_MS / 1000} s: ${gl.missed}; not listening after the warm-up: ${gl.notReady}; connecting took ${formatDuration(gl.openSeconds * 1000)}`,
    );
    for (const failure of gl.failures) out.push(`  failed: ${failure}`);
  }
  if (results.dovecot) out.push(...printComparison(results, results.dovecot));
  if (results.notMeasured.length)
    out.push('', '--- Not measured ---', ...results.notMeasured.map((line) => `  ${line}`));
  for (const [name, error] of Object.entries(results.failed)) out.push('', `--- ${name} FAILED ---`, error);
  out.push(
    '',
    `whole run: ${formatDuration((results.seconds ?? 0) * 1000)}; figures also in ${join(resultsDir, 'latest.json')}`,
  );
  console.log(out.join('\n'));
}

let exitCode = 0;
try {
  const results = await main();
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  print(results);
  if (Object.keys(results.failed).length) exitCode = 1;
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await cleanUp();
}
process.exit(exitCode);
