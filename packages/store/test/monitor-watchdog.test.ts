import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { connectStore } from '@wildduck/store';
import { openTestDatabase } from '@wildduck/embedded-store';

/** A relay to the store whose connections can all be broken, with nothing listening for a while. */
class CuttableRelay {
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  port = 0;

  constructor(private readonly target: URL) {}

  async listen(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(Number(this.target.port), this.target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  async cut(ms: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
    await new Promise((resolve) => setTimeout(resolve, ms));
    await this.listen();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

test('a store connection cut under load, again and again, is used again once the store is back', async () => {
  const database = await openTestDatabase('monitor-watchdog');
  const relay = new CuttableRelay(new URL(database.uri));
  await relay.listen();
  const store = await connectStore(`mongodb://127.0.0.1:${relay.port}/`, database.name);
  const things = store.db.collection('things');
  let stopped = false;
  let succeeded = 0;
  // many operations in flight when the connections break: the case in which the driver's monitor
  // could start a check on a dying socket and never finish it
  const workers = Array.from({ length: 20 }, async (_, worker) => {
    while (!stopped) {
      try {
        await things.insertOne({ worker });
        await things.findOne({ worker });
        succeeded += 1;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
  try {
    for (let round = 0; round < 4; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 2500));
      await relay.cut(3000);
    }
    const afterCuts = succeeded;
    const deadline = Date.now() + 40_000;
    let answered = false;
    while (!answered && Date.now() < deadline) {
      answered = await store.db.command({ ping: 1 }).then(
        () => true,
        () => false,
      );
    }
    assert.ok(answered, 'the store answers again through the same client after the cuts');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(succeeded > afterCuts, 'the workers write again');
  } finally {
    stopped = true;
    await Promise.all(workers);
    await store.close();
    await relay.close();
    await database.drop();
  }
});
