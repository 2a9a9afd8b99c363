/**
 * What the soak's clients were told, and so what the store must hold at the end.
 *
 * Every message a client tried to store is an entry, keyed by user and Message-ID (a COPY's entry
 * by the Message-ID and `#copy`). An entry keeps the places it may be in (a mailbox path, or
 * GONE) and the keyword sets it may carry. An acknowledged operation narrows it to one place or
 * one set; an operation whose answer was lost (the connection broke) widens it to "before or
 * after"; a clear refusal (a tagged NO, an SMTP 4xx/5xx) narrows it to "before": a refused write
 * must have changed nothing. What a client sees must be one of the allowed outcomes; anything else
 * is a violation.
 */

export const GONE = '(gone)';

/** The keywords the soak sets; other flags (\Seen on a Sent copy, say) are not tracked. */
export const SOAK_KEYWORDS = ['$SoakA', '$SoakB', '$SoakC'] as const;

export interface LedgerEntry {
  user: string;
  key: string;
  messageId: string;
  places: Set<string>;
  flagSets: Set<string>;
  /** The user's IMAP worker has moved, flagged or copied it: late delivery acks leave it alone. */
  touched: boolean;
  acknowledged: boolean;
}

export type AckKind = 'append' | 'lmtp' | 'submission' | 'flags' | 'copy' | 'move' | 'expunge';

export class Ledger {
  private readonly entries = new Map<string, LedgerEntry>();
  readonly violations: string[] = [];
  /** `user\nMessage-ID` of every acknowledged move into Junk: each must reach the webhook as SPAM. */
  readonly movedToJunk = new Set<string>();
  readonly acknowledged: Record<AckKind, number> = {
    append: 0,
    lmtp: 0,
    submission: 0,
    flags: 0,
    copy: 0,
    move: 0,
    expunge: 0,
  };

  /** A write is about to be tried: until it is answered, the message may or may not be there. */
  attempt(
    user: string,
    key: string,
    messageId: string,
    place: string,
    flags: readonly string[] = [],
  ): LedgerEntry {
    const entry: LedgerEntry = {
      user,
      key,
      messageId,
      places: new Set([GONE, place]),
      flagSets: new Set([flagSet(flags)]),
      touched: false,
      acknowledged: false,
    };
    this.entries.set(id(user, key), entry);
    return entry;
  }

  get(user: string, key: string): LedgerEntry | undefined {
    return this.entries.get(id(user, key));
  }

  all(): IterableIterator<LedgerEntry> {
    return this.entries.values();
  }

  forUser(user: string): LedgerEntry[] {
    return [...this.entries.values()].filter((entry) => entry.user === user);
  }

  /** The write was acknowledged (250, APPEND OK): it is in `place`, unless the worker moved it since. */
  stored(entry: LedgerEntry, place: string, kind: AckKind): void {
    this.acknowledged[kind] += 1;
    entry.acknowledged = true;
    if (!entry.touched) entry.places = new Set([place]);
  }

  /** The write was refused in so many words: nothing may have been stored. */
  refused(entry: LedgerEntry): void {
    if (!entry.touched) entry.places = new Set([GONE]);
  }

  /** A move, expunge or copy of a message that is at `from`: acknowledged, refused, or unknown. */
  placed(entry: LedgerEntry, from: string, to: string, outcome: Outcome, kind: AckKind): void {
    entry.touched = true;
    if (outcome === 'acknowledged') {
      this.acknowledged[kind] += 1;
      entry.places = new Set([to]);
    } else if (outcome === 'refused') entry.places = new Set([from]);
    else entry.places = new Set([...entry.places, from, to]);
  }

  /** A STORE of exactly these keywords. */
  flagged(entry: LedgerEntry, flags: readonly string[], outcome: Outcome): void {
    entry.touched = true;
    if (outcome === 'acknowledged') {
      this.acknowledged.flags += 1;
      entry.flagSets = new Set([flagSet(flags)]);
    } else if (outcome === 'unknown') entry.flagSets.add(flagSet(flags));
  }

  /**
   * A client saw the message at `place` (GONE: looked where it could be, and it was not there) with
   * these flags (null: not looked at). A sight outside what is allowed is a violation. A final sight
   * narrows the entry to what was seen. A sight just after a lost answer (`final` false) does not:
   * when the answer was lost because the mail server died halfway through the write, the write
   * healer finishes the write later (it journals what the dead writer left untold, or gives back
   * what it took), so the message may show its "after" only once that is done.
   */
  seen(
    entry: LedgerEntry,
    place: string,
    flags: readonly string[] | null,
    context: string,
    final = true,
  ): void {
    // a MOVE whose server was killed between moving the document and journalling it shows the
    // message in neither mailbox until the write healer journals the rest (store transfer.ts): a
    // sight just after the lost answer may find it nowhere; the end check still needs it in one place
    const settling = place === GONE && !final && entry.places.size > 1;
    if (!entry.places.has(place) && !settling) {
      this.violations.push(
        `${context}: ${entry.user} ${entry.key} is ${place === GONE ? 'missing' : `in ${place}`}, expected ${describe(entry.places)}`,
      );
    } else if (final) entry.places = new Set([place]);
    if (place === GONE || !flags) return;
    const seenFlags = flagSet(flags);
    if (!entry.flagSets.has(seenFlags)) {
      this.violations.push(
        `${context}: ${entry.user} ${entry.key} has keywords [${seenFlags}], expected ${describe(entry.flagSets)}`,
      );
    } else if (final) entry.flagSets = new Set([seenFlags]);
  }

  violation(text: string): void {
    this.violations.push(text);
  }
}

export type Outcome = 'acknowledged' | 'refused' | 'unknown';

/** The soak keywords among `flags`, as one comparable string. */
export function flagSet(flags: Iterable<string>): string {
  const ours = new Set<string>(SOAK_KEYWORDS.map((keyword) => keyword.toLowerCase()));
  return [...flags]
    .filter((flag) => ours.has(flag.toLowerCase()))
    .map((flag) => flag.toLowerCase())
    .sort()
    .join(' ');
}

function id(user: string, key: string): string {
  return `${user}\n${key}`;
}

function describe(values: Set<string>): string {
  return [...values].map((value) => `[${value}]`).join(' or ');
}
