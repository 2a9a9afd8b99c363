// ENABLE (RFC 5161): turns on CONDSTORE, QRESYNC (which implies CONDSTORE), UTF8=ACCEPT and,
// when offered, IMAP4rev2 (RFC 9051 6.3.1); answers `* ENABLED` with those newly enabled,
// ignoring names we do not know or do not offer.
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
      // names arrive upper-cased; IMAP4rev2 is spelt with a small r
      const extension = ENABLEABLE.find((candidate) => candidate.toUpperCase() === name);
      if (!extension || session.isEnabled(extension) || enabled.includes(extension)) continue;
      if (extension === 'IMAP4rev2' && !session.capabilities().includes('IMAP4rev2')) continue;
      session.enable(extension);
      enabled.push(extension);
    }
    await session.untagged(atom('ENABLED'), ...enabled.map(atom));
    return ok('ENABLE completed');
  },
};
