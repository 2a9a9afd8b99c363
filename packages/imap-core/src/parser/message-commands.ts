/**
 * Grammar of the commands on messages of the selected mailbox: FETCH, STORE, COPY, MOVE,
 * EXPUNGE (UID EXPUNGE) and SEARCH.
 */
import { Byte } from './characters.js';
import type { FrameCursor } from './cursor.js';
import { readFetchAttributes, readFetchModifiers } from './fetch-attributes.js';
import { fail } from './frame.js';
import { readFlag, readFlagList, readMailbox } from './names.js';
import { readSearchArguments } from './search.js';
import { readSequenceSet } from './sequence-set.js';
import type {
  CommandBase,
  CopyCommand,
  ExpungeCommand,
  FetchCommand,
  SearchCommand,
  StoreCommand,
} from './types.js';

/** FETCH sequence-set attributes [modifiers]. */
export function readFetch(cursor: FrameCursor, base: CommandBase): FetchCommand {
  cursor.expectSpace();
  const sequenceSet = readSequenceSet(cursor);
  cursor.expectSpace();
  const { items, macro } = readFetchAttributes(cursor);
  const { changedSince, vanished } = readFetchModifiers(cursor);
  if (vanished && !base.uid) fail('VANISHED is only allowed with UID FETCH (RFC 7162 3.2.6)');
  return { ...base, name: 'FETCH', sequenceSet, items, macro, changedSince, vanished };
}

/** STORE sequence-set [(UNCHANGEDSINCE n)] [+|-]FLAGS[.SILENT] flags. */
export function readStore(cursor: FrameCursor, base: CommandBase): StoreCommand {
  cursor.expectSpace();
  const sequenceSet = readSequenceSet(cursor);
  cursor.expectSpace();
  let unchangedSince: number | null = null;
  if (cursor.peek() === Byte.OpenParen) {
    cursor.readList(
      () => {
        const modifier = cursor.readKeyword('a STORE modifier');
        if (modifier !== 'UNCHANGEDSINCE') fail(`unknown STORE modifier ${modifier.slice(0, 40)}`);
        cursor.expectSpace();
        unchangedSince = cursor.readNumber63();
      },
      false,
      'STORE modifiers',
    );
    cursor.expectSpace();
  }
  const operation = cursor.tryByte(Byte.Plus) ? 'add' : cursor.tryByte(Byte.Minus) ? 'remove' : 'set';
  const item = cursor.readKeyword('FLAGS or FLAGS.SILENT');
  if (item !== 'FLAGS' && item !== 'FLAGS.SILENT')
    fail(`expected FLAGS or FLAGS.SILENT, got ${item.slice(0, 40)}`);
  cursor.expectSpace();
  let flags: string[];
  if (cursor.peek() === Byte.OpenParen) {
    flags = readFlagList(cursor);
  } else {
    flags = [readFlag(cursor)];
    while (cursor.tryByte(Byte.Space)) flags.push(readFlag(cursor));
  }
  if (flags.includes('\\Recent')) fail('\\Recent cannot be stored');
  return {
    ...base,
    name: 'STORE',
    sequenceSet,
    operation,
    silent: item === 'FLAGS.SILENT',
    flags,
    unchangedSince,
  };
}

/** COPY / MOVE sequence-set mailbox. */
export function readCopy(
  cursor: FrameCursor,
  base: CommandBase,
  name: 'COPY' | 'MOVE',
  utf8: boolean,
): CopyCommand {
  cursor.expectSpace();
  const sequenceSet = readSequenceSet(cursor);
  cursor.expectSpace();
  return { ...base, name, sequenceSet, mailbox: readMailbox(cursor, utf8) };
}

/** EXPUNGE, or UID EXPUNGE sequence-set. */
export function readExpunge(cursor: FrameCursor, base: CommandBase): ExpungeCommand {
  if (!base.uid) return { ...base, name: 'EXPUNGE', sequenceSet: null };
  cursor.expectSpace();
  return { ...base, name: 'EXPUNGE', sequenceSet: readSequenceSet(cursor) };
}

/** SEARCH [RETURN (...)] [CHARSET c] keys. */
export function readSearch(cursor: FrameCursor, base: CommandBase): SearchCommand {
  return { ...base, name: 'SEARCH', ...readSearchArguments(cursor) };
}
