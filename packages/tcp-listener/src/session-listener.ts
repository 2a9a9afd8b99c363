// The lifecycle every protocol listener shares (IMAP, ManageSieve): listen, count the open
// sessions in all and per client address against their limits, and close gracefully. How a
// connection is accepted, refused and spoken to stays with the protocol.
import type net from 'node:net';
import type { AddressInfo } from 'node:net';

/** What the listener needs of a protocol session. */
export interface ListenerSession {
  /** Ends the session with the protocol's goodbye (BYE); resolves when the connection is over. */
  shutdown(reason: string): Promise<void>;
  /** Drops the connection at once. */
  terminate(): void;
  /** `close` fires once, when the connection is gone. */
  once(event: 'close', listener: () => void): unknown;
}

export interface ConnectionLimits {
  /** Open sessions on this listener. */
  maxConnections: number;
  /** Open sessions from one client address (clientAddress). */
  maxConnectionsPerAddress: number;
}

export class SessionListener {
  private readonly sessions = new Set<ListenerSession>();
  /** Open sessions per client address. */
  private readonly perAddress = new Map<string, number>();

  constructor(
    private readonly server: net.Server,
    private readonly limits: ConnectionLimits,
  ) {}

  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  listen(port: number, host = '127.0.0.1'): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /**
   * Stops accepting connections and shuts every session down (`reason` is its BYE text); a session
   * whose shutdown has not finished within `timeoutMs` (default 5 s: the client does not read) is
   * dropped. Resolves when the listener is closed.
   */
  async close(options: { timeoutMs?: number; reason?: string } = {}): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const pending = new Set(this.sessions);
    const reason = options.reason ?? 'Server shutting down';
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(
        [...pending].map((session) => session.shutdown(reason).then(() => pending.delete(session))),
      ),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, options.timeoutMs ?? 5000);
      }),
    ]);
    clearTimeout(timer);
    for (const session of pending) session.terminate();
    await closed;
  }

  /** Number of open sessions. */
  get connectionCount(): number {
    return this.sessions.size;
  }

  /** Why a new connection from `address` (a clientAddress) is over a limit, or null when it may be served. */
  refusalFor(address: string): string | null {
    if (this.sessions.size >= this.limits.maxConnections)
      return 'Too many connections to this server; try again later';
    if ((this.perAddress.get(address) ?? 0) >= this.limits.maxConnectionsPerAddress)
      return 'Too many connections from your address; try again later';
    return null;
  }

  /** Counts `session` as open, from `address`, until it closes; close() shuts it down. */
  track(session: ListenerSession, address: string): void {
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    this.sessions.add(session);
    session.once('close', () => {
      this.sessions.delete(session);
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
    });
  }
}

/** One key per client: an IPv4 client of a dual-stack listener (`::ffff:a.b.c.d`) counts as a.b.c.d. */
export function clientAddress(remoteAddress: string | undefined): string {
  const address = remoteAddress ?? 'unknown';
  return /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? address;
}
