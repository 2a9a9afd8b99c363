/**
 * Clients that only watch: per user, an IMAP client idling in INBOX and a GraphQL subscriber of
 * mailboxChanges. Each keeps a mirror (UID -> keywords) built only from what it was pushed (plus
 * the FETCH of new UIDs a real client makes after EXISTS), so at the end the soak can ask whether
 * every watcher converged to the store's state. A watcher whose connection breaks reconnects:
 * the IMAP one reads INBOX afresh, the GraphQL one resumes after its last cursor.
 */
import { ImapFlow } from 'imapflow';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { flagSet } from './ledger.js';
import type { Activity } from './activity.js';
import { sleep, type SoakUser } from './imap-worker.js';

/** UID -> keyword set (null: the watcher was not told the flags). */
export type Mirror = Map<number, string | null>;

export class IdleWatcher {
  readonly mirror: Mirror = new Map();
  private client?: ImapFlow;
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  reconnects = 0;

  constructor(
    private readonly user: SoakUser,
    private readonly imapPorts: () => number[],
    private readonly activity: Activity,
  ) {}

  /** Keeps a client idling in INBOX until `stop`, reconnecting whenever it is dropped. */
  async run(): Promise<void> {
    while (!this.stopped) {
      const startedAt = Date.now();
      const client = new ImapFlow({
        host: '127.0.0.1',
        port: pick(this.imapPorts()),
        secure: false,
        doSTARTTLS: false,
        qresync: true,
        auth: { user: this.user.address, pass: this.user.password },
        logger: false,
        connectionTimeout: 10_000,
      });
      client.on('error', () => undefined);
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      try {
        await client.connect();
        await client.mailboxOpen('INBOX');
        this.mirror.clear();
        await this.fetchFrom(client, 1);
        client.on('exists', () => this.then(() => this.fetchFrom(client, this.nextUid())));
        client.on('expunge', (event: { uid?: number; seq?: number }) =>
          this.then(async () => {
            if (event.uid) this.mirror.delete(event.uid);
            else await this.rebuild(client);
          }),
        );
        client.on('flags', (event: { uid?: number; flags: Set<string> }) => {
          if (event.uid) this.mirror.set(event.uid, flagSet(event.flags));
        });
        this.client = client;
        this.activity.record({ client: 'idle-connect', startedAt, endedAt: Date.now(), outcome: 'ok' });
        await closed;
      } catch {
        client.close();
      }
      this.client = undefined;
      if (!this.stopped) {
        this.reconnects += 1;
        await sleep(500);
      }
    }
  }

  /** Work in the order the events came, one at a time. */
  private then(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch(() => undefined);
  }

  private nextUid(): number {
    return Math.max(0, ...this.mirror.keys()) + 1;
  }

  private async fetchFrom(client: ImapFlow, fromUid: number): Promise<void> {
    for await (const message of client.fetch(`${fromUid}:*`, { uid: true, flags: true }, { uid: true })) {
      // imapflow hands an unsolicited FETCH (another session's flag change) that arrives while this
      // FETCH runs to this FETCH's results, not to the 'flags' event: it is a change to apply too
      if (message.uid >= fromUid || this.mirror.has(message.uid))
        this.mirror.set(message.uid, flagSet(message.flags ?? []));
    }
  }

  private async rebuild(client: ImapFlow): Promise<void> {
    this.mirror.clear();
    await this.fetchFrom(client, 1);
  }

  /** Waits for the events in hand to be worked through. */
  async settled(): Promise<void> {
    await this.queue;
  }

  get connected(): boolean {
    return !!this.client?.usable;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.logout().catch(() => undefined);
  }
}

interface MailboxChange {
  cursor: string;
  type: string;
  mailboxId: string;
  uid: number | null;
  flags: string[] | null;
}

export class SubscriptionWatcher {
  /** mailbox id -> mirror. */
  readonly mirrors = new Map<string, Mirror>();
  readonly mailboxIds = new Map<string, string>();
  private client?: Client;
  private cursor: string | null = null;
  private stopped = false;
  private token = '';
  resubscriptions = 0;

  constructor(
    private readonly user: SoakUser,
    private readonly apiUrl: string,
    private readonly activity: Activity,
  ) {}

  async start(): Promise<void> {
    const signIn = await this.graphql<{ signIn: { token: string } }>(
      'mutation($u: String!, $p: String!) { signIn(username: $u, password: $p) { token } }',
      { u: this.user.address, p: this.user.password },
    );
    this.token = signIn.signIn.token;
    const start = await this.graphql<{ changesCursor: string; mailboxes: { id: string; path: string }[] }>(
      '{ changesCursor mailboxes { id path } }',
    );
    this.cursor = start.changesCursor;
    for (const mailbox of start.mailboxes) this.mailboxIds.set(mailbox.path, mailbox.id);
    this.client = createClient({
      url: this.apiUrl.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: () => ({ authorization: `Bearer ${this.token}` }),
      retryAttempts: Infinity,
      retryWait: async () => sleep(500),
      shouldRetry: () => true,
      lazy: false,
    });
    this.subscribe();
  }

  /** The id of a mailbox by path (mailboxes made after the start are looked up now). */
  async mailboxId(path: string): Promise<string | undefined> {
    if (!this.mailboxIds.has(path)) {
      const found = await this.graphql<{ mailboxes: { id: string; path: string }[] }>(
        '{ mailboxes { id path } }',
      );
      for (const mailbox of found.mailboxes) this.mailboxIds.set(mailbox.path, mailbox.id);
    }
    return this.mailboxIds.get(path);
  }

  private subscribe(): void {
    if (this.stopped || !this.client) return;
    const startedAt = Date.now();
    this.client.subscribe<{ mailboxChanges: MailboxChange }>(
      {
        query:
          'subscription($since: String) { mailboxChanges(since: $since) { cursor type mailboxId uid flags } }',
        variables: { since: this.cursor },
      },
      {
        next: (result) => {
          const change = result.data?.mailboxChanges;
          if (change) this.apply(change);
        },
        error: (error) => this.resubscribe(startedAt, describe(error)),
        complete: () => this.resubscribe(startedAt, 'completed'),
      },
    );
  }

  private resubscribe(startedAt: number, outcome: string): void {
    if (this.stopped) return;
    this.resubscriptions += 1;
    this.activity.record({ client: 'graphql', startedAt, endedAt: Date.now(), outcome });
    setTimeout(() => this.subscribe(), 500);
  }

  private apply(change: MailboxChange): void {
    this.cursor = change.cursor;
    if (change.uid === null) return;
    const mirror = this.mirrors.get(change.mailboxId) ?? new Map<number, string | null>();
    this.mirrors.set(change.mailboxId, mirror);
    if (change.type === 'EXISTS') mirror.set(change.uid, change.flags ? flagSet(change.flags) : null);
    else if (change.type === 'EXPUNGE') mirror.delete(change.uid);
    else if (change.type === 'FLAGS') mirror.set(change.uid, flagSet(change.flags ?? []));
  }

  private async graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(`${this.apiUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
    if (!body.data || body.errors?.length)
      throw new Error(`GraphQL: ${body.errors?.map((error) => error.message).join('; ') ?? response.status}`);
    return body.data;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.dispose();
  }
}

function describe(error: unknown): string {
  if (Array.isArray(error)) return `graphql error ${String((error[0] as { message?: string })?.message)}`;
  if (error && typeof error === 'object' && 'code' in error)
    return `closed ${String((error as { code: unknown }).code)}`;
  return 'error';
}

function pick<T>(values: readonly T[]): T {
  return values[Math.floor(Math.random() * values.length)]!;
}
