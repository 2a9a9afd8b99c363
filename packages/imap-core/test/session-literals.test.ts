// RFC 7888: we advertise LITERAL+, the superset: non-synchronising literals of any size up to our
// limits are read without a continuation request. LITERAL- (non-synchronising literals of at most
// 4096 bytes) is implied by it and is not listed beside it, since a LITERAL- server rejects what a
// LITERAL+ server accepts: the two cannot both describe one server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, sampleMessage } from './support/test-server.js';

test('LITERAL+ is advertised without LITERAL-, and a non-synchronising literal over 4096 bytes is accepted', async () => {
  const server = await startTestServer();
  try {
    const client = await server.login();
    const capability = (await client.command('c1', 'CAPABILITY')).untagged[0]!.split(' ');
    assert.ok(capability.includes('LITERAL+'));
    assert.ok(!capability.includes('LITERAL-'));
    const message = sampleMessage('big', 'x'.repeat(10_000) + '\r\n');
    assert.ok(message.length > 4096);
    client.write(`a1 APPEND INBOX {${message.length}+}\r\n${message}\r\n`);
    // no continuation request: the next line is the tagged answer
    assert.match(await client.readLine(), /^a1 OK \[APPENDUID \d+ 1\] /);
    // a small one in another command too
    client.write('a2 SELECT {5+}\r\nINBOX\r\n');
    const { tagged } = await client.until('a2');
    assert.match(tagged, /^a2 OK \[READ-WRITE\]/);
  } finally {
    await server.close();
  }
});
