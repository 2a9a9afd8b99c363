import type { Db, ObjectId } from 'mongodb';
import type { ConsistencyReport, Finding } from './consistency-findings.js';
import { checkPartCounts, expiredUploads, missingParts, readPartFiles } from './consistency-parts-check.js';
import { checkUser } from './consistency-user-check.js';

/** What to check and the time limits that tell a leftover from work in progress. */
export interface ConsistencyOptions {
  /** Only this user; default every user (then part counts are exact and orphans are found). */
  user?: ObjectId;
  now?: Date;
  /** Parts files younger than this are not judged: a delivery stores its parts before its message. */
  partGraceMs?: number;
  /** Uploads older than this are expired (the API's UPLOAD_LIFETIME_MS, a day). */
  uploadLifetimeMs?: number;
}

/** The defaults: the mail server's sweep of abandoned uploads waits an hour too. */
export const CONSISTENCY_DEFAULTS = {
  partGraceMs: 60 * 60 * 1000,
  uploadLifetimeMs: 24 * 60 * 60 * 1000,
} as const;

/**
 * Checks the store's consistency (`npm run fsck`): parts and their reference counts, UIDs against
 * UIDNEXT, MODSEQs against HIGHESTMODSEQ, mailbox and storage counters, leftover uploads. Reads
 * user by user with `{user}` equality, plus one read of the parts bucket's file documents, so no
 * query filters every message of the store by something FerretDB cannot push down.
 */
export async function checkConsistency(db: Db, options: ConsistencyOptions = {}): Promise<ConsistencyReport> {
  const now = options.now ?? new Date();
  const partGraceMs = options.partGraceMs ?? CONSISTENCY_DEFAULTS.partGraceMs;
  const users = options.user
    ? [options.user]
    : (
        await db
          .collection('users')
          .find({}, { projection: { _id: 1 } })
          .toArray()
      ).map((user) => user._id as ObjectId);
  const files = await readPartFiles(db);
  const findings: Finding[] = [];
  const references = new Map<string, number>();
  let mailboxes = 0;
  let messages = 0;
  for (const user of users) {
    const checked = await checkUser(db, user);
    findings.push(...checked.findings, ...missingParts(user, checked.partReferences, files));
    for (const [ref, count] of checked.partReferences)
      references.set(ref, (references.get(ref) ?? 0) + count);
    mailboxes += checked.mailboxes;
    messages += checked.messages;
  }
  const exact = !options.user;
  findings.push(...checkPartCounts(references, files, { exact, graceMs: partGraceMs, now }));
  findings.push(
    ...(await expiredUploads(db, {
      ...(options.user ? { user: options.user } : {}),
      lifetimeMs: options.uploadLifetimeMs ?? CONSISTENCY_DEFAULTS.uploadLifetimeMs,
      now,
    })),
  );
  return {
    findings,
    scope: {
      users: users.length,
      mailboxes,
      messages,
      parts: exact ? files.size : references.size,
      allUsers: exact,
    },
  };
}
