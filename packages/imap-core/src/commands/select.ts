// SELECT and EXAMINE (RFC 3501 6.3.1-2), with the CONDSTORE and QRESYNC parameters (RFC 7162).
// We send `* 0 RECENT` for IMAP4rev1 clients: there is no `\Recent` flag, so nothing is recent.
// An IMAP4rev2 session (RFC 9051 6.3.2) gets neither RECENT nor UNSEEN, but a LIST of the mailbox.
// In another user's mailbox the rights decide (RFC 4314 5.1.1, 5.2): PERMANENTFLAGS lists only the
// flags the user may store, and without any of `s w t e i` SELECT opens READ-ONLY.
import {
  AUTHENTICATED_STATES,
  bad,
  ok,
  type CommandHandler,
  type CommandSession,
} from '../command-handler.js';
import { MAILBOX_DELIMITER, type OpenedMailbox } from '../backend.js';
import type { SelectCommand, SequenceSet } from '../parser/types.js';
import { isReadOnly, permittedFlags } from '../acl-rights.js';
import { announceNewFlags } from '../flag-announcement.js';
import { mailboxFailure } from '../response-codes.js';
import { formatRanges } from '../uid-ranges.js';
import {
  atom,
  highestModSeqCode,
  mailbox as mailboxName,
  mailboxIdCode,
  permanentFlagsCode,
  simpleCode,
  uidNextCode,
  uidValidityCode,
  unseenCode,
  type ImapValue,
} from '../writer/index.js';
import { vanishedSince } from '../vanished.js';

/** Opens a mailbox read-write (SELECT) or read-only (EXAMINE). */
export const select: CommandHandler<SelectCommand> = {
  states: AUTHENTICATED_STATES,
  async handle(session, command) {
    const user = session.user;
    if (!user) return bad('Not logged in');
    if (command.qresync && !session.isEnabled('QRESYNC')) return bad('Enable QRESYNC first');
    if (session.selected) {
      session.unselect();
      // RFC 7162 3.2.11 and RFC 9051 6.3.2: mark where the old mailbox's responses end.
      if (session.isEnabled('QRESYNC') || session.isEnabled('IMAP4rev2'))
        await session.untaggedStatus('OK', 'Previous mailbox closed', simpleCode('CLOSED'));
    }
    if (command.condstore) session.enable('CONDSTORE');
    const found = await session.backend.openMailbox(user, command.mailbox);
    if ('ok' in found) return mailboxFailure(found.code);
    const opened = withRights(found);
    const readOnly = command.name === 'EXAMINE' || (opened.rights !== undefined && isReadOnly(opened.rights));
    await describeMailbox(session, opened, readOnly);
    session.select(opened, readOnly);
    if (command.qresync && command.qresync.uidValidity === opened.uidValidity) {
      await resynchronise(session, opened, command.qresync.modSeq, command.qresync.knownUids);
    }
    return ok(`${command.name} completed`, readOnly ? 'READ-ONLY' : 'READ-WRITE');
  },
};

/** The snapshot with only the permanent flags its rights let the user store. */
function withRights(opened: OpenedMailbox): OpenedMailbox {
  if (opened.rights === undefined) return opened;
  return { ...opened, permanentFlags: permittedFlags(opened.permanentFlags, opened.rights) };
}

async function describeMailbox(
  session: CommandSession,
  opened: OpenedMailbox,
  readOnly: boolean,
): Promise<void> {
  await session.untagged(atom('FLAGS'), opened.flags.map(atom));
  await session.untagged(opened.uids.length, atom('EXISTS'));
  const rev2 = session.isEnabled('IMAP4rev2');
  if (!rev2) {
    await session.untagged(0, atom('RECENT'));
    const unseen = await firstUnseenSequence(session, opened);
    if (unseen) await session.untaggedStatus('OK', 'First unseen', unseenCode(unseen));
  }
  const permanent = readOnly ? [] : opened.permanentFlags;
  await session.untaggedStatus('OK', 'Flags permitted', permanentFlagsCode(permanent));
  await session.untaggedStatus('OK', 'UIDs valid', uidValidityCode(opened.uidValidity));
  await session.untaggedStatus('OK', 'Predicted next UID', uidNextCode(opened.uidNext));
  await session.untaggedStatus('OK', 'Highest', highestModSeqCode(opened.highestModseq));
  // RFC 8474 OBJECTID: the mailbox's id, the same the GraphQL API gives it
  await session.untaggedStatus('OK', 'Ok', mailboxIdCode(opened.id));
  if (rev2) await session.untagged(...(await listResponse(session, opened.path)));
}

/** RFC 9051 6.3.2: `* LIST (attributes) "/" name` of the selected mailbox, its attributes accurate. */
async function listResponse(session: CommandSession, path: string): Promise<ImapValue[]> {
  const user = session.user;
  const mailboxes = user ? await session.backend.listMailboxes(user) : [];
  const prefix = path + MAILBOX_DELIMITER;
  const attributes = [
    mailboxes.some((entry) => entry.path.startsWith(prefix)) ? '\\HasChildren' : '\\HasNoChildren',
  ];
  const specialUse = mailboxes.find((entry) => entry.path === path)?.specialUse;
  if (specialUse) attributes.push(specialUse);
  return [atom('LIST'), attributes.map(atom), MAILBOX_DELIMITER, mailboxName(path)];
}

/**
 * The sequence number of the first message without `\Seen` (RFC 3501 6.3.1 `OK [UNSEEN n]`), or 0
 * when there is none. Stores that know it from the mailbox's snapshot say so in `firstUnseenUid`;
 * for the others it is searched.
 */
async function firstUnseenSequence(session: CommandSession, opened: OpenedMailbox): Promise<number> {
  let uid = opened.firstUnseenUid;
  if (uid === undefined) {
    const user = session.user;
    if (!user || opened.uids.length === 0) return 0;
    const unseen = await session.backend.search(user, opened.id, {
      type: 'flag',
      flag: '\\Seen',
      set: false,
    });
    uid = unseen.find((candidate) => sequenceIn(opened.uids, candidate) > 0) ?? null;
  }
  return uid === null ? 0 : sequenceIn(opened.uids, uid);
}

/** 1-based position of `uid` in ascending `uids`, or 0. */
function sequenceIn(uids: readonly number[], uid: number): number {
  let low = 0;
  let high = uids.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const value = uids[middle] as number;
    if (value === uid) return middle + 1;
    if (value < uid) low = middle + 1;
    else high = middle - 1;
  }
  return 0;
}

/** QRESYNC: VANISHED (EARLIER) for what was expunged, FETCH for what changed since `modseq`. */
async function resynchronise(
  session: CommandSession,
  opened: OpenedMailbox,
  modseq: number,
  knownUids: SequenceSet | null,
): Promise<void> {
  const user = session.user;
  const selected = session.selected;
  if (!user || !selected) return;
  const vanished = await vanishedSince({
    backend: session.backend,
    user,
    mailboxId: opened.id,
    sinceModseq: modseq,
    presentUids: opened.uids,
    maxUid: opened.uidNext - 1,
    within: knownUids === '$' ? null : knownUids,
  });
  if (vanished.length)
    await session.untagged(atom('VANISHED'), [atom('EARLIER')], atom(formatRanges(vanished)));
  const changed = session.backend.fetch(user, opened.id, opened.uids, {
    flags: true,
    modseq: true,
    changedSince: modseq,
  });
  for await (const message of changed) {
    const sequence = selected.sequenceOf(message.uid);
    if (!sequence) continue;
    await announceNewFlags(session, selected, message.flags);
    await session.untagged(sequence, atom('FETCH'), [
      atom('UID'),
      message.uid,
      atom('FLAGS'),
      (message.flags ?? []).map(atom),
      atom('MODSEQ'),
      [message.modseq ?? 0],
    ]);
  }
}
