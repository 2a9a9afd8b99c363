import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient, type Db, type ObjectId } from 'mongodb';
import {
  findFreePort,
  resolveRedis,
  startEmbeddedMongo,
  type EmbeddedMongo,
  type ResolvedRedis,
} from '@wildduck/embedded-store';
import { RedisLockManager } from '@wildduck/coordination';
import { applySchema } from '@wildduck/schema';
import { createUser, findUserByAddress, storeContext, type StoreContext } from '@wildduck/store';
import { ImapConnection, type ImapEndpoint } from './imap-client.js';
import { CountingProxy } from './store-proxy.js';

export const benchDir = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(benchDir, '..');
/** The benchmark's own store and server files, kept between runs (git-ignored). */
export const dataDir = join(benchDir, '.data');
export const resultsDir = join(benchDir, 'results');

/** Database used when MONGODB_DB is unset; a fixed name, so a filled mailbox is found again. */
export const BENCH_DATABASE = 'wildduck_bench';
const DEFAULT_PASSWORD = 'benchpass';

/** Memory of the mail server process (tree), in bytes. */
export interface ServerMemory {
  /** Resident set of the server process and its children, from /proc/<pid>/status VmRSS. */
  rss: number;
  /** V8 heap in use after a full GC (only for the server the benchmark started). */
  heapUsed?: number;
  /** Off-heap memory V8 knows about (Buffers), likewise. */
  external?: number;
  /** Proportional set size summed over the process tree (shared pages divided among their sharers). */
  pss?: number;
  /** Processes in the tree. */
  processes?: number;
}

/** The IMAP server under test, and what the benchmark can see of it. */
export interface Target {
  endpoint: ImapEndpoint;
  /** The LMTP listener of the same server (plain, no TLS), when known. */
  lmtp: { host: string; port: number } | undefined;
  /** "own": the product started by the benchmark; "external": a server given by --host/--port. */
  kind: 'own' | 'external';
  describe: string[];
  /** Login name of bench user number n (1-based). */
  user(n: number): string;
  password: string;
  /** Number of bench users that exist. */
  users: number;
  /** Process id whose memory is measured, if known. */
  serverPid: number | undefined;
  memory(): Promise<ServerMemory | undefined>;
  /** Bytes between the mail server and the store (own server only). */
  proxy: CountingProxy | undefined;
  /** Direct access to the store (own server only), for fast filling. */
  store: OwnStore | undefined;
  /** Direct access to the maildirs (Dovecot started by the benchmark), for fast filling. */
  maildir?: {
    /** Maildir of bench user n (see dovecot.ts, `ensureMaildir`). */
    path(n: number): string;
  };
  stop(): Promise<void>;
}

/** The benchmark's direct access to our store. */
export interface OwnStore {
  db: Db;
  ctx: StoreContext;
  userId(n: number): ObjectId;
}

/** The store and Redis the benchmark's own servers use, started once per run. */
export interface Services {
  storeUri: string;
  storeKind: string;
  redis: ResolvedRedis;
  stop(): Promise<void>;
}

/** The embedded store (unless MONGODB_URI is set) in bench/.data/store, kept between runs, and Redis as `npm start` picks it. */
export async function startServices(log: (line: string) => void): Promise<Services> {
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(resultsDir, { recursive: true });
  let mongo: EmbeddedMongo | undefined;
  let storeUri = process.env.MONGODB_URI;
  if (!storeUri) {
    log(`starting the embedded store in ${join(dataDir, 'store')} (kept between runs)`);
    mongo = await startEmbeddedMongo({
      dataDir: join(dataDir, 'store'),
      toolsDir: join(repoRoot, '.tools'),
      log,
    });
    storeUri = mongo.uri;
  }
  let redis: ResolvedRedis;
  try {
    redis = await resolveRedis({ url: process.env.REDIS_URL, dataDir: join(dataDir, 'redis') });
  } catch (error) {
    await mongo?.stop();
    throw error;
  }
  return {
    storeUri,
    storeKind: mongo ? `embedded ${mongo.kind}` : 'MONGODB_URI',
    redis,
    async stop() {
      await redis.stop();
      await mongo?.stop();
    },
  };
}

/** An external IMAP server given by --host/--port/--user-pattern. */
export interface ExternalOptions {
  host?: string;
  port?: number;
  tls?: boolean;
  userPattern?: string;
  password?: string;
  /** Process id of the server, for its memory (summed over its process tree). */
  serverPid?: number;
  /** Port of the server's LMTP listener on the same host (for the LMTP benchmarks). */
  lmtpPort?: number;
  users: number;
}

function userFromPattern(pattern: string): (n: number) => string {
  if (!pattern.includes('{n}')) throw new Error(`--user-pattern must contain {n} (got "${pattern}")`);
  return (n) => pattern.replaceAll('{n}', String(n));
}

export async function openExternalTarget(options: ExternalOptions): Promise<Target> {
  const endpoint = {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? (options.tls ? 993 : 143),
    tls: options.tls ?? false,
  };
  const user = userFromPattern(options.userPattern ?? 'bench{n}@example.com');
  const password = options.password ?? DEFAULT_PASSWORD;
  const probe = await ImapConnection.open(endpoint);
  await probe.login(user(1), password);
  await probe.logout();
  return {
    endpoint,
    lmtp: options.lmtpPort ? { host: endpoint.host, port: options.lmtpPort } : undefined,
    kind: 'external',
    describe: [
      `server: ${endpoint.host}:${endpoint.port}${endpoint.tls ? ' (TLS)' : ''}, greeting "${probe.greeting.slice(0, 80)}"${options.lmtpPort ? `, LMTP ${endpoint.host}:${options.lmtpPort}` : ''}`,
      `users: ${user(1)} … ${user(options.users)}, memory: ${options.serverPid ? `process tree of pid ${options.serverPid}` : 'not measured (no --server-pid)'}`,
    ],
    user,
    password,
    users: options.users,
    serverPid: options.serverPid,
    memory: async () => (options.serverPid ? processTreeMemory(options.serverPid) : undefined),
    proxy: undefined,
    store: undefined,
    stop: async () => {},
  };
}

/**
 * The product: bench users created in `database` through the store API, and the mail server
 * started as a child process on free ports, reading the store through a counting proxy.
 */
export async function openOwnTarget(
  services: Services,
  options: {
    database: string;
    users: number;
    password?: string;
    log(line: string): void;
    /** Runs before the users are made (e.g. drops a database whose seeded layout is out of date). */
    beforeUsers?: (db: Db) => Promise<void>;
    /** Runs after the users are made and before the mail server starts (e.g. seeds the store). */
    prepare?: (store: OwnStore) => Promise<void>;
  },
): Promise<Target> {
  const { log, database } = options;
  const stack: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stack.splice(0).reverse())
      await stop().catch((error: unknown) => log(`cleanup: ${String(error)}`));
  };
  try {
    const { storeUri, redis } = services;
    // the mail server talks to the store through a counting proxy; the benchmark itself goes direct
    const upstream = singleHost(storeUri);
    const proxy = upstream ? await CountingProxy.start(upstream.host, upstream.port) : undefined;
    if (proxy) stack.push(() => proxy.stop());
    const serverStoreUri =
      proxy && upstream ? storeUri.replace(upstream.hostText, `127.0.0.1:${proxy.port}`) : storeUri;

    const client = new MongoClient(storeUri, { serverSelectionTimeoutMS: 10_000, appName: 'wildduck-bench' });
    await client.connect();
    stack.push(() => client.close());
    const db = client.db(database);
    if (options.beforeUsers) await options.beforeUsers(db);
    await applySchema(db);
    const locks = redis.url ? new RedisLockManager(redis.url) : undefined;
    if (locks) stack.push(() => locks.close());
    const ctx = storeContext(db, locks);

    const password = options.password ?? DEFAULT_PASSWORD;
    const user = (n: number) => `bench${n}@example.com`;
    const ids: ObjectId[] = [];
    let created = 0;
    for (let n = 1; n <= options.users; n++) {
      const existing = await findUserByAddress(db, user(n));
      if (existing) ids.push(existing._id);
      else {
        ids.push((await createUser(db, { address: user(n), password }))._id);
        created++;
      }
    }
    log(
      `${options.users} bench users in ${database} (${created} created, ${options.users - created} reused)`,
    );
    const store: OwnStore = { db, ctx, userId: (n) => ids[n - 1]! };
    if (options.prepare) await options.prepare(store);

    const port = await findFreePort();
    const tlsPort = await findFreePort();
    const lmtpPort = await findFreePort();
    const server = await startMailServer({
      storeUri: serverStoreUri,
      database,
      redisUrl: redis.url,
      port,
      tlsPort,
      lmtpPort,
      log,
    });
    stack.push(() => server.stop());

    return {
      endpoint: { host: '127.0.0.1', port },
      lmtp: { host: '127.0.0.1', port: lmtpPort },
      kind: 'own',
      describe: [
        `server: apps/mailserver/src/main.ts, child process ${server.child.pid}, IMAP 127.0.0.1:${port}, LMTP 127.0.0.1:${lmtpPort}, log ${server.logFile}`,
        `store: ${services.storeKind} ${storeUri}, database ${database}${proxy ? `; the server reaches it through a counting proxy (port ${proxy.port})` : ''}`,
        `redis: ${redis.url ?? 'none (in-process bus)'} (${redis.kind})`,
      ],
      user,
      password,
      users: options.users,
      serverPid: server.child.pid,
      memory: async () => {
        const pid = server.child.pid;
        if (!pid) return undefined;
        const inside = await server.memoryUsage();
        return { ...processTreeMemory(pid), heapUsed: inside?.heapUsed, external: inside?.external };
      },
      proxy,
      store,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function singleHost(uri: string): { host: string; port: number; hostText: string } | undefined {
  const match = /^mongodb:\/\/(?:[^@/]*@)?([^/,?]+)(?:[/?]|$)/.exec(uri);
  if (!match?.[1]) return undefined;
  const hostText = match[1];
  const [host, port] = hostText.startsWith('[')
    ? [hostText.slice(1, hostText.indexOf(']')), hostText.split(']:')[1]]
    : hostText.split(':');
  return { host: host!, port: Number(port ?? 27017), hostText };
}

export interface MailServerProcess {
  child: ChildProcess;
  logFile: string;
  memoryUsage(): Promise<NodeJS.MemoryUsage | undefined>;
  stop(): Promise<void>;
}

/**
 * Starts `apps/mailserver/src/main.ts` as a child process and waits until it greets on the IMAP
 * port. IMAP and LMTP get free ports; the SMTP maildrop and submission, which no benchmark uses,
 * are switched off (their default ports could be taken, e.g. by a server of `npm start`).
 */
export async function startMailServer(options: {
  storeUri: string;
  database: string;
  /** Names the log file (`mailserver-<name>.log`); the database by default. */
  name?: string;
  redisUrl: string | undefined;
  port: number;
  tlsPort: number;
  lmtpPort: number;
  log(line: string): void;
}): Promise<MailServerProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MONGODB_URI: options.storeUri,
    MONGODB_DB: options.database,
    IMAP_PORT: String(options.port),
    IMAPS_PORT: String(options.tlsPort),
    LMTP_ENABLED: 'true',
    LMTP_PORT: String(options.lmtpPort),
    SMTP_ENABLED: 'false',
    SUBMISSION_ENABLED: 'false',
    // no health or ManageSieve listener: their fixed default ports would clash between two instances
    HEALTH_ENABLED: 'false',
    MANAGESIEVE_ENABLED: 'false',
    DATA_DIR: join(dataDir, 'server'),
    IMAP_ALLOW_PLAINTEXT_LOGIN: 'true',
    LOG_LEVEL: 'warn',
  };
  if (options.redisUrl) env.REDIS_URL = options.redisUrl;
  else delete env.REDIS_URL;
  const args = [
    '--expose-gc',
    '--conditions=source',
    '--import',
    'tsx',
    '--import',
    './bench/server-probe.ts',
    'apps/mailserver/src/main.ts',
  ];
  const logFile = join(resultsDir, `mailserver-${options.name ?? options.database}.log`);
  const logStream = createWriteStream(logFile);
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      logStream.write(chunk);
      tail.push(chunk.toString('utf8'));
      if (tail.length > 20) tail.shift();
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));

  let requestId = 0;
  const waiting = new Map<number, (usage: NodeJS.MemoryUsage) => void>();
  child.on('message', (message: unknown) => {
    const reply = message as { type?: string; id?: number } & NodeJS.MemoryUsage;
    if (reply.type === 'bench:memory' && reply.id !== undefined) waiting.get(reply.id)?.(reply);
  });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => logStream.end(() => resolve()));
  };

  options.log(
    `starting the mail server: node ${args.join(' ')} (IMAP 127.0.0.1:${options.port}, LMTP 127.0.0.1:${options.lmtpPort})`,
  );
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exitedEarly) {
      await stop();
      throw new Error(`the mail server exited during start-up (code ${child.exitCode}):\n${tail.join('')}`);
    }
    try {
      const probe = await ImapConnection.open({ host: '127.0.0.1', port: options.port }, 2000);
      probe.close();
      // LMTP starts listening after IMAP
      await smtpGreeting('127.0.0.1', options.lmtpPort, 2000);
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(
          `the mail server did not answer on IMAP 127.0.0.1:${options.port} and LMTP 127.0.0.1:${options.lmtpPort} within 90 s:\n${tail.join('')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  return {
    child,
    logFile,
    async memoryUsage() {
      if (!child.connected) return undefined;
      const id = ++requestId;
      return new Promise<NodeJS.MemoryUsage | undefined>((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          resolve(undefined);
        }, 10_000);
        waiting.set(id, (usage) => {
          clearTimeout(timer);
          waiting.delete(id);
          resolve(usage);
        });
        child.send({ type: 'bench:memory', id, gc: true });
      });
    },
    stop,
  };
}

/** Connects, reads the SMTP/LMTP greeting (a 220 line), and disconnects without a word. */
export function smtpGreeting(host: string, port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let text = '';
    const done = (error: Error | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(text.split('\r\n')[0]!);
    };
    const timer = setTimeout(() => done(new Error(`no greeting from ${host}:${port}`)), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (!text.includes('\r\n')) return;
      done(text.startsWith('220') ? undefined : new Error(`greeting from ${host}:${port}: ${text.trim()}`));
    });
    socket.on('error', (error) => done(error));
    socket.on('close', () => done(new Error(`${host}:${port} closed the connection`)));
  });
}

/** Resident memory of a process and all its descendants, in bytes (Linux /proc). */
export function processTreeRss(root: number): number {
  return processTreeMemory(root).rss;
}

/**
 * Memory of a process and all its descendants (Linux /proc): RSS summed from /proc/<pid>/status
 * VmRSS (pages shared between processes, e.g. libraries, counted once per process), and PSS from
 * /proc/<pid>/smaps_rollup (each shared page divided among the processes that map it).
 */
export function processTreeMemory(root: number): { rss: number; pss: number; processes: number } {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // the command name may contain spaces and parentheses: the fields start after the last ')'
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // the process ended meanwhile
    }
  }
  let rss = 0;
  let pss = 0;
  let processes = 0;
  const queue = [root];
  while (queue.length) {
    const pid = queue.pop()!;
    try {
      const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) rss += Number(match[1]) * 1024;
      processes++;
      const proportional = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (proportional) pss += Number(proportional[1]) * 1024;
    } catch {
      // gone
    }
    queue.push(...(children.get(pid) ?? []));
  }
  return { rss, pss, processes };
}
