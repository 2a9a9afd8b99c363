import { MongoClient, type Db } from 'mongodb';
import { watchServerMonitors } from './monitor-watchdog.js';

/** An open connection to the store's database. */
export interface StoreConnection {
  readonly client: MongoClient;
  readonly db: Db;
  close(): Promise<void>;
}

/** Connects to MongoDB (or FerretDB) and selects the product's database. */
export async function connectStore(uri: string, databaseName: string): Promise<StoreConnection> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000, appName: 'wildduck' });
  const stopWatching = watchServerMonitors(client);
  await client.connect();
  const db = client.db(databaseName);
  return {
    client,
    db,
    close: async () => {
      stopWatching();
      await client.close();
    },
  };
}
