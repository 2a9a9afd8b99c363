/**
 * The resume cursor of `mailboxChanges`: opaque to clients (base64url JSON), it records how far a
 * subscriber has read the journal, so a new subscription can replay exactly what came after.
 *
 * - `p`: per mailbox (24-hex id), the MODSEQ up to which its journal was read. Message changes
 *   (EXISTS, EXPUNGE, FLAGS) and MAILBOX_CREATED (MODSEQ 1) are replayed from there.
 * - `t`, `s`: the account log (journal entries with MODSEQ 0: MAILBOX_RENAMED, MAILBOX_DELETED,
 *   SPAM, NOT_SPAM) has no sequence number, only the writer's clock, so it is read by time: `t` is
 *   the newest entry time seen, and `s` the ids of the entries seen within ACCOUNT_OVERLAP_MS of it
 *   (re-read each time, so an entry written a little late by a slower clock is still seen once).
 * - `b`: when the chain of subscriptions began. A mailbox missing from `p` that was created after
 *   `b` is replayed from MODSEQ 0; an older one was not followed (a cursor of a subscription with a
 *   mailbox filter) and is followed from now on.
 * - `u`: the user; another user's cursor is refused.
 */
import { invalidInput } from '../failures.js';

/** How far back the account log is re-read, to tolerate clock skew and late inserts between writers. */
export const ACCOUNT_OVERLAP_MS = 2_000;

/** What a cursor holds. */
export interface CursorState {
  user: string;
  /** Start of the subscription chain (ms since the epoch). */
  base: number;
  /** Journal position per mailbox id. */
  positions: Map<string, number>;
  /** Newest account-log entry time seen (ms), or the start time. */
  accountTime: number;
  /** Account-log entries already seen near `accountTime`: id -> entry time (ms). */
  accountSeen: Map<string, number>;
}

interface CursorJson {
  v: 1;
  u: string;
  b: number;
  t: number;
  p: Record<string, number>;
  s?: string[];
}

/** The state of a subscription that starts now: each mailbox from its current MODSEQ. */
export function freshState(
  user: string,
  mailboxes: readonly { id: string; highestModseq: number }[],
  now = Date.now(),
): CursorState {
  return {
    user,
    base: now,
    positions: new Map(mailboxes.map((mailbox) => [mailbox.id, mailbox.highestModseq])),
    accountTime: now,
    accountSeen: new Map(),
  };
}

/** The cursor of a state. */
export function encodeCursor(state: CursorState): string {
  const json: CursorJson = {
    v: 1,
    u: state.user,
    b: state.base,
    t: state.accountTime,
    p: Object.fromEntries(state.positions),
  };
  if (state.accountSeen.size) json.s = [...state.accountSeen.keys()];
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

const HEX_ID = /^[0-9a-f]{24}$/;

/** The state of a cursor; an invalid-input RequestFailure (field `since`) when it is not one of ours or not this user's. */
export function decodeCursor(cursor: string, user: string): CursorState {
  const invalid = () => invalidInput('since is not a cursor of mailboxChanges', 'since');
  let json: Partial<CursorJson>;
  try {
    if (cursor.length > 1_000_000 || !/^[A-Za-z0-9_-]*$/.test(cursor)) throw invalid();
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorJson>;
  } catch {
    throw invalid();
  }
  if (
    !json ||
    typeof json !== 'object' ||
    json.v !== 1 ||
    typeof json.u !== 'string' ||
    !isTime(json.b) ||
    !isTime(json.t) ||
    !json.p ||
    typeof json.p !== 'object'
  )
    throw invalid();
  if (json.u !== user) throw invalidInput("since is another user's cursor", 'since');
  const positions = new Map<string, number>();
  for (const [mailbox, modseq] of Object.entries(json.p)) {
    if (!HEX_ID.test(mailbox) || !Number.isSafeInteger(modseq) || modseq < 0) throw invalid();
    positions.set(mailbox, modseq);
  }
  const accountSeen = new Map<string, number>();
  for (const id of json.s ?? []) {
    if (typeof id !== 'string' || !HEX_ID.test(id)) throw invalid();
    // the entry's time is learnt again when the account log is next read
    accountSeen.set(id, json.t);
  }
  return { user, base: json.b, positions, accountTime: json.t, accountSeen };
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
