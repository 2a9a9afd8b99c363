/**
 * One attempt at a delivery, against a real HTTP receiver on 127.0.0.1: the request every sender
 * makes (headers, signature, body as given), and what each kind of answer comes to: success,
 * retry (5xx, 429 with its Retry-After, timeouts, network errors) or give up (other 4xx, 3xx
 * without following the redirect). The outbox's own tests (packages/mail-service) cover the
 * worker that acts on these outcomes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { redactWebhookUrl, verifyWebhookSignature } from '@wildduck/webhooks';
import { attemptWebhook, postWebhook, retryDelay } from '../src/post.js';

const SECRET = 'test-secret';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
}

/** A real HTTP receiver; `reply` answers each request (leave `res` unanswered to hang). */
async function receiver(reply: (res: ServerResponse, request: Received) => void) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        path: req.url ?? '',
        headers: req.headers,
        raw: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(request);
      reply(res, request);
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

function answer(status: number, headers: Record<string, string> = {}, text = `status ${status}`) {
  return (res: ServerResponse) =>
    res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(text);
}

const delivery = {
  id: '0b9c6f7e-5f2c-4d7e-9a51-3f0c2a8f1d44',
  type: 'SPAM',
  body: '{"id":"0b9c6f7e-5f2c-4d7e-9a51-3f0c2a8f1d44","type":"SPAM","user":"u1","uid":42}',
};

function post(url: string, timeoutMs = 5000) {
  return attemptWebhook(fetch, { url, secret: SECRET }, delivery, timeoutMs, new AbortController());
}

test('the request: JSON body as given, event and delivery headers, a fresh timestamp and a signature that verifies', async () => {
  const server = await receiver(answer(204, {}, ''));
  try {
    const before = Math.floor(Date.now() / 1000);
    const outcome = await postWebhook(
      fetch,
      { url: server.url(), secret: SECRET },
      delivery,
      new AbortController().signal,
    );
    assert.deepEqual(outcome, { ok: true, status: 204 });
    assert.equal(server.received.length, 1);
    const { headers, raw, path } = server.received[0]!;
    assert.equal(path, '/hook');
    assert.equal(raw, delivery.body, 'the body byte for byte');
    assert.equal(headers['content-type'], 'application/json');
    assert.equal(headers['user-agent'], 'wildduck-webhooks');
    assert.equal(headers['x-wildduck-event'], 'SPAM');
    assert.equal(headers['x-wildduck-delivery'], delivery.id);
    const stamp = headers['x-wildduck-timestamp'] as string;
    assert.ok(Number(stamp) >= before && Number(stamp) <= before + 5, `timestamp ${stamp}`);
    const signature = headers['x-wildduck-signature'] as string;
    assert.match(signature, /^sha256=[0-9a-f]{64}$/);
    assert.equal(verifyWebhookSignature(SECRET, stamp, raw, signature), true);
    assert.equal(verifyWebhookSignature('another', stamp, raw, signature), false);
  } finally {
    await server.close();
  }
});

test('5xx and 429 are to be retried, with the answer in the reason and its Retry-After in seconds or as a date', async () => {
  const server = await receiver((res, request) => {
    if (request.path === '/down') answer(503, {}, 'down   for\nmaintenance')(res);
    else if (request.path === '/seconds') answer(429, { 'retry-after': '7' })(res);
    else if (request.path === '/date')
      answer(429, { 'retry-after': new Date(Date.now() + 30_000).toUTCString() })(res);
    else answer(500, { 'retry-after': 'soon' })(res);
  });
  try {
    assert.deepEqual(await post(server.url('/down')), {
      ok: false,
      retry: true,
      reason: 'HTTP 503: down for maintenance',
      status: 503,
      retryAfterMs: undefined,
    });
    const seconds = await post(server.url('/seconds'));
    assert.equal(seconds.ok, false);
    assert.ok(!seconds.ok && seconds.retry && seconds.status === 429);
    assert.equal(!seconds.ok && seconds.retryAfterMs, 7000);
    const date = await post(server.url('/date'));
    assert.ok(!date.ok && date.retry);
    const dateMs = !date.ok ? (date.retryAfterMs ?? 0) : 0;
    // an HTTP date has whole seconds: up to 1 s earlier than asked, and the request took a moment
    assert.ok(dateMs > 27_000 && dateMs <= 30_000, `Retry-After as a date: ${dateMs} ms`);
    const unreadable = await post(server.url('/garbled'));
    assert.ok(!unreadable.ok && unreadable.retry && unreadable.retryAfterMs === undefined);
  } finally {
    await server.close();
  }
});

test('other 4xx and 3xx are given up at once, and a redirect is not followed', async () => {
  const server = await receiver((res, request) => {
    if (request.path === '/moved') answer(302, { location: '/elsewhere' })(res);
    else if (request.path === '/elsewhere') answer(200)(res);
    else answer(400, {}, 'bad payload')(res);
  });
  try {
    assert.deepEqual(await post(server.url('/bad')), {
      ok: false,
      retry: false,
      reason: 'HTTP 400: bad payload',
      status: 400,
    });
    const moved = await post(server.url('/moved'));
    assert.ok(!moved.ok && !moved.retry && moved.status === 302, JSON.stringify(moved));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(
      server.received.map((request) => request.path),
      ['/bad', '/moved'],
      'the signed body is not sent on to where the redirect points',
    );
  } finally {
    await server.close();
  }
});

test('a request that gets no answer in time is to be retried; so is a network error', async () => {
  const hanging = await receiver(() => {}); // never answers
  const closed = await receiver(answer(200));
  const nothingListening = closed.url();
  await closed.close();
  try {
    const started = performance.now();
    const timedOut = await post(hanging.url(), 100);
    const took = performance.now() - started;
    assert.deepEqual(timedOut, { ok: false, retry: true, reason: 'timed out after 100 ms' });
    assert.ok(took >= 90 && took < 2000, `the timeout took ${took} ms`);
    assert.equal(hanging.received.length, 1);

    const refused = await post(nothingListening);
    assert.ok(!refused.ok && refused.retry, JSON.stringify(refused));
    assert.match(refused.reason, /ECONNREFUSED/, 'the cause is in the reason');

    // an abort from outside (a worker that stops) ends the request at once, as a failed attempt
    const controller = new AbortController();
    const aborted = attemptWebhook(
      fetch,
      { url: hanging.url(), secret: SECRET },
      delivery,
      60_000,
      controller,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort(new Error('webhook outbox closed'));
    const outcome = await aborted;
    assert.equal(outcome.ok, false);
    assert.equal(hanging.received.length, 2);
  } finally {
    await hanging.close();
  }
});

test('the delay before a retry doubles per attempt with jitter, is capped, and never undercuts Retry-After', () => {
  for (let i = 0; i < 200; i++) {
    const first = retryDelay(1, 1000, 60_000);
    assert.ok(first >= 500 && first <= 1000, `first retry ${first}`);
    const fourth = retryDelay(4, 1000, 60_000);
    assert.ok(fourth >= 4000 && fourth <= 8000, `fourth retry ${fourth}`);
    assert.ok(retryDelay(30, 1000, 60_000) <= 60_000, 'capped');
    assert.equal(retryDelay(1, 1000, 60_000, 20_000), 20_000, 'Retry-After longer than the backoff');
    assert.equal(retryDelay(1, 1000, 60_000, 3_600_000), 60_000, 'Retry-After capped too');
    const shortRetryAfter = retryDelay(4, 1000, 60_000, 10);
    assert.ok(shortRetryAfter >= 4000, 'a short Retry-After does not shorten the backoff');
  }
});

test('a receiver URL is shown without its credentials or query', () => {
  assert.equal(
    redactWebhookUrl('https://user:pass@hooks.example.com:8443/wildduck?token=s3cret#x'),
    'https://hooks.example.com:8443/wildduck?%E2%80%A6#x',
  );
  assert.equal(redactWebhookUrl('http://127.0.0.1:9000/spam'), 'http://127.0.0.1:9000/spam');
  assert.equal(redactWebhookUrl('not a url'), '(invalid URL)');
});
