// Reads the PROXY protocol header on a listener's connections before the protocol server sees
// them, for any net.Server (the IMAP server here, smtp-server's listener in the mail server).
import { BlockList, isIPv4, isIPv6, type Server, type Socket } from 'node:net';
import { parseProxyHeader, startsWithProxySignature, type ProxiedClient } from './proxy-protocol.js';

/** Who may send a PROXY header, and what happens around it. */
export interface ProxyProtocolOptions {
  /** True for a peer address whose connections must start with a PROXY header. */
  trusted: (peerAddress: string) => boolean;
  /** How long a trusted peer may take to send the whole header. Default 10 s. */
  headerTimeoutMs?: number;
  /** Told about a connection closed for a missing or broken header (for the log). */
  onRefused?: (peerAddress: string, reason: string) => void;
}

/**
 * The peers given as addresses or CIDR blocks (`10.0.0.5`, `10.0.0.0/8`, `fd00::/8`). An IPv4
 * client of a dual-stack listener appears as `::ffff:a.b.c.d`, so that form matches its IPv4 entry.
 */
export function trustedPeers(entries: readonly string[]): (peerAddress: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits] = entry.split('/');
    const type = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
    const prefix = bits === undefined ? undefined : Number(bits);
    if (
      !type ||
      (prefix !== undefined &&
        !(Number.isInteger(prefix) && prefix >= 0 && prefix <= (type === 'ipv4' ? 32 : 128)))
    )
      throw new Error(`not an IP address or CIDR block: ${JSON.stringify(entry)}`);
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, prefix, type);
  }
  return (peerAddress) => {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(peerAddress)?.[1];
    const address = mapped ?? peerAddress;
    return list.check(address, isIPv4(address) ? 'ipv4' : 'ipv6');
  };
}

/**
 * From now on, a connection to `server` from a trusted peer reaches the server's own
 * 'connection' listeners only once its PROXY header is read, with `remoteAddress`, `remotePort`
 * and `remoteFamily` saying who the client is (every consumer, logs and rate limits included,
 * reads these); the bytes after the header are left on the socket. Such a connection without a
 * valid header within the timeout is closed before the server writes anything. Connections from
 * other peers are handed over at once: nothing is read ahead of the server, but one whose first
 * bytes are a PROXY header is closed (closeOnUnexpectedHeader).
 * Call it after the server's own listeners are attached.
 */
export function acceptProxyProtocol(server: Server, options: ProxyProtocolOptions): void {
  const listeners = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  const handOver = (socket: Socket) => {
    for (const listener of listeners) listener.call(server, socket);
  };
  server.on('connection', (socket: Socket) => {
    const peer = socket.remoteAddress ?? '';
    if (!options.trusted(peer)) {
      closeOnUnexpectedHeader(socket, (reason) => options.onRefused?.(peer, reason));
      return handOver(socket);
    }
    readHeader(socket, options.headerTimeoutMs ?? 10_000, (error, client) => {
      if (error) {
        options.onRefused?.(peer, error);
        socket.destroy();
        return;
      }
      if (client) actAsClient(socket, client);
      handOver(socket);
    });
  });
}

/**
 * A header from a peer that is not a listed proxy is never trusted; rather than let the protocol
 * answer it as a command (a proxy missing from the list would then have all its clients served
 * under its own address), the connection is closed. The first chunk is looked at as it is
 * emitted, so the server's greeting is not delayed and nothing is read ahead; the protocol
 * server never sees that chunk. (Over implicit TLS the bytes go to the TLS layer, whose
 * handshake fails on a header anyway.)
 */
function closeOnUnexpectedHeader(socket: Socket, onRefused: (reason: string) => void): void {
  const emit = socket.emit as (this: Socket, event: string | symbol, ...args: unknown[]) => boolean;
  socket.emit = function (this: Socket, event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'data') return emit.call(this, event, ...args);
    socket.emit = emit as Socket['emit'];
    const chunk = args[0];
    if (Buffer.isBuffer(chunk) && startsWithProxySignature(chunk)) {
      onRefused('PROXY header from a peer that is not a listed proxy');
      socket.destroy();
      return false;
    }
    return emit.call(this, event, ...args);
  } as Socket['emit'];
}

/** Makes the socket report the proxied client as its peer (own properties over the getters). */
export function actAsClient(socket: Socket, client: ProxiedClient): void {
  Object.defineProperties(socket, {
    remoteAddress: { value: client.address, configurable: true },
    remotePort: { value: client.port, configurable: true },
    remoteFamily: { value: client.family, configurable: true },
  });
}

/** Collects bytes until they form a header (or cannot), then puts back what follows it. */
function readHeader(
  socket: Socket,
  timeoutMs: number,
  done: (error: string | null, client?: ProxiedClient) => void,
): void {
  let received = Buffer.alloc(0);
  let finished = false;
  const finish = (error: string | null, client?: ProxiedClient) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    socket.off('readable', onReadable);
    socket.off('end', onEnd);
    socket.off('error', onError);
    socket.off('close', onEnd);
    // a late error on a socket being destroyed must not become an uncaught exception
    if (error) socket.on('error', () => undefined);
    done(error, client);
  };
  const onEnd = () => finish('connection ended before a PROXY header');
  const onError = (error: Error) => finish(`connection failed before a PROXY header: ${error.message}`);
  const onReadable = () => {
    let chunk: Buffer | null;
    while (!finished && (chunk = socket.read() as Buffer | null) !== null) {
      received = Buffer.concat([received, chunk]);
      const result = parseProxyHeader(received);
      if (result.kind === 'invalid') return finish(`invalid PROXY header: ${result.reason}`);
      if (result.kind === 'header') {
        const rest = received.subarray(result.length);
        if (rest.length) socket.unshift(rest);
        return finish(null, result.client);
      }
    }
  };
  const timer = setTimeout(() => finish('no PROXY header in time'), timeoutMs);
  socket.on('readable', onReadable);
  socket.on('end', onEnd);
  socket.on('error', onError);
  socket.on('close', onEnd);
}
