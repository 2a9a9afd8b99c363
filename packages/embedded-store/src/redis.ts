import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  askTcp,
  findFreePort,
  findOnPath,
  startProcess,
  waitUntil,
  type ManagedProcess,
} from './processes.js';

/** The Redis this installation uses, as the contract decides it. */
export interface ResolvedRedis {
  /** Redis URL, or undefined for the in-process bus (one node only). */
  readonly url: string | undefined;
  /** How it was found: configured by REDIS_URL, the local 6379, a redis-server we started, or none. */
  readonly kind: 'configured' | 'local' | 'spawned' | 'in-process';
  /** Stops a redis-server we started; nothing otherwise. */
  stop(): Promise<void>;
}

/**
 * Picks Redis as shared/DESIGN.md says: REDIS_URL when set; else 127.0.0.1:6379 if it answers;
 * else a `redis-server` from PATH started with its files under `dataDir`; else the in-process bus.
 */
export async function resolveRedis(options: { url?: string; dataDir: string }): Promise<ResolvedRedis> {
  const none = async () => {};
  if (options.url) return { url: options.url, kind: 'configured', stop: none };
  if (await pingRedis('127.0.0.1', 6379)) return { url: 'redis://127.0.0.1:6379', kind: 'local', stop: none };

  const redisServer = await findOnPath('redis-server');
  if (!redisServer) return { url: undefined, kind: 'in-process', stop: none };

  const port = await findFreePort();
  const dir = join(options.dataDir, 'redis');
  await mkdir(dir, { recursive: true });
  const server: ManagedProcess = startProcess(redisServer, [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ]);
  server.child.stdout?.resume();
  server.child.stderr?.resume();
  await waitUntil(`redis-server to answer on port ${port}`, () => pingRedis('127.0.0.1', port), 10_000);
  return { url: `redis://127.0.0.1:${port}`, kind: 'spawned', stop: () => server.stop() };
}

/** True when a Redis server answers PING at host:port. */
export async function pingRedis(host: string, port: number): Promise<boolean> {
  const answer = await askTcp(host, port, 'PING\r\n');
  return answer?.startsWith('+PONG') ?? false;
}
