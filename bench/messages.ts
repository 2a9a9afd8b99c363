/**
 * Deterministic test messages: the same index always gives the same bytes, so a filled mailbox can
 * be reused between runs and the search figures always count the same matches.
 */

/** A small, fast, seeded pseudo-random generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'meeting report invoice quarterly budget project schedule review draft contract update team travel ' +
  'lunch agenda summary release planning customer support ticket feedback design server network backup ' +
  'holiday office request approval payment order delivery shipment warehouse inventory marketing launch ' +
  'campaign newsletter survey training workshop conference webinar minutes notes action items deadline ' +
  'reminder follow question answer proposal estimate quote pricing discount renewal license account ' +
  'password security audit compliance policy handbook onboarding hiring interview candidate offer salary ' +
  'expense receipt reimbursement forecast revenue growth target metrics dashboard analysis research data ' +
  'migration upgrade maintenance outage incident postmortem roadmap milestone sprint retrospective demo'
).split(' ');

/** The word planted in one message of every hundred, for the BODY search. */
export const RARE_BODY_WORD = 'zebrafish';
/** Sender names: message i comes from sender number i % SENDERS. */
export const SENDERS = 200;

const FIRST = 1_672_531_200_000; // 2023-01-01T00:00:00Z
const SPAN_MS = 730 * 24 * 3600 * 1000; // two years

/** The internal date (and Date header) of message `index` of `total`: spread evenly over 2023–2024. */
export function messageDate(index: number, total: number): Date {
  return new Date(FIRST + Math.floor((SPAN_MS * index) / Math.max(1, total)));
}

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

function sentence(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(pick(random, WORDS));
  const text = out.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}

/** Wraps text into lines of at most 76 characters. */
function wrap(text: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > 76) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\r\n');
}

/** What a generated message looks like, for the queries that look for it. */
export interface GeneratedMessage {
  bytes: Buffer;
  date: Date;
  /** \Seen for seven messages out of ten. */
  flags: string[];
}

/**
 * Message `index` of a mailbox of `total` messages: about 1.5–3 kB, text/plain (four in five) or
 * multipart/alternative, from `sender<i % 200>`, with a subject of three to six common words.
 */
export function generateMessage(index: number, total: number, salt = 1): GeneratedMessage {
  const random = seededRandom(index * 7919 + salt);
  const date = messageDate(index, total);
  const sender = index % SENDERS;
  const subject = sentence(random, 3 + Math.floor(random() * 4)).replace(/\.$/, '');
  const paragraphs: string[] = [];
  const count = 2 + Math.floor(random() * 3);
  for (let p = 0; p < count; p++) paragraphs.push(wrap(sentence(random, 25 + Math.floor(random() * 30))));
  if (index % 100 === 7) paragraphs.push(wrap(`The ${RARE_BODY_WORD} samples arrived today.`));
  const text = paragraphs.join('\r\n\r\n') + '\r\n';
  const headers = [
    `From: Sender ${sender} <sender${sender}@example.org>`,
    `To: Bench User <bench@example.com>`,
    `Subject: ${subject}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <bench-${salt}-${index}@example.org>`,
    'MIME-Version: 1.0',
  ];
  let body: string;
  if (index % 5 === 4) {
    const boundary = `----=_bench_${index}`;
    const html = `<html><body>${paragraphs.map((paragraph) => `<p>${paragraph.replace(/\r\n/g, ' ')}</p>`).join('\r\n')}</body></html>\r\n`;
    headers.push(`Content-Type: multipart/alternative; boundary="${boundary}"`);
    body =
      `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${text}` +
      `--${boundary}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${wrap(html)}\r\n` +
      `--${boundary}--\r\n`;
  } else {
    headers.push('Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 7bit');
    body = text;
  }
  return {
    bytes: Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body}`, 'utf8'),
    date,
    flags: index % 10 < 7 ? ['\\Seen'] : [],
  };
}

/**
 * A message of about `totalBytes`: part 1 a short text/plain, part 2 a base64 attachment of
 * random (seeded, so always the same) bytes filling the rest.
 */
export function largeMessage(totalBytes: number): Buffer {
  const boundary = '----=_bench_large';
  const text = 'Hello,\r\n\r\nthe quarterly data set is attached.\r\n\r\nRegards,\r\nSender 1\r\n';
  const head =
    'From: Sender 1 <sender1@example.org>\r\nTo: Bench User <bench@example.com>\r\nSubject: Large attachment\r\n' +
    'Date: Mon, 02 Jun 2025 10:00:00 +0000\r\nMessage-ID: <bench-large@example.org>\r\nMIME-Version: 1.0\r\n' +
    `Content-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n` +
    `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${text}` +
    `--${boundary}\r\nContent-Type: application/octet-stream; name="data.bin"\r\nContent-Disposition: attachment; filename="data.bin"\r\n` +
    'Content-Transfer-Encoding: base64\r\n\r\n';
  const tail = `\r\n--${boundary}--\r\n`;
  const encodedBytes = totalBytes - head.length - tail.length;
  // base64 lines of 76 characters plus CRLF encode 57 bytes each
  const rawBytes = Math.floor((encodedBytes / 78) * 57);
  const random = seededRandom(42);
  const raw = Buffer.alloc(rawBytes);
  for (let i = 0; i < rawBytes; i += 4)
    raw.writeUInt32LE(Math.floor(random() * 4294967296), Math.min(i, rawBytes - 4));
  const encoded = raw.toString('base64').replace(/.{76}/g, '$&\r\n').replace(/\r\n$/, '');
  return Buffer.concat([
    Buffer.from(head, 'latin1'),
    Buffer.from(encoded, 'latin1'),
    Buffer.from(tail, 'latin1'),
  ]);
}

/** The small message the throughput benchmark appends. */
export function appendedMessage(counter: number, client: number): Buffer {
  return generateMessage(1_000_000 + client * 100_000 + counter, 1, 3).bytes;
}
