// The TCP listener: plain (with STARTTLS when a certificate is given) or implicit TLS, one
// ImapSession per connection.
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { SessionListener, clientAddress } from '@wildduck/tcp-listener';
import { resolveOptions, type ImapServerOptions, type ResolvedImapOptions } from './options.js';
import { ImapSession } from './session.js';
import { acceptProxyProtocol, actAsClient } from './proxy-listener.js';

/** As long as a tls.Server waits for a handshake (its `handshakeTimeout` default). */
const TLS_HANDSHAKE_TIMEOUT_MS = 120_000;

/** An IMAP server listening on one address. */
export class ImapServer {
  private readonly options: ResolvedImapOptions;
  private readonly secureContext: tls.SecureContext | null;
  /** Listening, the connection limits and graceful close. */
  private readonly listener: SessionListener;

  constructor(options: ImapServerOptions) {
    this.options = resolveOptions(options);
    this.secureContext = this.options.tls ? tls.createSecureContext(this.options.tls) : null;
    const server = this.options.proxyProtocol
      ? this.proxiedListener()
      : this.options.secure
        ? tls.createServer({ ...this.options.tls }, (socket) => this.accept(socket, true))
        : net.createServer((socket) => this.accept(socket, false));
    server.on('error', (error) => this.options.logger.error({ err: error }, 'IMAP listener error'));
    this.listener = new SessionListener(server, this.options);
  }

  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  listen(port: number, host = '127.0.0.1'): Promise<AddressInfo> {
    return this.listener.listen(port, host);
  }

  /**
   * Stops accepting connections and ends every session with `* BYE Server shutting down` (a
   * command in progress is cut off). A session whose BYE cannot be written within `timeoutMs`
   * (default 5 s; the client does not read) is dropped.
   */
  close(options: { timeoutMs?: number } = {}): Promise<void> {
    return this.listener.close({ timeoutMs: options.timeoutMs, reason: 'Server shutting down' });
  }

  /** Number of open connections. */
  get connectionCount(): number {
    return this.listener.connectionCount;
  }

  /**
   * A plain listener that reads the PROXY header first: on an implicit TLS port it comes before
   * the handshake, so TLS is started here once the header is read (a tls.Server would start the
   * handshake on the header's bytes).
   */
  private proxiedListener(): net.Server {
    const server = net.createServer((socket) =>
      this.options.secure ? this.startTls(socket) : this.accept(socket, false),
    );
    acceptProxyProtocol(server, this.options.proxyProtocol!);
    return server;
  }

  /** The server side of the TLS handshake on an accepted socket, then the session. */
  private startTls(socket: net.Socket): void {
    const tlsSocket = new tls.TLSSocket(socket, { isServer: true, secureContext: this.secureContext! });
    const timer = setTimeout(() => tlsSocket.destroy(), TLS_HANDSHAKE_TIMEOUT_MS);
    const onError = (error: Error) => {
      clearTimeout(timer);
      this.options.logger.debug({ err: error, remoteAddress: socket.remoteAddress }, 'TLS handshake failed');
      tlsSocket.destroy();
    };
    tlsSocket.once('error', onError);
    tlsSocket.once('secure', () => {
      clearTimeout(timer);
      tlsSocket.off('error', onError);
      // the TLS socket asks the kernel for its peer, which is the proxy: pass on the client
      actAsClient(tlsSocket, {
        address: socket.remoteAddress ?? 'unknown',
        port: socket.remotePort ?? 0,
        family: socket.remoteFamily === 'IPv6' ? 'IPv6' : 'IPv4',
      });
      this.accept(tlsSocket, true);
    });
  }

  private accept(socket: net.Socket, secure: boolean): void {
    // the client's address: after the PROXY protocol, the socket reports the proxied client
    const address = clientAddress(socket.remoteAddress);
    const refusal = this.listener.refusalFor(address);
    if (refusal) {
      this.options.logger.info({ remoteAddress: address, reason: refusal }, 'connection refused');
      refuse(socket, refusal);
      return;
    }
    // Responses are coalesced into one write each (writer/response-writer.ts): waiting to fill a
    // segment (Nagle) would only hold the last part of one back until the client's delayed ACK.
    socket.setNoDelay(true);
    const session = new ImapSession(socket, {
      options: this.options,
      secure,
      secureContext: this.secureContext,
    });
    this.listener.track(session, address);
    this.options.observer.connection?.(1);
    session.once('close', () => this.options.observer.connection?.(-1));
    session.start();
  }
}

/**
 * Answers a connection over a limit with `* BYE` instead of a greeting (RFC 3501 7.1.5 allows a
 * BYE greeting) and closes it; nothing it sends is read.
 */
function refuse(socket: net.Socket, reason: string): void {
  socket.on('error', () => undefined);
  socket.end(`* BYE ${reason}\r\n`, () => socket.destroy());
  // a client that does not even take the one line is not waited for
  setTimeout(() => socket.destroy(), 5000).unref();
}
