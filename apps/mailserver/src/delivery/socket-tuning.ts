import type { Socket } from 'node:net';
import type { SMTPServer } from 'smtp-server';

/**
 * Tunes every connection an LMTP or SMTP server accepts for replies without stalls: a reply that
 * leaves in more than one segment (LMTP's reply per recipient after DATA) must not wait for the
 * client's delayed ACK behind Nagle's algorithm, so no-delay is on; and replies written in the same
 * tick are gathered into one write. smtp-server gives no hook with the socket, so the listener's
 * own 'connection' event is used (it fires before smtp-server reads anything; a STARTTLS socket
 * is layered over this one and keeps its no-delay).
 */
export function tuneConnections(server: SMTPServer): SMTPServer {
  server.server.on('connection', (socket: Socket) => {
    socket.setNoDelay(true);
    coalesceWritesPerTick(socket);
  });
  return server;
}

/**
 * Writes made in one tick leave in one system call: the first write of a tick corks the socket
 * and the end of the tick uncorks it. smtp-server writes each reply line by itself (one per
 * recipient after DATA), and those are answered together.
 */
export function coalesceWritesPerTick(socket: Pick<Socket, 'write' | 'cork' | 'uncork'>): void {
  const write = socket.write;
  let corked = false;
  socket.write = function (this: Socket, ...args: Parameters<Socket['write']>): boolean {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(() => {
        corked = false;
        socket.uncork();
      });
    }
    return write.apply(this, args);
  } as Socket['write'];
}
