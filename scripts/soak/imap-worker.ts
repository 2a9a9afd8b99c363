/**
 * One IMAP client per user, doing what a mail client does (APPEND, STORE, COPY, MOVE, EXPUNGE)
 * against whichever mail server instance answers, and telling the ledger what it was told. It is
 * the only client that moves, flags or removes this user's messages, so each answer it gets says
 * exactly what the store must hold. When a command's answer is lost it reconnects (to any
 * instance), looks where the message went, and narrows the ledger to what it saw.
 */
import { ImapFlow } from 'imapflow';
import { newMessage } from './messages.js';
import { GONE, SOAK_KEYWORDS, type Ledger, type LedgerEntry, type Outcome } from './ledger.js';
import type { Activity } from './activity.js';

export const WORK_MAILBOXES = ['INBOX', 'Archive', 'Junk'] as const;
export const COPIES = 'Copies';
const COMMAND_TIMEOUT_MS = 90_000;

export interface SoakUser {
  address: string;
  password: string;
}

interface ImapFailure {
  responseStatus?: string;
  serverResponseCode?: string;
  code?: string;
}

/** A message the worker knows the UID of. */
interface Known {
  path: string;
  uid: number;
  entry: LedgerEntry;
}

export class ImapWorker {
  private client?: ImapFlow;
  private lastFailure?: ImapFailure;
  /** path -> uid -> ledger key, for the mailboxes this worker reads. */
  private readonly uids = new Map<string, Map<number, string>>();
  private readonly copied = new Set<string>();

  constructor(
    private readonly user: SoakUser,
    private readonly imapPorts: () => number[],
    private readonly ledger: Ledger,
    private readonly activity: Activity,
  ) {}

  async run(stopped: () => boolean): Promise<void> {
    while (!stopped()) {
      const client = await this.connect(stopped);
      if (!client) break;
      await this.step(client).catch(() => {
        // a read (SELECT, FETCH) that broke or was refused (NO [UNAVAILABLE] while the store is
        // away): reconnect and carry on; reads change nothing the ledger tracks
        this.drop();
      });
    }
    await this.client?.logout().catch(() => undefined);
    this.client = undefined;
  }

  /** A signed-in client, reconnecting (to any instance) as long as it takes. */
  private async connect(stopped: () => boolean): Promise<ImapFlow | undefined> {
    if (this.client?.usable) return this.client;
    this.drop();
    const startedAt = Date.now();
    while (!stopped()) {
      const ports = this.imapPorts();
      const port = ports[Math.floor(Math.random() * ports.length)]!;
      const client = new ImapFlow({
        host: '127.0.0.1',
        port,
        secure: false,
        doSTARTTLS: false,
        auth: { user: this.user.address, pass: this.user.password },
        logger: this.failureLogger(),
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 120_000,
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        this.activity.record({ client: 'imap-connect', startedAt, endedAt: Date.now(), outcome: 'ok' });
        this.client = client;
        return client;
      } catch {
        client.close();
        await sleep(300);
      }
    }
    return undefined;
  }

  private drop(): void {
    this.client?.close();
    this.client = undefined;
    // after a reconnect nothing read before can be trusted about what changed in between
    this.uids.clear();
  }

  private failureLogger() {
    const quiet = () => undefined;
    return {
      debug: quiet,
      info: quiet,
      warn: (entry: { err?: ImapFailure }) => {
        if (entry?.err) this.lastFailure = entry.err;
      },
      error: (entry: { err?: ImapFailure }) => {
        if (entry?.err) this.lastFailure = entry.err;
      },
    };
  }

  private async step(client: ImapFlow): Promise<void> {
    const roll = Math.random();
    if (roll < 0.3) return this.append(client);
    const known = await this.pickKnown(client);
    if (!known) return this.append(client);
    if (roll < 0.55) return this.setKeywords(client, known);
    if (roll < 0.65) return this.copy(client, known);
    if (roll < 0.9) return this.move(client, known);
    return this.expunge(client, known);
  }

  private async append(client: ImapFlow): Promise<void> {
    const path = pick(['INBOX', 'Archive']);
    const message = newMessage('append', this.user.address, this.user.address);
    const keywords = randomKeywords();
    const entry = this.ledger.attempt(
      this.user.address,
      message.messageId,
      message.messageId,
      path,
      keywords,
    );
    const outcome = await this.command('APPEND', () => client.append(path, message.raw, keywords));
    if (outcome.outcome === 'acknowledged') this.ledger.stored(entry, path, 'append');
    else if (outcome.outcome === 'refused') this.ledger.refused(entry);
    else await this.lookAgain(entry, [path]);
  }

  private async setKeywords(client: ImapFlow, known: Known): Promise<void> {
    const keywords = randomKeywords();
    const outcome = await this.command('STORE', () =>
      client.messageFlagsSet(String(known.uid), keywords, { uid: true }),
    );
    this.ledger.flagged(known.entry, keywords, outcome.outcome);
    if (outcome.outcome === 'unknown') await this.lookAgain(known.entry, [known.path]);
  }

  private async copy(client: ImapFlow, known: Known): Promise<void> {
    if (this.copied.has(known.entry.key)) return;
    this.copied.add(known.entry.key);
    const copy = this.ledger.attempt(
      this.user.address,
      `${known.entry.messageId}#copy`,
      known.entry.messageId,
      COPIES,
    );
    copy.flagSets = new Set(known.entry.flagSets);
    const outcome = await this.command('COPY', () =>
      client.messageCopy(String(known.uid), COPIES, { uid: true }).then(this.transferred(known)),
    );
    this.ledger.placed(copy, GONE, COPIES, outcome.outcome, 'copy');
    if (outcome.outcome === 'unknown') await this.lookAgain(copy, [COPIES]);
  }

  private async move(client: ImapFlow, known: Known): Promise<void> {
    const target = pick(WORK_MAILBOXES.filter((path) => path !== known.path));
    const outcome = await this.command('MOVE', () =>
      client.messageMove(String(known.uid), target, { uid: true }).then(this.transferred(known)),
    );
    this.ledger.placed(known.entry, known.path, target, outcome.outcome, 'move');
    if (outcome.outcome === 'acknowledged') {
      this.uids.get(known.path)?.delete(known.uid);
      if (target === 'Junk') this.ledger.movedToJunk.add(`${this.user.address}\n${known.entry.messageId}`);
    } else if (outcome.outcome === 'unknown') await this.lookAgain(known.entry, [known.path, target]);
  }

  private async expunge(client: ImapFlow, known: Known): Promise<void> {
    const outcome = await this.command('EXPUNGE', () =>
      client.messageDelete(String(known.uid), { uid: true }),
    );
    this.ledger.placed(known.entry, known.path, GONE, outcome.outcome, 'expunge');
    if (outcome.outcome === 'acknowledged') this.uids.get(known.path)?.delete(known.uid);
    else if (outcome.outcome === 'unknown') await this.lookAgain(known.entry, [known.path]);
  }

  /**
   * A COPY or MOVE answered OK without a COPYUID pair for the message: it was not there, though this
   * worker (the only one that removes this user's messages) knew it at that UID. Counted as a
   * violation and as nothing done.
   */
  private transferred(known: Known) {
    return (result: false | { uidMap?: Map<number, number> } | undefined) => {
      if (result && !result.uidMap?.has(known.uid)) {
        this.ledger.violation(
          `imap ${this.user.address}: ${known.entry.key} was not at ${known.path} UID ${known.uid}`,
        );
        this.uids.get(known.path)?.delete(known.uid);
        return false;
      }
      return result;
    };
  }

  /**
   * Runs one command and says how it ended: imapflow answers false (and logs the error) for a NO
   * or BAD, and for a connection that broke; the logged error tells the two apart.
   */
  private async command(name: string, run: () => Promise<unknown>): Promise<{ outcome: Outcome }> {
    this.lastFailure = undefined;
    const startedAt = Date.now();
    let result: unknown;
    let thrown: unknown;
    try {
      result = await withTimeout(run(), COMMAND_TIMEOUT_MS, () => this.client?.close());
    } catch (error) {
      thrown = error;
    }
    const failure = (thrown as ImapFailure | undefined) ?? (result === false ? this.lastFailure : undefined);
    let outcome: Outcome = 'acknowledged';
    let label = 'ok';
    if (thrown !== undefined || result === false) {
      const status = failure?.responseStatus;
      if ((status === 'NO' || status === 'BAD') && this.client?.usable) {
        outcome = 'refused';
        label = `${status}${failure?.serverResponseCode ? ` [${failure.serverResponseCode}]` : ''} (${name})`;
      } else {
        outcome = 'unknown';
        label = `connection (${name})`;
      }
    }
    this.activity.record({ client: 'imap', startedAt, endedAt: Date.now(), outcome: label });
    // a refusal (NO [UNAVAILABLE] while the store is away, NO [OVERQUOTA]) is allowed; that it
    // changed nothing is what the ledger holds the end state to
    return { outcome };
  }

  /**
   * After a lost answer: reconnect, read the mailboxes the message may be in, and narrow the
   * ledger entry to where it is (or GONE when it is in none of them).
   */
  private async lookAgain(entry: LedgerEntry, paths: string[]): Promise<void> {
    this.drop();
    for (;;) {
      const client = await this.connect(() => false);
      if (!client) return;
      try {
        let found: { path: string; flags: string[] } | undefined;
        for (const path of paths) {
          const messages = await readMailbox(client, path);
          const hit = messages.find((message) => message.key(path) === entry.key);
          if (hit) found = { path, flags: hit.flags };
        }
        // not final: a write its dying server left half done may still be finished by the healer
        this.ledger.seen(entry, found?.path ?? GONE, found?.flags ?? null, 'after a lost answer', false);
        return;
      } catch {
        this.drop();
        await sleep(300);
      }
    }
  }

  /** A message of INBOX, Archive or Junk with its UID, reading what arrived since last time. */
  private async pickKnown(client: ImapFlow): Promise<Known | undefined> {
    const path = pick(WORK_MAILBOXES);
    let uids = this.uids.get(path);
    if (!uids || Math.random() < 0.2) {
      uids ??= new Map();
      const last = Math.max(0, ...uids.keys());
      for (const message of await readMailbox(client, path, last + 1)) {
        if (message.uid > last) uids.set(message.uid, message.key(path));
      }
      this.uids.set(path, uids);
    }
    await client.mailboxOpen(path);
    const candidates = [...uids].filter(([, key]) => this.ledger.get(this.user.address, key));
    if (!candidates.length) return undefined;
    const [uid, key] = pick(candidates);
    return { path, uid, entry: this.ledger.get(this.user.address, key)! };
  }
}

export interface ReadMessage {
  uid: number;
  messageId: string;
  flags: string[];
  text?: string;
  /** The ledger key: a copy in the Copies mailbox is its own entry. */
  key(path: string): string;
}

/** Every message of a mailbox from `fromUid` on: UID, flags, Message-ID (and the body text if asked). */
export async function readMailbox(
  client: ImapFlow,
  path: string,
  fromUid = 1,
  withText = false,
): Promise<ReadMessage[]> {
  const mailbox = await client.mailboxOpen(path);
  if (!mailbox.exists) return [];
  const messages: ReadMessage[] = [];
  for await (const message of client.fetch(
    `${fromUid}:*`,
    { uid: true, flags: true, headers: ['message-id'], ...(withText ? { bodyParts: ['text'] } : {}) },
    { uid: true },
  )) {
    const header = message.headers?.toString('utf8') ?? '';
    const messageId = /message-id:\s*(\S+)/i.exec(header)?.[1] ?? '';
    const text = message.bodyParts?.get('text')?.toString('utf8');
    messages.push({
      uid: message.uid,
      messageId,
      flags: [...(message.flags ?? [])],
      ...(text !== undefined ? { text } : {}),
      key: (at) => (at === COPIES ? `${messageId}#copy` : messageId),
    });
  }
  return messages;
}

function randomKeywords(): string[] {
  return SOAK_KEYWORDS.filter(() => Math.random() < 0.5);
}

function pick<T>(values: readonly T[]): T {
  return values[Math.floor(Math.random() * values.length)]!;
}

async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(Object.assign(new Error(`no answer in ${ms} ms`), { code: 'Timeout' }));
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
