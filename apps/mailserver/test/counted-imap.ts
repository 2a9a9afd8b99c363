// An IMAP server on the real store whose every store command is counted, for the tests that pin
// how many round trips a command costs (imap-sort-after-select, imap-partial-fetch-chunks).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MongoClient } from 'mongodb';
import { pino } from 'pino';
import { ImapServer } from '@wildduck/imap-core';
import { applySchema } from '@wildduck/schema';
import { openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';
import { createUser, storeContext } from '@wildduck/store';
import { MemoryChangeBus } from '@wildduck/change-bus';
import { MemoryRateLimiter } from '@wildduck/coordination';
import { StoreImapBackend } from '../src/imap/store-backend.js';
import { loadOrCreateCertificate } from '../src/tls.js';
import { LOGIN_LIMITS } from '../src/runtime.js';
import { connectCountingClient } from './counting-client.js';

export interface CountedImap {
  store: TestDatabase;
  /** The server's own MongoDB client: listen to its command events to count more than names. */
  client: MongoClient;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the server on a database of its own with one user (`address`, password `secretpass`);
 * `<command> <collection>` of each store command the server sends is pushed onto `commands`.
 */
export async function startCountedImap(
  label: string,
  address: string,
  commands: string[],
): Promise<CountedImap> {
  const store = await openTestDatabase(label);
  await applySchema(store.db);
  // a client of the server's own, which reports every command it sends
  const client = await connectCountingClient(store.uri, commands);
  const backend = new StoreImapBackend({
    ctx: storeContext(client.db(store.name)),
    bus: new MemoryChangeBus(),
    userLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perUser),
    addressLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perAddress),
  });
  const tls = await loadOrCreateCertificate({ dataDir: mkdtempSync(join(tmpdir(), 'wd-tls-')) });
  const server = new ImapServer({
    backend,
    tls,
    allowPlaintextLogin: true,
    logger: pino({ level: 'silent' }),
  });
  const { port } = await server.listen(0);
  await createUser(store.db, { address, password: 'secretpass', quota: null });
  return {
    store,
    client,
    port,
    async close() {
      await server.close();
      await client.close();
      await store.drop();
    },
  };
}
