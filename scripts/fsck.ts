/**
 * `npm run fsck`: checks the store's consistency (packages/store consistency-check.ts) and prints
 * one line per finding and a summary. `--user <address>` checks one user (default: all), `--repair`
 * fixes what can be fixed and checks again, `--grace-minutes N` (60) leaves parts and part uploads
 * younger than that alone (a delivery in flight stores its parts before its message).
 * The store is MONGODB_URI (and MONGODB_DB), else the one a running `npm start` wrote to
 * `$DATA_DIR/env`. Repairs take the user and part locks in Redis (REDIS_URL) when there is one, so
 * they never race a mail server; without Redis only this process is excluded.
 * Exits 0 when the store is clean (or was repaired clean), 1 when something is left, 2 on bad usage.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import type { Db, ObjectId } from 'mongodb';
import { loadConfig, databaseNameFor, ConfigError } from '@wildduck/config';
import { readEnvFile } from '@wildduck/embedded-store';
import { RedisLockManager } from '@wildduck/coordination';
import {
  checkConsistency,
  connectStore,
  findUserByAddress,
  InProcessLockManager,
  normalizeAddress,
  repairConsistency,
  storeContext,
  type ConsistencyReport,
  type Finding,
  type LockManager,
} from '@wildduck/store';

const { values: args } = parseArgs({
  options: {
    user: { type: 'string' },
    repair: { type: 'boolean', default: false },
    'grace-minutes': { type: 'string', default: '60' },
  },
});

async function main(): Promise<number> {
  const graceMinutes = Number(args['grace-minutes']);
  if (!Number.isFinite(graceMinutes) || graceMinutes < 0)
    return usage('--grace-minutes takes a number of minutes');
  const config = loadConfig();
  const shared = process.env.MONGODB_URI ? {} : await readEnvFile(config.dataDir);
  const uri = config.mongodb.uri ?? shared.MONGODB_URI;
  if (!uri)
    throw new ConfigError(
      `Invalid configuration: MONGODB_URI is not set and ${join(config.dataDir, 'env')} has none; start the product with \`npm start\` first, or set MONGODB_URI.`,
    );
  const database = shared.MONGODB_DB || databaseNameFor({ mongodb: { ...config.mongodb, uri } });
  const redisUrl = process.env.REDIS_URL ?? shared.REDIS_URL;
  const store = await connectStore(uri, database);
  // no fallback: a repair that cannot take the shared locks must stop, not race the mail servers
  const locks: LockManager = redisUrl ? new RedisLockManager(redisUrl) : new InProcessLockManager();
  try {
    let user: ObjectId | undefined;
    if (args.user) {
      const address = normalizeAddress(args.user);
      const found = address ? await findUserByAddress(store.db, address) : null;
      if (!found) return usage(`no user ${args.user}`);
      user = found._id;
    }
    const options = { ...(user ? { user } : {}), partGraceMs: graceMinutes * 60_000 };
    const names = new Names(store.db);
    const report = await checkConsistency(store.db, options);
    for (const finding of report.findings) console.log(await names.describe(finding));
    if (!args.repair || !report.findings.length) {
      console.log(summary(report, report.findings.length ? 'not repaired (run with --repair)' : 'clean'));
      return report.findings.length ? 1 : 0;
    }
    if (!redisUrl)
      console.log('no REDIS_URL: the repair locks exclude this process only; stop the mail servers first');
    const changes = await repairConsistency(storeContext(store.db, locks), report.findings);
    for (const change of changes)
      console.log(
        `${change.changed ? 'repaired' : 'unchanged'} ${await names.describe(change.finding)}: ${change.action}`,
      );
    const after = await checkConsistency(store.db, options);
    for (const finding of after.findings) console.log(`left ${await names.describe(finding)}`);
    const repaired = changes.filter((change) => change.changed).length;
    console.log(summary(report, `${repaired} repaired, ${after.findings.length} left`));
    return after.findings.length ? 1 : 0;
  } finally {
    if (locks instanceof RedisLockManager) await locks.close();
    await store.close();
  }
}

/** `fsck: 2 users, 12 mailboxes, 40 messages, 3 parts: 1 finding, …`. */
function summary(report: ConsistencyReport, outcome: string): string {
  const { users, mailboxes, messages, parts, allUsers } = report.scope;
  const count = report.findings.length;
  return `fsck: ${users} users, ${mailboxes} mailboxes, ${messages} messages, ${parts} parts${allUsers ? '' : ' (one user: part counts checked as lower bounds, orphans not looked for)'}: ${count} finding${count === 1 ? '' : 's'}, ${outcome}`;
}

/** Addresses and mailbox paths for the lines printed, each looked up once. */
class Names {
  private readonly cache = new Map<string, string>();
  constructor(private readonly db: Db) {}

  async describe(finding: Finding): Promise<string> {
    const where = [
      finding.user ? `user=${await this.name('users', finding.user, 'address')}` : '',
      finding.mailbox ? `mailbox=${await this.name('mailboxes', finding.mailbox, 'path')}` : '',
    ].filter(Boolean);
    const ids =
      finding.ids.length > 5 ? [...finding.ids.slice(0, 5), `… (${finding.ids.length})`] : finding.ids;
    return `${finding.kind} ${[...where, `ids=${ids.join(',')}`].join(' ')} expected=${finding.expected} actual=${finding.actual}${finding.repairable ? '' : ' (not repairable)'}`;
  }

  private async name(collection: string, id: ObjectId, field: string): Promise<string> {
    const key = `${collection}:${id.toHexString()}`;
    if (!this.cache.has(key)) {
      const document = await this.db
        .collection(collection)
        .findOne({ _id: id }, { projection: { [field]: 1 } });
      this.cache.set(key, typeof document?.[field] === 'string' ? document[field] : id.toHexString());
    }
    return this.cache.get(key)!;
  }
}

function usage(message: string): number {
  console.error(`fsck: ${message}\nusage: npm run fsck -- [--user <address>] [--repair] [--grace-minutes N]`);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
