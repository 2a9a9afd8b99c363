// The TCP listener of ManageSieve (port 4190, STARTTLS when a certificate is given): one session
// per connection, connection limits, graceful close.
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { SessionListener, clientAddress } from '@wildduck/tcp-listener';
import { resolveOptions, type ManageSieveServerOptions, type ResolvedManageSieveOptions } from './options.js';
import { ManageSieveSession } from './session.js';
import { statusLine } from './responses.js';

export class ManageSieveServer {
  readonly options: ResolvedManageSieveOptions;
  private readonly secureContext: tls.SecureContext | null;
  /** Listening, the connection limits and graceful close. */
  private readonly listener: SessionListener;

  constructor(options: ManageSieveServerOptions) {
    this.options = resolveOptions(options);
    this.secureContext = this.options.tls ? tls.createSecureContext(this.options.tls) : null;
    if (!this.secureContext && !this.options.allowPlaintextLogin)
      this.options.logger.warn(
        {},
        'ManageSieve has neither TLS nor plaintext login: nobody can authenticate',
      );
    const server = net.createServer((socket) => this.accept(socket));
    server.on('error', (error) => this.options.logger.error({ err: error }, 'ManageSieve listener error'));
    this.options.prepareListener?.(server);
    this.listener = new SessionListener(server, this.options);
  }

  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  listen(port: number, host = '127.0.0.1'): Promise<AddressInfo> {
    return this.listener.listen(port, host);
  }

  /** Stops accepting and ends every session with `BYE (TRYLATER)`; one that does not read it is dropped. */
  close(options: { timeoutMs?: number } = {}): Promise<void> {
    return this.listener.close({ timeoutMs: options.timeoutMs, reason: 'Server shutting down' });
  }

  get connectionCount(): number {
    return this.listener.connectionCount;
  }

  private accept(socket: net.Socket): void {
    const address = clientAddress(socket.remoteAddress);
    const refusal = this.listener.refusalFor(address);
    if (refusal) {
      this.options.logger.info({ remoteAddress: address, reason: refusal }, 'connection refused');
      socket.on('error', () => undefined);
      socket.end(statusLine('BYE', refusal, 'TRYLATER'));
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    // every response is one write: waiting to fill a segment (Nagle) only delays it
    socket.setNoDelay(true);
    const session = new ManageSieveSession(socket, {
      options: this.options,
      secureContext: this.secureContext,
    });
    this.listener.track(session, address);
    session.start();
  }
}
