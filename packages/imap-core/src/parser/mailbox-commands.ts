/**
 * Grammar of the mailbox commands: SELECT/EXAMINE, CREATE, DELETE, RENAME, SUBSCRIBE,
 * UNSUBSCRIBE, LIST, LSUB, STATUS, APPEND, GETQUOTAROOT.
 */
import { readMessageStart } from './append-stream.js';
import { Byte } from './characters.js';
import type { FrameCursor } from './cursor.js';
import { fail } from './frame.js';
import { readFlag, readMailbox, tryDecodeMailboxText } from './names.js';
import { readSequenceSet } from './sequence-set.js';
import type {
  AppendCommand,
  AppendMessage,
  CommandBase,
  CreateCommand,
  ListCommand,
  ListReturnOptions,
  ListSelectionOptions,
  LsubCommand,
  MailboxCommand,
  QresyncParameters,
  RenameCommand,
  SelectCommand,
  StatusCommand,
  StatusItem,
} from './types.js';

const STATUS_ITEMS = new Set<string>([
  'MESSAGES',
  'RECENT',
  'UIDNEXT',
  'UIDVALIDITY',
  'UNSEEN',
  'DELETED',
  'HIGHESTMODSEQ',
  'SIZE',
  'APPENDLIMIT',
  'MAILBOXID',
]);

/** SELECT / EXAMINE mailbox [(CONDSTORE | QRESYNC (...))]. */
export function readSelect(
  cursor: FrameCursor,
  base: CommandBase,
  name: 'SELECT' | 'EXAMINE',
  utf8: boolean,
): SelectCommand {
  cursor.expectSpace();
  const mailbox = readMailbox(cursor, utf8);
  let condstore = false;
  let qresync: QresyncParameters | null = null;
  if (cursor.tryByte(Byte.Space)) {
    cursor.readList(
      () => {
        const parameter = cursor.readKeyword('a select parameter');
        if (parameter === 'CONDSTORE') condstore = true;
        else if (parameter === 'QRESYNC') qresync = readQresyncParameters(cursor);
        else fail(`unknown ${name} parameter ${parameter.slice(0, 40)}`);
      },
      false,
      `${name} parameters`,
    );
  }
  return { ...base, name, mailbox, condstore, qresync };
}

/** Reads ` (uidvalidity modseq [known-uids] [(seq-set uid-set)])`. */
function readQresyncParameters(cursor: FrameCursor): QresyncParameters {
  cursor.expectSpace();
  cursor.openList('QRESYNC parameters');
  const uidValidity = cursor.readNzNumber('a UIDVALIDITY');
  cursor.expectSpace();
  const modSeq = cursor.readModSeqNonZero();
  let knownUids = null;
  let sequenceMatch = null;
  if (cursor.tryByte(Byte.Space)) {
    if (cursor.peek() !== Byte.OpenParen) {
      knownUids = readSequenceSet(cursor, false);
      if (cursor.tryByte(Byte.Space) && cursor.peek() !== Byte.OpenParen)
        fail('expected "(" before sequence match data');
    }
    if (cursor.peek() === Byte.OpenParen) {
      cursor.openList('QRESYNC sequence match data');
      const sequenceNumbers = readSequenceSet(cursor, false);
      cursor.expectSpace();
      const uids = readSequenceSet(cursor, false);
      cursor.closeList();
      sequenceMatch = { sequenceNumbers, uids };
    }
  }
  cursor.closeList();
  return { uidValidity, modSeq, knownUids, sequenceMatch };
}

/** CREATE mailbox [(USE (\Special ...))]. */
export function readCreate(cursor: FrameCursor, base: CommandBase, utf8: boolean): CreateCommand {
  cursor.expectSpace();
  const mailbox = readMailbox(cursor, utf8);
  const specialUse: string[] = [];
  if (cursor.tryByte(Byte.Space)) {
    cursor.readList(
      () => {
        const parameter = cursor.readKeyword('a CREATE parameter');
        if (parameter !== 'USE') fail(`unknown CREATE parameter ${parameter.slice(0, 40)}`);
        cursor.expectSpace();
        specialUse.push(...cursor.readList(() => readFlag(cursor), true, 'a special-use list'));
      },
      false,
      'CREATE parameters',
    );
  }
  return { ...base, name: 'CREATE', mailbox, specialUse };
}

/** DELETE, SUBSCRIBE, UNSUBSCRIBE, GETQUOTAROOT mailbox. */
export function readMailboxOnly(
  cursor: FrameCursor,
  base: CommandBase,
  name: MailboxCommand['name'],
  utf8: boolean,
): MailboxCommand {
  cursor.expectSpace();
  return { ...base, name, mailbox: readMailbox(cursor, utf8) };
}

/** RENAME mailbox new-mailbox. */
export function readRename(cursor: FrameCursor, base: CommandBase, utf8: boolean): RenameCommand {
  cursor.expectSpace();
  const mailbox = readMailbox(cursor, utf8);
  cursor.expectSpace();
  return { ...base, name: 'RENAME', mailbox, newMailbox: readMailbox(cursor, utf8) };
}

/** LIST [(selection)] reference pattern|(patterns) [RETURN (options)]. */
export function readList(cursor: FrameCursor, base: CommandBase, utf8: boolean): ListCommand {
  const selection: ListSelectionOptions = {
    subscribed: false,
    remote: false,
    recursiveMatch: false,
    specialUse: false,
  };
  const returnOptions: ListReturnOptions = {
    subscribed: false,
    children: false,
    specialUse: false,
    status: null,
  };
  let extended = false;
  cursor.expectSpace();
  if (cursor.peek() === Byte.OpenParen) {
    extended = true;
    cursor.readList(() => readSelectionOption(cursor, selection), true, 'LIST selection options');
    if (selection.recursiveMatch && !selection.subscribed && !selection.specialUse) {
      fail('RECURSIVEMATCH needs another selection option such as SUBSCRIBED (RFC 5258 3.1)');
    }
    cursor.expectSpace();
  }
  const reference = tryDecodeMailboxText(cursor.readAString('a reference name'), utf8);
  cursor.expectSpace();
  let patterns: (string | null)[];
  if (cursor.peek() === Byte.OpenParen) {
    extended = true;
    patterns = cursor.readList(
      () => tryDecodeMailboxText(cursor.readListMailbox(), utf8),
      false,
      'a LIST pattern list',
    );
  } else {
    patterns = [tryDecodeMailboxText(cursor.readListMailbox(), utf8)];
  }
  if (cursor.tryByte(Byte.Space)) {
    if (!cursor.tryKeyword('RETURN')) fail(`expected RETURN${cursor.describePosition()}`);
    extended = true;
    cursor.expectSpace();
    cursor.readList(() => readReturnOption(cursor, returnOptions), true, 'LIST return options');
  }
  // a reference or pattern that is not a valid name (bad modified UTF-7) matches no mailbox: LIST
  // answers OK with nothing for it, as Dovecot does
  const valid = reference === null ? [] : patterns.filter((pattern): pattern is string => pattern !== null);
  return {
    ...base,
    name: 'LIST',
    reference: reference ?? '',
    patterns: valid,
    selection,
    returnOptions,
    extended,
  };
}

/** Reads one LIST selection option into `selection`. */
function readSelectionOption(cursor: FrameCursor, selection: ListSelectionOptions): void {
  const option = cursor.readKeyword('a LIST selection option');
  if (option === 'SUBSCRIBED') selection.subscribed = true;
  else if (option === 'REMOTE') selection.remote = true;
  else if (option === 'RECURSIVEMATCH') selection.recursiveMatch = true;
  else if (option === 'SPECIAL-USE') selection.specialUse = true;
  else fail(`unknown LIST selection option ${option.slice(0, 40)}`);
}

/** Reads one LIST return option into `options`. */
function readReturnOption(cursor: FrameCursor, options: ListReturnOptions): void {
  const option = cursor.readKeyword('a LIST return option');
  if (option === 'SUBSCRIBED') options.subscribed = true;
  else if (option === 'CHILDREN') options.children = true;
  else if (option === 'SPECIAL-USE') options.specialUse = true;
  else if (option === 'STATUS') {
    cursor.expectSpace();
    options.status = readStatusItems(cursor);
  } else fail(`unknown LIST return option ${option.slice(0, 40)}`);
}

/** LSUB reference pattern. */
export function readLsub(cursor: FrameCursor, base: CommandBase, utf8: boolean): LsubCommand {
  cursor.expectSpace();
  const reference = tryDecodeMailboxText(cursor.readAString('a reference name'), utf8);
  cursor.expectSpace();
  const pattern = tryDecodeMailboxText(cursor.readListMailbox(), utf8);
  // like LIST: a pattern that is no valid name matches nothing
  return { ...base, name: 'LSUB', reference: reference ?? '', pattern: reference === null ? null : pattern };
}

/** Reads `(status-att ...)`. */
function readStatusItems(cursor: FrameCursor): StatusItem[] {
  const items = cursor.readList(
    () => {
      const item = cursor.readKeyword('a status item');
      if (!STATUS_ITEMS.has(item)) fail(`unknown status item ${item.slice(0, 40)}`);
      return item as StatusItem;
    },
    false,
    'a status item list',
  );
  return [...new Set(items)];
}

/** STATUS mailbox (items). */
export function readStatus(cursor: FrameCursor, base: CommandBase, utf8: boolean): StatusCommand {
  cursor.expectSpace();
  const mailbox = readMailbox(cursor, utf8);
  cursor.expectSpace();
  return { ...base, name: 'STATUS', mailbox, items: readStatusItems(cursor) };
}

/** APPEND mailbox 1*([flags] [date-time] literal). */
export function readAppend(cursor: FrameCursor, base: CommandBase, utf8: boolean): AppendCommand {
  cursor.expectSpace();
  const mailbox = readMailbox(cursor, utf8);
  const messages: AppendMessage[] = [];
  do {
    cursor.expectSpace();
    messages.push(readAppendMessage(cursor));
  } while (!cursor.atEnd());
  return { ...base, name: 'APPEND', mailbox, messages };
}

/** Reads one `[flag-list SP] [date-time SP] (literal | literal8 | UTF8 (literal8) | CATENATE (parts))`. */
function readAppendMessage(cursor: FrameCursor): AppendMessage {
  const { flags, internalDate, catenated } = readMessageStart(cursor, false);
  if (catenated) return catenated;
  if (cursor.tryKeyword('UTF8')) {
    cursor.expectSpace();
    cursor.openList('UTF8 message data');
    if (!cursor.atLiteral()) fail('UTF8 message data must be a literal8');
    const literal = cursor.readLiteral(true);
    cursor.closeList();
    return { flags, internalDate, content: literal.data, binary: literal.binary, utf8: true };
  }
  if (!cursor.atLiteral()) fail(`expected the message as a literal${cursor.describePosition()}`);
  const literal = cursor.readLiteral(true);
  return { flags, internalDate, content: literal.data, binary: literal.binary, utf8: false };
}
