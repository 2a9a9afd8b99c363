/**
 * A probe for the next step of text SEARCH (not used by the store): each search document also
 * carries the trigrams of its texts, prefixed by field (`f` from, `x` body) and spread over eight
 * top-level arrays `g0`…`g7` by a hash of the trigram, so a needle's trigrams become up to eight
 * top-level scalar equalities FerretDB 1.24 pushes down to SQL (`_jsonb->'g3' @> '"xzeb"'`):
 * PostgreSQL then returns only candidate documents and Go checks the `$regex` on those alone.
 * Prints FROM and BODY times over N such documents in one mailbox, without and with GIN indexes
 * on the eight keys.
 *
 *   node --conditions=source --import tsx packages/store/scripts/trigram-probe.ts [N=20000]
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { MongoClient, ObjectId } from 'mongodb';
import { startEmbeddedMongo } from '@wildduck/embedded-store';
import { generateMessage } from '../../../bench/messages.js';
const N = Number(process.argv[2] ?? 20000);
const dataDir = `/tmp/trigram-probe-${process.pid}`;
const mongo = await startEmbeddedMongo({
  dataDir,
  toolsDir: join(import.meta.dirname, '..', '..', '..', '.tools'),
  backend: 'postgresql',
  dropOnStop: true,
});
const pg = `wildduck_${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12)}`;
const psql = (sql: string) =>
  execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', pg, '-tAc', sql], {
    encoding: 'utf8',
  }).trim();
const client = new MongoClient(mongo.uri);
const BUCKETS = 8;
const bucketOf = (gram: string) => createHash('md5').update(gram).digest()[0]! % BUCKETS;
function grams(prefix: string, text: string): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  for (let i = 0; i + 3 <= text.length; i++) {
    const g = prefix + text.slice(i, i + 3);
    const b = bucketOf(g);
    if (!out.has(b)) out.set(b, new Set());
    out.get(b)!.add(g);
  }
  return out;
}
const time = async (name: string, f: () => Promise<number>) => {
  const t: number[] = [];
  let r = 0;
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    r = await f();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  console.log(`${N} docs  ${name.padEnd(44)} median ${t[1]!.toFixed(0)} ms  ${r} matches`);
};
try {
  await client.connect();
  const db = client.db('probe');
  const mailbox = new ObjectId();
  const docs = [];
  for (let i = 0; i < N; i++) {
    const text = generateMessage(i, N).bytes.toString('latin1').toLowerCase();
    const body = text.slice(text.indexOf('\r\n\r\n') + 4);
    const from = /^from: (.*)$/m.exec(text)?.[1] ?? '';
    const doc: Record<string, unknown> = { mailbox, uid: i + 1, from, searchText: body };
    const all = new Map<number, Set<string>>();
    for (const [p, t] of [
      ['f', from],
      ['x', body],
    ] as const)
      for (const [b, set] of grams(p, t)) {
        if (!all.has(b)) all.set(b, new Set());
        for (const g of set) all.get(b)!.add(g);
      }
    for (let b = 0; b < BUCKETS; b++) doc[`g${b}`] = [...(all.get(b) ?? [])];
    docs.push(doc);
  }
  for (let i = 0; i < N; i += 1000) await db.collection('s').insertMany(docs.slice(i, i + 1000));
  const table = psql(
    `SELECT _jsonb->>'table' FROM probe._ferretdb_database_metadata WHERE _jsonb->>'_id' = 's'`,
  );
  console.log('avg doc bytes', psql(`SELECT avg(pg_column_size(_jsonb))::int FROM probe.${table}`));
  const pushed = (prefix: string, needle: string) => {
    const f: Record<string, unknown> = { mailbox };
    for (const [b, set] of grams(prefix, needle)) f[`g${b}`] = [...set][0];
    return f;
  };
  const fromQ = { ...pushed('f', 'sender7@'), from: { $regex: 'sender7@' } };
  const bodyQ = { ...pushed('x', 'zebrafish'), searchText: { $regex: 'zebrafish' } };
  await time(
    'FROM (no GIN on g*)',
    async () =>
      (
        await db
          .collection('s')
          .find(fromQ, { projection: { uid: 1 } })
          .toArray()
      ).length,
  );
  await time(
    'BODY (no GIN on g*)',
    async () =>
      (
        await db
          .collection('s')
          .find(bodyQ, { projection: { uid: 1 } })
          .toArray()
      ).length,
  );
  for (let b = 0; b < BUCKETS; b++) psql(`CREATE INDEX ON probe.${table} USING gin ((_jsonb->'g${b}'))`);
  psql(`CREATE INDEX ON probe.${table} USING gin ((_jsonb->'mailbox'))`);
  psql('ANALYZE');
  await time(
    'FROM (GIN on g0..g7)',
    async () =>
      (
        await db
          .collection('s')
          .find(fromQ, { projection: { uid: 1 } })
          .toArray()
      ).length,
  );
  await time(
    'BODY (GIN on g0..g7)',
    async () =>
      (
        await db
          .collection('s')
          .find(bodyQ, { projection: { uid: 1 } })
          .toArray()
      ).length,
  );
  console.log('pushed FROM filter keys:', Object.keys(fromQ).join(' '));
} finally {
  await client.close();
  await mongo.stop();
}
