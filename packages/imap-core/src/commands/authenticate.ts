// AUTHENTICATE PLAIN (RFC 3501 6.2.2, RFC 4616), with the initial response on the command line
// (SASL-IR, RFC 4959) or after a `+ ` continuation.
import { authenticateSession } from '../authentication.js';
import { bad, no, type CommandHandler } from '../command-handler.js';
import type { AuthenticateCommand } from '../parser/types.js';

/** Logs in with the PLAIN mechanism. */
export const authenticate: CommandHandler<AuthenticateCommand> = {
  states: ['not-authenticated'],
  async handle(session, command) {
    if (command.mechanism !== 'PLAIN')
      return no(`Unsupported mechanism ${command.mechanism}; use PLAIN`, 'CANNOT');
    let response = command.initialResponse;
    if (response === null) {
      await session.continuation('');
      const line = await session.readLine();
      if (line === null) return bad('Connection closed during authentication');
      if (line === '*') return bad('Authentication cancelled');
      response = decodeBase64(line);
      if (!response) return bad('Invalid base64 in the authentication response');
    }
    const fields = response.toString('utf8').split('\0');
    if (fields.length !== 3) return bad('PLAIN response must be authzid NUL authcid NUL password');
    const [authorizationId, username, password] = fields as [string, string, string];
    if (authorizationId && authorizationId !== username) {
      return no('Acting as another user is not allowed', 'AUTHORIZATIONFAILED');
    }
    return authenticateSession(session, username, password, 'PLAIN');
  },
};

function decodeBase64(line: string): Buffer | null {
  if (line === '=') return Buffer.alloc(0);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(line) || line.length % 4 !== 0) return null;
  return Buffer.from(line, 'base64');
}
