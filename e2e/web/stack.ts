/**
 * The whole product as separate PROCESSES for the browser tests: a mail server (LMTP for
 * deliveries), the API (GraphQL, uploads, webhooks to a receiver of this test) and the web app's
 * production build, all on the store `npm test` started, each on free ports.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '@wildduck/embedded-store';
import { createUser } from '@wildduck/store';
import { repoRoot, startMailServer, type MailServerProcess } from '../imap/server-process.js';

export interface WebhookDelivery {
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

export interface WebStack {
  mail: MailServerProcess;
  apiUrl: string;
  webUrl: string;
  /** The API's server token (admin REST calls). */
  apiToken: string;
  /** Every webhook POST the API made so far (SPAM, NOT_SPAM). */
  webhooks: WebhookDelivery[];
  /** Creates a user directly in the store; role admin for the console. */
  createUser(address: string, password: string, role?: 'user' | 'admin'): Promise<string>;
  /** Everything the API and web processes printed (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

const webDir = join(repoRoot, 'apps', 'web');

/** Starts mail server, API and web app; throws with their output when one does not come up. */
export async function startWebStack(label: string): Promise<WebStack> {
  ensureWebBuild();
  const cleanups: (() => Promise<void>)[] = [];
  let output = '';
  const collect = (name: string, child: ChildProcess) => {
    child.stdout?.on('data', (chunk: Buffer) => (output += `[${name}] ${chunk.toString()}`));
    child.stderr?.on('data', (chunk: Buffer) => (output += `[${name}] ${chunk.toString()}`));
  };
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };

  try {
    const mail = await startMailServer(label);
    cleanups.push(() => mail.stop());

    const webhooks: WebhookDelivery[] = [];
    const receiver = await startWebhookReceiver(webhooks);
    cleanups.push(() => new Promise((resolve) => receiver.server.close(() => resolve())));

    const apiPort = await findFreePort();
    const webPort = await findFreePort();
    const apiToken = randomBytes(16).toString('hex');
    const dataDir = mkdtempSync(join(tmpdir(), `wd-e2eweb-${label}-`));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const webUrl = `http://127.0.0.1:${webPort}`;

    const base: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      BIND_HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      NEXT_TELEMETRY_DISABLED: '1',
    };
    const api = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'apps/api/src/main.ts'], {
      cwd: repoRoot,
      env: {
        ...base,
        MONGODB_URI: process.env.MONGODB_URI,
        MONGODB_DB: mail.databaseName,
        ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
        API_PORT: String(apiPort),
        API_TOKEN: apiToken,
        WEBHOOK_URLS: receiver.url,
        WEBHOOK_SECRET: 'e2e-webhook-secret',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    collect('api', api);
    cleanups.push(() => stopChild(api));
    await waitFor(
      `the API on ${apiUrl}`,
      () => httpOk(`${apiUrl}/healthz`),
      api,
      () => output,
      60_000,
    );

    const web = spawn(process.execPath, [join(webDir, 'scripts', 'start.mjs')], {
      cwd: webDir,
      env: {
        ...base,
        WEB_PORT: String(webPort),
        API_URL: apiUrl,
        NEXTAUTH_URL: webUrl,
        NEXTAUTH_SECRET: randomBytes(24).toString('base64url'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    collect('web', web);
    cleanups.push(() => stopChild(web));
    await waitFor(
      `the web app on ${webUrl}`,
      () => httpOk(`${webUrl}/api/health`),
      web,
      () => output,
      90_000,
    );

    return {
      mail,
      apiUrl,
      webUrl,
      apiToken,
      webhooks,
      async createUser(address, password, role = 'user') {
        const user = await createUser(mail.db, { address, password, role, quota: null });
        return user._id.toHexString();
      },
      output: () => output,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Builds the web app when it has no production build or its sources are newer than the build
 * (CI builds before testing, so there this is a no-op).
 */
export function ensureWebBuild(): void {
  const buildId = join(webDir, '.next', 'BUILD_ID');
  if (existsSync(buildId) && newestSource(join(webDir, 'src')) <= statSync(buildId).mtimeMs) return;
  const result = spawnSync('npm', ['run', 'build', '-w', 'apps/web'], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error('npm run build -w apps/web failed');
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stats = statSync(path);
    newest = Math.max(newest, stats.isDirectory() ? newestSource(path) : stats.mtimeMs);
  }
  return newest;
}

async function startWebhookReceiver(into: WebhookDelivery[]): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      try {
        into.push({ headers: request.headers, body: JSON.parse(body) as Record<string, unknown> });
      } catch {
        into.push({ headers: request.headers, body: { unparsed: body } });
      }
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the webhook receiver has no port');
  return { server, url: `http://127.0.0.1:${address.port}/hook` };
}

async function httpOk(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${what} exited early (${child.exitCode ?? child.signalCode}):\n${output()}`);
    }
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what} did not answer within ${timeoutMs} ms:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
