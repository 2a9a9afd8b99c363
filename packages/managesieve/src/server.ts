// The TCP listener of ManageSieve (port 4190, STARTTLS when a certificate is given): one session
// per connection, connection limits, graceful close.
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { resolveOptions, type ManageSieveServerOptions, type ResolvedManageSieveOptions } from './options.js';
import { ManageSieveSession } from './session.js';
import { statusLine } from './responses.js';

export class ManageSieveServer {
  readonly options: ResolvedManageSieveOptions;
  private readonly secureContext: tls.SecureContext | null;
  private readonly server: net.Server;
  private readonly sessions = new Set<ManageSieveSession>();
  private readonly perAddress = new Map<string, number>();

  constructor(options: ManageSieveServerOptions) {
    this.options = resolveOptions(options);
    this.secureContext = this.options.tls ? tls.createSecureContext(this.options.tls) : null;
    if (!this.secureContext && !this.options.allowPlaintextLogin)
      this.options.logger.warn(
        {},
        'ManageSieve has neither TLS nor plaintext login: nobody can authenticate',
      );
    this.server = net.createServer((socket) => this.accept(socket));
    this.server.on('error', (error) =>
      this.options.logger.error({ err: error }, 'ManageSieve listener error'),
    );
    this.options.prepareListener?.(this.server);
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

  /** Stops accepting and ends every session with `BYE (TRYLATER)`; one that does not read it is dropped. */
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

  get connectionCount(): number {
    return this.sessions.size;
  }

  private accept(socket: net.Socket): void {
    const address = clientAddress(socket.remoteAddress);
    const refusal =
      this.sessions.size >= this.options.maxConnections
        ? 'Too many connections to this server; try again later'
        : (this.perAddress.get(address) ?? 0) >= this.options.maxConnectionsPerAddress
          ? 'Too many connections from your address; try again later'
          : null;
    if (refusal) {
      this.options.logger.info({ remoteAddress: address, reason: refusal }, 'connection refused');
      socket.on('error', () => undefined);
      socket.end(statusLine('BYE', refusal, 'TRYLATER'));
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    // every response is one write: waiting to fill a segment (Nagle) only delays it
    socket.setNoDelay(true);
    const session = new ManageSieveSession(socket, {
      options: this.options,
      secureContext: this.secureContext,
    });
    this.sessions.add(session);
    session.once('close', () => {
      this.sessions.delete(session);
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
    });
    session.start();
  }
}

/** One key per client: an IPv4 client of a dual-stack listener (`::ffff:a.b.c.d`) counts as a.b.c.d. */
function clientAddress(remoteAddress: string | undefined): string {
  const address = remoteAddress ?? 'unknown';
  return /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? address;
}
