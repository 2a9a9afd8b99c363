import { createHmac, timingSafeEqual } from 'node:crypto';

/** The `x-wildduck-signature` value: `sha256=` and the hex HMAC-SHA256 of `<timestamp>.<raw body>`. */
export function signWebhook(
  secret: string,
  timestamp: string | number,
  rawBody: string | Uint8Array,
): string {
  return `sha256=${hmac(secret, String(timestamp), rawBody).toString('hex')}`;
}

/**
 * For receivers: true when `signatureHeader` (`x-wildduck-signature`) is the HMAC of
 * `<timestamp>.<rawBody>` under `secret`, compared in constant time, and `timestamp`
 * (`x-wildduck-timestamp`, unix seconds) is within `toleranceSeconds` of now (replay protection).
 * `rawBody` must be the bytes as received, before any JSON parsing.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | number | undefined | null,
  rawBody: string | Uint8Array,
  signatureHeader: string | undefined | null,
  toleranceSeconds = 300,
): boolean {
  if (typeof secret !== 'string' || !secret || timestamp == null || typeof signatureHeader !== 'string') {
    return false;
  }
  const stamp = String(timestamp).trim();
  if (!/^\d{1,12}$/.test(stamp)) return false;
  if (Math.abs(Date.now() / 1000 - Number(stamp)) > toleranceSeconds) return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(signatureHeader.trim());
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1], 'hex');
  const expected = hmac(secret, stamp, rawBody);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function hmac(secret: string, timestamp: string, rawBody: string | Uint8Array): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}
