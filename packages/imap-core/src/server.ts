// The TCP listener: plain (with STARTTLS when a certificate is given) or implicit TLS, one
// ImapSession per connection.
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { resolveOptions, type ImapServerOptions, type ResolvedImapOptions } from './options.js';
import { ImapSession } from './session.js';

/** An IMAP server listening on one address. */
export class ImapServer {
  private readonly options: ResolvedImapOptions;
  private readonly secureContext: tls.SecureContext | null;
  private readonly server: net.Server;
  private readonly sessions = new Set<ImapSession>();

  constructor(options: ImapServerOptions) {
    this.options = resolveOptions(options);
    this.secureContext = this.options.tls ? tls.createSecureContext(this.options.tls) : null;
    this.server = this.options.secure
      ? tls.createServer({ ...this.options.tls }, (socket) => this.accept(socket, true))
      : net.createServer((socket) => this.accept(socket, false));
    this.server.on('error', (error) => this.options.logger.error({ error }, 'IMAP listener error'));
  }

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
   * Stops accepting connections and ends every session with `* BYE Server shutting down` (a
   * command in progress is cut off). A session whose BYE cannot be written within `timeoutMs`
   * (default 5 s; the client does not read) is dropped.
   */
  async close(options: { timeoutMs?: number } = {}): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const pending = new Set(this.sessions);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(
        [...pending].map((session) =>
          session.shutdown('Server shutting down').then(() => pending.delete(session)),
        ),
      ),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, options.timeoutMs ?? 5000);
      }),
    ]);
    clearTimeout(timer);
    for (const session of pending) session.terminate();
    await closed;
  }

  /** Number of open connections. */
  get connectionCount(): number {
    return this.sessions.size;
  }

  private accept(socket: net.Socket, secure: boolean): void {
    // Responses are coalesced into one write each (writer/response-writer.ts): waiting to fill a
    // segment (Nagle) would only hold the last part of one back until the client's delayed ACK.
    socket.setNoDelay(true);
    const session = new ImapSession(socket, {
      options: this.options,
      secure,
      secureContext: this.secureContext,
    });
    this.sessions.add(session);
    this.options.observer.connection?.(1);
    session.once('close', () => {
      this.sessions.delete(session);
      this.options.observer.connection?.(-1);
    });
    session.start();
  }
}
