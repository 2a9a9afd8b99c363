// Starts an ImapServer on a free port over a fresh MemoryBackend, for one test.
import { ImapServer } from '../../src/server.js';
import type { ImapServerOptions } from '../../src/options.js';
import { MemoryBackend } from './memory-backend.js';
import { Transcript } from './transcript.js';

/** The users every test server knows. */
export const ALICE = { username: 'alice@example.com', password: 'secret-alice' };
export const BOB = { username: 'bob@example.com', password: 'secret-bob' };

/** A running server with its backend, and helpers to connect clients. */
export interface TestServer {
  server: ImapServer;
  backend: MemoryBackend;
  port: number;
  /** Connects a transcript client (greeting already read). */
  connect(options?: { tls?: boolean }): Promise<Transcript>;
  /** Connects and logs in as alice (or the given user). */
  login(user?: { username: string; password: string }): Promise<Transcript>;
  close(): Promise<void>;
}

/** Starts a server; plaintext login is allowed unless the options say otherwise. */
export async function startTestServer(options: Partial<ImapServerOptions> = {}): Promise<TestServer> {
  const backend = new MemoryBackend({ users: [ALICE, BOB] });
  const server = new ImapServer({
    allowPlaintextLogin: true,
    ...options,
    backend: options.backend ?? backend,
  });
  const { port } = await server.listen(0);
  const clients: Transcript[] = [];
  const connect = async (connectOptions: { tls?: boolean } = {}) => {
    const { client } = await Transcript.connect(port, connectOptions);
    clients.push(client);
    return client;
  };
  return {
    server,
    backend,
    port,
    connect,
    async login(user = ALICE) {
      const client = await connect();
      const { tagged } = await client.command('L1', `LOGIN "${user.username}" "${user.password}"`);
      if (!tagged.startsWith('L1 OK')) throw new Error(`login failed: ${tagged}`);
      return client;
    },
    async close() {
      for (const client of clients) client.close();
      await server.close();
    },
  };
}

/** A small text message for tests. */
export function sampleMessage(
  subject = 'Hello',
  body = 'Hello world\r\n',
  from = 'Sender <sender@example.org>',
): string {
  return [
    `From: ${from}`,
    'To: Alice <alice@example.com>',
    `Subject: ${subject}`,
    'Date: Mon, 7 Feb 1994 21:52:25 -0800',
    'Message-ID: <B27397-0100000@example.org>',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    body,
  ].join('\r\n');
}
