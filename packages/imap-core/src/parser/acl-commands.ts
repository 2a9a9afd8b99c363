/**
 * Grammar of the access-list commands (RFC 4314 section 7): SETACL, DELETEACL, GETACL,
 * LISTRIGHTS, MYRIGHTS. Identifiers and rights are astrings.
 */
import type { FrameCursor } from './cursor.js';
import { fail } from './frame.js';
import { readMailbox } from './names.js';
import type { AclIdentifierCommand, AclMailboxCommand, CommandBase, SetAclCommand } from './types.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads one ACL command's arguments after its name. */
export function readAclCommand(
  cursor: FrameCursor,
  base: CommandBase,
  name: 'SETACL' | 'DELETEACL' | 'GETACL' | 'LISTRIGHTS' | 'MYRIGHTS',
  utf8: boolean,
): AclMailboxCommand | AclIdentifierCommand | SetAclCommand {
  cursor.expectSpace();
  const mailbox = readMailbox(cursor, utf8);
  if (name === 'GETACL' || name === 'MYRIGHTS') return { ...base, name, mailbox };
  cursor.expectSpace();
  const identifier = readIdentifier(cursor);
  if (name !== 'SETACL') return { ...base, name, mailbox, identifier };
  cursor.expectSpace();
  const modRights = cursor.readAString('rights').toString('latin1');
  return { ...base, name, mailbox, identifier, modRights };
}

/**
 * An identifier, prepared in the spirit of SASLprep (RFC 4314 3 asks for it): UTF-8, no control
 * characters, NFKC-normalised. One that fails, or is empty, is a syntax error (tagged BAD).
 */
function readIdentifier(cursor: FrameCursor): string {
  let text: string;
  try {
    text = strictUtf8.decode(cursor.readAString('an identifier'));
  } catch {
    return fail('the identifier is not valid UTF-8');
  }
  if (/[\u0000-\u001f\u007f]/.test(text)) fail('the identifier has control characters');
  const prepared = text.normalize('NFKC');
  if (prepared.length === 0) fail('the identifier is empty');
  return prepared;
}
