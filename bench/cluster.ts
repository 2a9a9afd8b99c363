/**
 * Several product processes on one store and one Redis, as in production: mail server instances
 * and, when asked, the API, each a child process the way `openOwnTarget` starts one mail server
 * (but all reaching the store directly, so no instance pays for the counting proxy). Used by the
 * push-latency benchmarks (`idle-latency`, `graphql-latency`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { findFreePort } from '@wildduck/embedded-store';
import { applySchema } from '@wildduck/schema';
import { createUser, findUserByAddress } from '@wildduck/store';
import {
  dataDir,
  repoRoot,
  resultsDir,
  startMailServer,
  type MailServerProcess,
  type Services,
} from './environment.js';
import type { ImapEndpoint } from './imap-client.js';
import { percentile } from './report.js';

const PASSWORD = 'benchpass';

/** One mail server of the cluster. */
export interface MailInstance {
  name: string;
  imap: ImapEndpoint;
  lmtp: { host: string; port: number };
  process: MailServerProcess;
}

/** The API process of the cluster. */
export interface ApiInstance {
  /** http://127.0.0.1:<port> */
  url: string;
  child: ChildProcess;
  logFile: string;
}

export interface Cluster {
  db: Db;
  users: number;
  user(n: number): string;
  password: string;
  instances: MailInstance[];
  api: ApiInstance | undefined;
  describe: string[];
  stop(): Promise<void>;
}

/**
 * Creates bench users 1..users in `database` (through the store API) and starts `mailServers` mail
 * servers (IMAP and LMTP on free ports) and, with `api`, the API, all on the same store and Redis.
 * Fails without Redis: instances of an in-process bus cannot hear each other.
 */
export async function startCluster(
  services: Services,
  options: { database: string; users: number; mailServers: number; api: boolean; log(line: string): void },
): Promise<Cluster> {
  const { log, database } = options;
  const redisUrl = services.redis.url;
  if (!redisUrl)
    throw new Error('this benchmark needs Redis (several processes share its change bus); none was found');
  const stack: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stack.splice(0).reverse())
      await stop().catch((error: unknown) => log(`cleanup: ${String(error)}`));
  };
  try {
    const client = new MongoClient(services.storeUri, {
      serverSelectionTimeoutMS: 10_000,
      appName: 'wildduck-bench',
    });
    await client.connect();
    stack.push(() => client.close());
    const db = client.db(database);
    await applySchema(db);
    const user = (n: number) => `bench${n}@example.com`;
    let created = 0;
    for (let n = 1; n <= options.users; n++) {
      if (await findUserByAddress(db, user(n))) continue;
      await createUser(db, { address: user(n), password: PASSWORD });
      created++;
    }
    log(
      `${options.users} bench users in ${database} (${created} created, ${options.users - created} reused)`,
    );

    const instances: MailInstance[] = [];
    for (let i = 0; i < options.mailServers; i++) {
      const name = String.fromCharCode(65 + i);
      const [port, tlsPort, lmtpPort] = [await findFreePort(), await findFreePort(), await findFreePort()];
      const server = await startMailServer({
        storeUri: services.storeUri,
        database,
        name: `${database}-${name}`,
        redisUrl,
        port,
        tlsPort,
        lmtpPort,
        log,
      });
      stack.push(() => server.stop());
      instances.push({
        name,
        imap: { host: '127.0.0.1', port },
        lmtp: { host: '127.0.0.1', port: lmtpPort },
        process: server,
      });
    }
    let api: ApiInstance | undefined;
    if (options.api) {
      const started = await startApiServer({ storeUri: services.storeUri, database, redisUrl, log });
      stack.push(started.stop);
      api = started;
    }
    return {
      db,
      users: options.users,
      user,
      password: PASSWORD,
      instances,
      api,
      describe: [
        ...instances.map(
          (instance) =>
            `mail server ${instance.name}: apps/mailserver/src/main.ts, child process ${instance.process.child.pid}, IMAP ${instance.imap.port}, LMTP ${instance.lmtp.port}, log ${instance.process.logFile}`,
        ),
        ...(api
          ? [`API: apps/api/src/main.ts, child process ${api.child.pid}, ${api.url}, log ${api.logFile}`]
          : []),
        `store: ${services.storeKind} ${services.storeUri}, database ${database}; redis: ${redisUrl} (${services.redis.kind})`,
      ],
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Starts `apps/api/src/main.ts` on a free port and waits until /healthz answers. */
async function startApiServer(options: {
  storeUri: string;
  database: string;
  redisUrl: string;
  log(line: string): void;
}): Promise<ApiInstance & { stop(): Promise<void> }> {
  const port = await findFreePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MONGODB_URI: options.storeUri,
    MONGODB_DB: options.database,
    REDIS_URL: options.redisUrl,
    API_PORT: String(port),
    BIND_HOST: '127.0.0.1',
    DATA_DIR: join(dataDir, 'server'),
    LOG_LEVEL: 'warn',
  };
  // loopback callers need no API token; sign-ins give the session tokens
  delete env.API_TOKEN;
  const args = ['--conditions=source', '--import', 'tsx', 'apps/api/src/main.ts'];
  const logFile = join(resultsDir, `api-${options.database}.log`);
  const logStream = createWriteStream(logFile);
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      logStream.write(chunk);
      tail.push(chunk.toString('utf8'));
      if (tail.length > 20) tail.shift();
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => logStream.end(() => resolve()));
  };
  const url = `http://127.0.0.1:${port}`;
  options.log(`starting the API: node ${args.join(' ')} (${url})`);
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`the API exited during start-up (code ${child.exitCode}):\n${tail.join('')}`);
    }
    const healthy = await fetch(`${url}/healthz`)
      .then((response) => response.ok)
      .catch(() => false);
    if (healthy) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the API did not answer on ${url}/healthz within 90 s:\n${tail.join('')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, child, logFile, stop };
}

/** Signs in through GraphQL (`signIn`) and answers the session token. */
export async function signIn(apiUrl: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation ($u: String!, $p: String!) { signIn(username: $u, password: $p) { token } }',
      variables: { u: username, p: password },
    }),
  });
  const answer = (await response.json()) as { data?: { signIn?: { token: string } }; errors?: unknown };
  if (!answer.data?.signIn) throw new Error(`signIn of ${username} failed: ${JSON.stringify(answer.errors)}`);
  return answer.data.signIn.token;
}

/** p50, p99 and the extremes of a list of latencies (ms). */
export interface LatencyFigures {
  samples: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  minMs: number;
  maxMs: number;
}

export function latencyFigures(values: readonly number[]): LatencyFigures {
  return {
    samples: values.length,
    p50Ms: percentile(values, 50),
    p90Ms: percentile(values, 90),
    p99Ms: percentile(values, 99),
    minMs: values.length ? Math.min(...values) : NaN,
    maxMs: values.length ? Math.max(...values) : NaN,
  };
}

/** A listener (an IDLE session, a subscriber) that notes when it saw each delivery, by a key (EXISTS count, UID). */
export interface PushListener {
  seen: Map<number, number>;
}

/** Waits until every listener has seen `key`, or the time is up. */
export async function waitUntilSeen(
  listeners: readonly PushListener[],
  key: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (listeners.some((listener) => !listener.seen.has(key)) && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 2));
}

/** What `measurePushLatency` found. */
export interface PushMeasurement<L> {
  /** Each listener's latency for each delivery (ms, from the LMTP 250 reply). */
  samples: { listener: L; latency: number }[];
  /** The LMTP transactions (ms). */
  lmtp: number[];
  /** Listeners that had not seen a delivery within the timeout. */
  missed: number;
  /** Sightings before the LMTP reply was read (kept, as the negative times they are). */
  beforeReply: number;
}

/**
 * Delivers one message at a time to the users in turn and times, for every listener of the
 * recipient, from reading the LMTP 250 reply to the moment the listener saw the message.
 * `deliver` answers the key the listeners record the message under.
 */
export async function measurePushLatency<L extends PushListener>(options: {
  deliveries: number;
  users: number;
  listenersOf: (user: number) => readonly L[];
  deliver: (user: number, index: number) => Promise<number>;
  timeoutMs: number;
  log: (line: string) => void;
}): Promise<PushMeasurement<L>> {
  const result: PushMeasurement<L> = { samples: [], lmtp: [], missed: 0, beforeReply: 0 };
  for (let index = 0; index < options.deliveries; index++) {
    const user = (index % options.users) + 1;
    const listeners = options.listenersOf(user);
    const started = performance.now();
    const key = await options.deliver(user, index);
    const replied = performance.now();
    result.lmtp.push(replied - started);
    await waitUntilSeen(listeners, key, options.timeoutMs);
    for (const listener of listeners) {
      const at = listener.seen.get(key);
      if (at === undefined) {
        result.missed++;
        continue;
      }
      if (at < replied) result.beforeReply++;
      result.samples.push({ listener, latency: at - replied });
    }
    if ((index + 1) % 25 === 0) options.log(`  ${index + 1}/${options.deliveries} deliveries`);
  }
  return result;
}
