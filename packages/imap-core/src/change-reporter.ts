// Turns the store's change journal into the untagged responses a client may see: EXISTS,
// EXPUNGE (or VANISHED under QRESYNC) and FETCH of new flags (with MODSEQ under CONDSTORE).
// RFC 3501 7.4.1: EXPUNGE must wait while a FETCH, STORE or SEARCH is answered, so with
// `allowExpunge` false reporting stops before the first expunge and resumes later from there.
import type { ImapBackend, ImapUser } from './backend.js';
import { announceNewFlags } from './flag-announcement.js';
import type { SelectedMailbox } from './selected-mailbox.js';
import { atom, formatSequenceSet, type ImapValue, type ResponseWriter } from './writer/index.js';

/** What the reporter needs from the session. */
export interface ChangeReportContext {
  backend: ImapBackend;
  user: ImapUser;
  mailbox: SelectedMailbox;
  writer: ResponseWriter;
  allowExpunge: boolean;
  /** CONDSTORE enabled: FETCH responses carry MODSEQ. */
  condstore: boolean;
  /** QRESYNC enabled: VANISHED instead of EXPUNGE. */
  qresync: boolean;
}

/** What a report found: 'gone' when the selected mailbox no longer exists (deleted by another session). */
export type ReportOutcome = 'reported' | 'gone';

/** Reports every change after the mailbox's applied modseq that may be reported now. */
export async function reportChanges(context: ChangeReportContext): Promise<ReportOutcome> {
  const { backend, user, mailbox } = context;
  const changes = await backend.changesSince(user, mailbox.id, mailbox.appliedModseq);
  if (!changes) return resynchroniseFromSnapshot(context);
  const output = new PendingOutput(context);
  let applied = mailbox.appliedModseq;
  for await (const change of changes) {
    if (change.kind === 'EXPUNGE' && !context.allowExpunge) {
      // Hold this expunge and everything after it; changes sharing its modseq are replayed later.
      applied = Math.min(applied, change.modseq - 1);
      break;
    }
    if (change.kind === 'EXISTS') {
      if (mailbox.addUid(change.uid)) output.exists = true;
    } else if (change.kind === 'EXPUNGE') {
      const sequence = mailbox.sequenceOf(change.uid);
      if (sequence) await output.expunge(change.uid, sequence);
      mailbox.removeUid(change.uid);
    } else {
      const sequence = mailbox.sequenceOf(change.uid);
      if (sequence && !mailbox.wasFlagChangeReported(change.uid, change.modseq)) {
        await output.flush();
        await announceNewFlags(context.writer, mailbox, change.flags);
        const items: ImapValue[] = [atom('UID'), change.uid, atom('FLAGS'), change.flags.map(atom)];
        if (context.condstore) items.push(atom('MODSEQ'), [change.modseq]);
        await context.writer.untagged(sequence, atom('FETCH'), items);
        mailbox.noteReportedFlags(change.uid, change.modseq);
      }
    }
    applied = Math.max(applied, change.modseq);
  }
  await output.flush();
  mailbox.appliedModseq = applied;
  mailbox.pruneReportedFlags(applied);
  return 'reported';
}

/** Batches EXISTS and VANISHED so a burst of changes becomes few lines, in a valid order. */
class PendingOutput {
  exists = false;
  private vanished: number[] = [];

  constructor(private readonly context: ChangeReportContext) {}

  async expunge(uid: number, sequence: number): Promise<void> {
    await this.flushExists();
    if (this.context.qresync) this.vanished.push(uid);
    else await this.context.writer.untagged(sequence, atom('EXPUNGE'));
  }

  async flush(): Promise<void> {
    await this.flushVanished();
    await this.flushExists();
  }

  private async flushExists(): Promise<void> {
    if (!this.exists) return;
    await this.flushVanished();
    this.exists = false;
    await this.context.writer.untagged(this.context.mailbox.count, atom('EXISTS'));
  }

  private async flushVanished(): Promise<void> {
    if (!this.vanished.length) return;
    const uids = this.vanished.sort((a, b) => a - b);
    this.vanished = [];
    await this.context.writer.untagged(atom('VANISHED'), atom(formatSequenceSet(uids)));
  }
}

/**
 * The journal no longer reaches back (the session was quiet for longer than the journal is kept,
 * or the mailbox is gone): compare a fresh snapshot with what the client knows, report what
 * appeared and vanished, then the flags of every message, since any may have changed unseen.
 * When the mailbox itself is gone (deleted by another session), the caller ends the session.
 */
async function resynchroniseFromSnapshot(context: ChangeReportContext): Promise<ReportOutcome> {
  const { backend, user, mailbox } = context;
  if (!context.allowExpunge) return 'reported';
  const opened = await backend.openMailbox(user, mailbox.path);
  if ('ok' in opened || opened.id !== mailbox.id) return 'gone';
  const current = new Set(opened.uids);
  const output = new PendingOutput(context);
  for (const uid of [...mailbox.allUids()]) {
    if (current.has(uid)) continue;
    await output.expunge(uid, mailbox.sequenceOf(uid));
    mailbox.removeUid(uid);
  }
  for (const uid of opened.uids) if (mailbox.addUid(uid)) output.exists = true;
  await output.flush();
  const query = { flags: true, ...(context.condstore ? { modseq: true } : {}) };
  for await (const message of backend.fetch(user, mailbox.id, [...mailbox.allUids()], query)) {
    const sequence = mailbox.sequenceOf(message.uid);
    if (!sequence) continue;
    await announceNewFlags(context.writer, mailbox, message.flags);
    const items: ImapValue[] = [atom('UID'), message.uid, atom('FLAGS'), (message.flags ?? []).map(atom)];
    if (context.condstore && message.modseq !== undefined) items.push(atom('MODSEQ'), [message.modseq]);
    await context.writer.untagged(sequence, atom('FETCH'), items);
  }
  mailbox.appliedModseq = opened.highestModseq;
  return 'reported';
}
