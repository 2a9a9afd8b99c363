// FETCH sections served from stored segments: BODY[section]<partial>, HEADER.FIELDS, MIME,
// n.HEADER / n.TEXT of embedded messages, BINARY, and which stored bodies each one opens.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  binarySize,
  indexMessage,
  openBinary,
  openSection,
  parseSectionSpec,
  UnknownTransferEncodingError,
} from '../src/index.js';
import type { IndexedMessage, OpenBody } from '../src/index.js';
import { chunked, corpusMessage, MemorySink, noOpen, readAll } from './helpers.js';
import type { OpenBodyCall } from './helpers.js';

async function stored(
  name: string,
  threshold = 0,
): Promise<{ raw: Buffer; message: IndexedMessage; sink: MemorySink }> {
  const raw = corpusMessage(name);
  const sink = new MemorySink();
  const message = await indexMessage(chunked(raw, 9), { sink, largeBodyThreshold: threshold });
  return { raw, message, sink };
}

async function fetchText(
  message: IndexedMessage,
  section: string,
  openBody: OpenBody,
  partial?: { start: number; length?: number },
): Promise<string | null> {
  const content = openSection(message, parseSectionSpec(section), openBody, partial);
  if (!content) return null;
  const bytes = await readAll(content.stream);
  assert.equal(bytes.length, content.length, `BODY[${section}] length announced before the bytes`);
  return bytes.toString('latin1');
}

test('BODY[], HEADER and TEXT of the top-level message', async () => {
  const { raw, message, sink } = await stored('07-nested-mixed-alternative-related.eml');
  const text = raw.toString('latin1');
  const headerEnd = text.indexOf('\r\n\r\n') + 4;
  assert.equal(await fetchText(message, '', sink.opener()), text);
  assert.equal(await fetchText(message, 'HEADER', sink.opener()), text.slice(0, headerEnd));
  assert.equal(await fetchText(message, 'TEXT', sink.opener()), text.slice(headerEnd));
});

test('BODY[1.1] of nested multiparts, and BODY[1] of a multipart is its whole body', async () => {
  const { message, sink } = await stored('07-nested-mixed-alternative-related.eml');
  assert.equal(
    await fetchText(message, '1.1', sink.opener()),
    'Your order has shipped. Tracking: ABC123 =E2=80=93 thanks!',
  );
  assert.equal(
    await fetchText(message, '1.1.MIME', sink.opener()),
    'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n',
  );
  const alternative = await fetchText(message, '1', sink.opener());
  assert.ok(alternative?.startsWith('--alt\r\nContent-Type: text/plain'));
  assert.ok(alternative?.endsWith('--alt--\r\n'));
  assert.equal(
    await fetchText(message, '1.2.1', sink.opener()),
    '<html><body><img src="cid:logo@shop"><p>Your order has shipped.</p></body></html>',
  );
});

test('HEADER.FIELDS and HEADER.FIELDS.NOT keep raw folded fields and end with a blank line', async () => {
  const { message } = await stored('11-folded-headers.eml');
  assert.equal(
    await fetchText(message, 'HEADER.FIELDS (SUBJECT from)', noOpen),
    'From: Folded Sender\r\n  <folded@example.com>\r\nSubject: This subject is folded\r\n  over several lines\r\n\tand keeps going\r\n\r\n',
  );
  assert.equal(await fetchText(message, 'HEADER.FIELDS (X-MISSING)', noOpen), '\r\n');
  const not = await fetchText(message, 'HEADER.FIELDS.NOT (From To Subject Date)', noOpen);
  assert.equal(not, 'Content-Type: text/plain;\r\n\tcharset="us-ascii";\r\n\tformat=flowed\r\n\r\n');
});

test('n.HEADER, n.TEXT and n.HEADER.FIELDS address the embedded message of a message/rfc822 part', async () => {
  const { message, sink } = await stored('19-rfc822-attachment.eml');
  const header = await fetchText(message, '2.HEADER', sink.opener());
  assert.ok(header?.startsWith('From: Inner Sender <inner@example.com>\r\n'));
  assert.ok(header?.endsWith('Content-Type: text/plain; charset=us-ascii\r\n\r\n'));
  assert.equal(await fetchText(message, '2.TEXT', sink.opener()), 'Original text.\r\nSecond line.');
  assert.equal(await fetchText(message, '2.1', sink.opener()), 'Original text.\r\nSecond line.');
  assert.equal(
    await fetchText(message, '2.HEADER.FIELDS (Subject)', sink.opener()),
    'Subject: The forwarded message\r\n\r\n',
  );
  assert.equal(
    await fetchText(message, '2.MIME', sink.opener()),
    'Content-Type: message/rfc822\r\nContent-Disposition: attachment; filename="forwarded.eml"\r\n\r\n',
  );
  const whole = await fetchText(message, '2', sink.opener());
  assert.ok(whole?.startsWith('From: Inner Sender'));
  assert.ok(whole?.endsWith('Second line.'));
});

test('sections through two levels of message/rfc822', async () => {
  const { message, sink } = await stored('20-rfc822-nested-twice.eml');
  assert.equal(
    await fetchText(message, '2.2.HEADER.FIELDS (SUBJECT)', sink.opener()),
    'Subject: deep\r\n\r\n',
  );
  assert.equal(await fetchText(message, '2.2.1', sink.opener()), 'Deepest plain.');
  assert.equal(await fetchText(message, '2.2.2', sink.opener()), '<b>Deepest html.</b>');
  assert.equal(await fetchText(message, '2.1', sink.opener()), 'Level two text.');
});

test('a top-level message/rfc822 body is part 1, its parts 1.1 and 1.2', async () => {
  const { message, sink } = await stored('36-top-level-rfc822.eml');
  assert.equal(await fetchText(message, '1.1', sink.opener()), 'wrapped part one');
  assert.equal(await fetchText(message, '1.2', sink.opener()), 'wrapped part two');
  assert.equal(
    await fetchText(message, '1.HEADER.FIELDS (SUBJECT)', sink.opener()),
    'Subject: wrapped\r\n\r\n',
  );
});

test('a single-part message: BODY[1] is its body and BODY[1.MIME] its header', async () => {
  const { raw, message, sink } = await stored('01-simple-plain.eml');
  const text = raw.toString('latin1');
  const headerEnd = text.indexOf('\r\n\r\n') + 4;
  assert.equal(await fetchText(message, '1', sink.opener()), text.slice(headerEnd));
  assert.equal(await fetchText(message, '1.MIME', sink.opener()), text.slice(0, headerEnd));
});

test('sections that name nothing give null', async () => {
  const { message, sink } = await stored('19-rfc822-attachment.eml');
  assert.equal(await fetchText(message, '3', sink.opener()), null);
  assert.equal(await fetchText(message, '1.1', sink.opener()), null);
  assert.equal(await fetchText(message, '1.HEADER', sink.opener()), null, 'part 1 is no message/rfc822');
  assert.throws(() => parseSectionSpec('1.FOO'), /invalid section/);
});

test('partial ranges cut any section, and past the end give an empty string', async () => {
  const { raw, message, sink } = await stored('07-nested-mixed-alternative-related.eml');
  const text = raw.toString('latin1');
  assert.equal(await fetchText(message, '', sink.opener(), { start: 100, length: 50 }), text.slice(100, 150));
  assert.equal(
    await fetchText(message, '', sink.opener(), { start: text.length - 10, length: 100 }),
    text.slice(-10),
  );
  assert.equal(await fetchText(message, '', sink.opener(), { start: text.length + 5, length: 10 }), '');
  assert.equal(
    await fetchText(message, '1.1', sink.opener(), { start: 5 }),
    'order has shipped. Tracking: ABC123 =E2=80=93 thanks!',
  );
  assert.equal(
    await fetchText(message, 'HEADER.FIELDS (SUBJECT)', sink.opener(), { start: 9, length: 4 }),
    'Your',
  );
});

test('a partial range passes start and end to openBody and opens nothing else', async () => {
  const { raw, message, sink } = await stored('07-nested-mixed-alternative-related.eml');
  const pdf = message.segments.find((s) => s.kind === 'body' && s.part === '2');
  assert.ok(pdf && pdf.kind === 'body' && pdf.ref);
  const calls: OpenBodyCall[] = [];
  const text = await fetchText(message, '2', sink.opener(calls), { start: 1000, length: 300 });
  assert.equal(text, raw.subarray(pdf.offset + 1000, pdf.offset + 1300).toString('latin1'));
  assert.deepEqual(
    calls.map(({ part, start, end }) => ({ part, start, end })),
    [{ part: '2', start: 1000, end: 1300 }],
  );
});

test('BODY[1] reads only part 1; headers and MIME headers open no body at all', async () => {
  const { message, sink } = await stored('07-nested-mixed-alternative-related.eml');
  const calls: OpenBodyCall[] = [];
  await fetchText(message, '1.1', sink.opener(calls));
  assert.deepEqual(
    calls.map((c) => c.part),
    ['1.1'],
  );
  calls.length = 0;
  await fetchText(message, 'HEADER', sink.opener(calls));
  await fetchText(message, '2.MIME', sink.opener(calls));
  await fetchText(message, 'HEADER.FIELDS (FROM)', sink.opener(calls));
  assert.equal(calls.length, 0, 'headers are inline: nothing opened');
  await fetchText(message, '1', sink.opener(calls));
  assert.deepEqual(
    calls.map((c) => c.part),
    ['1.1', '1.2.1', '1.2.2'],
    'BODY[1] opens the leaves inside part 1 only',
  );
});

test('BINARY decodes base64 and quoted-printable with the decoded size known up front', async () => {
  const { message, sink } = await stored('23-qp-and-base64.eml');
  const qp = openBinary(message, [1], sink.opener());
  assert.ok(qp);
  const qpText = (await readAll(qp.stream)).toString('utf8');
  assert.equal(
    qpText,
    'A long line that is wrapped with a soft line break because it is longer than seventy-six characters. Equals sign: =. Trailing blanks vanish.\r\nCafé',
  );
  assert.equal(qp.length, Buffer.byteLength(qpText));
  assert.equal(binarySize(message, [1]), qp.length);
  const b64 = openBinary(message, [2], sink.opener());
  assert.ok(b64);
  assert.equal((await readAll(b64.stream)).toString(), 'Base64 text body\r\nwith two lines\r\n');
  assert.equal(b64.length, 34);
  const partial = openBinary(message, [2], sink.opener(), { start: 7, length: 4 });
  assert.ok(partial);
  assert.equal(partial.length, 4);
  assert.equal((await readAll(partial.stream)).toString(), 'text');
});

test('BINARY of 8-bit and binary parts is the body itself; unknown encodings are refused', async () => {
  const { message, sink } = await stored('09-binary-part.eml');
  const binary = openBinary(message, [2], sink.opener());
  const body = openSection(message, { part: [2] }, sink.opener());
  assert.ok(binary && body);
  assert.ok((await readAll(binary.stream)).equals(await readAll(body.stream)));
  const uu = await stored('31-headers-language-location-md5.eml');
  assert.throws(() => openBinary(uu.message, [2], uu.sink.opener()), UnknownTransferEncodingError);
  assert.equal(openBinary(uu.message, [7], uu.sink.opener()), null);
});

test('decoded sizes computed while indexing equal what BINARY produces, for every corpus leaf', async () => {
  for (const name of [
    '07-nested-mixed-alternative-related.eml',
    '13-iso-8859-1.eml',
    '17-rfc2231-filenames.eml',
    '23-qp-and-base64.eml',
  ]) {
    const { message, sink } = await stored(name, 8);
    const leaves = message.segments
      .filter((s) => s.kind === 'body' && s.role === 'body')
      .map((s) => (s.kind === 'body' ? s.part : ''));
    for (const path of leaves) {
      const content = openBinary(message, path.split('.').map(Number), sink.opener());
      assert.ok(content);
      assert.equal((await readAll(content.stream)).length, content.length, `${name} BINARY[${path}]`);
    }
  }
});

test('message/rfc822 directly inside message/rfc822: parts 1, 1.1 and 1.1.1', async () => {
  const { message, sink } = await stored('38-rfc822-in-rfc822.eml');
  assert.equal(
    await fetchText(message, '1.HEADER.FIELDS (SUBJECT)', sink.opener()),
    'Subject: middle\r\n\r\n',
  );
  assert.equal(
    await fetchText(message, '1.1.HEADER.FIELDS (SUBJECT)', sink.opener()),
    'Subject: inner\r\n\r\n',
  );
  assert.equal(await fetchText(message, '1.1.1', sink.opener()), 'innermost body\r\n');
  assert.equal(await fetchText(message, '1.1.TEXT', sink.opener()), 'innermost body\r\n');
  const middle = await fetchText(message, '1.1', sink.opener());
  assert.ok(middle?.startsWith('From: inner@example.com\r\n'));
  assert.equal(await fetchText(message, '1.1.1.1', sink.opener()), null);
});
