// STARTTLS (RFC 3501 6.2.1): the TLS handshake starts right after the tagged OK.
import { bad, ok, type CommandHandler } from '../command-handler.js';
import type { NoArgumentCommand } from '../parser/types.js';

/** Upgrades a plaintext connection to TLS. */
export const starttls: CommandHandler<NoArgumentCommand> = {
  states: ['not-authenticated'],
  async handle(session) {
    if (session.secure) return bad('Connection is already encrypted');
    if (!session.options.tls) return bad('STARTTLS is not available on this server');
    return ok('Begin TLS negotiation now', undefined, () => session.startTls());
  },
};
