import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { SMTPServer } from 'smtp-server';
import { MemoryRateLimiter } from '@wildduck/coordination';
import { MemoryChangeBus } from '@wildduck/change-bus';
import { openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';
import { applySchema } from '@wildduck/schema';
import { storeContext } from '@wildduck/store';
import { pino } from 'pino';
import { MailOutboxSender } from '@wildduck/delivery';
import { startImap, type ImapHarness } from './harness.js';
import { connectCountingClient } from './counting-client.js';
import { startRelaySink, type Relayed } from './outside-world.js';
import type { SmtpDialog } from './smtp-dialog.js';
import { createDeliveryServer } from '../src/delivery/delivery-server.js';
import { createSubmissionServer } from '../src/delivery/submission-server.js';
import { LOGIN_LIMITS } from '../src/runtime.js';

/** IMAP plus LMTP, the SMTP maildrop and submission on one real store, on free ports. */
export interface MailHarness extends ImapHarness {
  lmtpPort: number;
  smtpPort: number;
  submissionPort: number;
  /** The sender of the filters' outbox, as the mail server runs it (unless `outboxSender: false`). */
  mailOutbox?: MailOutboxSender;
}

export const SERVER_NAME = 'mx.test.example';

/** Starts every protocol of a mail server for one test file (`smarthost` for relay tests). */
export async function startMail(
  label: string,
  options: { smarthost?: string; allowInsecureAuth?: boolean; outboxSender?: boolean } = {},
): Promise<MailHarness> {
  const imap = await startImap(label);
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const smarthost = options.smarthost ? { smarthost: options.smarthost } : {};
  const mailOutbox =
    options.outboxSender === false
      ? undefined
      : new MailOutboxSender({
          deps: { ctx: imap.ctx, bus: imap.bus, serverName: SERVER_NAME, ...smarthost, logger },
          pollIntervalMs: 100,
        }).start();
  const deps = {
    ctx: imap.ctx,
    bus: imap.bus,
    ...smarthost,
    ...(mailOutbox ? { mailOutbox } : {}),
  };
  const lmtp = createDeliveryServer({ ...deps, mode: 'lmtp', serverName: SERVER_NAME, logger });
  const smtp = createDeliveryServer({
    ...deps,
    mode: 'smtp',
    serverName: SERVER_NAME,
    tls: imap.tls,
    logger,
  });
  const submission = createSubmissionServer({
    ...deps,
    serverName: SERVER_NAME,
    tls: imap.tls,
    logger,
    ...(options.smarthost ? { smarthost: options.smarthost } : {}),
    allowInsecureAuth: options.allowInsecureAuth ?? false,
    userLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perUser),
    addressLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perAddress),
  });
  const servers = [lmtp, smtp, submission];
  const [lmtpPort, smtpPort, submissionPort] = await Promise.all(servers.map(listenOnFreePort));
  return {
    ...imap,
    lmtpPort: lmtpPort!,
    smtpPort: smtpPort!,
    submissionPort: submissionPort!,
    ...(mailOutbox ? { mailOutbox } : {}),
    async close() {
      await Promise.all(
        servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
      );
      await mailOutbox?.close();
      await imap.close();
    },
  };
}

/** A mail harness relaying to the smarthost sink of outside-world.ts. */
export interface RelayingMailHarness extends MailHarness {
  /** What the sink was given, one entry per transaction, as it arrives. */
  relayed: Relayed[];
}

/** startMail with a smarthost sink of its own as the smarthost; close() stops both. */
export async function startMailWithRelaySink(label: string): Promise<RelayingMailHarness> {
  const sink = await startRelaySink();
  const mail = await startMail(label, { smarthost: sink.url });
  return {
    ...mail,
    relayed: sink.relayed,
    async close() {
      await mail.close();
      await sink.close();
    },
  };
}

/** An LMTP server whose store commands are counted, for the tests that pin a delivery's round trips. */
export interface CountedLmtp {
  /** The test database of its own (write through it: those commands are not counted). */
  store: TestDatabase;
  port: number;
  /**
   * Delivers `body` to `addresses` in one transaction on `dialog` (after LHLO) and answers the
   * `<command> <collection>` of every store command it cost, in the order sent.
   */
  commandsOfDelivery(dialog: SmtpDialog, addresses: readonly string[], body: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function startCountedLmtp(label: string): Promise<CountedLmtp> {
  const store = await openTestDatabase(label);
  await applySchema(store.db);
  const commands: string[] = [];
  // a client of its own, which reports every command it sends
  const client = await connectCountingClient(store.uri, commands);
  const lmtp = createDeliveryServer({
    ctx: storeContext(client.db(store.name)),
    bus: new MemoryChangeBus(),
    mode: 'lmtp',
    serverName: SERVER_NAME,
    logger: pino({ level: 'silent' }),
  });
  const port = await listenOnFreePort(lmtp);
  return {
    store,
    port,
    async commandsOfDelivery(dialog, addresses, body) {
      commands.length = 0;
      assert.match(await dialog.send('MAIL FROM:<sender@example.org>'), /^250/);
      for (const address of addresses) assert.match(await dialog.send(`RCPT TO:<${address}>`), /^250/);
      assert.match(await dialog.send('DATA'), /^354/);
      dialog.write(`${body}.\r\n`);
      for (const _ of addresses) assert.match(await dialog.reply(), /^250 /);
      return [...commands];
    },
    async close() {
      await new Promise<void>((resolve) => lmtp.close(() => resolve()));
      await client.close();
      await store.drop();
    },
  };
}

/** Listens on 127.0.0.1 on a port the system picks. */
export function listenOnFreePort(server: SMTPServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      server.on('error', () => {});
      resolve((server.server.address() as AddressInfo).port);
    });
  });
}
