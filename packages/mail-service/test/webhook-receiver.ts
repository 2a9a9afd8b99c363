/**
 * What the outbox tests share: a real HTTP receiver on a local port that keeps every request it
 * gets, canned answers for it, a wait for what the worker does in the background, and an empty
 * outbox to start each test from. Not a test file itself (no `.test.ts`), so the runner leaves it.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from 'mongodb';

export interface Received {
  path: string;
  /** when the request had arrived in full, in ms since the epoch */
  at: number;
  headers: IncomingHttpHeaders;
  raw: string;
  body: { id: string; type: string; [key: string]: unknown };
}

export type Reply = (res: ServerResponse, request: Received, index: number) => void;

export interface Receiver {
  /** the receiver's URL for `path`; the tests send different targets to one receiver by path */
  url(path?: string): string;
  port: number;
  received: Received[];
  close(): Promise<void>;
}

/**
 * A real HTTP receiver; `reply` answers each request (leave `res` unanswered to hang). `port`
 * brings a receiver back on the port of one that was closed, as a restarted receiver would be.
 */
export async function receiver(
  reply: Reply = (res) => res.writeHead(204).end(),
  options: { port?: number } = {},
): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const request = {
        path: req.url ?? '',
        at: Date.now(),
        headers: req.headers,
        raw,
        body: JSON.parse(raw) as Received['body'],
      };
      received.push(request);
      reply(res, request, received.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    port,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A reply of `status` with a plain-text body. */
export function answer(status: number, headers: Record<string, string> = {}, text = `status ${status}`) {
  return (res: ServerResponse) =>
    res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(text);
}

/** Waits until `predicate` holds: the worker delivers and records in the background. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Empties the outbox and its claims, so that each test counts only its own deliveries. */
export async function clearOutbox(db: Db): Promise<void> {
  await db.collection('webhookOutbox').deleteMany({});
  await db.collection('webhookClaims').deleteMany({});
}
