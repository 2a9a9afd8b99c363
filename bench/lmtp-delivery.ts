import { randomBytes, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { Target } from './environment.js';
import { ImapConnection, searchResults } from './imap-client.js';
import { formatBytes, formatDuration, percentile } from './report.js';

/** The sender of every benchmark message, also what the clean-up looks for. */
export const BENCH_SENDER = 'lmtp-bench@example.org';
/** A header every LMTP benchmark message carries, so the clean-up finds exactly these. */
const MARK_HEADER = 'X-Bench';
const MARK_VALUE = 'lmtp-delivery';

/** The outcome of one LMTP transaction with one recipient. */
export interface LmtpOutcome {
  ok: boolean;
  /** The server's reply for the recipient (LMTP gives one per recipient after DATA). */
  reply: string;
  /** The UID named in the reply, when the server names one (ours: "delivered (uid N)"). */
  uid: number | undefined;
}

/**
 * One LMTP connection (nodemailer's pooled SMTP transport with `lmtp: true` and a single
 * connection, kept open for every message): LHLO once, then MAIL FROM, RCPT TO, DATA per message.
 */
export class LmtpSender {
  private readonly transport;

  constructor(endpoint: { host: string; port: number }) {
    const options: SMTPPool.Options & { maxRequeues: number } = {
      pool: true,
      maxConnections: 1,
      maxMessages: Infinity,
      // a message whose connection broke is a failure, not sent again
      maxRequeues: 0,
      host: endpoint.host,
      port: endpoint.port,
      lmtp: true,
      secure: false,
      ignoreTLS: true,
      name: 'bench.example.org',
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 600_000,
    };
    this.transport = nodemailer.createTransport(options);
    // a broken connection fails the delivery it carried (reported there); the pool opens a new one
    this.transport.on('error', () => {});
  }

  /** Delivers `raw` (the whole message, CRLF lines) to one recipient and reads its LMTP reply. */
  async deliver(to: string, raw: Buffer | Readable): Promise<LmtpOutcome> {
    try {
      const info = await this.transport.sendMail({ envelope: { from: BENCH_SENDER, to: [to] }, raw });
      const accepted = info.accepted.map(String);
      const reply = String(info.response ?? '');
      const ok = accepted.length === 1 && info.rejected.length === 0 && reply.startsWith('250');
      const uid = /\buid (\d+)/i.exec(reply);
      return {
        ok,
        reply: ok ? reply : `${reply} (rejected: ${info.rejected.join(', ')})`,
        uid: uid ? Number(uid[1]) : undefined,
      };
    } catch (error) {
      const reason = (error as { response?: string }).response ?? (error as Error).message;
      return { ok: false, reply: String(reason), uid: undefined };
    }
  }

  close(): void {
    this.transport.close();
  }
}

function messageHead(id: string, subject: string, extra: string[]): string {
  return (
    [
      `From: LMTP Bench <${BENCH_SENDER}>`,
      'To: Bench User <bench@example.com>',
      `Subject: ${subject}`,
      `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
      `Message-ID: <${id}@lmtp.bench.example.org>`,
      `${MARK_HEADER}: ${MARK_VALUE}`,
      'MIME-Version: 1.0',
      ...extra,
    ].join('\r\n') + '\r\n\r\n'
  );
}

const TEXT =
  'The quarterly report is attached to the ticket; please review the draft before the meeting and ' +
  'send the budget figures, the schedule and any open questions to the team by the end of the week. ';

/** A text/plain message of exactly `totalBytes` bytes (lines of at most 76 characters). */
export function textMessage(id: string, totalBytes: number): Buffer {
  const head = messageHead(id, `LMTP bench ${id}`, [
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 7bit',
  ]);
  const bodyBytes = totalBytes - head.length;
  if (bodyBytes < 2) throw new Error(`a ${totalBytes}-byte message is too small`);
  const lines: string[] = [];
  let length = 0;
  for (let offset = 0; length < bodyBytes; offset = (offset + 71) % TEXT.length) {
    const line = (TEXT + TEXT).slice(offset, offset + 72).trim();
    lines.push(line);
    length += line.length + 2;
  }
  // cut to size; the message ends with CRLF
  let body = lines.join('\r\n').slice(0, bodyBytes - 2);
  if (body.endsWith('\r')) body = body.slice(0, -1) + '.';
  return Buffer.from(head + body + '\r\n', 'latin1');
}

/**
 * A message of exactly `totalBytes` bytes: a short text/plain part, then an attachment of random
 * bytes in base64 (lines of 76 characters) filling the rest, produced in chunks so that even a
 * 50 MB message is never held whole. Random bytes, so no two messages share their attachment.
 */
export function attachmentMessage(
  id: string,
  totalBytes: number,
): { bytes: number; attachmentBase64Bytes: number; chunks(hash?: Hash): Generator<Buffer> } {
  const boundary = `----=_lmtp_bench_${id}`;
  const text = 'Hello,\r\n\r\nthe data set is attached.\r\n\r\nRegards,\r\nLMTP Bench\r\n';
  const tail = `--${boundary}--\r\n`;
  // the padding header takes the few bytes that base64 (4 characters for 3 bytes) cannot
  for (let pad = 0; pad < 8; pad++) {
    const head =
      messageHead(id, `LMTP bench attachment ${id}`, [
        `X-Bench-Padding: ${'x'.repeat(pad + 1)}`,
        `Content-Type: multipart/mixed; boundary="${boundary}"`,
      ]) +
      `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${text}` +
      `--${boundary}\r\nContent-Type: application/octet-stream; name="data.bin"\r\n` +
      'Content-Disposition: attachment; filename="data.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n';
    const encoded = totalBytes - head.length - tail.length;
    // full lines of 76 characters + CRLF (57 bytes each), then one shorter line + CRLF
    const fullLines = Math.floor(encoded / 78);
    const lastLine = encoded - fullLines * 78 - 2;
    if (encoded < 78 || (lastLine !== -2 && (lastLine <= 0 || lastLine % 4 !== 0))) continue;
    return {
      bytes: totalBytes,
      attachmentBase64Bytes: encoded,
      *chunks(hash?: Hash) {
        const emit = (chunk: Buffer) => {
          hash?.update(chunk);
          return chunk;
        };
        yield emit(Buffer.from(head, 'latin1'));
        const LINES_PER_CHUNK = 1024;
        for (let done = 0; done < fullLines; done += LINES_PER_CHUNK) {
          const lines = Math.min(LINES_PER_CHUNK, fullLines - done);
          const base64 = randomBytes(lines * 57).toString('base64');
          const chunk = Buffer.allocUnsafe(lines * 78);
          for (let i = 0; i < lines; i++) {
            chunk.write(base64.slice(i * 76, i * 76 + 76), i * 78, 'latin1');
            chunk.write('\r\n', i * 78 + 76, 'latin1');
          }
          yield emit(chunk);
        }
        if (lastLine > 0)
          yield emit(Buffer.from(`${randomBytes((lastLine / 4) * 3).toString('base64')}\r\n`, 'latin1'));
        yield emit(Buffer.from(tail, 'latin1'));
      },
    };
  }
  throw new Error(`cannot lay out a ${totalBytes}-byte attachment message`);
}

/** One message size of the delivery benchmark and what it measured. */
export interface LmtpPhase {
  label: string;
  messageBytes: number;
  /** Deliveries accepted for their recipient (the warm-up messages not included). */
  messages: number;
  failures: number;
  /** The first failed delivery's reply or error. */
  firstFailure?: string;
  seconds: number;
  messagesPerSecond: number;
  /** Message bytes (as sent, before the server's trace headers) per second, in 10^6 bytes. */
  megabytesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface LmtpDeliveryResult {
  concurrency: number;
  /** "count" (a fixed number of messages per size) or "duration" (a fixed time per size). */
  mode: 'count' | 'duration';
  phases: LmtpPhase[];
  /** Benchmark messages removed from the INBOXes afterwards (and before, left by a broken run). */
  removed: number;
}

export interface LmtpDeliveryOptions {
  concurrency: number;
  /** Per size: messages in all, or, when durationMs is set, until that time is up. */
  sizes: { label: string; bytes: number; count: number }[];
  durationMs?: number;
  log(line: string): void;
}

/**
 * LMTP delivery rate: for each message size, `concurrency` LMTP connections (one per bench user,
 * each delivering to its own user) send messages one after another until the count (or time) is
 * reached. Each message is made just before it is sent (outside its latency, inside the phase's
 * time); its latency runs from handing it to the open connection (MAIL FROM) to the recipient's
 * reply after DATA, and it counts only if that reply is 250.
 */
export async function lmtpDelivery(
  target: Target,
  options: LmtpDeliveryOptions,
): Promise<LmtpDeliveryResult> {
  const { concurrency, log } = options;
  const lmtp = target.lmtp;
  if (!lmtp) throw new Error('no LMTP port known for this server (give --lmtp-port)');
  if (target.users < concurrency)
    throw new Error(`lmtp needs ${concurrency} users, the target has ${target.users}`);
  let removed = await removeBenchMessages(target, concurrency);
  if (removed) log(`lmtp: removed ${removed} messages left by an earlier run`);

  const senders = Array.from({ length: concurrency }, () => new LmtpSender(lmtp));
  const run = Date.now().toString(36);
  const phases: LmtpPhase[] = [];
  try {
    for (const size of options.sizes) {
      const make = (id: string) =>
        size.bytes >= 100_000
          ? Buffer.concat([...attachmentMessage(id, size.bytes).chunks()])
          : textMessage(id, size.bytes);
      log(
        `lmtp: ${size.label} messages, ${concurrency} connections, ${options.durationMs ? `${options.durationMs / 1000} s` : `${size.count} messages`}`,
      );
      // warm-up: one message per connection (opens it, and runs the code path once), not counted
      const warmUp = await Promise.all(
        senders.map((sender, i) =>
          sender.deliver(target.user(i + 1), make(`${run}-${size.bytes}-warm-${i}`)),
        ),
      );
      const refused = warmUp.find((outcome) => !outcome.ok);
      if (refused) throw new Error(`the warm-up delivery failed: ${refused.reply}`);

      const latencies: number[] = [];
      let failures = 0;
      let firstFailure: string | undefined;
      let next = 0;
      const started = performance.now();
      const deadline = options.durationMs ? started + options.durationMs : Infinity;
      const progress = setInterval(
        () => log(`  ${Math.round((performance.now() - started) / 1000)} s: ${latencies.length} delivered`),
        5000,
      );
      await Promise.all(
        senders.map(async (sender, i) => {
          for (;;) {
            if (options.durationMs ? performance.now() >= deadline : next >= size.count) return;
            const index = next++;
            const message = make(`${run}-${size.bytes}-${index}`);
            const begin = performance.now();
            const outcome = await sender.deliver(target.user(i + 1), message);
            const took = performance.now() - begin;
            if (outcome.ok) latencies.push(took);
            else {
              failures++;
              firstFailure ??= outcome.reply;
            }
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      clearInterval(progress);
      const phase: LmtpPhase = {
        label: size.label,
        messageBytes: size.bytes,
        messages: latencies.length,
        failures,
        ...(firstFailure ? { firstFailure } : {}),
        seconds,
        messagesPerSecond: latencies.length / seconds,
        megabytesPerSecond: (latencies.length * size.bytes) / seconds / 1e6,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        maxMs: percentile(latencies, 100),
      };
      phases.push(phase);
      log(
        `  ${phase.messages} × ${formatBytes(size.bytes)} in ${formatDuration(seconds * 1000)}: ${phase.messagesPerSecond.toFixed(1)} msg/s, ${phase.megabytesPerSecond.toFixed(2)} MB/s, p50 ${formatDuration(phase.p50Ms)}, p99 ${formatDuration(phase.p99Ms)}${failures ? `, ${failures} FAILED (${firstFailure})` : ''}`,
      );
    }
  } finally {
    for (const sender of senders) sender.close();
  }
  const cleaned = await removeBenchMessages(target, concurrency);
  log(`  clean-up: ${cleaned} benchmark messages removed from the INBOXes`);
  removed += cleaned;
  return { concurrency, mode: options.durationMs ? 'duration' : 'count', phases, removed };
}

/** UIDs flagged \Deleted per STORE command of the clean-up. */
const STORE_STEP = 25;

/**
 * Removes the LMTP benchmark's messages (those with its X-Bench header) from the INBOX of users
 * 1..users, over IMAP: SEARCH, STORE \Deleted, EXPUNGE. Returns how many were removed.
 */
export async function removeBenchMessages(
  target: Pick<Target, 'endpoint' | 'user' | 'password'>,
  users: number,
): Promise<number> {
  let removed = 0;
  for (let n = 1; n <= users; n++) {
    const client = await ImapConnection.open(target.endpoint, 600_000);
    try {
      await client.login(target.user(n), target.password);
      await client.run('SELECT INBOX');
      const found = searchResults(
        (await client.run(`UID SEARCH HEADER ${MARK_HEADER} "${MARK_VALUE}"`)).untagged,
      );
      if (!found.length) continue;
      // in steps: the server updates the messages of one STORE all at once, and FerretDB 1.24 on
      // PostgreSQL once stopped answering altogether under 138 concurrent updates
      for (let i = 0; i < found.length; i += STORE_STEP)
        await client.run(`UID STORE ${compactSet(found.slice(i, i + STORE_STEP))} +FLAGS.SILENT (\\Deleted)`);
      await client.run('EXPUNGE');
      removed += found.length;
    } finally {
      await client.logout();
    }
  }
  return removed;
}

/** "1:5,8,10:12" for a list of UIDs. */
function compactSet(uids: number[]): string {
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    ranges.push(i === j ? String(sorted[i]) : `${sorted[i]}:${sorted[j]}`);
    i = j + 1;
  }
  return ranges.join(',');
}
