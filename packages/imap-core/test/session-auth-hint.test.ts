// A backend's hint for a refused login (e.g. "use an app password") replaces the text of
// NO [AUTHENTICATIONFAILED], on one line whatever the backend put in it.
import { test } from 'node:test';
import type { AuthenticateResult } from '../src/index.js';
import { MemoryBackend } from './support/memory-backend.js';
import { ALICE, startTestServer } from './support/test-server.js';

class HintingBackend extends MemoryBackend {
  constructor(private readonly hint: string) {
    super({ users: [ALICE] });
  }
  override async authenticate(username: string, password: string): Promise<AuthenticateResult> {
    const result = await super.authenticate(username, password);
    return result.ok ? { ok: false, rateLimited: false, hint: this.hint } : result;
  }
}

test('the hint is the text of NO [AUTHENTICATIONFAILED]; a failure without one keeps the usual text', async () => {
  const server = await startTestServer({ backend: new HintingBackend('Use an app password') });
  try {
    const client = await server.connect();
    await client.expect('a1', `LOGIN "${ALICE.username}" "${ALICE.password}"`, [
      /^a1 NO \[AUTHENTICATIONFAILED\] Use an app password$/,
    ]);
    await client.expect('a2', `LOGIN "${ALICE.username}" wrong`, [
      /^a2 NO \[AUTHENTICATIONFAILED\] Invalid username or password$/,
    ]);
  } finally {
    await server.close();
  }
});

test('a hint with line breaks cannot add a response line', async () => {
  const server = await startTestServer({ backend: new HintingBackend('first\r\n* BYE injected\r\nx') });
  try {
    const client = await server.connect();
    await client.expect('a1', `LOGIN "${ALICE.username}" "${ALICE.password}"`, [
      /^a1 NO \[AUTHENTICATIONFAILED\] first \* BYE injected x$/,
    ]);
    await client.expect('a2', 'NOOP', [/^a2 OK/]);
  } finally {
    await server.close();
  }
});
