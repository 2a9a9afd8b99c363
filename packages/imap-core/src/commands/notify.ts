// NOTIFY (RFC 5465): NOTIFY NONE stops every notification; NOTIFY SET [STATUS] replaces the
// client's event groups (with STATUS, the matched mailboxes' counters first). Only offered when
// the backend has `watchMailboxes`. The work is in notify/session-notifications.ts.
import { AUTHENTICATED_STATES, bad, no, ok, type CommandHandler } from '../command-handler.js';
import { SUPPORTED_EVENTS, unsupportedEvents } from '../notify/session-notifications.js';
import type { NotifyCommand } from '../parser/types.js';
import { atom } from '../writer/index.js';

/** Sets or clears the session's notifications. */
export const notify: CommandHandler<NotifyCommand> = {
  states: AUTHENTICATED_STATES,
  async handle(session, command) {
    if (!session.backend.watchMailboxes) return bad('NOTIFY is not supported');
    if (!command.set) {
      session.notifications.stop();
      return ok('NOTIFY completed');
    }
    const unsupported = unsupportedEvents(command.set.groups);
    if (unsupported.length) {
      // RFC 5465 5: NO with BADEVENT listing the events the server does support
      const code = { name: 'BADEVENT', args: [SUPPORTED_EVENTS.map(atom)] };
      return no(`NOTIFY event ${unsupported[0]!.name} is not supported`, code);
    }
    await session.notifications.set(command.set.groups, command.set.status);
    return ok('NOTIFY completed');
  },
};
