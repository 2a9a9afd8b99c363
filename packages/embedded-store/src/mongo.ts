import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { ensureFerretDbBinary } from './ferretdb-binary.js';
import { findFreePort, findOnPath, startProcess, waitUntil, type ManagedProcess } from './processes.js';
import { choosePostgres, dropPostgresDatabase } from './postgres.js';

/** A MongoDB-compatible server that this process started. */
export interface EmbeddedMongo {
  /** Connection string, without a database name. */
  readonly uri: string;
  /** What was started: a real mongod found on PATH, or FerretDB on SQLite. */
  readonly kind: 'mongod' | 'ferretdb';
  /** The PostgreSQL database under FerretDB, when it runs on PostgreSQL. */
  readonly postgresDatabase?: string;
  /** Stops the server and waits for it to exit. */
  stop(): Promise<void>;
}

/** Where the embedded store keeps its files and finds its tools. */
export interface EmbeddedMongoOptions {
  /** Data folder; the store's files go to `<dataDir>/mongod` or `<dataDir>/ferretdb`. */
  dataDir: string;
  /** Git-ignored folder of the project where FerretDB is built (`<toolsDir>/bin/ferretdb`). */
  toolsDir: string;
  /** Listen port; default: a free port (never 27017, so a real MongoDB there is left alone). */
  port?: number;
  /** Progress lines for the person waiting. */
  log?: (line: string) => void;
  /** Where the server's own output goes (default: dropped). */
  output?: NodeJS.WritableStream;
  /**
   * FerretDB backend: `postgresql` uses the local PostgreSQL (127.0.0.1:5432, a database of its own
   * per data folder), `sqlite` keeps files under the data folder, `auto` (default) takes PostgreSQL
   * when it answers and psql can create the database, else SQLite. Environment: FERRETDB_BACKEND.
   */
  backend?: 'auto' | 'sqlite' | 'postgresql';
  /** Drop the PostgreSQL database when the server stops (test runs). */
  dropOnStop?: boolean;
}

/**
 * Starts the embedded store: a `mongod` found on PATH, or else FerretDB v1.24.2 on its SQLite backend,
 * and resolves once it answers a ping.
 */
export async function startEmbeddedMongo(options: EmbeddedMongoOptions): Promise<EmbeddedMongo> {
  const log = options.log ?? (() => {});
  const port = options.port ?? (await findFreePort());
  const mongod = await findOnPath('mongod');
  let server: ManagedProcess;
  let kind: EmbeddedMongo['kind'];
  let dropDatabase: (() => Promise<void>) | undefined;
  let postgresDatabase: string | undefined;
  if (mongod) {
    kind = 'mongod';
    const dbPath = join(options.dataDir, 'mongod');
    await mkdir(dbPath, { recursive: true });
    server = startProcess(mongod, ['--dbpath', dbPath, '--port', String(port), '--bind_ip', '127.0.0.1']);
  } else {
    kind = 'ferretdb';
    const binary = await ensureFerretDbBinary(options.toolsDir, log);
    const dir = join(options.dataDir, 'ferretdb');
    await mkdir(dir, { recursive: true });
    const postgres = await choosePostgres(
      options.backend ?? (process.env.FERRETDB_BACKEND as EmbeddedMongoOptions['backend']) ?? 'auto',
      options.dataDir,
    );
    if (postgres) {
      log(`FerretDB on the local PostgreSQL (database ${postgres.database})`);
      postgresDatabase = postgres.database;
      if (options.dropOnStop) dropDatabase = () => dropPostgresDatabase(postgres.database);
    }
    server = startProcess(binary, [
      ...(postgres
        ? ['--handler=postgresql', `--postgresql-url=${postgres.url}`]
        : ['--handler=sqlite', `--sqlite-url=file:${dir}/`]),
      `--listen-addr=127.0.0.1:${port}`,
      `--state-dir=${dir}`,
      '--telemetry=disable',
      '--debug-addr=-',
      '--log-level=warn',
    ]);
  }
  if (options.output) {
    server.child.stdout?.pipe(options.output, { end: false });
    server.child.stderr?.pipe(options.output, { end: false });
  } else {
    server.child.stdout?.resume();
    server.child.stderr?.resume();
  }

  const uri = `mongodb://127.0.0.1:${port}/`;
  let exitedEarly = false;
  server.child.once('exit', () => (exitedEarly = true));
  try {
    await waitUntil(
      `${kind} to answer a ping on ${uri}`,
      async () => {
        if (exitedEarly) throw new Error(`${kind} exited during start-up`);
        return pingMongo(uri);
      },
      60_000,
    );
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    uri,
    kind,
    ...(postgresDatabase ? { postgresDatabase } : {}),
    async stop() {
      await server.stop();
      await dropDatabase?.().catch(() => {});
    },
  };
}

/** True when a MongoDB-compatible server at `uri` answers `ping`. */
export async function pingMongo(uri: string, timeoutMs = 1000): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => {});
  }
}
