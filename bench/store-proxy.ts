import { connect, createServer, type Server, type Socket } from 'node:net';

/** Bytes that went through the proxy so far, in each direction. */
export interface TrafficCount {
  /** From the store to the mail server: what the server read from the store. */
  fromStore: number;
  /** From the mail server to the store: queries, and whatever it wrote. */
  toStore: number;
}

/**
 * A TCP proxy on 127.0.0.1 in front of the store that counts the bytes passing each way. The mail
 * server is given the proxy's address instead of the store's, so every byte it reads from MongoDB
 * (documents, GridFS chunks, and the driver's own heartbeats) is counted, whatever the driver does.
 */
export class CountingProxy {
  readonly traffic: TrafficCount = { fromStore: 0, toStore: 0 };
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  port = 0;

  private constructor(
    private readonly upstreamHost: string,
    private readonly upstreamPort: number,
  ) {
    this.server = createServer((client) => this.relay(client));
  }

  static async start(upstreamHost: string, upstreamPort: number): Promise<CountingProxy> {
    const proxy = new CountingProxy(upstreamHost, upstreamPort);
    proxy.port = await new Promise<number>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, '127.0.0.1', () => {
        const address = proxy.server.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
    return proxy;
  }

  /** A copy of the counters, to subtract from a later one. */
  snapshot(): TrafficCount {
    return { ...this.traffic };
  }

  /** Bytes since `before`. */
  since(before: TrafficCount): TrafficCount {
    return {
      fromStore: this.traffic.fromStore - before.fromStore,
      toStore: this.traffic.toStore - before.toStore,
    };
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket): void {
    const upstream = connect({ host: this.upstreamHost, port: this.upstreamPort });
    this.sockets.add(client);
    this.sockets.add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.on('data', (chunk: Buffer) => (this.traffic.toStore += chunk.length));
    upstream.on('data', (chunk: Buffer) => (this.traffic.fromStore += chunk.length));
    client.pipe(upstream);
    upstream.pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  }
}
