/**
 * Turns one framed command into a typed `ImapCommand` or a `ParseError`: reads the tag and the
 * command name, then hands the arguments to the grammar of that command.
 */
import { readAclCommand } from './acl-commands.js';
import { Byte, TAG_CHAR } from './characters.js';
import { FrameCursor } from './cursor.js';
import { SyntaxFailure, fail, type CommandFrame } from './frame.js';
import {
  readAppend,
  readCreate,
  readList,
  readLsub,
  readMailboxOnly,
  readRename,
  readSelect,
  readStatus,
} from './mailbox-commands.js';
import { readNotify } from './notify-command.js';
import { readCopy, readExpunge, readFetch, readSearch, readStore } from './message-commands.js';
import { readSort, readThread } from './sort-commands.js';
import {
  readAuthenticate,
  readEnable,
  readGetQuota,
  readId,
  readLogin,
  readSetQuota,
} from './session-commands.js';
import type { CommandBase, ImapCommand, NoArgumentCommand, ParseError } from './types.js';

const NO_ARGUMENT_COMMANDS = new Set<string>([
  'CAPABILITY',
  'NOOP',
  'LOGOUT',
  'STARTTLS',
  'CHECK',
  'CLOSE',
  'UNSELECT',
  'IDLE',
  'NAMESPACE',
  'UNAUTHENTICATE',
]);
const UID_COMMANDS = new Set<string>([
  'FETCH',
  'STORE',
  'COPY',
  'MOVE',
  'SEARCH',
  'EXPUNGE',
  'SORT',
  'THREAD',
]);

/** What the grammar needs besides the frame. */
export interface GrammarOptions {
  utf8Accept: boolean;
  maxNestingDepth: number;
}

/** The result of parsing one frame. */
export type GrammarResult = { ok: true; command: ImapCommand } | { ok: false; error: ParseError };

/** The tag and command name at the start of a command, as far as they can be read. */
export interface CommandHead {
  tag: string | null;
  commandName: string | null;
}

/** Reads the tag and (upper-cased, UID-resolved) command name from the start of some command text. */
export function readCommandHead(text: Buffer): CommandHead {
  let index = 0;
  while (index < text.length && TAG_CHAR[text[index] ?? 0] === 1) index++;
  if (index === 0 || text[index] !== Byte.Space) return { tag: null, commandName: null };
  const tag = text.toString('latin1', 0, index);
  const words = /^([A-Za-z]+)(?: ([A-Za-z]+))?/.exec(text.toString('latin1', index + 1, index + 40));
  let commandName = words?.[1]?.toUpperCase() ?? null;
  if (commandName === 'UID' && words?.[2] !== undefined) commandName = words[2].toUpperCase();
  return { tag, commandName };
}

/** Parses a complete command frame; never throws for any input. */
export function parseCommandFrame(frame: CommandFrame, options: GrammarOptions): GrammarResult {
  const head = readCommandHead(frame.text);
  const cursor = new FrameCursor(frame, options.maxNestingDepth);
  try {
    if (head.tag === null) {
      fail(frame.text.length === 0 ? 'empty command line' : 'a command must start with a tag and a space');
    }
    cursor.position = Buffer.byteLength(head.tag, 'latin1') + 1;
    const command = readCommand(cursor, head.tag, options.utf8Accept);
    cursor.expectEnd();
    return { ok: true, command };
  } catch (failure) {
    if (!(failure instanceof SyntaxFailure)) throw failure;
    return {
      ok: false,
      error: {
        kind: failure.kind,
        tag: head.tag,
        commandName: head.commandName,
        message: failure.message,
        fatal: false,
      },
    };
  }
}

/** Reads the command name and its arguments. */
function readCommand(cursor: FrameCursor, tag: string, utf8: boolean): ImapCommand {
  let name = cursor.readKeyword('a command name');
  let uid = false;
  if (name === 'UID') {
    cursor.expectSpace();
    name = cursor.readKeyword('a command name after UID');
    if (!UID_COMMANDS.has(name))
      fail(`UID ${name.slice(0, 40)} is not a command (use UID FETCH, STORE, COPY, MOVE, SEARCH or EXPUNGE)`);
    uid = true;
  }
  const base: CommandBase = { tag, uid };
  if (NO_ARGUMENT_COMMANDS.has(name)) return { ...base, name: name as NoArgumentCommand['name'] };
  switch (name) {
    case 'LOGIN':
      return readLogin(cursor, base);
    case 'AUTHENTICATE':
      return readAuthenticate(cursor, base);
    case 'ENABLE':
      return readEnable(cursor, base);
    case 'ID':
      return readId(cursor, base);
    case 'COMPRESS':
      cursor.expectSpace();
      return { ...base, name: 'COMPRESS', mechanism: cursor.readKeyword('a compression mechanism') };
    case 'GETQUOTA':
      return readGetQuota(cursor, base);
    case 'SETQUOTA':
      return readSetQuota(cursor, base);
    case 'SELECT':
    case 'EXAMINE':
      return readSelect(cursor, base, name, utf8);
    case 'CREATE':
      return readCreate(cursor, base, utf8);
    case 'DELETE':
    case 'SUBSCRIBE':
    case 'UNSUBSCRIBE':
    case 'GETQUOTAROOT':
      return readMailboxOnly(cursor, base, name, utf8);
    case 'RENAME':
      return readRename(cursor, base, utf8);
    case 'LIST':
      return readList(cursor, base, utf8);
    case 'LSUB':
      return readLsub(cursor, base, utf8);
    case 'STATUS':
      return readStatus(cursor, base, utf8);
    case 'APPEND':
      return readAppend(cursor, base, utf8);
    case 'FETCH':
      return readFetch(cursor, base);
    case 'STORE':
      return readStore(cursor, base);
    case 'COPY':
    case 'MOVE':
      return readCopy(cursor, base, name, utf8);
    case 'EXPUNGE':
      return readExpunge(cursor, base);
    case 'SEARCH':
      return readSearch(cursor, base);
    case 'SORT':
      return readSort(cursor, base);
    case 'THREAD':
      return readThread(cursor, base);
    case 'SETACL':
    case 'DELETEACL':
    case 'GETACL':
    case 'LISTRIGHTS':
    case 'MYRIGHTS':
      return readAclCommand(cursor, base, name, utf8);
    case 'NOTIFY':
      return readNotify(cursor, base, utf8);
    default:
      return fail(`unknown command ${name.slice(0, 40)}`, 'unknown-command');
  }
}
