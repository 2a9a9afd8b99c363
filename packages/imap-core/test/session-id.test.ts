// ID (RFC 2971): the server names itself and its version in any state; the client's fields
// (values may be NIL, or the whole list NIL) are accepted and logged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startTestServer } from './support/test-server.js';
import type { ImapLogger } from '../src/options.js';

const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

test('ID answers name and version before and after login, and logs what the client said', async () => {
  const logged: object[] = [];
  const logger: ImapLogger = {
    debug: () => undefined,
    info: (data, message) => {
      if (message === 'client identified itself') logged.push(data);
    },
    warn: () => undefined,
    error: () => undefined,
  };
  const server = await startTestServer({ logger });
  try {
    const client = await server.connect();
    const expected = `* ID ("name" "Wild Duck" "version" "${version}")`;
    await client.expect('i1', 'ID NIL', [new RegExp(`^${expected.replace(/[()*.]/g, '\\$&')}$`), /^i1 OK/]);
    const { untagged, tagged } = await client.command('i2', 'ID ("name" "sodr" "version" "19.34" "os" NIL)');
    assert.deepEqual(untagged, [expected]);
    assert.match(tagged, /^i2 OK/);
    assert.deepEqual((logged[0] as { client: unknown }).client, { name: 'sodr', version: '19.34', os: null });
    await client.command('l1', 'LOGIN "alice@example.com" "secret-alice"');
    assert.deepEqual((await client.command('i3', 'ID NIL')).untagged, [expected]);
    await client.expect('i4', 'ID "name"', [/^i4 BAD /]);
  } finally {
    await server.close();
  }
});
