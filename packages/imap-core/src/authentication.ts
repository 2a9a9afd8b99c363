// The one path from credentials to the authenticated state, shared by LOGIN and
// AUTHENTICATE PLAIN: checks that login is allowed here, asks the backend, maps the answer.
import { loginAllowed } from './capabilities.js';
import { no, ok, type CommandSession, type TaggedResult } from './command-handler.js';
import { capabilityCode } from './writer/index.js';

/** Logs the session in, or answers why not (RFC 5530 codes). */
export async function authenticateSession(
  session: CommandSession,
  username: string,
  password: string,
  method: 'LOGIN' | 'PLAIN',
): Promise<TaggedResult> {
  if (!loginAllowed({ secure: session.secure, allowPlaintextLogin: session.options.allowPlaintextLogin })) {
    return no('Login is only allowed over an encrypted connection; use STARTTLS first', 'PRIVACYREQUIRED');
  }
  const result = await session.backend.authenticate(username, password, {
    sessionId: session.id,
    remoteAddress: session.remoteAddress,
    secure: session.secure,
    method,
  });
  if (!result.ok) {
    session.options.logger.info(
      { session: session.id, username, rateLimited: result.rateLimited },
      'login failed',
    );
    return result.rateLimited
      ? no('Too many failed logins; try again later', 'UNAVAILABLE')
      : no(imapText(result.hint) || 'Invalid username or password', 'AUTHENTICATIONFAILED');
  }
  session.authenticated(result.user);
  session.options.logger.info({ session: session.id, username: result.user.username }, 'logged in');
  return ok('Logged in', capabilityCode(session.capabilities()));
}

/** A backend's hint as one line of IMAP text (no CR, LF or other controls; not overlong). */
function imapText(hint: string | undefined): string {
  return (hint ?? '')
    .replace(/[\x00-\x1f\x7f]+/g, ' ')
    .trim()
    .slice(0, 200);
}
