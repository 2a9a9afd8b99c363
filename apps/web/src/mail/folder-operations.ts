// Folder management: the GraphQL calls (rename, delete to Trash, empty) and the path arithmetic
// of a hierarchy whose levels are separated by "/" (the API's and IMAP's delimiter).
import { gql } from '@/client/graphql';
import type { Mailbox } from '@/client/api-types';
import { MAILBOX_FIELDS } from './operations';
import { specialUseOf } from './mailbox-order';

export const PATH_DELIMITER = '/';

/** The path of the folder a path is in; '' at the top level. */
export function parentPath(path: string): string {
  const at = path.lastIndexOf(PATH_DELIMITER);
  return at < 0 ? '' : path.slice(0, at);
}

/** The path of `name` inside `parent` ('' for the top level). */
export function childPath(parent: string, name: string): string {
  return parent ? `${parent}${PATH_DELIMITER}${name}` : name;
}

/** Whether `path` is `ancestor` or below it. */
export function isSelfOrBelow(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}${PATH_DELIMITER}`);
}

/** The folder and every folder below it. */
export function subtreeOf(mailboxes: Mailbox[], folder: Mailbox): Mailbox[] {
  return mailboxes.filter((mailbox) => isSelfOrBelow(mailbox.path, folder.path));
}

/** Folders the user manages here: not INBOX, not a special-use folder. */
export function isUserFolder(mailbox: Mailbox): boolean {
  return specialUseOf(mailbox) === null;
}

/** Where `folder` may move to: '' (top level) or a folder path, never itself or below it. */
export function canMoveInto(folder: Mailbox, parent: string): boolean {
  if (!isUserFolder(folder)) return false;
  if (parent && isSelfOrBelow(parent, folder.path)) return false;
  return parentPath(folder.path) !== parent;
}

export async function renameMailbox(id: string, path: string): Promise<Mailbox> {
  const data = await gql<{ renameMailbox: Mailbox }>(
    `mutation RenameMailbox($id: ID!, $path: String!) { renameMailbox(id: $id, path: $path) { ${MAILBOX_FIELDS} } }`,
    { id, path },
  );
  return data.renameMailbox;
}

/** Deletes the folder and those below it; their messages go to Trash. */
export async function deleteMailboxToTrash(id: string): Promise<void> {
  await gql<{ deleteMailboxToTrash: boolean }>(
    'mutation DeleteMailboxToTrash($id: ID!) { deleteMailboxToTrash(id: $id) }',
    { id },
  );
}

/** Deletes every message of Trash or Junk for good; answers how many. */
export async function emptyMailbox(id: string): Promise<number> {
  const data = await gql<{ emptyMailbox: number }>(
    'mutation EmptyMailbox($id: ID!) { emptyMailbox(id: $id) }',
    {
      id,
    },
  );
  return data.emptyMailbox;
}
