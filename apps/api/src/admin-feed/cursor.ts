/**
 * The resume cursor of `adminEvents`: opaque to clients (base64url JSON), read like the account
 * log of `mailboxChanges` (changes/cursor.ts). Events have no sequence number, only the writer's
 * clock, so the feed is read by time: `t` is how far it was read, and `s` the ids of the events
 * seen within ADMIN_OVERLAP_MS of it (re-read each time, so an event stored a little late, or by a
 * writer whose clock is a little behind, is still seen once and only once).
 */
import type { AdminEventDocument } from '@wildduck/store';
import { invalidInput } from '../failures.js';

/**
 * How far back each read reaches before `t`: the recorders write every 200 ms, so an event is in
 * the store well within this of its time, clock skew between instances included.
 */
export const ADMIN_OVERLAP_MS = 3_000;

export interface AdminCursorState {
  /** Read up to here (ms): every event before `t - ADMIN_OVERLAP_MS` has been seen or skipped. */
  time: number;
  /** Ids of the events seen near `time`: id -> event time (ms). */
  seen: Map<string, number>;
}

interface CursorJson {
  v: 1;
  f: 'admin';
  t: number;
  s?: string[];
}

/** The state of a feed that starts now. */
export function freshAdminState(now = Date.now()): AdminCursorState {
  return { time: now, seen: new Map() };
}

export function encodeAdminCursor(state: AdminCursorState): string {
  const json: CursorJson = { v: 1, f: 'admin', t: state.time };
  if (state.seen.size) json.s = [...state.seen.keys()];
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

const HEX_ID = /^[0-9a-f]{24}$/;

/** The state of a cursor; BAD_USER_INPUT naming `since` when it is not one of ours. */
export function decodeAdminCursor(cursor: string): AdminCursorState {
  const invalid = () => invalidInput('since is not a cursor of adminEvents', 'since');
  let json: Partial<CursorJson>;
  try {
    if (cursor.length > 200_000 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorJson>;
  } catch {
    throw invalid();
  }
  if (
    !json ||
    typeof json !== 'object' ||
    json.v !== 1 ||
    json.f !== 'admin' ||
    typeof json.t !== 'number' ||
    !Number.isSafeInteger(json.t) ||
    json.t < 0 ||
    (json.s !== undefined && !Array.isArray(json.s))
  )
    throw invalid();
  const seen = new Map<string, number>();
  for (const id of json.s ?? []) {
    if (typeof id !== 'string' || !HEX_ID.test(id)) throw invalid();
    seen.set(id, json.t);
  }
  return { time: json.t, seen };
}

/**
 * Takes one event read from the store into the state: false when it was seen already (skip it).
 * Events must come oldest first.
 */
export function takeEvent(state: AdminCursorState, event: AdminEventDocument): boolean {
  const id = event._id.toHexString();
  const at = event.at.getTime();
  if (state.seen.has(id)) {
    state.seen.set(id, at);
    return false;
  }
  state.seen.set(id, at);
  if (at > state.time) moveTo(state, at);
  return true;
}

/**
 * After a read that started at `readStart` found everything: what is older than the overlap is in
 * the store by now, so later reads need not reach back further (a quiet feed keeps reading one or
 * two minutes, not everything since its last event).
 */
export function readUpTo(state: AdminCursorState, readStart: number): void {
  const time = readStart - ADMIN_OVERLAP_MS;
  if (time > state.time) moveTo(state, time);
}

function moveTo(state: AdminCursorState, time: number): void {
  state.time = time;
  for (const [id, at] of state.seen) if (at < time - ADMIN_OVERLAP_MS) state.seen.delete(id);
}
