// ENABLE (RFC 5161): turns on CONDSTORE, QRESYNC (which implies CONDSTORE) and UTF8=ACCEPT;
// answers `* ENABLED` with those newly enabled, ignoring names we do not know.
import { ok, type CommandHandler, type EnabledExtension } from '../command-handler.js';
import { ENABLEABLE } from '../capabilities.js';
import type { EnableCommand } from '../parser/types.js';
import { atom } from '../writer/index.js';

/** Enables extensions for the rest of the session. */
export const enable: CommandHandler<EnableCommand> = {
  states: ['authenticated'],
  async handle(session, command) {
    const enabled: EnabledExtension[] = [];
    for (const name of command.capabilities) {
      const extension = ENABLEABLE.find((candidate) => candidate === name);
      if (!extension || session.isEnabled(extension) || enabled.includes(extension)) continue;
      session.enable(extension);
      enabled.push(extension);
    }
    await session.untagged(atom('ENABLED'), ...enabled.map(atom));
    return ok('ENABLE completed');
  },
};
