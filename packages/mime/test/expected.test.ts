// BODYSTRUCTURE, BODY and ENVELOPE of corpus messages against hand-checked wire forms
// (fixtures/expected-structures.json), plus the decoded values the tree and search fields carry.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { formatBodyStructure, formatEnvelope, indexMessage, resolvePart } from '../src/index.js';
import type { IndexedMessage } from '../src/index.js';
import { chunked, corpusMessage } from './helpers.js';

const expectations = JSON.parse(
  readFileSync(new URL('./fixtures/expected-structures.json', import.meta.url), 'utf8'),
) as Record<string, { bodystructure?: string; body?: string; envelope?: string }>;

const index = (name: string): Promise<IndexedMessage> => indexMessage(chunked(corpusMessage(name), 5));

test('at least 10 messages have hand-checked expectations', () => {
  assert.ok(Object.keys(expectations).length >= 10);
});

for (const [name, expected] of Object.entries(expectations)) {
  test(`${name}: BODYSTRUCTURE, BODY and ENVELOPE match the hand-checked wire form`, async () => {
    const message = await index(name);
    // The stored forms must survive a JSON round trip (they are saved in the message document).
    const bodyStructure = JSON.parse(JSON.stringify(message.bodyStructure)) as typeof message.bodyStructure;
    const envelope = JSON.parse(JSON.stringify(message.envelope)) as typeof message.envelope;
    if (expected.bodystructure)
      assert.equal(formatBodyStructure(bodyStructure, true).toString('utf8'), expected.bodystructure);
    if (expected.body)
      assert.equal(formatBodyStructure(bodyStructure, false).toString('utf8'), expected.body);
    if (expected.envelope) assert.equal(formatEnvelope(envelope).toString('utf8'), expected.envelope);
  });
}

test('literals carry the UTF-8 byte count of 8-bit header text', async () => {
  const wire = formatEnvelope((await index('34-raw-utf8-headers.eml')).envelope);
  assert.ok(wire.includes(Buffer.from('{18}\r\nZoë Ærøskøbing')));
  assert.equal(Buffer.byteLength('Zoë Ærøskøbing'), 18);
});

test('subjects and names are decoded from iso-8859-1, windows-1252, iso-2022-jp and koi8-r', async () => {
  const cases: [string, string, string][] = [
    ['13-iso-8859-1.eml', "Réunion de l'équipe", 'François Château'],
    ['14-windows-1252.eml', 'Price € 100 “quoted”', 'René Müller'],
    ['15-iso-2022-jp.eml', 'テスト', '山田'],
    ['16-koi8-r.eml', 'Привет', 'Иван'],
    ['18-encoded-word-subjects.eml', 'Hello 👋 world and plain', '😀 Emoji'],
  ];
  for (const [name, subject, fromName] of cases) {
    const { headers } = await index(name);
    assert.equal(headers.subject, subject, name);
    assert.equal(headers.from[0]?.name, fromName, name);
    assert.equal(headers.search.subject, subject.toLowerCase());
  }
});

test('RFC 2231 file names are joined and charset-decoded for use', async () => {
  const { root } = await index('17-rfc2231-filenames.eml');
  assert.equal(resolvePart(root, [2])?.filename, '€ report.pdf');
  assert.equal(resolvePart(root, [2])?.params.name, '€ report.pdf');
  assert.equal(resolvePart(root, [3])?.filename, 'café.txt');
  assert.equal(resolvePart(root, [3])?.params.name, 'a very long name that is split in two.txt');
  assert.equal(resolvePart(root, [3])?.disposition, 'attachment');
});

test('search headers carry addresses, groups, dates and references', async () => {
  const { headers } = await index('24-address-groups.eml');
  assert.deepEqual(headers.from, [{ name: 'Smith, John (Sales)', address: 'john.smith@example.com' }]);
  assert.deepEqual(headers.to, [
    { name: '', address: 'alice@example.com', group: 'Team' },
    { name: 'Bob B.', address: 'bob@example.com', group: 'Team' },
    { name: '', address: 'carol@example.com' },
  ]);
  assert.deepEqual(headers.bcc, [{ name: '', address: 'route@example.com' }]);
  assert.equal(headers.date?.toISOString(), '2024-01-14T10:00:00.000Z');
  assert.equal(headers.messageId, '<groups-24@example.com>');
  assert.equal(headers.inReplyTo, '<parent@example.com>');
  assert.deepEqual(headers.references, ['<root@example.com>', '<parent@example.com>']);
  // group names are searchable too (SEARCH TO team)
  assert.equal(headers.search.to, 'team: alice@example.com, bob b. <bob@example.com>;, carol@example.com');
  assert.ok(
    headers.lines.some((line) => line.key === 'references' && line.value.includes('<root@example.com>')),
  );
});

test('a bad date is kept raw in ENVELOPE and is null for search', async () => {
  const message = await index('12-malformed-headers.eml');
  assert.equal(message.envelope.date, 'not a date at all');
  assert.equal(message.headers.date, null);
  assert.equal(message.envelope.subject, 'space before colon');
});

test('MIME tree fields: part numbers, kinds, decoded description, language and location', async () => {
  const { root } = await index('31-headers-language-location-md5.eml');
  const first = resolvePart(root, [1]);
  assert.equal(first?.description, 'Beschreibung ü');
  assert.deepEqual(first?.language, ['en', 'de']);
  assert.equal(first?.location, 'http://example.com/part1.txt');
  assert.equal(first?.md5, 'Q2hlY2sgSW50ZWdyaXR5IQ==');
  assert.equal(first?.contentId, '<part1@example.com>');
  assert.equal(resolvePart(root, [2])?.decodedSize, undefined, 'x-uuencode has no known decoded size');

  const nested = await index('20-rfc822-nested-twice.eml');
  const deepest = resolvePart(nested.root, [2, 2, 2]);
  assert.equal(deepest?.subtype, 'html');
  assert.equal(deepest?.path, '2.2.2');
  assert.equal(resolvePart(nested.root, [2])?.kind, 'message');
  assert.equal(resolvePart(nested.root, [2])?.message?.kind, 'multipart');
  assert.equal(resolvePart(nested.root, [2, 3]), null);
});

test('body text for search and previews is decoded from every transfer encoding and charset', async () => {
  const cases: [string, string][] = [
    [
      '13-iso-8859-1.eml',
      'La réunion aura lieu à 10h. Café et crêpes = offerts. Soft break above.\nTexte 8 bits: éàçüß',
    ],
    ['14-windows-1252.eml', 'Price: € 100 “quoted” … and – dash'],
    ['15-iso-2022-jp.eml', 'こんにちは'],
    ['16-koi8-r.eml', 'Привет, мир!'],
    [
      '07-nested-mixed-alternative-related.eml',
      'Your order has shipped. Tracking: ABC123 – thanks!\nYour order has shipped.',
    ],
    ['20-rfc822-nested-twice.eml', 'Level one text.\nLevel two text.\nDeepest plain.\nDeepest html.'],
    ['17-rfc2231-filenames.eml', 'Attachments follow.'],
  ];
  for (const [name, text] of cases) {
    const { bodyText } = await index(name);
    assert.deepEqual(bodyText, { text, truncated: false }, name);
  }
});

test('body text stops at maxBodyText and says it was cut', async () => {
  const message = await indexMessage(chunked(corpusMessage('10-long-lines.eml'), 1000), { maxBodyText: 100 });
  assert.equal(message.bodyText.text, 'x'.repeat(100));
  assert.equal(message.bodyText.truncated, true);
  const none = await indexMessage(chunked(corpusMessage('01-simple-plain.eml'), 1000), { maxBodyText: 0 });
  assert.deepEqual(none.bodyText, { text: '', truncated: true });
});
