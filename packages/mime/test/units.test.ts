// The small pieces on their own: parameters, addresses, decoders, the IMAP serializer,
// limits, and what happens when the sink or the source fails.

import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { parseAddressList } from '../src/address.js';
import { htmlToText } from '../src/body-text.js';
import { createBodyDecoder } from '../src/decoders.js';
import { decodedParameters, imapParameters, parseParameterizedValue } from '../src/header-params.js';
import {
  headerBytes,
  indexMessage,
  MimeLimitError,
  parseHeaderBlock,
  reassembleMessage,
  serializeImapValue,
} from '../src/index.js';
import type { BodyDigest, LargeBodyInfo, PartSink } from '../src/index.js';
import { chunked, MemorySink, readAll } from './helpers.js';

test('RFC 2231: continuations join, charsets decode, and IMAP keeps the encoded form', () => {
  const parsed = parseParameterizedValue(
    `attachment; filename*0*=utf-8''%E2%82%AC%20rates; filename*1=" 2024.pdf"; size=12 (a comment)`,
  );
  assert.equal(parsed.value, 'attachment');
  assert.deepEqual(decodedParameters(parsed.params), { filename: '€ rates 2024.pdf', size: '12' });
  assert.deepEqual(imapParameters(parsed.params), [
    ['filename*', "utf-8''%E2%82%AC%20rates%202024.pdf"],
    ['size', '12'],
  ]);
});

test('parameters: quoted values with semicolons and escapes, encoded-word names, and name* beating name', () => {
  const parsed = parseParameterizedValue('text/plain; name="a;b \\"c\\".txt"; charset=UTF-8');
  assert.deepEqual(decodedParameters(parsed.params), { name: 'a;b "c".txt', charset: 'UTF-8' });
  assert.equal(
    decodedParameters(parseParameterizedValue('application/pdf; name="=?utf-8?B?w6TDtsO8LnBkZg==?="').params)
      .name,
    'äöü.pdf',
  );
  const both = parseParameterizedValue("application/pdf; name=plain.pdf; name*=utf-8''%C3%A9.pdf");
  assert.equal(decodedParameters(both.params).name, 'é.pdf');
});

test('addresses: groups, routes, comments as names, quoted local parts and raw encoded-words', () => {
  assert.deepEqual(parseAddressList('Team: a@x.org, "B, b" <b@y.org>;, c@z.org (Cee)'), [
    {
      kind: 'group',
      name: 'Team',
      members: [
        { kind: 'mailbox', name: null, route: null, mailbox: 'a', host: 'x.org' },
        { kind: 'mailbox', name: 'B, b', route: null, mailbox: 'b', host: 'y.org' },
      ],
    },
    { kind: 'mailbox', name: 'Cee', route: null, mailbox: 'c', host: 'z.org' },
  ]);
  assert.deepEqual(parseAddressList('=?utf-8?Q?J=C3=B6rg?= <@r1,@r2:"john doe"@example.com>'), [
    {
      kind: 'mailbox',
      name: '=?utf-8?Q?J=C3=B6rg?=',
      route: '@r1,@r2',
      mailbox: 'john doe',
      host: 'example.com',
    },
  ]);
  assert.deepEqual(parseAddressList('root'), [
    { kind: 'mailbox', name: null, route: null, mailbox: 'root', host: '' },
  ]);
  assert.deepEqual(parseAddressList(''), []);
});

test('header blocks: folded fields keep their bytes, odd lines become keyless fields', () => {
  const fields = parseHeaderBlock(
    Buffer.from(' stray\r\nSubject: a\r\n b\r\nFrom a@b Mon Jan 1 00:00:00 2024\r\nX: 1\r\n\r\nbody'),
  );
  assert.deepEqual(
    fields.map((f) => [f.key, f.raw.toString(), f.value]),
    [
      ['', ' stray\r\n', 'stray'],
      ['subject', 'Subject: a\r\n b\r\n', 'a b'],
      ['', 'From a@b Mon Jan 1 00:00:00 2024\r\n', 'From a@b Mon Jan 1 00:00:00 2024'],
      ['x', 'X: 1\r\n', '1'],
    ],
  );
});

function decodeInPieces(encoding: string, input: Buffer, pieceSize: number): Buffer {
  const decoder = createBodyDecoder(encoding);
  assert.ok(decoder);
  const out: Buffer[] = [];
  for (let i = 0; i < input.length; i += pieceSize)
    out.push(decoder.update(input.subarray(i, i + pieceSize)));
  out.push(decoder.final());
  return Buffer.concat(out);
}

test('quoted-printable decoding is the same however the input is split', () => {
  const input = Buffer.from('caf=C3=A9 ok   \r\nsoft=\r\nbreak =  \r\nx=3D=\nbad=ZZ =4\r\ntrail  ');
  const expected = 'café ok\r\nsoftbreak x=bad=ZZ =4\r\ntrail';
  for (const size of [1, 2, 3, 5, 8, 1000])
    assert.equal(
      decodeInPieces('quoted-printable', input, size).toString('utf8'),
      expected,
      `pieces of ${size}`,
    );
});

test('base64 decoding skips line breaks and garbage however the input is split', () => {
  const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff));
  const encoded = Buffer.from((data.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n') + '\r\n');
  for (const size of [1, 3, 77, 4096])
    assert.ok(decodeInPieces('base64', encoded, size).equals(data), `pieces of ${size}`);
  assert.equal(createBodyDecoder('x-uuencode'), null);
});

test('the IMAP serializer quotes, escapes, uses literals for 8-bit and line breaks, and writes NIL', () => {
  assert.equal(
    serializeImapValue(['a "b" \\c', null, 5, [], { atom: 'FLAG' }]).toString(),
    '("a \\"b\\" \\\\c" NIL 5 () FLAG)',
  );
  assert.equal(serializeImapValue('line\r\nbreak').toString(), '{11}\r\nline\r\nbreak');
  assert.equal(serializeImapValue('é').toString(), '{2}\r\né');
});

test('a long line with no LF in a body streams to the sink instead of being buffered', async () => {
  const line = Buffer.alloc(3 * 1024 * 1024, 0x41);
  const raw = Buffer.concat([
    Buffer.from(
      'Content-Type: multipart/mixed; boundary=z\r\n\r\n--z\r\nContent-Type: application/octet-stream\r\n\r\n',
    ),
    line,
    Buffer.from('\r\n--z--\r\n'),
  ]);
  const sink = new MemorySink();
  const message = await indexMessage(chunked(raw, 65536), { sink, largeBodyThreshold: 1024 });
  assert.ok(sink.maxChunk <= 256 * 1024);
  assert.equal(message.root.children?.[0]?.body.length, line.length);
  assert.ok((await readAll(reassembleMessage(message, sink.opener()).stream)).equals(raw));
});

test('a CRLF split across chunks after a long line still belongs to the delimiter', async () => {
  const raw = Buffer.from(
    'Content-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\n\r\n' + 'x'.repeat(500) + '\r\n--q--\r\n',
  );
  const cut = raw.indexOf('\r\n--q--');
  const message = await indexMessage(
    Readable.from([raw.subarray(0, cut + 1), raw.subarray(cut + 1)], { objectMode: false }),
  );
  assert.equal(message.root.children?.[0]?.body.length, 500);
});

test('header blocks larger than the limit are refused with MimeLimitError', async () => {
  const raw = Buffer.from(`Subject: ${'x'.repeat(5000)}\r\n\r\nbody`);
  await assert.rejects(
    indexMessage(chunked(raw, 100), { maxHeaderSize: 1000 }),
    (error: unknown) => error instanceof MimeLimitError && error.code === 'HEADER_TOO_LARGE',
  );
  const parts = Array.from({ length: 20 }, () => '--p\r\n\r\nx\r\n').join('');
  await assert.rejects(
    indexMessage(
      chunked(Buffer.from(`Content-Type: multipart/mixed; boundary=p\r\n\r\n${parts}--p--\r\n`), 50),
      { maxParts: 10 },
    ),
    MimeLimitError,
  );
});

test('nesting deeper than maxDepth is kept as a leaf, bytes intact', async () => {
  const raw = Buffer.from(
    'Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\ninner\r\n--b--\r\n--a--\r\n',
  );
  const message = await indexMessage(chunked(raw, 3), { maxDepth: 1 });
  assert.equal(message.root.children?.[0]?.kind, 'leaf');
  assert.ok((await readAll(reassembleMessage(message, () => Readable.from([])).stream)).equals(raw));
});

test('a failing sink fails indexing, and the other body streams see the error', async () => {
  const seen: string[] = [];
  let attempts = 0;
  const sink: PartSink = {
    async storeLargeBody(info: LargeBodyInfo, content: Readable, digest: Promise<BodyDigest>) {
      attempts++;
      if (info.part === '2') throw new Error('disk full');
      try {
        // A slow consumer: still reading part 1 when part 2 fails.
        for await (const _chunk of content) await new Promise((resolve) => setTimeout(resolve, 20));
        await digest;
        return 'ok';
      } catch (error) {
        seen.push((error as Error).message);
        throw error;
      }
    },
  };
  const big = 'y'.repeat(2000);
  const raw = Buffer.from(
    `Content-Type: multipart/mixed; boundary=f\r\n\r\n--f\r\n\r\n${big}\r\n--f\r\n\r\n${big}\r\n--f\r\n\r\n${big}\r\n--f--\r\n`,
  );
  await assert.rejects(indexMessage(chunked(raw, 100), { sink, largeBodyThreshold: 100 }), /disk full/);
  assert.ok(attempts >= 2);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(
    seen.includes('disk full'),
    `part 1's stream failed with the error (saw ${JSON.stringify(seen)})`,
  );
});

test('a failing source fails indexing and destroys the open body stream', async () => {
  let sinkError: Error | null = null;
  const sink: PartSink = {
    async storeLargeBody(_info, content) {
      try {
        for await (const _chunk of content) void _chunk;
      } catch (error) {
        sinkError = error as Error;
      }
      return 'never';
    },
  };
  async function* broken(): AsyncGenerator<Buffer> {
    yield Buffer.from('Subject: x\r\n\r\n' + 'z'.repeat(5000));
    throw new Error('connection reset');
  }
  await assert.rejects(
    indexMessage(Readable.from(broken(), { objectMode: false }), { sink, largeBodyThreshold: 100 }),
    /connection reset/,
  );
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal((sinkError as Error | null)?.message, 'connection reset');
});

test('identical large bodies are stored once by a deduplicating sink', async () => {
  const body = 'same attachment bytes '.repeat(100);
  const raw = Buffer.from(
    `Content-Type: multipart/mixed; boundary=d\r\n\r\n--d\r\n\r\n${body}\r\n--d\r\n\r\n${body}\r\n--d--\r\n`,
  );
  const sink = new MemorySink();
  const message = await indexMessage(chunked(raw, 64), { sink, largeBodyThreshold: 100 });
  assert.equal(sink.stored.length, 2);
  assert.equal(sink.bodies.size, 1);
  assert.equal([...sink.bodies.values()][0]?.refs, 2);
  assert.ok((await readAll(reassembleMessage(message, sink.opener()).stream)).equals(raw));
});

test('HTML is reduced to text: tags, scripts, styles and comments go, entities decode', () => {
  assert.equal(
    htmlToText(
      '<html><head><title>t</title></head><style>p{}</style><p>a &amp; b&nbsp;&lt;c&gt; &#233;&#x20AC;</p><!-- x --><script>var a</script>&bogus;</html>',
    )
      .replace(/\s+/g, ' ')
      .trim(),
    'a & b <c> é€ &bogus;',
  );
});

test('parameter names MongoDB cannot store as keys are left out of the decoded maps only', async () => {
  const raw = Buffer.from('Content-Type: text/plain; charset=utf-8; a.b=1; $x=2; __proto__=3\r\n\r\nbody');
  const message = await indexMessage(chunked(raw, 10));
  assert.deepEqual(message.root.params, { charset: 'utf-8' });
  assert.equal(Object.getPrototypeOf(message.root.params), Object.prototype);
  assert.deepEqual(
    message.bodyStructure.params?.map(([name]) => name),
    ['CHARSET', 'A.B', '$X', '__PROTO__'],
  );
});

test('once the inline budget is spent, further bodies go to the sink whatever their size', async () => {
  const parts = Array.from({ length: 6 }, (_, i) => `--s\r\n\r\n${String(i).repeat(100)}\r\n`).join('');
  const raw = Buffer.from(`Content-Type: multipart/mixed; boundary=s\r\n\r\n${parts}--s--\r\n`);
  const sink = new MemorySink();
  const message = await indexMessage(chunked(raw, 50), {
    sink,
    largeBodyThreshold: 1000,
    maxInlineBodyTotal: 250,
  });
  const where = message.segments
    .filter((s) => s.kind === 'body')
    .map((s) => (s.kind === 'body' && s.ref ? 'sink' : 'inline'));
  assert.deepEqual(where, ['inline', 'inline', 'sink', 'sink', 'sink', 'sink']);
  assert.ok((await readAll(reassembleMessage(message, sink.opener()).stream)).equals(raw));
});

test('headers beyond the total skeleton limit are refused', async () => {
  const parts = Array.from({ length: 50 }, () => `--s\r\nX-Filler: ${'f'.repeat(200)}\r\n\r\nx\r\n`).join('');
  const raw = Buffer.from(`Content-Type: multipart/mixed; boundary=s\r\n\r\n${parts}--s--\r\n`);
  await assert.rejects(
    indexMessage(chunked(raw, 100), { maxSkeletonSize: 4000 }),
    (error: unknown) => error instanceof MimeLimitError && error.code === 'HEADERS_TOO_LARGE',
  );
});

test('the searchable header list is bounded in total', async () => {
  const raw = Buffer.from(
    `${Array.from({ length: 200 }, (_, i) => `X-${i}: ${'v'.repeat(1000)}`).join('\r\n')}\r\n\r\nbody`,
  );
  const { headers } = await indexMessage(chunked(raw, 4096));
  const total = headers.lines.reduce((sum, line) => sum + line.key.length + line.value.length, 0);
  assert.ok(headers.lines.length < 200 && total <= 64 * 1024);
});

test('headerBytes returns a part header from the skeleton without opening anything', async () => {
  const message = await indexMessage(
    chunked(Buffer.from('Subject: s\r\nContent-Type: text/plain\r\n\r\nbody'), 3),
  );
  assert.equal(
    headerBytes(message, message.root).toString(),
    'Subject: s\r\nContent-Type: text/plain\r\n\r\n',
  );
});
