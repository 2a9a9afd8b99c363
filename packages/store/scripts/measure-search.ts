/**
 * Measures text SEARCH (FROM and BODY) through `searchMessages` on one mailbox of 5,000 and then
 * 20,000 messages, on the embedded store (FerretDB 1.24 on the local PostgreSQL), with the GIN
 * expression indexes on `_jsonb->'mailbox'` etc. that the embedded store creates. Not a test: it
 * prints figures that decide how the search data is laid out (see search.ts).
 *
 *   node --conditions=source --import tsx packages/store/scripts/measure-search.ts [sizes...]
 *
 * The mailbox is filled by appending 200 generated messages (bench/messages.ts) through
 * `appendMessage` and cloning their documents (new UID, MODSEQ and id) up to the size asked for.
 * Each search runs both ways, interleaved: over the message documents (A) and through
 * `searchMessages`, which answers text keys from the search collection (B).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { Double, MongoClient, ObjectId, type Document } from 'mongodb';
import { applySchema } from '@wildduck/schema';
import { startEmbeddedMongo } from '@wildduck/embedded-store';
import {
  appendMessage,
  createUser,
  findMailbox,
  searchFilter,
  searchMessages,
  storeContext,
  type MessageQuery,
} from '../src/index.js';
import { generateMessage, RARE_BODY_WORD, SENDERS } from '../../../bench/messages.js';

const sizes = process.argv.slice(2).map(Number).filter(Boolean);
const targets = sizes.length ? sizes : [5_000, 20_000];
const TEMPLATES = 200;
const RUNS = 3;

const dataDir = `/tmp/measure-search-${process.pid}`;
const mongo = await startEmbeddedMongo({
  dataDir,
  toolsDir: join(import.meta.dirname, '..', '..', '..', '.tools'),
  backend: 'postgresql',
  dropOnStop: true,
});
const pgDatabase = `wildduck_${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12)}`;
const psql = (sql: string) =>
  execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', pgDatabase, '-tAc', sql], {
    encoding: 'utf8',
  }).trim();

const client = new MongoClient(mongo.uri);
// Ctrl-C still stops FerretDB and drops its database
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
  for (let index = 0; index < TEMPLATES; index++) {
    const outcome = await appendMessage(
      ctx,
      user._id,
      inbox._id!,
      Readable.from([generateMessage(index, TEMPLATES).bytes]),
    );
    if (!outcome.ok) throw new Error(`append failed: ${outcome.code}`);
  }
  const templates = await db.collection('messages').find({ mailbox: inbox._id }).toArray();
  const searchTemplates = await db.collection('messageSearch').find({ mailbox: inbox._id }).toArray();

  // the GIN expression indexes the embedded store adds (so pushed equality is an index scan)
  for (const collection of ['messages', 'messageSearch', 'mailboxes', 'journal']) {
    const table = psql(
      `SELECT _jsonb->>'table' FROM measure._ferretdb_database_metadata WHERE _jsonb->>'_id' = '${collection}'`,
    );
    if (!table) continue;
    for (const key of ['_id', 'user', 'mailbox', 'uid'])
      psql(
        `CREATE INDEX IF NOT EXISTS ${table}_gin_${key.replace('_', '')} ON measure.${table} USING gin ((_jsonb->'${key}'))`,
      );
  }

  let count = TEMPLATES;
  for (const target of targets) {
    while (count < target) {
      const batch: Document[] = [];
      const searchBatch: Document[] = [];
      for (let index = 0; index < 1000 && count < target; index++, count++) {
        const template = templates[count % TEMPLATES]!;
        batch.push({ ...template, _id: new ObjectId(), uid: count + 1, modseq: new Double(count + 2) });
        const searchTemplate = searchTemplates[count % TEMPLATES];
        if (searchTemplate) searchBatch.push({ ...searchTemplate, _id: new ObjectId(), uid: count + 1 });
      }
      await db.collection('messages').insertMany(batch, { ordered: false });
      if (searchBatch.length)
        await db.collection('messageSearch').insertMany(searchBatch, { ordered: false });
    }
    await db
      .collection('mailboxes')
      .updateOne({ _id: inbox._id }, { $set: { uidNext: count + 1, highestModseq: new Double(count + 1) } });
    psql('ANALYZE');

    const queries: [string, MessageQuery][] = [
      ['FROM sender7', { type: 'header', field: 'from', value: `sender7@` }],
      ['BODY ' + RARE_BODY_WORD, { type: 'body', value: RARE_BODY_WORD }],
      [
        'SUBJECT + UNSEEN',
        {
          type: 'and',
          keys: [
            { type: 'header', field: 'subject', value: 'report' },
            { type: 'flag', flag: '\\Seen', set: false },
          ],
        },
      ],
    ];
    for (const [name, query] of queries) {
      // A: the whole search over the message documents (as before the search collection);
      // B: searchMessages (text keys from the search collection). Interleaved, so load on the
      // shared machine weighs on both alike.
      const times: Record<'A' | 'B', number[]> = { A: [], B: [] };
      const matches: Record<'A' | 'B', number> = { A: 0, B: 0 };
      for (let run = 0; run < RUNS; run++) {
        for (const side of ['A', 'B'] as const) {
          const started = performance.now();
          matches[side] =
            side === 'A'
              ? (
                  await db
                    .collection('messages')
                    .find(searchFilter(inbox._id!, query), { projection: { _id: 0, uid: 1 } })
                    .toArray()
                ).length
              : (await searchMessages(db, inbox._id!, query)).length;
          times[side].push(performance.now() - started);
        }
      }
      for (const side of ['A', 'B'] as const) {
        const sorted = times[side].sort((a, b) => a - b);
        console.log(
          `${count} messages  ${name.padEnd(18)} ${side === 'A' ? 'message documents ' : 'search collection '} median ${sorted[RUNS >> 1]!.toFixed(0)} ms  (min ${sorted[0]!.toFixed(0)}, max ${sorted[RUNS - 1]!.toFixed(0)})  ${matches[side]} matches`,
        );
      }
    }
  }
  for (const collection of ['messages', 'messageSearch']) {
    const table = psql(
      `SELECT _jsonb->>'table' FROM measure._ferretdb_database_metadata WHERE _jsonb->>'_id' = '${collection}'`,
    );
    const bytes = psql(`SELECT avg(pg_column_size(_jsonb))::int FROM measure.${table}`);
    console.log(`average ${collection} document: ${bytes} bytes (JSONB, as PostgreSQL stores it)`);
  }
  console.log(`${SENDERS} senders; the BODY word is in one message of every hundred`);
} finally {
  await client.close();
  await mongo.stop();
}
