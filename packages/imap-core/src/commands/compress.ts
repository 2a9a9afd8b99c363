// COMPRESS (RFC 4978): DEFLATE in both directions from the tagged OK on. The input side switches
// at once (the client sends nothing more until it has the OK, and then sends it compressed), the
// output side once the OK has gone out uncompressed.
import { AUTHENTICATED_STATES, bad, no, ok, type CommandHandler } from '../command-handler.js';
import { COMPRESSION_MECHANISM } from '../compression.js';
import type { CompressCommand } from '../parser/types.js';

/** Turns on DEFLATE compression for the rest of the connection. */
export const compress: CommandHandler<CompressCommand> = {
  states: AUTHENTICATED_STATES,
  async handle(session, command) {
    if (command.mechanism !== COMPRESSION_MECHANISM) {
      return bad(`Unknown compression mechanism; ${COMPRESSION_MECHANISM} is supported`);
    }
    if (session.compressed) return no('DEFLATE is already active', 'COMPRESSIONACTIVE');
    const compressOutput = session.startCompression();
    return ok('DEFLATE active', undefined, compressOutput);
  },
};
