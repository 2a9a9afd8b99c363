// Each response leaves in as few socket writes as possible: a command's untagged lines and its
// tagged completion in one write, so no part of it waits for the client's delayed ACK behind
// Nagle's algorithm; large literals still stream in bounded writes with back-pressure; and what
// the client must see before it can go on (continuations, IDLE's news) is written at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type net from 'node:net';
import { Duplex, Readable, Writable } from 'node:stream';
import { ImapSession } from '../src/session.js';
import { resolveOptions } from '../src/options.js';
import { ResponseWriter, atom, literal } from '../src/writer/index.js';
import { MemoryBackend } from './support/memory-backend.js';
import { ALICE, sampleMessage } from './support/test-server.js';

/** A socket stand-in that records every write() the session makes, and lets a test type as the client. */
class FakeSocket extends Duplex {
  readonly writes: Buffer[] = [];
  readonly remoteAddress = '192.0.2.1';

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.writes.push(chunk);
    this.emit('wrote');
    callback();
  }

  override _read(): void {}

  /** Sends a line as the client. */
  type(line: string): void {
    this.push(`${line}\r\n`);
  }

  get text(): string {
    return Buffer.concat(this.writes).toString('latin1');
  }

  /** Waits until the output matches `pattern` (each write is an event); a session that never answers fails the test. */
  async until(pattern: RegExp): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`never saw ${pattern}; output: ${this.text}`)), 10_000);
    });
    const seen = (async () => {
      while (!pattern.test(this.text)) await once(this, 'wrote');
    })();
    try {
      await Promise.race([seen, giveUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The writes made while `action` ran, until `done` matched. */
  async writesOf(action: () => void, done: RegExp): Promise<Buffer[]> {
    const before = this.writes.length;
    action();
    await this.until(done);
    return this.writes.slice(before);
  }
}

/** A session on a fake socket, logged in as alice with INBOX selected. */
async function selectedSession(backend: MemoryBackend): Promise<FakeSocket> {
  const socket = new FakeSocket();
  const session = new ImapSession(socket as unknown as net.Socket, {
    options: resolveOptions({ backend, allowPlaintextLogin: true }),
    secure: false,
    secureContext: null,
  });
  session.start();
  await socket.until(/^\* OK .*\r\n/);
  socket.type(`L LOGIN "${ALICE.username}" "${ALICE.password}"`);
  await socket.until(/\r\nL OK /);
  socket.type('S SELECT INBOX');
  await socket.until(/\r\nS OK /);
  return socket;
}

function newBackend(): MemoryBackend {
  return new MemoryBackend({ users: [ALICE] });
}

test('CAPABILITY, LIST of six mailboxes and FETCH 1:20 (FLAGS) each go out in one write', async () => {
  const backend = newBackend();
  for (let index = 0; index < 20; index++)
    await backend.deliver(ALICE.username, 'INBOX', sampleMessage(`message ${index}`), { flags: ['\\Seen'] });
  const socket = await selectedSession(backend);

  const capability = await socket.writesOf(() => socket.type('c CAPABILITY'), /\r\nc OK [^\r]*\r\n$/);
  assert.equal(capability.length, 1, 'CAPABILITY');
  assert.match(capability[0]!.toString(), /^\* CAPABILITY .*\r\nc OK /);

  const list = await socket.writesOf(() => socket.type('l LIST "" "*"'), /\r\nl OK [^\r]*\r\n$/);
  assert.equal(list.length, 1, 'LIST');
  assert.equal(list[0]!.toString().match(/^\* LIST /gm)?.length, 6);

  const fetch = await socket.writesOf(() => socket.type('f FETCH 1:20 (FLAGS)'), /\r\nf OK [^\r]*\r\n$/);
  assert.equal(fetch.length, 1, 'FETCH');
  assert.equal(fetch[0]!.toString().match(/^\* \d+ FETCH \(FLAGS \(\\Seen\)\)/gm)?.length, 20);
  socket.destroy();
});

test('a FETCH of a large message streams in several bounded writes', async () => {
  const backend = newBackend();
  const body = 'y'.repeat(1024 * 1024 - 2) + '\r\n';
  await backend.deliver(ALICE.username, 'INBOX', sampleMessage('big', body));
  const socket = await selectedSession(backend);
  const writes = await socket.writesOf(() => socket.type('f FETCH 1 BODY.PEEK[]'), /\r\nf OK [^\r]*\r\n$/);
  assert.ok(writes.length > 1, `${writes.length} writes`);
  const text = Buffer.concat(writes).toString('latin1');
  assert.ok(text.includes(body), 'the whole body arrives');
  socket.destroy();
});

test('a continuation request is written at once, while the command waits for the client', async () => {
  const socket = new FakeSocket();
  const session = new ImapSession(socket as unknown as net.Socket, {
    options: resolveOptions({ backend: newBackend(), allowPlaintextLogin: true }),
    secure: false,
    secureContext: null,
  });
  session.start();
  await socket.until(/^\* OK .*\r\n/);
  socket.type('a AUTHENTICATE PLAIN');
  await socket.until(/\r\n\+ \r\n$/);
  socket.type(Buffer.from(`\0${ALICE.username}\0${ALICE.password}`).toString('base64'));
  await socket.until(/\r\na OK /);
  socket.destroy();
});

test('an EXISTS during IDLE is written without waiting for another command', async () => {
  const backend = newBackend();
  await backend.deliver(ALICE.username, 'INBOX', sampleMessage('first'));
  const socket = await selectedSession(backend);
  socket.type('i IDLE');
  await socket.until(/\r\n\+ idling\r\n$/);
  await backend.deliver(ALICE.username, 'INBOX', sampleMessage('second'));
  await socket.until(/\r\n\* 2 EXISTS\r\n$/);
  socket.type('DONE');
  await socket.until(/\r\ni OK IDLE terminated\r\n$/);
  socket.destroy();
});

/** A Writable that records each write() and only drains when `release()` is called. */
class HeldSocket extends Writable {
  readonly writes: Buffer[] = [];
  private pending: (() => void)[] = [];
  constructor() {
    super({ highWaterMark: 1024 });
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.writes.push(chunk);
    this.pending.push(() => callback());
  }
  release(): void {
    for (const done of this.pending.splice(0)) done();
  }
}

test('corked, the writer gathers responses until uncork(); uncorked, each response is one write', async () => {
  const socket = new HeldSocket();
  const writer = new ResponseWriter(socket);
  writer.cork();
  for (let index = 1; index <= 5; index++) void writer.untagged(index, atom('FETCH'), [atom('UID'), index]);
  void writer.tagged('a', 'OK', 'FETCH completed');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(socket.writes.length, 0, 'nothing is written while corked');
  const uncorked = writer.uncork();
  socket.release();
  await uncorked;
  assert.equal(socket.writes.length, 1);
  assert.match(socket.writes[0]!.toString(), /^\* 1 FETCH \(UID 1\)\r\n(.*\r\n){4}a OK FETCH completed\r\n$/);

  const sent = writer.untagged(atom('LIST'), [atom('\\HasNoChildren')], '/', 'a "quoted" name');
  socket.release();
  await sent;
  assert.equal(socket.writes.length, 2, 'an uncorked response with many values is still one write');
});

test('a streamed literal leaves in writes of about the threshold, each waiting for the socket to drain', async () => {
  const threshold = 64 * 1024;
  const chunkSize = 4096;
  const chunkCount = 256;
  const socket = new HeldSocket();
  const writer = new ResponseWriter(socket, { flushThreshold: threshold });
  let pulled = 0;
  const body = new Readable({
    highWaterMark: chunkSize,
    read() {
      if (pulled === chunkCount) return void this.push(null);
      pulled++;
      this.push(Buffer.alloc(chunkSize, 'm'));
    },
  });
  writer.cork();
  void writer.untagged(1, atom('FETCH'), [atom('BODY[]'), literal(body, chunkSize * chunkCount)]);
  void writer.tagged('f', 'OK', 'FETCH completed');
  const done = writer.uncork();
  let finished = false;
  void done.then(() => (finished = true));
  // until the socket drains, no more than the threshold (and what the stream reads ahead) is pulled
  while (socket.writes.length === 0) await new Promise((resolve) => setImmediate(resolve));
  for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(socket.writes.length, 1, 'one write, then a wait for drain');
  assert.ok(pulled * chunkSize <= threshold + 4 * chunkSize, `pulled ${pulled} chunks before any drain`);
  while (!finished) {
    socket.release();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const expected = `* 1 FETCH (BODY[] {${chunkSize * chunkCount}}\r\n${'m'.repeat(chunkSize * chunkCount)})\r\nf OK FETCH completed\r\n`;
  assert.equal(Buffer.concat(socket.writes).toString('latin1'), expected);
  assert.ok(socket.writes.length >= (chunkSize * chunkCount) / threshold, `${socket.writes.length} writes`);
  for (const write of socket.writes)
    assert.ok(write.length < threshold + chunkSize, `a write of ${write.length}`);
});
