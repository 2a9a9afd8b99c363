/**
 * The GIN indexes under FerretDB on PostgreSQL: every collection FerretDB creates gets them, one
 * that went missing comes back at the next start, and PostgreSQL can serve FerretDB's pushed-down
 * equality (`_jsonb->'key' @> value`) with them.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { promisify } from 'node:util';
import { MongoClient, ObjectId } from 'mongodb';
import {
  GIN_INDEXED_KEYS,
  GIN_INDEXED_PAIRS,
  ensureGinIndexes,
  startEmbeddedMongo,
  type EmbeddedMongo,
} from '../src/index.js';

const run = promisify(execFile);
/** The project's git-ignored tools folder, where FerretDB is built. */
const toolsDir = fileURLToPath(new URL('../../../.tools', import.meta.url));
let store: EmbeddedMongo;
let client: MongoClient;
let dataDir: string;

async function sql(database: string, statement: string): Promise<string[]> {
  const { stdout } = await run('psql', [
    '-h',
    '127.0.0.1',
    '-U',
    'postgres',
    '-d',
    database,
    '-tAc',
    statement,
  ]);
  return stdout.split('\n').filter((line) => line.trim() !== '');
}

/** The GIN index expressions on the table behind `collection` of the Mongo database `mongoDb`. */
async function ginKeys(database: string, mongoDb: string, collection: string): Promise<string[]> {
  const table = await tableOf(database, mongoDb, collection);
  const rows = await sql(
    database,
    `SELECT indexdef FROM pg_indexes WHERE schemaname = '${mongoDb}' AND tablename = '${table}' AND indexdef LIKE '%USING gin%'`,
  );
  return rows
    .map((row) => [...row.matchAll(/_jsonb -> '([^']+)'/g)].map((match) => match[1]).join('+'))
    .sort();
}

async function tableOf(database: string, mongoDb: string, collection: string): Promise<string> {
  const [table] = await sql(
    database,
    `SELECT tablename FROM pg_tables WHERE schemaname = '${mongoDb}' AND tablename LIKE '${collection}_%'`,
  );
  assert.ok(table, `no table for ${mongoDb}.${collection}`);
  return table;
}

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wd-gin-'));
  store = await startEmbeddedMongo({ dataDir, toolsDir, backend: 'postgresql', dropOnStop: true });
  client = new MongoClient(store.uri);
  await client.connect();
});

after(async () => {
  await client?.close();
  await store?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

test('every collection FerretDB creates gets a GIN index per hot key', async () => {
  const database = store.postgresDatabase!;
  assert.ok(database, 'FerretDB runs on PostgreSQL here');
  await client.db('gin_a').collection('messages').insertOne({ mailbox: new ObjectId(), uid: 1 });
  assert.deepEqual(
    await ginKeys(database, 'gin_a', 'messages'),
    [...GIN_INDEXED_KEYS, ...GIN_INDEXED_PAIRS.map((pair) => pair.join('+'))].sort(),
  );
});

test('an index that went missing is added again at the next start', async () => {
  const database = store.postgresDatabase!;
  await client.db('gin_b').collection('journal').insertOne({ mailbox: new ObjectId(), modseq: 1 });
  const table = await tableOf(database, 'gin_b', 'journal');
  const [mailboxIndex] = await sql(
    database,
    `SELECT indexname FROM pg_indexes WHERE schemaname = 'gin_b' AND tablename = '${table}' AND indexdef LIKE '%''mailbox''%'`,
  );
  await sql(database, `DROP INDEX gin_b."${mailboxIndex}"`);
  assert.ok(!(await ginKeys(database, 'gin_b', 'journal')).includes('mailbox'));
  await ensureGinIndexes(database);
  assert.ok((await ginKeys(database, 'gin_b', 'journal')).includes('mailbox'));
});

test('equality on a top-level key is answered through the index, with the right documents', async () => {
  const database = store.postgresDatabase!;
  const collection = client.db('gin_c').collection('messages');
  const mailboxes = [new ObjectId(), new ObjectId()];
  await collection.insertMany(
    mailboxes.flatMap((mailbox) => [1, 2, 3].map((uid) => ({ mailbox, uid, flags: ['\\Seen'] }))),
  );
  const found = await collection.find({ mailbox: mailboxes[1], uid: 2 }).toArray();
  assert.equal(found.length, 1);
  assert.ok(found[0]!.mailbox.equals(mailboxes[1]));
  // the statement FerretDB sends for {mailbox: X}; with sequential scans off the plan shows the index
  const table = await tableOf(database, 'gin_c', 'messages');
  const plan = await sql(
    database,
    `SET enable_seqscan = off; EXPLAIN SELECT _jsonb FROM gin_c."${table}" WHERE _jsonb -> 'mailbox' @> '"${mailboxes[1]!.toHexString()}"'`,
  );
  assert.match(plan.join('\n'), /Bitmap Index Scan on \S+_wd_gin_/);
  const [setting] = await sql(database, 'SHOW plan_cache_mode');
  assert.equal(setting, 'force_custom_plan');
});

test('a GridFS chunk by {files_id, n} is found through the pair index', async () => {
  const database = store.postgresDatabase!;
  const collection = client.db('gin_d').collection('chunks');
  const fileIds = [new ObjectId(), new ObjectId()];
  await collection.insertMany(
    fileIds.flatMap((files_id) => [0, 1, 2, 3].map((n) => ({ files_id, n, data: Buffer.alloc(64, n) }))),
  );
  const found = await collection.find({ files_id: fileIds[1], n: 2 }).toArray();
  assert.equal(found.length, 1);
  assert.equal(found[0]!.n, 2);
  // the statement FerretDB sends for {files_id, n}: served by the two-column index, so PostgreSQL
  // does not read every chunk of the file to test `n` (parts.ts reads a range chunk by chunk)
  const table = await tableOf(database, 'gin_d', 'chunks');
  const plan = await sql(
    database,
    `SET enable_seqscan = off; EXPLAIN SELECT _jsonb FROM gin_d."${table}" WHERE _jsonb -> 'files_id' @> '"${fileIds[1]!.toHexString()}"' AND _jsonb -> 'n' @> '2'`,
  );
  const [pairIndex] = await sql(
    database,
    `SELECT indexname FROM pg_indexes WHERE schemaname = 'gin_d' AND tablename = '${table}' AND indexdef LIKE '%''files_id''%''n''%'`,
  );
  assert.ok(pairIndex, 'the (files_id, n) pair index exists');
  assert.match(plan.join('\n'), new RegExp(`Index Scan on "?${pairIndex}"?`));
});
