// The session's own view of the selected mailbox: the sequence-number map as this client knows
// it, which only changes when the session tells the client (EXISTS, EXPUNGE, VANISHED).
import type { OpenedMailbox } from './backend.js';

/** The selected mailbox of one session and its message-sequence-number map. */
export class SelectedMailbox {
  readonly id: string;
  path: string;
  readonly readOnly: boolean;
  /** The user's RFC 4314 rights on the mailbox; undefined for the user's own (every right). */
  readonly rights: string | undefined;
  readonly uidValidity: number;
  /** UIDs in sequence order: sequence number n is `uids[n - 1]`. */
  private uids: number[];
  /** Every change up to this modseq has been reported to the client. */
  appliedModseq: number;
  /** Flag changes this session reported itself (STORE), so their journal echo is not sent twice. */
  private readonly reportedFlagModseqs = new Map<number, number>();
  /** The saved search result (RFC 5182 SEARCHRES `$`): empty at SELECT, expunged UIDs drop out. */
  private savedResult = new Set<number>();
  /** The flags the client was told are defined (its last FLAGS response), in that order. */
  private announcedFlags: string[];
  /** The same, lower-cased: flag names compare case-insensitively. */
  private readonly announcedNames: Set<string>;
  /** The client's last PERMANENTFLAGS list; empty when read-only. */
  private announcedPermanent: string[];

  constructor(opened: OpenedMailbox, readOnly: boolean) {
    this.id = opened.id;
    this.path = opened.path;
    this.readOnly = readOnly;
    this.rights = opened.rights;
    this.uidValidity = opened.uidValidity;
    this.uids = [...opened.uids];
    this.appliedModseq = opened.highestModseq;
    this.announcedFlags = [...opened.flags];
    this.announcedNames = new Set(opened.flags.map((flag) => flag.toLowerCase()));
    this.announcedPermanent = readOnly ? [] : [...opened.permanentFlags];
  }

  /** The defined flags as last announced (FLAGS response). */
  get flags(): readonly string[] {
    return this.announcedFlags;
  }

  /** The permanent flags as last announced (PERMANENTFLAGS code). */
  get permanentFlags(): readonly string[] {
    return this.announcedPermanent;
  }

  /** Of `flags`, those the client has not been told are defined (RFC 3501 7.2.6). */
  unannouncedFlags(flags: readonly string[]): string[] {
    return flags.filter((flag) => !this.announcedNames.has(flag.toLowerCase()));
  }

  /**
   * Adds keywords to the defined flags (and to the permanent ones, ahead of `\*`, when the
   * mailbox accepts new keywords); the caller announces the new lists.
   */
  defineFlags(flags: readonly string[]): void {
    for (const flag of flags) {
      const name = flag.toLowerCase();
      if (this.announcedNames.has(name)) continue;
      this.announcedNames.add(name);
      this.announcedFlags.push(flag);
      const wildcard = this.announcedPermanent.indexOf('\\*');
      if (wildcard >= 0) this.announcedPermanent.splice(wildcard, 0, flag);
    }
  }

  /** Number of messages the client knows of (its EXISTS). */
  get count(): number {
    return this.uids.length;
  }

  /** Highest UID the client knows of, or 0 when empty. */
  get lastUid(): number {
    return this.uids[this.uids.length - 1] ?? 0;
  }

  /** UID of sequence number `seq` (1-based), or undefined when out of range. */
  uidAt(seq: number): number | undefined {
    return this.uids[seq - 1];
  }

  /** Sequence number of `uid`, or 0 when the client does not know that UID. */
  sequenceOf(uid: number): number {
    let low = 0;
    let high = this.uids.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const value = this.uids[middle] as number;
      if (value === uid) return middle + 1;
      if (value < uid) low = middle + 1;
      else high = middle - 1;
    }
    return 0;
  }

  /** All UIDs the client knows of, ascending. */
  allUids(): readonly number[] {
    return this.uids;
  }

  /** Records a new message; returns false when the UID is already known or not above the last. */
  addUid(uid: number): boolean {
    if (uid <= this.lastUid) return false;
    this.uids.push(uid);
    return true;
  }

  /** Removes an expunged UID; returns its former sequence number, or 0 if it was not known. */
  removeUid(uid: number): number {
    const seq = this.sequenceOf(uid);
    if (seq > 0) this.uids.splice(seq - 1, 1);
    this.reportedFlagModseqs.delete(uid);
    this.savedResult.delete(uid);
    return seq;
  }

  /** Saves a search result for `$` (SEARCH RETURN (SAVE)); an empty list empties it. */
  saveResult(uids: Iterable<number>): void {
    this.savedResult = new Set(uids);
  }

  /** The saved search result (`$`), ascending, only UIDs the client still knows. */
  savedUids(): number[] {
    return [...this.savedResult].filter((uid) => this.sequenceOf(uid) > 0).sort((a, b) => a - b);
  }

  /** Replaces the whole map (after the store lost the history the session needed). */
  replaceUids(uids: readonly number[]): void {
    this.uids = [...uids];
  }

  /** Notes that this session already sent the flags of `uid` as of `modseq`. */
  noteReportedFlags(uid: number, modseq: number): void {
    this.reportedFlagModseqs.set(uid, Math.max(modseq, this.reportedFlagModseqs.get(uid) ?? 0));
  }

  /** True when a flag change at `modseq` was already reported to the client by this session. */
  wasFlagChangeReported(uid: number, modseq: number): boolean {
    const reported = this.reportedFlagModseqs.get(uid);
    return reported !== undefined && modseq <= reported;
  }

  /** Forgets reported-flag notes that the journal has caught up with. */
  pruneReportedFlags(upToModseq: number): void {
    for (const [uid, modseq] of this.reportedFlagModseqs) {
      if (modseq <= upToModseq) this.reportedFlagModseqs.delete(uid);
    }
  }
}
