// The LMTP, SMTP maildrop and submission listeners answer without stalls: every socket has
// Nagle's algorithm off (a reply's last segment would otherwise wait for the client's delayed ACK),
// and replies written in the same tick, such as LMTP's one per recipient after DATA, leave in one
// batch (lmtp.test.ts covers those replies over real sockets).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { Writable } from 'node:stream';
import { coalesceWritesPerTick } from '../src/delivery/socket-tuning.js';
import { startMail, type MailHarness } from './mail-harness.js';
import { SmtpDialog } from './smtp-dialog.js';

/** Every setNoDelay call in this process: on which socket, with what. */
const calls: { socket: net.Socket; enabled: boolean }[] = [];
const original = net.Socket.prototype.setNoDelay;

let mail: MailHarness;
before(async () => {
  net.Socket.prototype.setNoDelay = function (this: net.Socket, enabled?: boolean) {
    calls.push({ socket: this, enabled: enabled ?? true });
    return original.call(this, enabled);
  };
  mail = await startMail('sockets');
});
after(async () => {
  net.Socket.prototype.setNoDelay = original;
  await mail.close();
});

test('LMTP, SMTP maildrop and submission sockets have no-delay', async () => {
  for (const [name, port] of [
    ['LMTP', mail.lmtpPort],
    ['SMTP', mail.smtpPort],
    ['submission', mail.submissionPort],
  ] as const) {
    const { dialog, greeting } = await SmtpDialog.open(port);
    assert.match(greeting, /^220 /);
    assert.ok(
      calls.some((call) => call.enabled && call.socket.localPort === port),
      `${name}: the accepted socket has no-delay`,
    );
    dialog.close();
  }
});

test('writes made in one tick reach the socket as one batch', async () => {
  const batches: number[] = [];
  const sink = new Writable({
    write(_chunk, _encoding, callback) {
      batches.push(1);
      callback();
    },
    writev(chunks, callback) {
      batches.push(chunks.length);
      callback();
    },
  });
  coalesceWritesPerTick(sink as unknown as net.Socket);
  sink.write('250 one\r\n');
  sink.write('250 two\r\n');
  sink.write('250 three\r\n');
  await new Promise((resolve) => setImmediate(resolve));
  sink.write('221 later\r\n');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(batches, [3, 1]);
});
