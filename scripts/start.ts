/**
 * `npm start`: builds what is not built, starts the embedded store when MONGODB_URI is unset, picks
 * Redis, applies the schema, starts the mail server, the API and the web app, prints where each
 * listens, and stops everything on Ctrl-C or SIGTERM (shared/DESIGN.md, the contract).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, databaseNameFor, ConfigError, type Config } from '@wildduck/config';
import { startEmbeddedMongo, resolveRedis, writeEnvFile, waitUntil } from '@wildduck/embedded-store';
import { connectStore } from '@wildduck/store';
import { applySchema } from '@wildduck/schema';
import { buildWorkspace } from './build.js';
import { startProductProcess, type ProductProcess } from './children.js';
import { repoRoot, toolsDir } from './paths.js';

const cleanups: (() => Promise<void>)[] = [];
let stopping = false;

async function main(): Promise<void> {
  const startedAt = Date.now();
  const config = loadConfig();
  mkdirSync(config.dataDir, { recursive: true });
  if (process.argv.includes('--no-build')) say('not building (--no-build)');
  else {
    say('building (only what changed)…');
    await buildWorkspace();
  }

  let mongoUri = config.mongodb.uri;
  if (!mongoUri) {
    say('starting the embedded store…');
    const mongo = await startEmbeddedMongo({ dataDir: config.dataDir, toolsDir, log: say });
    cleanups.unshift(() => mongo.stop());
    mongoUri = mongo.uri;
    say(`embedded store (${mongo.kind}) on ${mongo.uri}, files in ${config.dataDir}`);
  }
  const redis = await resolveRedis({ url: config.redis.url, dataDir: config.dataDir });
  cleanups.unshift(() => redis.stop());
  say(redis.url ? `Redis (${redis.kind}) at ${redis.url}` : 'no Redis found: in-process bus (one node only)');

  const database = databaseNameFor({ mongodb: { ...config.mongodb, uri: mongoUri } });
  const store = await connectStore(mongoUri, database);
  const report = await applySchema(store.db);
  await store.close();
  for (const entry of report.unsupported) say(`store lacks ${entry.feature}: ${entry.fallback}`);
  const envFile = await writeEnvFile(config.dataDir, {
    MONGODB_URI: mongoUri,
    MONGODB_DB: database,
    REDIS_URL: redis.url,
  });

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MONGODB_URI: mongoUri,
    MONGODB_DB: database,
    DATA_DIR: config.dataDir,
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? webSecret(config.dataDir),
    API_URL: process.env.API_URL ?? `http://${connectHost(config.bindHost)}:${config.api.port}`,
    NEXT_TELEMETRY_DISABLED: '1',
  };
  if (redis.url) env.REDIS_URL = redis.url;
  else delete env.REDIS_URL;

  const processes = [
    startProductProcess('mailserver', join(repoRoot, 'apps/mailserver/dist/main.js'), env, repoRoot),
    startProductProcess('api', join(repoRoot, 'apps/api/dist/main.js'), env, repoRoot),
    startProductProcess('web', join(repoRoot, 'apps/web/scripts/start.mjs'), env, join(repoRoot, 'apps/web')),
  ];
  cleanups.unshift(async () => {
    // the mail server may let deliveries in flight finish (SHUTDOWN_GRACE_MS) before it exits
    await Promise.all(
      processes.map((product) =>
        product.stop(product.name === 'mailserver' ? config.shutdownGraceMs + 10_000 : undefined),
      ),
    );
  });
  for (const product of processes) watchUnexpectedExit(product);

  const host = connectHost(config.bindHost);
  await waitUntil(
    'the API to answer /healthz',
    () => httpOk(`http://${host}:${config.api.port}/healthz`),
    60_000,
  );
  await waitUntil('the web app to answer', () => httpOk(`http://${host}:${config.web.port}/`), 120_000);
  printListeners(config, mongoUri, redis.url, envFile, Date.now() - startedAt);
}

function printListeners(
  config: Config,
  mongoUri: string,
  redisUrl: string | undefined,
  envFile: string,
  elapsedMs: number,
) {
  const host = config.bindHost;
  const rows: [string, string][] = [
    ['API (REST, /graphql)', `http://${host}:${config.api.port}`],
    ['web', `http://${host}:${config.web.port}`],
    ['IMAP (STARTTLS)', config.imap.enabled ? `${host}:${config.imap.port}` : 'off'],
    ['IMAPS', config.imap.enabled ? `${host}:${config.imap.tlsPort}` : 'off'],
    ['LMTP', config.lmtp.enabled ? `${host}:${config.lmtp.port}` : 'off'],
    ['SMTP maildrop', config.smtp.enabled ? `${host}:${config.smtp.port}` : 'off'],
    ['SMTP submission', config.submission.enabled ? `${host}:${config.submission.port}` : 'off'],
    ['ManageSieve (STARTTLS)', config.managesieve.enabled ? `${host}:${config.managesieve.port}` : 'off'],
    ['mail server health', config.health.enabled ? `http://${host}:${config.health.port}/readyz` : 'off'],
    ['MongoDB', mongoUri],
    ['Redis', redisUrl ?? 'in-process bus'],
    ['environment for more processes', envFile],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  say(`ready in ${(elapsedMs / 1000).toFixed(1)} s:`);
  for (const [name, where] of rows) process.stdout.write(`  ${name.padEnd(width)}  ${where}\n`);
  say('Ctrl-C stops everything.');
}

function watchUnexpectedExit(product: ProductProcess) {
  void product.exited.then((code) => {
    if (stopping) return;
    say(`${product.name} exited unexpectedly (code ${code}); stopping everything`);
    void shutdown(1);
  });
}

async function shutdown(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('stopping…');
    for (const cleanup of cleanups)
      await cleanup().catch((error: unknown) => say(`while stopping: ${String(error)}`));
    say('stopped.');
  }
  process.exit(exitCode);
}

/** A per-installation secret for next-auth, kept in the data folder so sessions survive restarts. */
function webSecret(dataDir: string): string {
  const path = join(dataDir, 'web-secret');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** Where to connect to reach a listener bound to `bindHost` (a wildcard bind is reached on loopback). */
function connectHost(bindHost: string): string {
  return bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost;
}

async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2000) });
  return response.status < 500;
}

function say(line: string) {
  process.stdout.write(`[start] ${line}\n`);
}

process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));
// `npm start` does not always pass SIGTERM on (it may just die): when our parent is gone, stop too
const parent = process.ppid;
// with the parent gone, stdout may be a broken pipe: stopping must not fail on a log line
process.stdout.on('error', () => {});
setInterval(() => {
  if (process.ppid !== parent) void shutdown(0);
}, 500).unref();
main().catch(async (error: unknown) => {
  say(
    error instanceof ConfigError ? error.message : `start failed: ${(error as Error).stack ?? String(error)}`,
  );
  await shutdown(1);
});
