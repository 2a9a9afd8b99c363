/**
 * The signature receivers check: `sha256=` and the HMAC of `<timestamp>.<raw body>`, refused for
 * another secret, another body, another timestamp, a malformed header, or a timestamp too far
 * from now (a replay).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhookSignature } from '@wildduck/webhooks';

const SECRET = 'test-secret';
const RAW = '{"id":"0b9c6f7e","type":"SPAM","user":"u1","uid":42}';

function now(): string {
  return String(Math.floor(Date.now() / 1000));
}

test('the signature is the hex HMAC-SHA256 of "<timestamp>.<raw body>", as documented for receivers without this package', () => {
  const stamp = '1732872000';
  const expected = createHmac('sha256', SECRET).update(`${stamp}.${RAW}`).digest('hex');
  assert.equal(signWebhook(SECRET, stamp, RAW), `sha256=${expected}`);
  assert.equal(signWebhook(SECRET, Number(stamp), Buffer.from(RAW)), `sha256=${expected}`);
});

test('a signature verifies for its secret, body and timestamp only', () => {
  const stamp = now();
  const signature = signWebhook(SECRET, stamp, RAW);
  assert.match(signature, /^sha256=[0-9a-f]{64}$/);
  assert.equal(verifyWebhookSignature(SECRET, stamp, RAW, signature), true);
  assert.equal(
    verifyWebhookSignature(SECRET, stamp, Buffer.from(RAW), signature),
    true,
    'raw bytes as received',
  );
  assert.equal(
    verifyWebhookSignature(SECRET, stamp, RAW, signature.toUpperCase().replace('SHA256', 'sha256')),
    true,
  );
  assert.equal(verifyWebhookSignature('other-secret', stamp, RAW, signature), false);
  assert.equal(verifyWebhookSignature(SECRET, stamp, RAW.replace('u1', 'u2'), signature), false);
  assert.equal(verifyWebhookSignature(SECRET, String(Number(stamp) + 1), RAW, signature), false);
});

test('missing or malformed headers are refused, never thrown on', () => {
  const stamp = now();
  const signature = signWebhook(SECRET, stamp, RAW);
  assert.equal(verifyWebhookSignature(SECRET, stamp, RAW, undefined), false);
  assert.equal(verifyWebhookSignature(SECRET, stamp, RAW, null), false);
  assert.equal(verifyWebhookSignature(SECRET, stamp, RAW, 'sha256=abc'), false);
  assert.equal(verifyWebhookSignature(SECRET, stamp, RAW, signature.replace('sha256=', 'sha1=')), false);
  assert.equal(verifyWebhookSignature(SECRET, undefined, RAW, signature), false);
  assert.equal(verifyWebhookSignature(SECRET, `${stamp}x`, RAW, signature), false);
  assert.equal(
    verifyWebhookSignature('', stamp, RAW, signWebhook('', stamp, RAW)),
    false,
    'no secret, no trust',
  );
});

test('a correctly signed but old request is a replay, unless the tolerance allows it', () => {
  const old = String(Math.floor(Date.now() / 1000) - 600);
  const signature = signWebhook(SECRET, old, RAW);
  assert.equal(verifyWebhookSignature(SECRET, old, RAW, signature), false);
  assert.equal(verifyWebhookSignature(SECRET, old, RAW, signature, 3600), true);
  const future = String(Math.floor(Date.now() / 1000) + 600);
  assert.equal(verifyWebhookSignature(SECRET, future, RAW, signWebhook(SECRET, future, RAW)), false);
});
