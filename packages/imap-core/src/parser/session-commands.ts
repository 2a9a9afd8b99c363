/**
 * Grammar of the commands that manage the session rather than mailboxes or messages: LOGIN,
 * AUTHENTICATE, ENABLE, ID and the QUOTA commands.
 */
import { Byte } from './characters.js';
import type { FrameCursor } from './cursor.js';
import { fail } from './frame.js';
import type {
  AuthenticateCommand,
  CommandBase,
  EnableCommand,
  GetQuotaCommand,
  IdCommand,
  LoginCommand,
  SetQuotaCommand,
} from './types.js';

const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes a SASL response line (`=` is an empty response); null when not valid base64. */
export function decodeSaslResponse(text: string): Buffer | null {
  if (text === '=') return Buffer.alloc(0);
  if (text.length === 0 || !BASE64_PATTERN.test(text)) return null;
  return Buffer.from(text, 'base64');
}

/** LOGIN userid password. */
export function readLogin(cursor: FrameCursor, base: CommandBase): LoginCommand {
  cursor.expectSpace();
  const username = cursor.readAString('a user name').toString('utf8');
  cursor.expectSpace();
  const password = cursor.readAString('a password').toString('utf8');
  return { ...base, name: 'LOGIN', username, password };
}

/** AUTHENTICATE mechanism [initial-response]. */
export function readAuthenticate(cursor: FrameCursor, base: CommandBase): AuthenticateCommand {
  cursor.expectSpace();
  const mechanism = cursor.readKeyword('a SASL mechanism name');
  let initialResponse: Buffer | null = null;
  if (cursor.tryByte(Byte.Space)) {
    const text = cursor.readWhile((byte) => byte > 0x20 && byte < 0x7f, 'a base64 initial response');
    initialResponse = decodeSaslResponse(text);
    if (initialResponse === null) fail('the initial response is not valid base64');
  }
  return { ...base, name: 'AUTHENTICATE', mechanism, initialResponse };
}

/** ENABLE capability... */
export function readEnable(cursor: FrameCursor, base: CommandBase): EnableCommand {
  const capabilities: string[] = [];
  do {
    cursor.expectSpace();
    capabilities.push(cursor.readKeyword('a capability name'));
  } while (!cursor.atEnd());
  return { ...base, name: 'ENABLE', capabilities };
}

/** ID NIL or ID (field value ...). */
export function readId(cursor: FrameCursor, base: CommandBase): IdCommand {
  cursor.expectSpace();
  if (cursor.tryKeyword('NIL')) return { ...base, name: 'ID', parameters: null };
  cursor.openList('an ID parameter list');
  const parameters: { key: string; value: string | null }[] = [];
  if (cursor.peek() !== Byte.CloseParen) {
    do {
      const key = cursor.readString('an ID field name').toString('utf8');
      cursor.expectSpace();
      const value = cursor.readNString('an ID field value or NIL');
      parameters.push({ key, value: value === null ? null : value.toString('utf8') });
    } while (cursor.tryByte(Byte.Space));
  }
  cursor.closeList();
  return { ...base, name: 'ID', parameters };
}

/** GETQUOTA quota-root. */
export function readGetQuota(cursor: FrameCursor, base: CommandBase): GetQuotaCommand {
  cursor.expectSpace();
  return { ...base, name: 'GETQUOTA', root: cursor.readAString('a quota root').toString('utf8') };
}

/** SETQUOTA quota-root (resource limit ...). */
export function readSetQuota(cursor: FrameCursor, base: CommandBase): SetQuotaCommand {
  cursor.expectSpace();
  const root = cursor.readAString('a quota root').toString('utf8');
  cursor.expectSpace();
  cursor.openList('a quota resource list');
  const limits: { resource: string; limit: number }[] = [];
  if (cursor.peek() !== Byte.CloseParen) {
    do {
      const resource = cursor.readKeyword('a quota resource name');
      cursor.expectSpace();
      limits.push({ resource, limit: cursor.readNumber63('a quota limit') });
    } while (cursor.tryByte(Byte.Space));
  }
  cursor.closeList();
  return { ...base, name: 'SETQUOTA', root, limits };
}
