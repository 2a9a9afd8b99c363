// The GraphQL operations of bulk actions: one action on a selection chosen on the server (ids,
// or a whole folder with its search less the unticked ones), and its undo.
import { gql } from '@/client/graphql';
import type { BulkAction, BulkResult, MessageSelection } from '@/api/schema-types';

export type { BulkAction, MessageSelection };

export type BulkOutcome = Pick<BulkResult, 'count' | 'undoToken' | 'undoSeconds'>;

export async function bulkMessages(
  selection: MessageSelection,
  action: BulkAction,
  targetMailboxId: string | null = null,
): Promise<BulkOutcome> {
  const data = await gql<{ bulkMessages: BulkOutcome }>(
    `mutation Bulk($selection: MessageSelection!, $action: BulkAction!, $target: ID) {
      bulkMessages(selection: $selection, action: $action, targetMailboxId: $target) { count undoToken undoSeconds }
    }`,
    { selection, action, target: targetMailboxId },
  );
  return data.bulkMessages;
}

/** Puts the messages of a bulk move back; how many went back. */
export async function undoBulk(token: string): Promise<number> {
  const data = await gql<{ undoBulk: number }>(
    `mutation UndoBulk($token: String!) { undoBulk(token: $token) }`,
    {
      token,
    },
  );
  return data.undoBulk;
}
