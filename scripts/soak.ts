/**
 * `npm run soak [-- --minutes N]`: the fault-injection soak (issue 16). Two mail server
 * instances and the API on one store and one Redis; IMAP workers (APPEND, STORE, COPY, MOVE,
 * EXPUNGE), IDLE watchers, LMTP and submission senders and GraphQL subscribers work all the time
 * while faults are injected on a schedule (scripts/soak/faults.ts). At the end it checks that
 * every acknowledged message is there exactly once and complete, keywords are as last
 * acknowledged, nothing unacknowledged is half there, the watchers converged, the consistency
 * check is clean, acknowledged Junk moves reached the webhook, and memory came back near its
 * start. Prints one line per fault and a verdict; exits 0 on a clean verdict, 1 otherwise.
 * Not part of `npm test`; `.ci/run` runs `--minutes 1`.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { mkdirSync, rmSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import { checkConsistency, connectStore, JOURNAL_GAP_TIMEOUT_MS } from '@wildduck/store';
import { buildWorkspace } from './build.js';
import { repoRoot } from './paths.js';
import { Activity } from './soak/activity.js';
import { AdminApi } from './soak/admin-api.js';
import { API_TOKEN, Cluster } from './soak/cluster.js';
import { faultSchedule, type Fault } from './soak/faults.js';
import { checkAccount, readAccount, watcherDifferences, type MailboxContents } from './soak/final-check.js';
import { COPIES, ImapWorker, sleep, type SoakUser } from './soak/imap-worker.js';
import { Ledger } from './soak/ledger.js';
import { runLmtpSender, runSubmissionSender } from './soak/senders.js';
import { IdleWatcher, SubscriptionWatcher } from './soak/watchers.js';
import { WebhookReceiver } from './soak/webhook-receiver.js';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    users: { type: 'string', default: '4' },
    'no-build': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    faults: { type: 'string' },
  },
});

const WARM_UP_MS = 8000;
/** Time after a fault is undone before the next one: the clients' recovery is part of its report. */
const RECOVERY_MS = 4000;
/** How long the watchers get, after the load stops, to show the final state. */
const CONVERGE_MS = 60_000;
/** Memory may grow this much (MiB, or by half) between the warm-up and the end. */
const MEMORY_SLACK_MIB = 100;

const started = Date.now();

async function main(): Promise<number> {
  const minutes = Number(args.minutes);
  const userCount = Number(args.users);
  if (!(minutes > 0) || !(userCount >= 2)) {
    say(
      'usage: npm run soak -- [--minutes N (default 5)] [--users N (default 4, at least 2)] [--no-build] [--keep]',
    );
    return 2;
  }
  if (!args['no-build']) await buildWorkspace();
  const runDir = join(repoRoot, '.test-data', `soak-${Date.now().toString(36)}`);
  mkdirSync(runDir, { recursive: true });

  const receiver = new WebhookReceiver();
  await receiver.start();
  const cluster = new Cluster({
    runDir,
    webhookUrl: receiver.url,
    keep: args.keep,
    log: (line) => say(line),
  });
  try {
    await cluster.start();
    say(
      `platform up: ${cluster.instances.map((instance) => instance.name).join(', ')}, API, Redis :${cluster.redisPort}, store ${cluster.mongoUri} (database ${cluster.database}); logs in ${join(runDir, 'logs')}`,
    );
    const verdict = await soak(cluster, receiver, minutes, userCount);
    return verdict ? 0 : 1;
  } finally {
    await cluster.stop().catch((error: unknown) => say(`while stopping: ${String(error)}`));
    await receiver.stop();
    if (!args.keep) rmSync(runDir, { recursive: true, force: true });
  }
}

async function soak(
  cluster: Cluster,
  receiver: WebhookReceiver,
  minutes: number,
  userCount: number,
): Promise<boolean> {
  const admin = new AdminApi(cluster.apiUrl, API_TOKEN);
  const users: SoakUser[] = [];
  for (let index = 1; index <= userCount; index += 1) {
    const user = { address: `soak${index}@soak.test`, password: `soak-password-${index}` };
    await admin.createUser(user.address, user.password);
    await createMailbox(user, cluster.instances[0]!.imapPort, COPIES);
    users.push(user);
  }

  const ledger = new Ledger();
  const activity = new Activity();
  const running = () => cluster.instances.filter((instance) => instance.child.running);
  const imapPorts = () => running().map((instance) => instance.imapPort);
  let loadStopped = false;
  const stopped = () => loadStopped;

  const subscribers = users.map((user) => new SubscriptionWatcher(user, cluster.apiUrl, activity));
  for (const subscriber of subscribers) await subscriber.start();
  const idlers = users.map((user) => new IdleWatcher(user, imapPorts, activity));
  const idling = idlers.map((idler) => idler.run());
  const load = [
    ...users.map((user) => new ImapWorker(user, imapPorts, ledger, activity).run(stopped)),
    runLmtpSender(users, () => running().map((instance) => instance.lmtpPort), ledger, activity, stopped),
    runLmtpSender(users, () => running().map((instance) => instance.lmtpPort), ledger, activity, stopped),
    runSubmissionSender(
      users,
      () => running().map((instance) => instance.submissionPort),
      ledger,
      activity,
      stopped,
    ),
  ];

  const loadStarted = Date.now();
  await sleep(WARM_UP_MS);
  const memoryBefore = cluster.memory();
  say(`load running (${users.length} users); memory after warm-up (MiB): ${formatMemory(memoryBefore)}`);

  const chosen = args.faults?.split(',').map((word) => word.trim().toLowerCase());
  const faults = faultSchedule(cluster, admin, users).filter(
    (fault) => !chosen || chosen.some((word) => fault.name.toLowerCase().includes(word)),
  );
  if (!faults.length) throw new Error(`no fault matches --faults ${args.faults}`);
  const endAt = loadStarted + minutes * 60_000;
  let injected = 0;
  for (let next = 0; Date.now() + faultLength(faults[next % faults.length]!) < endAt - 5000; next += 1) {
    const fault = faults[next % faults.length]!;
    injected += 1;
    const from = Date.now();
    await fault.run();
    const undone = Date.now();
    await sleep(RECOVERY_MS);
    say(
      `fault ${injected} at ${clock(from)} ${fault.name} (${((undone - from) / 1000).toFixed(1)} s): ${Activity.summary(activity.during(from, Date.now()))}`,
    );
  }
  while (Date.now() < endAt - 5000) await sleep(500);

  say('stopping the load…');
  loadStopped = true;
  await Promise.all(load);
  const loadEnded = Date.now();

  // writes interrupted by the last fault may leave a MODSEQ hole that readers wait at for up to
  // JOURNAL_GAP_TIMEOUT_MS: the truth is read once that has passed
  await sleep(JOURNAL_GAP_TIMEOUT_MS + 5000);

  // the truth, as a fresh client reads it, against the ledger
  const contents = new Map<string, MailboxContents>();
  let stored = 0;
  for (const user of users) {
    const account = await readAccount(user, cluster.instances[0]!.imapPort);
    contents.set(user.address, account);
    stored += checkAccount(ledger, user, account);
  }

  // the watchers: given time, each must show the same
  let watcherProblems: string[] = [];
  for (const deadline = Date.now() + CONVERGE_MS; ;) {
    watcherProblems = [];
    for (const [index, user] of users.entries())
      watcherProblems.push(
        ...(await watcherDifferences(user, contents.get(user.address)!, idlers[index]!, subscribers[index]!)),
      );
    if (!watcherProblems.length || Date.now() > deadline) break;
    await sleep(1000);
  }
  const converged = Date.now() - loadEnded;
  for (const problem of watcherProblems) ledger.violation(`not converged: ${problem}`);

  // every acknowledged move into Junk reached the webhook receiver (the outbox retries until it does)
  let missingReports: string[] = [];
  for (const deadline = Date.now() + CONVERGE_MS; ;) {
    const received = new Set([...receiver.spam].map(normalizeReport));
    missingReports = [...ledger.movedToJunk].filter((report) => !received.has(normalizeReport(report)));
    if (!missingReports.length || Date.now() > deadline) break;
    await sleep(1000);
  }
  for (const report of missingReports.slice(0, 10))
    ledger.violation(`no SPAM webhook for the acknowledged move of ${report.replace('\n', ' ')} into Junk`);
  if (missingReports.length > 10)
    ledger.violation(`… and ${missingReports.length - 10} more SPAM webhooks missing`);

  const store = await connectStore(cluster.mongoUri, cluster.database);
  const consistency = await checkConsistency(store.db, {}).finally(() => store.close());
  for (const finding of consistency.findings) ledger.violation(`fsck: ${JSON.stringify(finding)}`);

  await Promise.all([
    ...idlers.map((idler) => idler.stop()),
    ...subscribers.map((subscriber) => subscriber.stop()),
  ]);
  await Promise.all(idling);
  await sleep(2000);
  const memoryAfter = cluster.memory();
  for (const [name, before] of Object.entries(memoryBefore)) {
    const after = memoryAfter[name];
    // an instance restarted by a fault started over: its figures are not comparable
    if (after === undefined || name === cluster.instances[1]!.name) continue;
    if (after > Math.max(before * 1.5, before + MEMORY_SLACK_MIB))
      ledger.violation(`memory: ${name} grew from ${before} MiB to ${after} MiB`);
  }

  const acknowledged = ledger.acknowledged;
  say(
    `acknowledged: ${acknowledged.append} APPEND, ${acknowledged.lmtp} LMTP deliveries, ${acknowledged.submission} submission copies (Sent + INBOX), ${acknowledged.flags} STORE, ${acknowledged.copy} COPY, ${acknowledged.move} MOVE, ${acknowledged.expunge} EXPUNGE; ${activity.count} operations in all`,
  );
  say(
    `at the end: ${stored} messages in ${users.length} accounts; watchers ${watcherProblems.length ? 'NOT converged' : `converged ${(converged / 1000).toFixed(1)} s after the load stopped`} (IDLE reconnects ${sum(idlers.map((idler) => idler.reconnects))}, GraphQL resubscriptions ${sum(subscribers.map((subscriber) => subscriber.resubscriptions))}); webhooks ${receiver.received} received, ${receiver.duplicates} repeated a delivery id, ${ledger.movedToJunk.size} Junk moves acknowledged`,
  );
  say(
    `fsck: ${consistency.findings.length ? `${consistency.findings.length} findings` : 'clean'}; memory (MiB) at warm-up ${formatMemory(memoryBefore)}, at the end ${formatMemory(memoryAfter)}`,
  );
  for (const violation of ledger.violations.slice(0, 40)) say(`VIOLATION ${violation}`);
  if (ledger.violations.length > 40) say(`… ${ledger.violations.length - 40} more violations`);
  const clean = ledger.violations.length === 0;
  say(
    `verdict: ${clean ? 'clean' : `${ledger.violations.length} violations`} after ${injected} faults in ${((Date.now() - started) / 60_000).toFixed(1)} minutes`,
  );
  return clean;
}

async function createMailbox(user: SoakUser, port: number, path: string): Promise<void> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port,
    secure: false,
    doSTARTTLS: false,
    auth: { user: user.address, pass: user.password },
    logger: false,
  });
  await client.connect();
  await client.mailboxCreate(path);
  await client.logout();
}

/** How long a fault and its recovery take, roughly, for the schedule to fit in the time. */
function faultLength(fault: Fault): number {
  const seconds = Number(/(\d+) s/.exec(fault.name)?.[1] ?? 8);
  return (seconds + 4) * 1000 + RECOVERY_MS;
}

function normalizeReport(report: string): string {
  return report.toLowerCase().replace(/[<>]/g, '');
}

function formatMemory(figures: Record<string, number>): string {
  return Object.entries(figures)
    .map(([name, mib]) => `${name} ${mib}`)
    .join(', ');
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function clock(at: number): string {
  const seconds = Math.round((at - started) / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

function say(line: string): void {
  process.stdout.write(`[soak] ${line}\n`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`soak failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
