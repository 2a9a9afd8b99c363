/** Admin events as the API answers them: the store's documents with their resume cursors. */
import type { AdminEventDocument, AdminEventType } from '@wildduck/store';
import { encodeAdminCursor, takeEvent, type AdminCursorState } from './cursor.js';

/** An event as the GraphQL type AdminEvent resolves it. */
export interface AdminEventView {
  cursor: string;
  id: string;
  type: AdminEventType;
  at: Date;
  userId: string | null;
  address: string | null;
  protocol: string | null;
  remote: string | null;
  detail: string | null;
  size: number | null;
  storageUsed: number | null;
  quota: number | null;
}

/** The view of an event, with the cursor of `state` (taken just after it). */
export function eventView(event: AdminEventDocument, state: AdminCursorState): AdminEventView {
  return {
    cursor: encodeAdminCursor(state),
    id: event._id.toHexString(),
    type: event.type,
    at: event.at,
    userId: event.user ? event.user.toHexString() : null,
    address: event.address,
    protocol: event.protocol,
    remote: event.remote,
    detail: event.detail,
    size: event.size,
    storageUsed: event.storageUsed,
    quota: event.quota,
  };
}

/**
 * Views of events listed newest first, each with the cursor that resumes right after it: the
 * cursors are made oldest first, as a subscription would have made them.
 */
export function viewsNewestFirst(events: readonly AdminEventDocument[]): AdminEventView[] {
  const oldestFirst = [...events].reverse();
  const state: AdminCursorState = {
    time: oldestFirst.length ? oldestFirst[0]!.at.getTime() : Date.now(),
    seen: new Map(),
  };
  const views = oldestFirst.map((event) => {
    takeEvent(state, event);
    return eventView(event, state);
  });
  return views.reverse();
}
