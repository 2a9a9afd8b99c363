import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  WebhookDispatcher,
  signWebhook,
  verifyWebhookSignature,
  type WebhookLogger,
} from '@wildduck/webhooks';

const SECRET = 'test-secret';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: Record<string, unknown>;
}

/** A real HTTP receiver on 127.0.0.1; `reply` decides each answer (leave `res` unanswered to hang). */
async function receiver(reply: (res: ServerResponse, request: Received, index: number) => void) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const request = { path: req.url ?? '', headers: req.headers, raw, body: JSON.parse(raw) };
      received.push(request);
      reply(res, request, received.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function answer(status: number, headers: Record<string, string> = {}) {
  return (res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'text/plain', ...headers });
    res.end(status < 300 ? 'ok' : `status ${status}`);
  };
}

/** Captures log lines; `warnings` are the messages. */
function testLogger() {
  const warnings: string[] = [];
  const infos: string[] = [];
  const logger: WebhookLogger = {
    warn: (_obj, msg) => warnings.push(msg),
    info: (_obj, msg) => infos.push(msg),
  };
  return { logger, warnings, infos };
}

async function waitFor(predicate: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('delivers a signed POST that verifyWebhookSignature accepts', async () => {
  const server = await receiver(answer(200));
  const { logger, warnings, infos } = testLogger();
  const dispatcher = new WebhookDispatcher({ targets: [{ url: server.url(), secret: SECRET }], logger });
  try {
    const before = Math.floor(Date.now() / 1000);
    dispatcher.dispatch({ type: 'SPAM', user: 'u1', mailbox: 'm1', uid: 42, id: 'not-the-delivery-id' });
    await waitFor(() => server.received.length === 1 && dispatcher.pending === 0, 'the delivery');

    const [request] = server.received;
    assert.ok(request);
    const { headers, body, raw } = request;
    assert.equal(headers['content-type'], 'application/json');
    assert.equal(headers['user-agent'], 'wildduck-webhooks');
    assert.equal(headers['x-wildduck-event'], 'SPAM');
    assert.match(String(headers['x-wildduck-delivery']), /^[0-9a-f-]{36}$/);
    assert.equal(
      body.id,
      headers['x-wildduck-delivery'],
      'the body id is the delivery id, not the event field',
    );
    assert.equal(body.type, 'SPAM');
    assert.equal(body.user, 'u1');
    assert.equal(body.mailbox, 'm1');
    assert.equal(body.uid, 42);
    assert.equal(new Date(String(body.created)).toISOString(), body.created);
    const timestamp = Number(headers['x-wildduck-timestamp']);
    assert.ok(timestamp >= before && timestamp <= before + 5);

    const signature = headers['x-wildduck-signature'] as string;
    assert.match(signature, /^sha256=[0-9a-f]{64}$/);
    const stamp = headers['x-wildduck-timestamp'] as string;
    assert.equal(verifyWebhookSignature(SECRET, stamp, raw, signature), true);
    assert.equal(verifyWebhookSignature(SECRET, stamp, Buffer.from(raw), signature), true);
    assert.equal(verifyWebhookSignature('other-secret', stamp, raw, signature), false);
    assert.equal(verifyWebhookSignature(SECRET, stamp, raw.replace('u1', 'u2'), signature), false);
    assert.equal(verifyWebhookSignature(SECRET, String(timestamp + 1), raw, signature), false);
    assert.equal(verifyWebhookSignature(SECRET, stamp, raw, undefined), false);
    assert.equal(verifyWebhookSignature(SECRET, stamp, raw, 'sha256=abc'), false);
    assert.equal(verifyWebhookSignature(SECRET, undefined, raw, signature), false);
    // a correctly signed but old request is a replay
    const old = String(Math.floor(Date.now() / 1000) - 600);
    assert.equal(verifyWebhookSignature(SECRET, old, raw, signWebhook(SECRET, old, raw)), false);
    assert.equal(verifyWebhookSignature(SECRET, old, raw, signWebhook(SECRET, old, raw), 3600), true);

    assert.deepEqual(warnings, []);
    assert.deepEqual(infos, ['webhook delivered']);
  } finally {
    await dispatcher.close();
    await server.close();
  }
});

test('a target gets only the event types it asked for; unset means all', async () => {
  const server = await receiver(answer(204));
  const dispatcher = new WebhookDispatcher({
    targets: [
      { url: server.url('/junk'), secret: SECRET, events: ['SPAM', 'NOT_SPAM'] },
      { url: server.url('/all'), secret: 'another' },
      { url: server.url('/none'), secret: SECRET, events: [] },
    ],
    logger: testLogger().logger,
  });
  try {
    dispatcher.dispatch({ type: 'SPAM', uid: 1 });
    dispatcher.dispatch({ type: 'EXISTS', uid: 2 });
    dispatcher.dispatch({ type: 'NOT_SPAM', uid: 3 });
    await waitFor(() => server.received.length === 5 && dispatcher.pending === 0, 'five deliveries');
    const seen = (path: string) =>
      server.received
        .filter((request) => request.path === path)
        .map((request) => `${String(request.body.type)}:${String(request.body.uid)}`)
        .sort();
    assert.deepEqual(seen('/junk'), ['NOT_SPAM:3', 'SPAM:1']);
    assert.deepEqual(seen('/all'), ['EXISTS:2', 'NOT_SPAM:3', 'SPAM:1']);
    assert.deepEqual(seen('/none'), []);
    // each target's signature uses its own secret
    for (const { path, headers, raw } of server.received) {
      const secret = path === '/all' ? 'another' : SECRET;
      const stamp = headers['x-wildduck-timestamp'] as string;
      assert.ok(verifyWebhookSignature(secret, stamp, raw, headers['x-wildduck-signature'] as string));
    }
  } finally {
    await dispatcher.close();
    await server.close();
  }
});

test('retries after two 503s, then succeeds, with the same delivery id', async () => {
  const server = await receiver((res, _request, index) => answer(index < 2 ? 503 : 200)(res));
  const { logger, warnings } = testLogger();
  const dispatcher = new WebhookDispatcher({
    targets: [{ url: server.url(), secret: SECRET }],
    retry: { initialDelayMs: 20, maxDelayMs: 100 },
    logger,
  });
  try {
    dispatcher.dispatch({ type: 'NOT_SPAM', uid: 7 });
    await waitFor(() => server.received.length === 3 && dispatcher.pending === 0, 'three attempts');
    const ids = new Set(server.received.map((request) => request.headers['x-wildduck-delivery']));
    assert.equal(ids.size, 1);
    for (const { headers, raw } of server.received) {
      const stamp = headers['x-wildduck-timestamp'] as string;
      assert.ok(verifyWebhookSignature(SECRET, stamp, raw, headers['x-wildduck-signature'] as string));
    }
    assert.deepEqual(warnings, [
      'webhook delivery failed, will retry',
      'webhook delivery failed, will retry',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(server.received.length, 3, 'no attempt after the success');
  } finally {
    await dispatcher.close();
    await server.close();
  }
});

test('429 is retried; 5xx stops after `attempts` tries in all', async () => {
  const server = await receiver((res, request) =>
    answer(
      request.path === '/busy' && server.received.length === 1 ? 429 : request.path === '/busy' ? 200 : 500,
      {
        'retry-after': '0',
      },
    )(res),
  );
  const { logger, warnings } = testLogger();
  const dispatcher = new WebhookDispatcher({
    targets: [{ url: server.url('/busy'), secret: SECRET }],
    retry: { attempts: 3, initialDelayMs: 10 },
    logger,
  });
  const broken = new WebhookDispatcher({
    targets: [{ url: server.url('/broken'), secret: SECRET }],
    retry: { attempts: 3, initialDelayMs: 10 },
    logger,
  });
  try {
    dispatcher.dispatch({ type: 'SPAM' });
    broken.dispatch({ type: 'SPAM' });
    await waitFor(() => dispatcher.pending === 0 && broken.pending === 0, 'both dispatchers to finish');
    const paths = server.received.map((request) => request.path);
    assert.equal(paths.filter((path) => path === '/busy').length, 2);
    assert.equal(paths.filter((path) => path === '/broken').length, 3);
    assert.ok(warnings.includes('webhook delivery failed (attempts used up)'));
  } finally {
    await Promise.all([dispatcher.close(), broken.close()]);
    await server.close();
  }
});

test('a 400 is not retried', async () => {
  const server = await receiver(answer(400));
  const { logger, warnings } = testLogger();
  const dispatcher = new WebhookDispatcher({
    targets: [{ url: server.url(), secret: SECRET }],
    retry: { initialDelayMs: 10 },
    logger,
  });
  try {
    dispatcher.dispatch({ type: 'SPAM' });
    await waitFor(() => server.received.length === 1 && dispatcher.pending === 0, 'the one attempt');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(server.received.length, 1);
    assert.deepEqual(warnings, ['webhook delivery failed (not retried)']);
  } finally {
    await dispatcher.close();
    await server.close();
  }
});

test('a request that times out is retried', async () => {
  // the first request is never answered; the second is
  const server = await receiver((res, _request, index) => {
    if (index > 0) answer(200)(res);
  });
  const { logger, warnings } = testLogger();
  const dispatcher = new WebhookDispatcher({
    targets: [{ url: server.url(), secret: SECRET }],
    retry: { initialDelayMs: 10 },
    timeoutMs: 100,
    logger,
  });
  try {
    dispatcher.dispatch({ type: 'SPAM' });
    await waitFor(() => server.received.length === 2 && dispatcher.pending === 0, 'the retry');
    const [first, second] = server.received;
    assert.equal(first?.headers['x-wildduck-delivery'], second?.headers['x-wildduck-delivery']);
    assert.deepEqual(warnings, ['webhook delivery failed, will retry']);
  } finally {
    await dispatcher.close();
    await server.close();
  }
});

test('a network error (nothing listening) is retried', async () => {
  const server = await receiver(answer(200));
  const url = server.url();
  await server.close();
  const { logger, warnings } = testLogger();
  const dispatcher = new WebhookDispatcher({
    targets: [{ url, secret: SECRET }],
    retry: { attempts: 2, initialDelayMs: 10 },
    logger,
  });
  dispatcher.dispatch({ type: 'SPAM' });
  await waitFor(() => dispatcher.pending === 0, 'both attempts');
  assert.deepEqual(warnings, [
    'webhook delivery failed, will retry',
    'webhook delivery failed (attempts used up)',
  ]);
  await dispatcher.close();
});

test('dispatch returns at once while the receiver hangs, and close() cuts it short', async () => {
  const server = await receiver(() => {}); // never answers
  const { logger, warnings } = testLogger();
  const dispatcher = new WebhookDispatcher({ targets: [{ url: server.url(), secret: SECRET }], logger });
  try {
    const started = performance.now();
    for (let i = 0; i < 20; i++) dispatcher.dispatch({ type: 'SPAM', uid: i });
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 50, `dispatch took ${elapsed} ms`);
    assert.equal(dispatcher.pending, 20);
    assert.equal(server.received.length, 0, 'nothing is sent before dispatch returns');
    await waitFor(() => server.received.length === 4, 'the first requests (4 at once per target)');

    const closing = performance.now();
    await dispatcher.close(100);
    const closeTook = performance.now() - closing;
    assert.ok(closeTook < 1000, `close took ${closeTook} ms`);
    assert.equal(dispatcher.pending, 0);
    assert.ok(warnings.includes('webhook dispatcher closed with undelivered deliveries'));
    dispatcher.dispatch({ type: 'SPAM' }); // after close: dropped, still no throw
    assert.equal(dispatcher.pending, 0);
  } finally {
    await server.close();
  }
});

test('close() waits for queued deliveries and cancels retry timers', async () => {
  const server = await receiver((res, request) => {
    if (request.path === '/slow') setTimeout(() => answer(200)(res), 50);
    else answer(503)(res);
  });
  const { logger, warnings, infos } = testLogger();
  const dispatcher = new WebhookDispatcher({
    targets: [
      { url: server.url('/slow'), secret: SECRET },
      { url: server.url('/failing'), secret: SECRET },
    ],
    retry: { initialDelayMs: 60_000 },
    logger,
  });
  try {
    dispatcher.dispatch({ type: 'SPAM' });
    await waitFor(
      () => warnings.includes('webhook delivery failed, will retry'),
      'the retry to be scheduled',
    );
    assert.equal(dispatcher.pending, 2, 'the slow one in flight, the failing one waiting for its retry');
    assert.deepEqual(infos, []);
    const started = performance.now();
    await dispatcher.close(2000);
    assert.ok(performance.now() - started < 1000, 'close does not wait for the 60 s retry');
    assert.equal(dispatcher.pending, 0);
    assert.deepEqual(infos, ['webhook delivered'], 'the slow delivery was waited for');
    assert.equal(server.received.filter((request) => request.path === '/failing').length, 1);
  } finally {
    await server.close();
  }
});

test('the queue is bounded: the oldest deliveries are dropped', async () => {
  const server = await receiver(answer(200));
  const { logger, warnings } = testLogger();
  const dispatcher = new WebhookDispatcher({
    targets: [{ url: server.url(), secret: SECRET }],
    maxQueued: 3,
    logger,
  });
  try {
    for (let i = 1; i <= 6; i++) dispatcher.dispatch({ type: 'SPAM', uid: i });
    assert.equal(dispatcher.pending, 3);
    assert.equal(
      warnings.filter((message) => message === 'webhook queue full: oldest delivery dropped').length,
      3,
    );
    await waitFor(() => dispatcher.pending === 0, 'the queue to drain');
    assert.deepEqual(server.received.map((request) => request.body.uid).sort(), [4, 5, 6]);
  } finally {
    await dispatcher.close();
    await server.close();
  }
});

test('dispatch never throws, whatever it is given', async () => {
  const { logger, warnings } = testLogger();
  const dispatcher = new WebhookDispatcher({
    targets: [{ url: 'http://127.0.0.1:9/', secret: SECRET }],
    logger,
  });
  const cyclic: Record<string, unknown> = { type: 'SPAM' };
  cyclic.self = cyclic;
  dispatcher.dispatch({ type: 'SPAM', size: 10n });
  dispatcher.dispatch(cyclic as { type: string });
  dispatcher.dispatch({ type: 'bad\r\ntype' });
  dispatcher.dispatch(null as unknown as { type: string });
  const throwing = new WebhookDispatcher({
    targets: [{ url: 'http://127.0.0.1:9/', secret: SECRET }],
    logger: {
      warn() {
        throw new Error('logger down');
      },
    },
  });
  throwing.dispatch({ type: 'x y' });
  assert.equal(dispatcher.pending, 0);
  assert.equal(warnings.length, 4);
  await Promise.all([dispatcher.close(), throwing.close()]);
});

test('bad targets are refused when the dispatcher is made', () => {
  assert.throws(() => new WebhookDispatcher({ targets: [{ url: 'not a url', secret: SECRET }] }), TypeError);
  assert.throws(() => new WebhookDispatcher({ targets: [{ url: 'ftp://example.com/', secret: SECRET }] }));
  assert.throws(() => new WebhookDispatcher({ targets: [{ url: 'https://example.com/', secret: '' }] }));
  assert.throws(
    () =>
      new WebhookDispatcher({
        targets: [{ url: 'https://example.com/', secret: SECRET }],
        retry: { attempts: 0 },
      }),
  );
});

test('a pending retry timer does not keep the process alive', async () => {
  // a separate process that neither closes the dispatcher nor exits by itself: it must end on its own
  const moduleUrl = new URL('../src/index.ts', import.meta.url).href;
  const script = `
    import { createServer } from 'node:http';
    import { WebhookDispatcher } from ${JSON.stringify(moduleUrl)};
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => { res.writeHead(503, { connection: 'close' }); res.end(); server.close(); });
    });
    server.listen(0, '127.0.0.1', () => {
      const dispatcher = new WebhookDispatcher({
        targets: [{ url: 'http://127.0.0.1:' + server.address().port + '/', secret: 's' }],
        retry: { initialDelayMs: 60000 },
        logger: { warn: (_obj, msg) => console.log(msg) },
      });
      dispatcher.dispatch({ type: 'SPAM' });
      process.on('exit', () => console.log('pending at exit: ' + dispatcher.pending));
    });
  `;
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script],
    { stdio: ['ignore', 'pipe', 'pipe'], timeout: 15_000 },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
  );
  assert.equal(signal, null, `the process had to be killed:\n${output}`);
  assert.equal(code, 0, output);
  assert.match(output, /webhook delivery failed, will retry/);
  assert.match(output, /pending at exit: 1/);
});

test('after close() no timer, socket or server is left', async () => {
  const server = await receiver((res, _request, index) => {
    if (index === 0) answer(503)(res); // then hang
  });
  const dispatcher = new WebhookDispatcher({
    targets: [{ url: server.url(), secret: SECRET }],
    retry: { initialDelayMs: 10 },
    timeoutMs: 30_000,
    logger: testLogger().logger,
  });
  dispatcher.dispatch({ type: 'SPAM' });
  await waitFor(() => server.received.length === 2, 'the hanging retry');
  await dispatcher.close(50);
  await server.close();
  const leftOver = () =>
    process.getActiveResourcesInfo().filter((type) => type === 'Timeout' || type.startsWith('TCP'));
  await waitFor(() => leftOver().length === 0, `no open handles (left: ${leftOver().join(', ')})`, 2000);
});
