/**
 * Indexes that let FerretDB 1.24 on PostgreSQL answer the store's hot queries without reading a
 * whole collection.
 *
 * Why: FerretDB pushes a top-level scalar equality filter down as `_jsonb->'key' @> value`, but
 * the indexes it builds for `createIndex` are btrees on `(_jsonb->'key')`, which cannot serve
 * `@>`. So every query, even `{_id: X}`, was a sequential scan of the collection's table: 260 ms
 * for `{mailbox, uid}` in a store of 100,000 messages. A GIN index on the same expression serves
 * `@>`: the same query takes 2-3 ms, whatever the size of the store (measured on this machine).
 *
 * How: an event trigger in the FerretDB database adds the GIN indexes to every table FerretDB
 * creates (a collection is a table with a `_jsonb` column), and `ensureGinIndexes` adds any that
 * are missing on tables created before. FerretDB sends the key as a parameter (`_jsonb->$1`); the
 * planner matches the index only once the parameter is folded in, so the database plans every
 * statement with its parameters (`plan_cache_mode = force_custom_plan`). MongoDB needs none of
 * this: its own indexes (prisma-free-schema) serve the same query shapes.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The top-level keys the store filters on by equality (shared/ferretdb-notes.md): ids, owners,
 * mailboxes, UIDs, login names, token hashes, GridFS chunks by file and stored parts by hash.
 */
export const GIN_INDEXED_KEYS = [
  '_id',
  'user',
  'mailbox',
  'uid',
  'address',
  'tokenHash',
  'files_id',
  'filename',
] as const;

/**
 * Pairs filtered on together, indexed as one two-column GIN index: for `{mailbox, uid}` the planner
 * otherwise takes the mailbox index alone and tests `uid` on each of the mailbox's rows, reading
 * every row's whole document (TOASTed message documents: 37-88 ms for one message among 1,000;
 * with the pair index 1.6 ms, measured on the bench store). `{files_id, n}` is one GridFS chunk
 * (parts.ts reads a part's range chunk by chunk): with the `files_id` index alone every chunk of
 * the file, 255 KiB each, is read to test `n`.
 */
export const GIN_INDEXED_PAIRS = [
  ['mailbox', 'uid'],
  ['files_id', 'n'],
] as const;

/** Statements that install the trigger and the plan setting in `database` (idempotent). */
export function ginIndexSetupSql(database: string): string {
  const keyArray = `ARRAY[${GIN_INDEXED_KEYS.map((key) => `'${key}'`).join(', ')}]`;
  const pairStatements = GIN_INDEXED_PAIRS.map(
    ([first, second]) =>
      `  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((_jsonb -> %L), (_jsonb -> %L))', ` +
      `left(rel.relname, 40) || '_wd_gin_' || md5('${first}+${second}'), rel.nspname, rel.relname, '${first}', '${second}');`,
  ).join('\n');
  return `
CREATE OR REPLACE FUNCTION wildduck_add_gin_indexes(target regclass) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
  key text;
  rel record;
BEGIN
  SELECT c.relname, n.nspname INTO rel
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = target;
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = target AND attname = '_jsonb' AND NOT attisdropped) THEN
    RETURN;
  END IF;
  FOREACH key IN ARRAY ${keyArray} LOOP
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((_jsonb -> %L))',
      left(rel.relname, 40) || '_wd_gin_' || md5(key), rel.nspname, rel.relname, key);
  END LOOP;
${pairStatements}
END
$fn$;

CREATE OR REPLACE FUNCTION wildduck_gin_on_create_table() RETURNS event_trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  command record;
BEGIN
  FOR command IN SELECT * FROM pg_event_trigger_ddl_commands()
    WHERE command_tag = 'CREATE TABLE' AND object_type = 'table' LOOP
    PERFORM wildduck_add_gin_indexes(command.objid::regclass);
  END LOOP;
END
$fn$;

DROP EVENT TRIGGER IF EXISTS wildduck_gin_indexes;
CREATE EVENT TRIGGER wildduck_gin_indexes ON ddl_command_end WHEN TAG IN ('CREATE TABLE')
  EXECUTE FUNCTION wildduck_gin_on_create_table();

SELECT wildduck_add_gin_indexes(c.oid)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'public')
    AND n.nspname NOT LIKE 'pg_toast%';

ALTER DATABASE ${database} SET plan_cache_mode = force_custom_plan;
`;
}

/**
 * Installs the GIN indexes in a FerretDB database on the local PostgreSQL: for tables to come
 * (the event trigger) and for tables already there. Safe to run at every start.
 */
export async function ensureGinIndexes(database: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(database)) throw new Error(`unexpected database name ${database}`);
  await run(
    'psql',
    [
      '-h',
      '127.0.0.1',
      '-U',
      'postgres',
      '-d',
      database,
      '-v',
      'ON_ERROR_STOP=1',
      '-q',
      '-c',
      ginIndexSetupSql(database),
    ],
    { timeout: 60_000 },
  );
}
