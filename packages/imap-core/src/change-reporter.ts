// Turns the store's change journal into the untagged responses a client may see: EXISTS,
// EXPUNGE (or VANISHED under QRESYNC) and FETCH of new flags (with MODSEQ under CONDSTORE).
// RFC 3501 7.4.1: EXPUNGE must wait while a FETCH, STORE or SEARCH is answered, so with
// `allowExpunge` false reporting stops before the first expunge and resumes later from there.
import type { ImapBackend, ImapUser } from './backend.js';
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

/** Reports every change after the mailbox's applied modseq that may be reported now. */
export async function reportChanges(context: ChangeReportContext): Promise<void> {
  const { backend, user, mailbox } = context;
  const changes = await backend.changesSince(user, mailbox.id, mailbox.appliedModseq);
  if (!changes) {
    await resynchroniseFromSnapshot(context);
    return;
  }
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
 * The journal no longer reaches back: compare a fresh snapshot with what the client knows. When
 * the mailbox itself is gone (deleted by another session), every message is reported expunged.
 */
async function resynchroniseFromSnapshot(context: ChangeReportContext): Promise<void> {
  const { backend, user, mailbox } = context;
  if (!context.allowExpunge) return;
  const opened = await backend.openMailbox(user, mailbox.path);
  const gone = 'ok' in opened || opened.id !== mailbox.id;
  const current = new Set(gone ? [] : opened.uids);
  const output = new PendingOutput(context);
  for (const uid of [...mailbox.allUids()]) {
    if (current.has(uid)) continue;
    await output.expunge(uid, mailbox.sequenceOf(uid));
    mailbox.removeUid(uid);
  }
  if (!gone) for (const uid of opened.uids) if (mailbox.addUid(uid)) output.exists = true;
  await output.flush();
  if (!gone) mailbox.appliedModseq = opened.highestModseq;
}
