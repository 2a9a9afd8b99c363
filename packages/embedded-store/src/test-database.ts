import { randomBytes } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';

/** A database of its own for one test file; `drop()` removes it. */
export interface TestDatabase {
  readonly client: MongoClient;
  readonly db: Db;
  readonly uri: string;
  readonly name: string;
  /** Drops the database and closes the connection. */
  drop(): Promise<void>;
}

/**
 * Opens a fresh database on the store `npm test` started (MONGODB_URI), named after the test run
 * and a label, so that runs and test files never see each other's data.
 */
export async function openTestDatabase(label: string): Promise<TestDatabase> {
  const uri = process.env.MONGODB_URI;
  if (!uri)
    throw new Error('MONGODB_URI is not set: run the tests with `npm test`, which starts the embedded store');
  const run = process.env.WILDDUCK_TEST_RUN ?? 'adhoc';
  const name = `t_${run}_${label.replace(/[^a-z0-9]/gi, '').slice(0, 20)}_${randomBytes(3).toString('hex')}`;
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  const db = client.db(name);
  return {
    client,
    db,
    uri,
    name,
    async drop() {
      await db.dropDatabase().catch(() => {});
      await client.close();
    },
  };
}
