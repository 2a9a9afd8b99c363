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
  // a check of the server every 2 s (driver default 10 s): after the store was away, writes waiting
  // to finish (write-completion.ts) go on within seconds of its return, not up to 10 s later
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: 10_000,
    heartbeatFrequencyMS: 2_000,
    appName: 'wildduck',
  });
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
