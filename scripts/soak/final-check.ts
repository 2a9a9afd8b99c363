/**
 * The end of the soak: read every user's mailboxes with a fresh IMAP client and hold what is there
 * against the ledger (each acknowledged message there exactly once, complete, with the keywords
 * last acknowledged; nothing unknown), and hold each watcher's mirror against it too.
 */
import { ImapFlow } from 'imapflow';
import { bodyMatches } from './messages.js';
import { GONE, flagSet, type Ledger } from './ledger.js';
import { COPIES, WORK_MAILBOXES, readMailbox, type ReadMessage, type SoakUser } from './imap-worker.js';
import type { IdleWatcher, Mirror, SubscriptionWatcher } from './watchers.js';

export const CHECKED_MAILBOXES = [...WORK_MAILBOXES, 'Sent Mail', COPIES];

/** path -> messages, as a client reads them now. */
export type MailboxContents = Map<string, ReadMessage[]>;

export async function readAccount(user: SoakUser, imapPort: number): Promise<MailboxContents> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: imapPort,
    secure: false,
    doSTARTTLS: false,
    auth: { user: user.address, pass: user.password },
    logger: false,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const contents: MailboxContents = new Map();
    for (const path of CHECKED_MAILBOXES) contents.set(path, await readMailbox(client, path, 1, true));
    return contents;
  } finally {
    await client.logout().catch(() => undefined);
  }
}

/** Holds one user's mailboxes against the ledger; violations go to the ledger. */
export function checkAccount(ledger: Ledger, user: SoakUser, contents: MailboxContents): number {
  const sightings = new Map<string, { path: string; message: ReadMessage }[]>();
  let messages = 0;
  for (const [path, list] of contents) {
    for (const message of list) {
      messages += 1;
      const key = message.key(path);
      if (!ledger.get(user.address, key)) {
        ledger.violation(
          `${user.address} ${path} UID ${message.uid}: a message no client stored (${message.messageId || 'no Message-ID'})`,
        );
        continue;
      }
      if (message.text === undefined || !bodyMatches(message.messageId, message.text))
        ledger.violation(
          `${user.address} ${path} UID ${message.uid}: ${message.messageId} is not complete (body differs)`,
        );
      const seen = sightings.get(key) ?? [];
      seen.push({ path, message });
      sightings.set(key, seen);
    }
  }
  for (const entry of ledger.forUser(user.address)) {
    const seen = sightings.get(entry.key) ?? [];
    if (seen.length > 1) {
      ledger.violation(
        `${user.address} ${entry.key} is there ${seen.length} times (${seen.map((sight) => `${sight.path} ${sight.message.uid}`).join(', ')})`,
      );
      continue;
    }
    const sight = seen[0];
    ledger.seen(entry, sight?.path ?? GONE, sight?.message.flags ?? null, 'at the end');
  }
  return messages;
}

/** Whether a mirror equals what is in the mailbox: the same UIDs, and the keywords it was told. */
export function mirrorDiffers(mirror: Mirror, messages: readonly ReadMessage[]): string | undefined {
  const actual = new Map(messages.map((message) => [message.uid, flagSet(message.flags)]));
  const missing = [...actual.keys()].filter((uid) => !mirror.has(uid));
  const extra = [...mirror.keys()].filter((uid) => !actual.has(uid));
  const wrongFlags = [...mirror].filter(
    ([uid, flags]) => flags !== null && actual.has(uid) && actual.get(uid) !== flags,
  );
  if (!missing.length && !extra.length && !wrongFlags.length) return undefined;
  return `${missing.length} missing (${missing.slice(0, 5).join(',')}), ${extra.length} extra (${extra.slice(0, 5).join(',')}), ${wrongFlags.length} with other keywords (${wrongFlags
    .slice(0, 3)
    .map(([uid, flags]) => `${uid}: [${flags}] vs [${actual.get(uid)}]`)
    .join('; ')})`;
}

/** What each watcher of this user still gets wrong (empty: converged). */
export async function watcherDifferences(
  user: SoakUser,
  contents: MailboxContents,
  idle: IdleWatcher,
  subscriber: SubscriptionWatcher,
): Promise<string[]> {
  const problems: string[] = [];
  await idle.settled();
  const idleDiff = mirrorDiffers(idle.mirror, contents.get('INBOX') ?? []);
  if (idleDiff) problems.push(`${user.address} IDLE client (INBOX): ${idleDiff}`);
  for (const path of CHECKED_MAILBOXES) {
    const id = await subscriber.mailboxId(path);
    const mirror = (id && subscriber.mirrors.get(id)) || new Map<number, string | null>();
    const diff = mirrorDiffers(mirror, contents.get(path) ?? []);
    if (diff) problems.push(`${user.address} GraphQL subscriber (${path}): ${diff}`);
  }
  return problems;
}
