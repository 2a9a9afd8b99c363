import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ImapServer } from '@wildduck/imap-core';
import { applySchema } from '@wildduck/schema';
import { openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';
import { createUser, storeContext, webhookOutboxStore, type StoreContext } from '@wildduck/store';
import { MemoryChangeBus, type ChangeBus } from '@wildduck/change-bus';
import { MemoryRateLimiter } from '@wildduck/coordination';
import { WebhookOutbox, type WebhookTarget } from '@wildduck/webhooks';
import { pino } from 'pino';
import { JunkReporter } from '@wildduck/mail-service';
import { MailboxViews, changeHub } from '@wildduck/mail-service';
import { StoreImapBackend } from '../src/imap/store-backend.js';
import { loadOrCreateCertificate, type TlsFiles } from '../src/tls.js';
import { LOGIN_LIMITS } from '../src/runtime.js';

/** An IMAP server (STARTTLS and implicit TLS) on the real store, on free ports, for one test file. */
export interface ImapHarness {
  store: TestDatabase;
  ctx: StoreContext;
  bus: ChangeBus;
  tls: TlsFiles;
  port: number;
  tlsPort: number;
  createUser(address: string, options?: { quota?: number | null; password?: string }): Promise<string>;
  close(): Promise<void>;
}

let certificate: Promise<TlsFiles> | undefined;

/** Starts the servers; plaintext LOGIN is allowed on the STARTTLS port unless `allowPlaintextLogin` is false. */
export async function startImap(
  label: string,
  options: {
    allowPlaintextLogin?: boolean;
    bus?: ChangeBus;
    /** Webhook receivers: Junk reports go through an outbox on the test database, its worker polling quickly. */
    webhookTargets?: WebhookTarget[];
    /** How many recent changes each mailbox view remembers (default: the server's). */
    viewChangeLog?: number;
  } = {},
): Promise<ImapHarness> {
  const store = await openTestDatabase(label);
  await applySchema(store.db);
  const ctx = storeContext(store.db);
  const bus = options.bus ?? new MemoryChangeBus();
  certificate ??= loadOrCreateCertificate({ dataDir: mkdtempSync(join(tmpdir(), 'wd-tls-')) });
  const tls = await certificate;
  const webhooks = options.webhookTargets
    ? new WebhookOutbox({
        targets: options.webhookTargets,
        store: webhookOutboxStore(store.db),
        logger: pino({ level: 'silent' }),
        retry: { initialDelayMs: 20 },
        pollIntervalMs: 20,
      }).start()
    : undefined;
  const backend = new StoreImapBackend({
    ctx,
    bus,
    ...(options.viewChangeLog !== undefined
      ? { views: new MailboxViews(ctx, changeHub(bus), { changeLogLimit: options.viewChangeLog }) }
      : {}),
    userLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perUser),
    addressLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perAddress),
    junkReporter: new JunkReporter({
      ctx,
      bus,
      ...(webhooks ? { webhooks } : {}),
      apiUrl: 'http://127.0.0.1:8080',
      logger: pino({ level: 'silent' }),
    }),
  });
  const plain = new ImapServer({ backend, tls, allowPlaintextLogin: options.allowPlaintextLogin ?? true });
  const secure = new ImapServer({ backend, tls, secure: true });
  const port = (await plain.listen(0)).port;
  const tlsPort = ((await secure.listen(0)) as AddressInfo).port;
  return {
    store,
    ctx,
    bus,
    tls,
    port,
    tlsPort,
    async createUser(address, userOptions = {}) {
      const user = await createUser(store.db, {
        address,
        password: userOptions.password ?? 'secretpass',
        quota: userOptions.quota ?? null,
      });
      return user._id.toHexString();
    },
    async close() {
      await plain.close();
      await secure.close();
      await webhooks?.close();
      await bus.close();
      await store.drop();
    },
  };
}
