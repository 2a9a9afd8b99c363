// FETCH ENVELOPE, BODY and BODYSTRUCTURE of tricky messages (test/imap-fidelity/*.eml) against
// frozen wire forms (fixtures/imap-fidelity-expected.json). The expected strings are Dovecot 2.3's
// answers on the same files, checked against RFC 3501's grammar, with our upper-case spelling of
// types, subtypes, encodings and parameter names (case-insensitive tokens): several To/Cc lines,
// groups, multiparts without parts, one-line parts, parameter order, encoded words, nesting.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { formatBodyStructure, formatEnvelope, indexMessage } from '../src/index.js';
import { chunked } from './helpers.js';

const directory = new URL('./imap-fidelity/', import.meta.url);
const expectations = JSON.parse(
  readFileSync(new URL('./fixtures/imap-fidelity-expected.json', import.meta.url), 'utf8'),
) as Record<string, { envelope: string; body: string; bodystructure: string }>;

test('every fidelity message has frozen expectations', () => {
  const files = readdirSync(directory).filter((name) => name.endsWith('.eml'));
  assert.deepEqual(files.sort(), Object.keys(expectations).sort());
});

for (const [name, expected] of Object.entries(expectations)) {
  test(`${name}: ENVELOPE, BODY and BODYSTRUCTURE are Dovecot's answers byte for byte`, async () => {
    const raw = readFileSync(new URL(name, directory));
    const message = await indexMessage(chunked(raw, 7));
    // The stored forms go through a JSON round trip (they are saved in the message document).
    const stored = JSON.parse(JSON.stringify(message)) as typeof message;
    assert.equal(formatEnvelope(stored.envelope).toString('utf8'), expected.envelope);
    assert.equal(formatBodyStructure(stored.bodyStructure, false).toString('utf8'), expected.body);
    assert.equal(formatBodyStructure(stored.bodyStructure, true).toString('utf8'), expected.bodystructure);
  });
}
