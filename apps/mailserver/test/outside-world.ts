import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { verifyWebhookSignature } from '@wildduck/webhooks';

/** What the smarthost sink was given: one entry per transaction. */
export interface Relayed {
  from: string;
  to: string[];
  raw: Buffer;
}

/** Remote addresses starting with this are refused by the sink at RCPT (550). */
export const REFUSED_PREFIX = 'refuse-';

/**
 * A smarthost stand-in for relay tests: a real SMTP server on 127.0.0.1 that records every
 * transaction, and refuses recipients starting with REFUSED_PREFIX with 550. On `port` when given
 * (a smarthost that comes back where it was), else on one the system picks.
 */
export async function startRelaySink(port = 0): Promise<{
  url: string;
  relayed: Relayed[];
  close(): Promise<void>;
}> {
  const relayed: Relayed[] = [];
  const sink = new SMTPServer({
    authOptional: true,
    hideSTARTTLS: true,
    disabledCommands: ['AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith(REFUSED_PREFIX))
        return callback(
          Object.assign(new Error('5.1.1 no such mailbox at the far end'), { responseCode: 550 }),
        );
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.once('end', () => {
        relayed.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => sink.listen(port, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(sink.server.address() as AddressInfo).port}`,
    relayed,
    close: () => new Promise<void>((resolve) => sink.close(() => resolve())),
  };
}

/** One webhook POST as received: its JSON body, and whether its signature verified. */
export interface ReceivedHook {
  body: Record<string, unknown>;
  verified: boolean;
}

/** A webhook receiver on 127.0.0.1 that checks every POST's signature with `secret`. */
export async function startWebhookReceiver(secret: string): Promise<{
  url: string;
  hooks: ReceivedHook[];
  close(): Promise<void>;
}> {
  const hooks: ReceivedHook[] = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      hooks.push({
        body: JSON.parse(raw) as Record<string, unknown>,
        verified: verifyWebhookSignature(
          secret,
          String(req.headers['x-wildduck-timestamp']),
          raw,
          String(req.headers['x-wildduck-signature']),
        ),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
    hooks,
    close: () => new Promise<void>((resolve) => receiver.close(() => resolve())),
  };
}
