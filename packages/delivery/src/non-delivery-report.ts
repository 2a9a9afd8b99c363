import { randomUUID } from 'node:crypto';
import { formatMailDate } from './trace-headers.js';

/** What a non-delivery report says. */
export interface NonDeliveryFacts {
  to: string;
  messageId: string;
  rejected: readonly { address: string; reply: string }[];
  serverName: string;
}

/**
 * A plain-text report for the sender that some recipients refused a message the smarthost could
 * not deliver to them (a simple form of RFC 3464: the facts a person needs, readable anywhere).
 */
export function nonDeliveryReport(facts: NonDeliveryFacts): Buffer {
  const lines = facts.rejected.map(
    (entry) => `  <${entry.address}>: ${entry.reply.replace(/[\r\n]+/g, ' ')}`,
  );
  return Buffer.from(
    [
      `From: Mail Delivery System <mailer-daemon@${facts.serverName}>`,
      `To: <${facts.to}>`,
      `Subject: Undelivered mail: some recipients refused your message`,
      `Date: ${formatMailDate(new Date())}`,
      `Message-ID: <${randomUUID()}@${facts.serverName}>`,
      `In-Reply-To: ${facts.messageId}`,
      `References: ${facts.messageId}`,
      `Auto-Submitted: auto-replied`,
      `MIME-Version: 1.0`,
      `Content-Type: text/plain; charset=utf-8`,
      `Content-Transfer-Encoding: 8bit`,
      ``,
      `Your message ${facts.messageId} was sent to the other recipients, but these refused it:`,
      ``,
      ...lines,
      ``,
    ].join('\r\n'),
    'utf8',
  );
}
