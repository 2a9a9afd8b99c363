import { createHash } from 'node:crypto';

/**
 * The soak's messages: every one has a unique Message-ID, and its body is a pure function of that
 * id, so the final check can tell a complete message from a truncated or mixed-up one without
 * keeping what was sent. One in eight is large enough to be stored in GridFS parts.
 */
export interface SoakMessage {
  messageId: string;
  raw: string;
}

let counter = 0;

/** A new message from `from` to `to`, created by `origin` (append, lmtp, submission). */
export function newMessage(origin: string, from: string, to: string): SoakMessage {
  counter += 1;
  const messageId = `<soak.${origin}.${process.pid}.${counter}.${Date.now().toString(36)}@soak.test>`;
  const raw =
    [
      `From: ${from}`,
      `To: ${to}`,
      `Subject: soak ${origin} ${counter}`,
      `Message-ID: ${messageId}`,
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      bodyFor(messageId),
    ].join('\r\n') + '\r\n';
  return { messageId, raw };
}

/** The body text a message with this Message-ID carries (lines of 76 characters). */
export function bodyFor(messageId: string): string {
  const seed = createHash('sha256').update(messageId).digest();
  const large = seed[0]! % 8 === 0;
  const lines = large ? 4000 : 4 + (seed[1]! % 20);
  const out: string[] = [];
  let block = seed;
  for (let line = 0; line < lines; line += 1) {
    if (line % 2 === 0) block = createHash('sha256').update(block).digest();
    out.push(block.toString('hex').slice(0, 64) + String(line).padStart(12, '0'));
  }
  return out.join('\r\n');
}

/** Whether a fetched BODY[TEXT] is exactly the body this Message-ID was sent with. */
export function bodyMatches(messageId: string, text: string): boolean {
  return text.replace(/\r\n$/, '') === bodyFor(messageId);
}
