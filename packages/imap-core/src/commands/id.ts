// ID (RFC 2971): tells the client who we are; the client's own fields go to the log.
import { ANY_STATE, ok, type CommandHandler } from '../command-handler.js';
import type { IdCommand } from '../parser/types.js';
import { atom } from '../writer/index.js';

/** Answers `* ID ("name" "...")` from the `id` option. */
export const id: CommandHandler<IdCommand> = {
  states: ANY_STATE,
  async handle(session, command) {
    if (command.parameters) {
      const client = Object.fromEntries(command.parameters.map(({ key, value }) => [key, value]));
      session.options.logger.info({ session: session.id, client }, 'client identified itself');
    }
    const fields = Object.entries(session.options.id).flatMap(([key, value]) => [key, value]);
    await session.untagged(atom('ID'), fields);
    return ok('ID completed');
  },
};
