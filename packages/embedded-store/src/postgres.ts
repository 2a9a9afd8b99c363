import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { ensureGinIndexes } from './postgres-indexes.js';
import { canConnect, findOnPath } from './processes.js';

const run = promisify(execFile);

/** A PostgreSQL database FerretDB can use. */
export interface PostgresTarget {
  database: string;
  url: string;
}

/**
 * Why PostgreSQL when it is there: FerretDB 1.24 pushes query filters down to PostgreSQL, but on
 * SQLite it pushes down none (measured: `find({uid: 5})` over 3,000 documents takes 460 ms on
 * SQLite and 11 ms on PostgreSQL), which makes every IMAP command scan the whole store.
 * Returns the database to use, or undefined for SQLite.
 */
export async function choosePostgres(
  backend: 'auto' | 'sqlite' | 'postgresql',
  dataDir: string,
): Promise<PostgresTarget | undefined> {
  if (backend === 'sqlite') return undefined;
  const database = `wildduck_${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12)}`;
  const available = (await canConnect('127.0.0.1', 5432)) && (await findOnPath('psql'));
  try {
    if (!available) throw new Error('PostgreSQL does not answer on 127.0.0.1:5432, or psql is not installed');
    const exists = await psql(`SELECT 1 FROM pg_database WHERE datname = '${database}'`);
    if (!exists.trim()) await psql(`CREATE DATABASE ${database}`);
    // before FerretDB connects: its connections then take the plan setting, its tables the indexes
    await ensureGinIndexes(database);
    return { database, url: `postgres://postgres@127.0.0.1:5432/${database}` };
  } catch (error) {
    if (backend === 'postgresql')
      throw new Error(`FERRETDB_BACKEND=postgresql, but: ${(error as Error).message}`);
    return undefined;
  }
}

/** Drops a database this module created (test runs clean up after themselves). */
export async function dropPostgresDatabase(database: string): Promise<void> {
  await psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
}

async function psql(sql: string): Promise<string> {
  const { stdout } = await run('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-tAc', sql], {
    timeout: 10_000,
  });
  return stdout;
}
