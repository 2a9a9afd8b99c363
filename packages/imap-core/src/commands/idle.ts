// IDLE (RFC 2177): `+ idling`, then changes are pushed as they happen until the client sends
// DONE; anything else ends the IDLE with BAD.
import { AUTHENTICATED_STATES, bad, ok, type CommandHandler } from '../command-handler.js';
import type { NoArgumentCommand } from '../parser/types.js';

/** Waits for DONE while reporting mailbox changes immediately. */
export const idle: CommandHandler<NoArgumentCommand> = {
  states: AUTHENTICATED_STATES,
  async handle(session) {
    await session.continuation('idling');
    const stopWatching = session.watchChanges();
    try {
      const line = await session.readLine();
      if (line === null) return bad('Connection closed while idling');
      if (line.trim().toUpperCase() !== 'DONE') return bad('Expected DONE to end IDLE');
      return ok('IDLE terminated');
    } finally {
      stopWatching();
    }
  },
};
