import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP relay to a server (the store) that can be cut: every open connection is broken and, for a
 * while, nothing listens, so new connections are refused, as when the server's host is unreachable.
 * For tests and the soak (`npm run soak`), which play "this instance lost its store" with it.
 */
export class CuttableRelay {
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  /** Listens on 127.0.0.1 (a free port the first time, the same one after a cut). */
  async listen(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  /** Breaks every open connection now and listens again after `ms`. */
  async cut(ms: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    for (const socket of this.sockets) socket.destroy();
    await closed;
    await new Promise((resolve) => setTimeout(resolve, ms));
    await this.listen();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
