/**
 * Measures what the webmail's message list (the `messages` query) costs on one mailbox of 20,000
 * messages (or the size given), on the embedded store (FerretDB 1.24 on the local PostgreSQL, with
 * the GIN indexes the embedded store adds): the first page, a page deep in the folder, a text
 * search (a rare body word), a sender search (as text and as from), and the count, each with the
 * number of store commands it sent; for the API's list index (src/mail/list-index.ts: the first
 * page while the folder is first read, how long that read takes, then each figure), and with
 * `--store` also for the store's listMessagePage (what the query did before). Not a test.
 *
 *   node --conditions=source --import tsx apps/api/scripts/measure-folder-list.ts [size] [--store]
 *
 * The mailbox is filled with the large-folder messages of the browser test
 * (e2e/web/large-folder-messages.ts) through the batch append.
 */
import { join } from 'node:path';
import { MongoClient, type CommandStartedEvent } from 'mongodb';
import { applySchema } from '@wildduck/schema';
import { startEmbeddedMongo } from '@wildduck/embedded-store';
import {
  appendMessageBatch,
  createUser,
  findMailbox,
  listMessagePage,
  storeContext,
  type MessageQuery,
  type MessagePage,
} from '@wildduck/store';
import { largeFolderMessage, RARE_SENDER, RARE_WORD } from '../../../e2e/web/large-folder-messages.js';
import { MessageListIndexes } from '../src/mail/list-index.js';

const args = process.argv.slice(2);
const total = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 20_000);
const measureStore = args.includes('--store');
const dataDir = `/tmp/measure-folder-list-${process.pid}`;
const mongo = await startEmbeddedMongo({
  dataDir,
  toolsDir: join(import.meta.dirname, '..', '..', '..', '.tools'),
  backend: 'postgresql',
  dropOnStop: true,
});
const client = new MongoClient(mongo.uri, { monitorCommands: true });
let commands = 0;
client.on('commandStarted', (_event: CommandStartedEvent) => (commands += 1));
process.once(
  'SIGINT',
  () => void client.close().finally(() => mongo.stop().finally(() => process.exit(130))),
);
try {
  await client.connect();
  const db = client.db('measure');
  await applySchema(db);
  const ctx = storeContext(db);
  const user = await createUser(db, { address: 'big@example.com', password: 'secretpass' });
  const inbox = (await findMailbox(db, user._id, 'INBOX'))!;
  const seeding = performance.now();
  for (let start = 0; start < total; start += 500) {
    const batch = [];
    for (let index = start; index < Math.min(total, start + 500); index++)
      batch.push(largeFolderMessage(index, total));
    const outcome = await appendMessageBatch(ctx, user._id, inbox._id!, batch);
    if (!outcome.ok) throw new Error(`append failed: ${outcome.code}`);
  }
  console.log(`seeded ${total} messages in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

  const measure = async (name: string, run: () => Promise<string>) => {
    for (let attempt = 1; attempt <= 2; attempt++) {
      const before = commands;
      const started = performance.now();
      const answer = await run();
      const ms = performance.now() - started;
      console.log(
        `${name.padEnd(28)} run ${attempt}: ${ms.toFixed(0).padStart(6)} ms, ${commands - before} store commands  (${answer})`,
      );
    }
  };
  const all: MessageQuery = { type: 'all' };
  const queries: [string, MessageQuery, number?][] = [
    ['first page', all],
    ['page deep (below uid 1000)', all, 1000],
    [`text search "${RARE_WORD}"`, { type: 'text', value: RARE_WORD }],
    ['text search sender', { type: 'text', value: RARE_SENDER }],
    ['from search sender', { type: 'header', field: 'from', value: RARE_SENDER }],
  ];
  const describe = (result: MessagePage) =>
    `${result.messages.length} messages, first uid ${result.messages[0]?.uid ?? '-'}, total ${result.totalCount}`;
  const box = async () => (await findMailbox(db, user._id, 'INBOX'))!;

  console.log('--- API list index (src/mail/list-index.ts)');
  const indexes = new MessageListIndexes(db, ctx.locks);
  const loading = performance.now();
  await measure('first page, folder not read yet', async () =>
    describe(await indexes.page(await box(), all, { first: 200 })),
  );
  await measure('first page, after the read', async () => {
    // the first request started the read; this one waits for it
    const result = await indexes.page(await box(), { type: 'text', value: 'x-never-there' }, { first: 200 });
    return `read the folder in ${((performance.now() - loading) / 1000).toFixed(1)} s from the first request (${result.totalCount})`;
  });
  for (const [name, query, beforeUid] of queries)
    await measure(name, async () =>
      describe(await indexes.page(await box(), query, { first: 200, ...(beforeUid ? { beforeUid } : {}) })),
    );
  await measure('count (page of 1)', async () =>
    describe(await indexes.page(await box(), all, { first: 1 })),
  );
  indexes.close();

  if (measureStore) {
    console.log('--- store listMessagePage (before)');
    for (const [name, query, beforeUid] of queries)
      await measure(name, async () =>
        describe(
          await listMessagePage(
            db,
            inbox._id!,
            query,
            { first: 200, ...(beforeUid ? { beforeUid } : {}) },
            ctx.locks,
          ),
        ),
      );
    await measure('count (page of 1)', async () =>
      describe(await listMessagePage(db, inbox._id!, all, { first: 1 }, ctx.locks)),
    );
  }
} finally {
  await client.close();
  await mongo.stop();
}
