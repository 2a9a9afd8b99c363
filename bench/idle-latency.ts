/**
 * IDLE push latency (`idle-latency`): many IMAP connections idle on INBOX across two mail server
 * instances on one store and one Redis; messages are delivered one at a time by LMTP on instance
 * B; for each, the time from the LMTP 250 reply to the untagged EXISTS on every idling session of
 * the recipient, on B itself and on A (which hears of it over Redis).
 */
import {
  latencyFigures,
  measurePushLatency,
  waitUntilSeen,
  type Cluster,
  type LatencyFigures,
} from './cluster.js';
import { ImapConnection } from './imap-client.js';
import { LmtpSender, removeBenchMessages, textMessage } from './lmtp-delivery.js';
import { formatDuration } from './report.js';

export interface IdleLatencyResult {
  connections: number;
  /** Connections per instance (A, B). */
  perInstance: Record<string, number>;
  users: number;
  deliveries: number;
  /** Every (delivery, idling session of its recipient) pair. */
  all: LatencyFigures;
  /** Sessions on the delivering instance (B) and on the other one (A). */
  byInstance: Record<string, LatencyFigures>;
  /** EXISTS seen before the LMTP reply was read (counted as the negative time they are). */
  beforeReply: number;
  /** Sessions that had not seen a delivery's EXISTS within the timeout. */
  missed: number;
  /** The LMTP transactions themselves (MAIL FROM to 250). */
  lmtp: LatencyFigures;
  openSeconds: number;
  failures: string[];
}

interface Session {
  client: ImapConnection;
  instance: string;
  user: number;
  /** When each EXISTS count was first announced (performance.now()). */
  seen: Map<number, number>;
  finished: Promise<unknown>;
}

const OPEN_CONCURRENCY = 25;
const IDLE_TIMEOUT_MS = 3_600_000;

export async function idleLatency(
  cluster: Cluster,
  options: { connections: number; deliveries: number; timeoutMs: number; log(line: string): void },
): Promise<IdleLatencyResult> {
  const { log } = options;
  const [a, b] = cluster.instances;
  if (!a || !b) throw new Error('idle-latency needs two mail server instances');
  const failures: string[] = [];
  const removed = await removeBenchMessages(
    { endpoint: a.imap, user: cluster.user, password: cluster.password },
    cluster.users,
  );
  if (removed) log(`  removed ${removed} messages an earlier run left`);

  // connection i: instance i % 2, user (i / 2) % users: every user idles on both instances
  log(
    `idle-latency: opening ${options.connections} connections (LOGIN, SELECT INBOX, IDLE) over instances A and B, ${cluster.users} users`,
  );
  const sessions: Session[] = [];
  const opened = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: OPEN_CONCURRENCY }, async () => {
      while (next < options.connections) {
        const index = next++;
        const instance = index % 2 === 0 ? a : b;
        const user = (Math.floor(index / 2) % cluster.users) + 1;
        let client: ImapConnection | undefined;
        try {
          // the timeout covers the IDLE command too, which stays open for the whole benchmark
          client = await ImapConnection.open(instance.imap, IDLE_TIMEOUT_MS);
          await client.login(cluster.user(user), cluster.password);
          const session: Session = {
            client,
            instance: instance.name,
            user,
            seen: new Map(),
            finished: Promise.resolve(),
          };
          // from SELECT on: its EXISTS gives the count the deliveries start from
          client.onUntagged = (line) => {
            const match = /^\* (\d+) EXISTS/i.exec(line);
            if (match && !session.seen.has(Number(match[1])))
              session.seen.set(Number(match[1]), performance.now());
          };
          await client.run('SELECT INBOX');
          session.finished = (await client.idle()).finished.catch(() => {});
          sessions.push(session);
        } catch (error) {
          client?.close();
          if (failures.length < 10) failures.push(`connection ${index + 1}: ${(error as Error).message}`);
        }
      }
    }),
  );
  const openSeconds = (performance.now() - opened) / 1000;
  log(`  ${sessions.length} connections idle after ${formatDuration(openSeconds * 1000)}`);

  const byUser = new Map<number, Session[]>();
  for (const session of sessions) byUser.set(session.user, [...(byUser.get(session.user) ?? []), session]);
  // messages in each INBOX now (none unless something else delivered to the bench users)
  const counts = new Map<number, number>();
  for (const session of sessions)
    counts.set(session.user, Math.max(counts.get(session.user) ?? 0, ...session.seen.keys()));
  const sender = new LmtpSender(b.lmtp);
  const deliver = async (user: number, id: string) => {
    const outcome = await sender.deliver(cluster.user(user), textMessage(id, 2_000));
    if (!outcome.ok) throw new Error(`LMTP delivery to ${cluster.user(user)} failed: ${outcome.reply}`);
    counts.set(user, (counts.get(user) ?? 0) + 1);
    return counts.get(user)!;
  };

  try {
    // warm-up: one message per user, until every session has it (all are surely listening then)
    log('  warm-up: one delivery per user, until every session has seen its EXISTS');
    for (let user = 1; user <= cluster.users; user++) {
      const count = await deliver(user, `idle-warmup-${user}-${Date.now()}`);
      await waitUntilSeen(byUser.get(user) ?? [], count, 30_000);
    }

    log(`  measuring: ${options.deliveries} deliveries by LMTP on instance B, one at a time`);
    const measured = await measurePushLatency({
      deliveries: options.deliveries,
      users: cluster.users,
      listenersOf: (user) => byUser.get(user) ?? [],
      deliver: (user, k) => deliver(user, `idle-latency-${k}-${Date.now()}`),
      timeoutMs: options.timeoutMs,
      log,
    });
    const byInstance: Record<string, number[]> = { [a.name]: [], [b.name]: [] };
    for (const { listener, latency } of measured.samples) byInstance[listener.instance]!.push(latency);
    return {
      connections: sessions.length,
      perInstance: Object.fromEntries(
        [a.name, b.name].map((name) => [
          name,
          sessions.filter((session) => session.instance === name).length,
        ]),
      ),
      users: cluster.users,
      deliveries: options.deliveries,
      all: latencyFigures(measured.samples.map((sample) => sample.latency)),
      byInstance: Object.fromEntries(
        Object.entries(byInstance).map(([name, values]) => [name, latencyFigures(values)]),
      ),
      beforeReply: measured.beforeReply,
      missed: measured.missed,
      lmtp: latencyFigures(measured.lmtp),
      openSeconds,
      failures,
    };
  } finally {
    sender.close();
    let closing = 0;
    await Promise.all(
      Array.from({ length: OPEN_CONCURRENCY * 2 }, async () => {
        while (closing < sessions.length) {
          const session = sessions[closing++]!;
          session.client.done();
          await Promise.race([session.finished, new Promise((resolve) => setTimeout(resolve, 5000))]);
          await session.client.logout();
        }
      }),
    );
    await removeBenchMessages(
      { endpoint: a.imap, user: cluster.user, password: cluster.password },
      cluster.users,
    );
  }
}
