/**
 * GraphQL subscription latency (`graphql-latency`): many graphql-ws clients subscribed to
 * `mailboxChanges` on the API process; messages are delivered one at a time by LMTP on a mail
 * server process (same store, same Redis); for each, the time from the LMTP 250 reply to the
 * EXISTS change on every subscriber of the recipient.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import {
  latencyFigures,
  measurePushLatency,
  signIn,
  waitUntilSeen,
  type Cluster,
  type LatencyFigures,
} from './cluster.js';
import { LmtpSender, removeBenchMessages, textMessage } from './lmtp-delivery.js';
import { formatDuration } from './report.js';

export interface GraphqlLatencyResult {
  subscribers: number;
  users: number;
  deliveries: number;
  /** Every (delivery, subscriber of its recipient) pair. */
  all: LatencyFigures;
  /** EXISTS received before the LMTP reply was read. */
  beforeReply: number;
  /** Subscribers that had not received a delivery's EXISTS within the timeout. */
  missed: number;
  /** Subscribers that had not received the warm-up delivery within 60 s (not listening). */
  notReady: number;
  lmtp: LatencyFigures;
  openSeconds: number;
  failures: string[];
}

interface Subscriber {
  client: Client;
  user: number;
  /** When the EXISTS of each UID arrived (performance.now()). */
  seen: Map<number, number>;
}

const SUBSCRIPTION = 'subscription { mailboxChanges { cursor type mailboxId uid modseq } }';
const OPEN_CONCURRENCY = 50;

export async function graphqlLatency(
  cluster: Cluster,
  options: { subscribers: number; deliveries: number; timeoutMs: number; log(line: string): void },
): Promise<GraphqlLatencyResult> {
  const { log } = options;
  const mail = cluster.instances[0];
  const api = cluster.api;
  if (!mail || !api) throw new Error('graphql-latency needs a mail server and the API');
  const failures: string[] = [];
  const imap = { endpoint: mail.imap, user: cluster.user, password: cluster.password };
  const removed = await removeBenchMessages(imap, cluster.users);
  if (removed) log(`  removed ${removed} messages an earlier run left`);

  const tokens: string[] = [];
  for (let n = 1; n <= cluster.users; n++)
    tokens.push(await signIn(api.url, cluster.user(n), cluster.password));
  log(
    `graphql-latency: ${options.subscribers} graphql-ws clients subscribing to mailboxChanges, ${cluster.users} users (signed in through GraphQL)`,
  );
  const subscribers: Subscriber[] = [];
  const wsUrl = `${api.url.replace(/^http/, 'ws')}/graphql`;
  const opened = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: OPEN_CONCURRENCY }, async () => {
      while (next < options.subscribers) {
        const index = next++;
        const user = (index % cluster.users) + 1;
        const client = createClient({
          url: wsUrl,
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${tokens[user - 1]}` },
          retryAttempts: 0,
        });
        const subscriber: Subscriber = { client, user, seen: new Map() };
        try {
          await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('not connected within 30 s')), 30_000);
            const stop = client.on('connected', () => {
              clearTimeout(timer);
              stop();
              resolve();
            });
            client.subscribe<{ mailboxChanges: { type: string; uid: number | null } }>(
              { query: SUBSCRIPTION },
              {
                next: (result) => {
                  const change = result.data?.mailboxChanges;
                  if (change?.type === 'EXISTS' && change.uid !== null && !subscriber.seen.has(change.uid))
                    subscriber.seen.set(change.uid, performance.now());
                  if (result.errors && failures.length < 10)
                    failures.push(`subscriber ${index + 1}: ${JSON.stringify(result.errors)}`);
                },
                error: (error) => {
                  clearTimeout(timer);
                  reject(new Error(JSON.stringify(error)));
                },
                complete: () => {},
              },
            );
          });
          subscribers.push(subscriber);
        } catch (error) {
          void client.dispose();
          if (failures.length < 10) failures.push(`subscriber ${index + 1}: ${(error as Error).message}`);
        }
      }
    }),
  );
  const openSeconds = (performance.now() - opened) / 1000;
  log(`  ${subscribers.length} subscribers connected after ${formatDuration(openSeconds * 1000)}`);

  const byUser = new Map<number, Subscriber[]>();
  for (const subscriber of subscribers)
    byUser.set(subscriber.user, [...(byUser.get(subscriber.user) ?? []), subscriber]);
  const sender = new LmtpSender(mail.lmtp);
  const deliver = async (user: number, id: string) => {
    const outcome = await sender.deliver(cluster.user(user), textMessage(id, 2_000));
    if (!outcome.ok || outcome.uid === undefined)
      throw new Error(`LMTP delivery to ${cluster.user(user)} failed: ${outcome.reply}`);
    return outcome.uid;
  };

  try {
    // warm-up: graphql-ws does not say when the server has set a subscription up; an EXISTS does
    log('  warm-up: one delivery per user, until every subscriber has received its EXISTS');
    let notReady = 0;
    for (let user = 1; user <= cluster.users; user++) {
      const list = byUser.get(user) ?? [];
      const uid = await deliver(user, `graphql-warmup-${user}-${Date.now()}`);
      await waitUntilSeen(list, uid, 60_000);
      notReady += list.filter((subscriber) => !subscriber.seen.has(uid)).length;
    }

    log(`  measuring: ${options.deliveries} deliveries by LMTP, one at a time`);
    const measured = await measurePushLatency({
      deliveries: options.deliveries,
      users: cluster.users,
      listenersOf: (user) => byUser.get(user) ?? [],
      deliver: (user, k) => deliver(user, `graphql-latency-${k}-${Date.now()}`),
      timeoutMs: options.timeoutMs,
      log,
    });
    return {
      subscribers: subscribers.length,
      users: cluster.users,
      deliveries: options.deliveries,
      all: latencyFigures(measured.samples.map((sample) => sample.latency)),
      beforeReply: measured.beforeReply,
      missed: measured.missed,
      notReady,
      lmtp: latencyFigures(measured.lmtp),
      openSeconds,
      failures,
    };
  } finally {
    sender.close();
    await Promise.all(subscribers.map((subscriber) => subscriber.client.dispose()));
    await removeBenchMessages(imap, cluster.users);
  }
}
