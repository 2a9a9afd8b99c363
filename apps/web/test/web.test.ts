// The web app's production build starts through scripts/start.mjs, serves its public pages,
// guards /mail, exposes the credentials provider, and leaves no process behind when stopped.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const host = '127.0.0.1';

let server: ChildProcess | undefined;
let baseUrl = '';
let dataDir = '';
let output = '';

before(
  async () => {
    if (!existsSync(path.join(appDir, '.next', 'BUILD_ID'))) buildApp();
    const port = await findFreePort();
    const unusedApiPort = await findFreePort();
    baseUrl = `http://${host}:${port}`;
    dataDir = mkdtempSync(path.join(process.env.WILDDUCK_TEST_DIR ?? tmpdir(), 'web-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      WEB_PORT: String(port),
      BIND_HOST: host,
      DATA_DIR: dataDir,
      // Nothing listens there: sign-in must fail gracefully, not crash the server.
      API_URL: `http://${host}:${unusedApiPort}`,
    };
    delete env.NEXTAUTH_SECRET;
    delete env.NEXTAUTH_URL;
    server = spawn(process.execPath, [path.join(appDir, 'scripts', 'start.mjs')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitForServer(`${baseUrl}/api/health`, 60_000);
  },
  { timeout: 300_000 },
);

after(async () => {
  if (server && server.exitCode === null && server.signalCode === null) {
    server.kill('SIGTERM');
    await new Promise((resolve) => server?.once('exit', resolve));
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('the landing page answers 200 and names the product', async () => {
  const response = await fetch(`${baseUrl}/`);
  assert.equal(response.status, 200);
  const html = await response.text();
  assert.match(html, /Wild Duck Mail/);
  assert.match(html, /href="\/mail"/);
  assert.match(html, /href="\/admin"/);
});

test('the sign-in page shows a labelled credentials form', async () => {
  const response = await fetch(`${baseUrl}/signin`);
  assert.equal(response.status, 200);
  const html = await response.text();
  assert.match(html, /<label[^>]*for="username"/);
  assert.match(html, /<label[^>]*for="password"/);
});

test('/mail and /admin redirect to the sign-in page when nobody is signed in', async () => {
  for (const section of ['/mail', '/admin']) {
    const response = await fetch(`${baseUrl}${section}`, { redirect: 'manual' });
    assert.ok([302, 303, 307, 308].includes(response.status), `${section} answered ${response.status}`);
    const location = new URL(response.headers.get('location') ?? '', baseUrl);
    assert.equal(location.pathname, '/signin');
    assert.equal(location.searchParams.get('callbackUrl'), section);
  }
});

test('/api/auth/providers lists the credentials provider', async () => {
  const response = await fetch(`${baseUrl}/api/auth/providers`);
  assert.equal(response.status, 200);
  const providers = (await response.json()) as Record<string, { id: string; type: string }>;
  assert.equal(providers.credentials?.id, 'credentials');
  assert.equal(providers.credentials?.type, 'credentials');
});

test('a sign-in while the API is down fails with API_UNAVAILABLE and the server keeps serving', async () => {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = csrf.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies },
    body: new URLSearchParams({
      csrfToken,
      username: 'someone@example.com',
      password: 'secretpass',
      json: 'true',
    }),
  });
  const { url } = (await response.json()) as { url: string };
  assert.equal(new URL(url).searchParams.get('error'), 'API_UNAVAILABLE');
  assert.equal(
    response.headers.getSetCookie().some((cookie) => cookie.includes('session-token')),
    false,
  );
  assert.equal((await fetch(`${baseUrl}/`)).status, 200);
});

test('the routes that act for a user answer 401 without a session, and never reach the API', async () => {
  const calls: [string, RequestInit][] = [
    [
      '/api/graphql',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ me { address } }"}',
      },
    ],
    ['/api/events', {}],
    ['/api/files/messages/0123456789abcdef01234567/raw', {}],
    ['/api/uploads', { method: 'POST', headers: { 'x-filename': 'a.txt' }, body: 'hello' }],
  ];
  for (const [route, init] of calls) {
    const response = await fetch(`${baseUrl}${route}`, init);
    assert.equal(response.status, 401, route);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    assert.equal(body.errors[0]?.extensions.code, 'UNAUTHENTICATED', route);
  }
});

test('a cross-site request to the GraphQL proxy is refused before the session is read', async () => {
  const response = await fetch(`${baseUrl}/api/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
    },
    body: '{"query":"{ me { address } }"}',
  });
  assert.equal(response.status, 403);
});

test('/session-expired clears the session cookie and shows the sign-in page with the reason', async () => {
  const response = await fetch(`${baseUrl}/session-expired?callbackUrl=%2Fadmin`, {
    redirect: 'manual',
    headers: { cookie: 'next-auth.session-token=stale' },
  });
  assert.equal(response.status, 303);
  const location = new URL(response.headers.get('location') ?? '', baseUrl);
  assert.equal(location.pathname, '/signin');
  assert.equal(location.searchParams.get('error'), 'SessionExpired');
  assert.equal(location.searchParams.get('callbackUrl'), '/admin');
  assert.ok(
    response.headers.getSetCookie().some((cookie) => /^next-auth\.session-token=;/.test(cookie)),
    'the session cookie is cleared',
  );
  const page = await fetch(`${baseUrl}${location.pathname}${location.search}`);
  assert.match(await page.text(), /Your session has ended/);
});

test('without NEXTAUTH_SECRET the server creates a per-installation secret under DATA_DIR', () => {
  assert.ok(existsSync(path.join(dataDir, 'web-secret')), 'expected $DATA_DIR/web-secret');
});

test('SIGTERM stops the start script and the Next.js server with it', async () => {
  assert.ok(server?.pid, 'server was started');
  const family = [server.pid, ...descendantsOf(server.pid)];
  assert.ok(
    family.length >= 2,
    `expected the start script and its Next.js server, found ${family.join(', ')}`,
  );
  const exited = new Promise<number | null>((resolve) => server?.once('exit', (code) => resolve(code)));
  server.kill('SIGTERM');
  assert.equal(await exited, 0, output);
  await waitUntil(() => family.every((pid) => !isAlive(pid)), 10_000);
  assert.deepEqual(family.filter(isAlive), [], 'processes left behind');
});

test('killing the start script with SIGKILL still stops the Next.js server', async () => {
  const port = await findFreePort();
  const orphanCheck = spawn(process.execPath, [path.join(appDir, 'scripts', 'start.mjs')], {
    env: {
      ...process.env,
      WEB_PORT: String(port),
      BIND_HOST: host,
      DATA_DIR: dataDir,
      NEXTAUTH_SECRET: 'test-secret',
    },
    stdio: 'ignore',
  });
  assert.ok(orphanCheck.pid, 'start script started');
  const started = await waitUntil(async () => {
    try {
      return (await fetch(`http://${host}:${port}/api/health`, { signal: AbortSignal.timeout(2_000) })).ok;
    } catch {
      return false;
    }
  }, 60_000);
  assert.ok(started, 'second server did not start');
  const family = [orphanCheck.pid, ...descendantsOf(orphanCheck.pid)];
  orphanCheck.kill('SIGKILL');
  await waitUntil(() => family.every((pid) => !isAlive(pid)), 10_000);
  assert.deepEqual(family.filter(isAlive), [], 'processes left behind');
});

function buildApp(): void {
  const result = spawnSync('npm', ['run', 'build'], {
    cwd: appDir,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  assert.equal(result.status, 0, 'next build failed');
}

async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitForServer(url: string, timeoutMs: number): Promise<void> {
  const ok = await waitUntil(async () => {
    if (server?.exitCode !== null) throw new Error(`the web server exited early:\n${output}`);
    try {
      return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;
    } catch {
      return false;
    }
  }, timeoutMs);
  assert.ok(ok, `the web server did not answer ${url} within ${timeoutMs} ms:\n${output}`);
}

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

/** Every process below `pid`, read from ps. */
function descendantsOf(pid: number): number[] {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift();
    for (const [child, ppid] of rows) {
      if (ppid !== parent) continue;
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
