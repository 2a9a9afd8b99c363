// A MongoDB client of a test's own that records every store command it sends, for the tests that
// pin how many round trips an operation costs (through startCountedLmtp in mail-harness.ts the
// delivery ones, through counted-imap.ts the IMAP ones).
import { MongoClient } from 'mongodb';

/** The driver's own connection upkeep, which is no part of what a test counts. */
const UPKEEP = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'endSessions']);

/**
 * Connects to `uri`; from then on `<command> <collection>` of each command sent is pushed onto
 * `commands` (empty it to start a count).
 */
export async function connectCountingClient(uri: string, commands: string[]): Promise<MongoClient> {
  const client = new MongoClient(uri, { monitorCommands: true });
  client.on('commandStarted', (event) => {
    if (!UPKEEP.has(event.commandName))
      commands.push(`${event.commandName} ${String(event.command[event.commandName])}`);
  });
  await client.connect();
  return client;
}
