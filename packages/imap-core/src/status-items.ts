// STATUS data for one mailbox (RFC 3501 6.3.10), shared by STATUS and LIST RETURN (STATUS).
import type { MailboxStatus } from './backend.js';
import type { CommandSession } from './command-handler.js';
import type { StatusItem } from './parser/types.js';
import { atom, mailbox, type ImapValue } from './writer/index.js';

/** Items this server answers (SIZE: RFC 8438, MAILBOXID: RFC 8474, DELETED: RFC 9051 6.3.11). */
export const SUPPORTED_STATUS_ITEMS: ReadonlySet<StatusItem> = new Set([
  'MESSAGES',
  'RECENT',
  'UIDNEXT',
  'UIDVALIDITY',
  'UNSEEN',
  'HIGHESTMODSEQ',
  'APPENDLIMIT',
  'SIZE',
  'MAILBOXID',
  'DELETED',
]);

/** The first unsupported item, or null when every item can be answered. */
export function unsupportedStatusItem(items: readonly StatusItem[]): StatusItem | null {
  return items.find((item) => !SUPPORTED_STATUS_ITEMS.has(item)) ?? null;
}

/**
 * `* STATUS name (items)` values for `path`, or why there are none: the mailbox does not exist
 * (or the user may not see it), or the user may not read it (RFC 4314 `r`).
 * RECENT is always 0: there is no `\Recent` flag.
 */
export async function statusResponse(
  session: CommandSession,
  user: NonNullable<CommandSession['user']>,
  path: string,
  items: readonly StatusItem[],
): Promise<ImapValue[] | { failure: 'NONEXISTENT' | 'NOPERM' }> {
  const status = await session.backend.status(user, path);
  if ('ok' in status) return { failure: status.code };
  const deleted = items.includes('DELETED') ? await deletedCount(session, user, status) : 0;
  const values: ImapValue[] = [];
  for (const item of items) {
    const value: ImapValue | null = {
      MESSAGES: status.messages,
      RECENT: 0,
      UIDNEXT: status.uidNext,
      UIDVALIDITY: status.uidValidity,
      UNSEEN: status.unseen,
      HIGHESTMODSEQ: status.highestModseq,
      APPENDLIMIT: session.options.appendLimit,
      SIZE: status.size,
      // RFC 8474: MAILBOXID (objectid), the id an atom of letters, digits, "-" and "_"
      MAILBOXID: [atom(status.mailboxId)],
      DELETED: deleted,
    }[item];
    if (value !== null) values.push(atom(item), value);
  }
  return [atom('STATUS'), mailbox(path), values];
}

/** Messages with `\Deleted`: from the store's counters when it has them, else searched. */
async function deletedCount(
  session: CommandSession,
  user: NonNullable<CommandSession['user']>,
  status: MailboxStatus,
): Promise<number> {
  if (status.deleted !== undefined) return status.deleted;
  const query = { type: 'flag', flag: '\\Deleted', set: true } as const;
  return (await session.backend.search(user, status.mailboxId, query)).length;
}
