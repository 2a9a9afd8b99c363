/**
 * The mail server's health listener on a real runtime (MongoDB, Redis, schema): /healthz, /readyz
 * (and why it fails: Redis unreachable, an index missing, draining), and /metrics counting IMAP
 * commands, LMTP deliveries and refusals by reason.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { SMTPServer } from 'smtp-server';
import { loadConfig, type Config } from '@wildduck/config';
import { findFreePort, openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';
import { ImapServer } from '@wildduck/imap-core';
import { JunkReporter } from '@wildduck/mail-service';
import { applySchema } from '@wildduck/schema';
import { createUser } from '@wildduck/store';
import { countBusReconnects, createRegistry, mailMetrics, type Registry } from '@wildduck/observability';
import { openRuntime, type MailRuntime } from '../src/runtime.js';
import { StoreImapBackend } from '../src/imap/store-backend.js';
import { createDeliveryServer } from '../src/delivery/delivery-server.js';
import { imapObserver } from '../src/observability/imap.js';
import { trackSmtpServer } from '../src/observability/smtp.js';
import { startMailHealth, type MailHealth } from '../src/observability/health.js';
import { listenOnFreePort } from './mail-harness.js';
import { RawImapClient } from './raw-client.js';
import { SmtpDialog } from './smtp-dialog.js';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const cleanups: (() => Promise<void>)[] = [];

let store: TestDatabase;
let config: Config;
let runtime: MailRuntime;
let registry: Registry;
let health: MailHealth;
let draining = false;
let imapPort: number;
let lmtpPort: number;

async function configFor(redisUrl: string | undefined): Promise<Config> {
  return loadConfig({
    cwd: mkdtempSync(join(tmpdir(), 'wd-health-')),
    env: {
      MONGODB_URI: store.uri,
      MONGODB_DB: store.name,
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      HEALTH_PORT: String(await findFreePort()),
      LOG_LEVEL: 'silent',
    },
  });
}

before(async () => {
  store = await openTestDatabase('health');
  config = await configFor(process.env.REDIS_URL);
  runtime = await openRuntime(config, logger);
  registry = createRegistry('mailserver');
  const metrics = mailMetrics(registry);
  countBusReconnects(registry, runtime.bus);
  health = await startMailHealth({ config, runtime, registry, draining: () => draining, logger });

  const backend = new StoreImapBackend({
    ctx: runtime.ctx,
    bus: runtime.bus,
    userLimiter: runtime.userLimiter,
    addressLimiter: runtime.addressLimiter,
    junkReporter: new JunkReporter({
      ctx: runtime.ctx,
      bus: runtime.bus,
      apiUrl: 'http://127.0.0.1:8080',
      logger,
    }),
  });
  const imap = new ImapServer({
    backend,
    allowPlaintextLogin: true,
    observer: imapObserver(metrics, 'imap'),
  });
  imapPort = (await imap.listen(0)).port;
  const lmtp: SMTPServer = createDeliveryServer({
    ctx: runtime.ctx,
    bus: runtime.bus,
    mode: 'lmtp',
    serverName: 'mx.test.example',
    logger,
  });
  trackSmtpServer(lmtp, 'lmtp', { metrics, logger });
  lmtpPort = await listenOnFreePort(lmtp);
  cleanups.push(
    () => imap.close(),
    () => new Promise<void>((resolve) => lmtp.close(() => resolve())),
    () => health.close(),
    () => runtime.close(),
  );
});

after(async () => {
  for (const cleanup of cleanups) await cleanup().catch(() => {});
  await store.drop();
});

async function get(port: number | undefined, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.text() };
}

/** The value of one series in Prometheus text (labels in any order), or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const parse = (spec: string) => {
    const match = /^([^{ ]+)(?:\{(.*)\})?$/.exec(spec)!;
    return { name: match[1]!, labels: (match[2] ?? '').split(',').filter(Boolean).sort().join(',') };
  };
  const wanted = parse(series);
  for (const line of text.split('\n')) {
    const space = line.lastIndexOf(' ');
    if (line.startsWith('#') || space < 0) continue;
    const found = parse(line.slice(0, space));
    if (found.name === wanted.name && found.labels === wanted.labels) return Number(line.slice(space + 1));
  }
  return undefined;
}

test('/healthz answers 200 and /readyz reports MongoDB, Redis and the schema', async () => {
  assert.ok(health.port);
  const live = await get(health.port, '/healthz');
  assert.equal(live.status, 200);
  assert.deepEqual(JSON.parse(live.body), { ok: true });
  const ready = await get(health.port, '/readyz');
  assert.equal(ready.status, 200, ready.body);
  assert.deepEqual(JSON.parse(ready.body), {
    ok: true,
    checks: {
      mongodb: 'ok',
      redis: process.env.REDIS_URL ? 'ok' : 'not configured (in-process bus)',
      schema: 'ok',
    },
  });
});

test('/readyz answers 503 naming redis when Redis is unreachable (a runtime pointed at a closed port)', async () => {
  const deadRedis = `redis://127.0.0.1:${await findFreePort()}`;
  const deadConfig = await configFor(deadRedis);
  const deadRuntime = await openRuntime(deadConfig, logger);
  const deadHealth = await startMailHealth({
    config: deadConfig,
    runtime: deadRuntime,
    registry: createRegistry('mailserver', { defaultMetrics: false }),
    draining: () => false,
    logger,
  });
  try {
    const ready = await get(deadHealth.port, '/readyz');
    assert.equal(ready.status, 503);
    const body = JSON.parse(ready.body) as { ok: boolean; failed: string[]; checks: Record<string, string> };
    assert.equal(body.ok, false);
    assert.deepEqual(body.failed, ['redis']);
    assert.match(body.checks.redis!, /not connected/);
    assert.equal(body.checks.mongodb, 'ok');
    assert.equal((await get(deadHealth.port, '/healthz')).status, 200, 'alive, only not ready');
  } finally {
    await deadHealth.close();
    await deadRuntime.close();
  }
});

test('/readyz answers 503 naming the schema when an index is missing, and 200 once it is applied', async () => {
  await store.db.collection('journal').dropIndex('mailbox_modseq');
  try {
    const ready = await get(health.port, '/readyz');
    assert.equal(ready.status, 503);
    const body = JSON.parse(ready.body) as { failed: string[]; checks: Record<string, string> };
    assert.deepEqual(body.failed, ['schema']);
    assert.match(body.checks.schema!, /missing journal\.mailbox_modseq/);
  } finally {
    await applySchema(store.db);
  }
  assert.equal((await get(health.port, '/readyz')).status, 200);
});

test('/metrics counts IMAP commands, connections, LMTP deliveries and refusals by reason', async () => {
  await createUser(store.db, { address: 'metrics@example.com', password: 'secretpass', quota: null });
  await createUser(store.db, { address: 'full@example.com', password: 'secretpass', quota: 100 });

  const imap = await RawImapClient.open(imapPort);
  assert.match(await imap.command('LOGIN metrics@example.com secretpass'), /OK/);
  assert.match(await imap.command('NOOP'), /OK/);
  assert.match(await imap.command('NOOP'), /OK/);
  assert.match(await imap.command('SELECT INBOX'), /OK/);
  let text = (await get(health.port, '/metrics')).body;
  assert.equal(sample(text, 'wildduck_connections{protocol="imap",service="mailserver"}'), 1);
  assert.equal(
    sample(text, 'wildduck_commands_total{protocol="imap",command="NOOP",service="mailserver"}'),
    2,
  );
  assert.equal(
    sample(text, 'wildduck_commands_total{protocol="imap",command="LOGIN",service="mailserver"}'),
    1,
  );
  assert.equal(
    sample(
      text,
      'wildduck_command_duration_seconds_count{protocol="imap",command="SELECT",service="mailserver"}',
    ),
    1,
  );
  await imap.command('LOGOUT');

  const { dialog } = await SmtpDialog.open(lmtpPort);
  await dialog.send('LHLO client.example');
  await dialog.send('MAIL FROM:<sender@example.org>');
  assert.match(await dialog.send('RCPT TO:<metrics@example.com>'), /^250/);
  assert.match(await dialog.send('RCPT TO:<nobody@example.com>'), /^550 5\.1\.1/);
  assert.match(await dialog.send('RCPT TO:<full@example.com>'), /^250/);
  assert.match(await dialog.send('DATA'), /^354/);
  dialog.write(`Subject: counted\r\n\r\n${'x'.repeat(500)}\r\n.\r\n`);
  assert.match(await dialog.reply(), /^250/);
  assert.match(await dialog.reply(), /^552 5\.2\.2/);
  await dialog.send('QUIT');
  dialog.close();

  text = (await get(health.port, '/metrics')).body;
  assert.equal(sample(text, 'wildduck_deliveries_total{protocol="lmtp",service="mailserver"}'), 1);
  assert.equal(
    sample(
      text,
      'wildduck_delivery_failures_total{protocol="lmtp",reason="unknown_user",service="mailserver"}',
    ),
    1,
  );
  assert.equal(
    sample(
      text,
      'wildduck_delivery_failures_total{protocol="lmtp",reason="over_quota",service="mailserver"}',
    ),
    1,
  );
  assert.equal(
    sample(text, 'wildduck_commands_total{protocol="lmtp",command="RCPT",service="mailserver"}'),
    3,
  );
  assert.equal(
    sample(text, 'wildduck_commands_total{protocol="lmtp",command="DATA",service="mailserver"}'),
    1,
  );
  assert.equal(sample(text, 'wildduck_bus_reconnects_total{service="mailserver"}'), 0);
  assert.match(text, /^process_cpu_seconds_total\{service="mailserver"\} /m, 'default process metrics');
  for (let i = 0; i < 50; i++) {
    text = (await get(health.port, '/metrics')).body;
    if (sample(text, 'wildduck_connections{protocol="lmtp",service="mailserver"}') === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(sample(text, 'wildduck_connections{protocol="lmtp",service="mailserver"}'), 0);
  assert.equal(sample(text, 'wildduck_connections{protocol="imap",service="mailserver"}'), 0);
});

test('while draining /healthz and /readyz answer 503', async () => {
  draining = true;
  try {
    const live = await get(health.port, '/healthz');
    assert.equal(live.status, 503);
    assert.deepEqual(JSON.parse(live.body), { ok: false, draining: true });
    assert.equal((await get(health.port, '/readyz')).status, 503);
    assert.equal((await get(health.port, '/metrics')).status, 200, 'metrics still served');
  } finally {
    draining = false;
  }
});
