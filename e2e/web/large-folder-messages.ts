/**
 * The messages of the large-folder test: deterministic, varied and real (RFC 5322 with MIME), so
 * the same index always gives the same bytes and the test knows what a search must find.
 *
 * Message i (0 = oldest) of `total`:
 * - from one of 97 senders (`Sender <k> <sender<k>@example.org>`, k = i % 97); message i % 997 = 5 comes
 *   from the rare sender `Quincy Rare <quincy.rare@lists.example.net>` instead;
 * - a subject of common words with its number (`... #i`), the last one `Last of the folder`;
 * - dated every ~50 minutes backwards from 2026-11-30 (the newest is the last);
 * - a text body of two paragraphs; one in 2,500 (i % 2500 = 11) carries the rare word `kingfisher`;
 * - one in eight with a small PDF attachment; seven in ten \Seen; one in eleven \Flagged.
 */
import { Readable } from 'node:stream';
import type { BatchMessage } from '@wildduck/store';

export const RARE_WORD = 'kingfisher';
export const RARE_SENDER = 'quincy.rare@lists.example.net';
export const LAST_SUBJECT = 'Last of the folder';

const WORDS = (
  'meeting report invoice quarterly budget project schedule review draft contract update team travel ' +
  'lunch agenda summary release planning customer support ticket feedback design server network backup ' +
  'holiday office request approval payment order delivery shipment warehouse inventory marketing launch ' +
  'campaign newsletter survey training workshop conference webinar minutes notes action items deadline'
).split(' ');

const NEWEST = Date.UTC(2026, 10, 30, 12, 0, 0);
const STEP_MS = 50 * 60 * 1000;

/** A small pseudo-random sequence per message (mulberry32), so bytes never change between runs. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function words(next: () => number, count: number): string {
  const out: string[] = [];
  for (let index = 0; index < count; index++) out.push(WORDS[Math.floor(next() * WORDS.length)]!);
  return out.join(' ');
}

export function isRareWordMessage(index: number): boolean {
  return index % 2500 === 11;
}

export function isRareSenderMessage(index: number): boolean {
  return index % 997 === 5;
}

export function largeFolderDate(index: number, total: number): Date {
  return new Date(NEWEST - (total - 1 - index) * STEP_MS);
}

export function largeFolderSubject(index: number, total: number): string {
  if (index === total - 1) return LAST_SUBJECT;
  const next = random(index * 7919 + 3);
  const text = words(next, 3 + Math.floor(next() * 4));
  return `${text.charAt(0).toUpperCase()}${text.slice(1)} #${index}`;
}

/** Message `index` of `total` as the batch append takes it. */
export function largeFolderMessage(index: number, total: number): BatchMessage {
  const next = random(index * 104729 + 17);
  const date = largeFolderDate(index, total);
  const sender = index % 97;
  const from = isRareSenderMessage(index)
    ? `Quincy Rare <${RARE_SENDER}>`
    : `Sender ${sender} <sender${sender}@example.org>`;
  let text = `${words(next, 30)}.\r\n\r\n${words(next, 25)}.\r\n`;
  if (isRareWordMessage(index)) text += `\r\nA ${RARE_WORD} was seen by the pond.\r\n`;
  const headers = [
    `From: ${from}`,
    'To: Reader <reader@large.test>',
    `Subject: ${largeFolderSubject(index, total)}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <large-${index}@example.org>`,
    'MIME-Version: 1.0',
  ];
  let body: string;
  if (index % 8 === 3) {
    const boundary = `----=_large_${index}`;
    const pdf = Buffer.from(`%PDF-1.4\n% report ${index}\n`.repeat(8)).toString('base64');
    headers.push(`Content-Type: multipart/mixed; boundary="${boundary}"`);
    body =
      `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}` +
      `--${boundary}\r\nContent-Type: application/pdf; name="report-${index}.pdf"\r\n` +
      `Content-Disposition: attachment; filename="report-${index}.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n` +
      `${pdf.replace(/.{76}/g, '$&\r\n')}\r\n--${boundary}--\r\n`;
  } else {
    headers.push('Content-Type: text/plain; charset=utf-8');
    body = text;
  }
  const flags = [...(index % 10 < 7 ? ['\\Seen'] : []), ...(index % 11 === 0 ? ['\\Flagged'] : [])];
  return {
    message: Readable.from([Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body}`, 'utf8')]),
    flags,
    internalDate: date,
  };
}
