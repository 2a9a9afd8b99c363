// The GraphQL operations of conversations (threads), with typed wrappers; through gql() like
// operations.ts.
import { gql } from '@/client/graphql';
import type * as Api from '@/api/schema-types';
import type { Address, MessageSearch, MessageSummary, PageInfo } from '@/client/api-types';

const SUMMARY_FIELDS = `
  id mailboxId uid subject snippet date flags seen flagged answered draft hasAttachments
  from { name address } to { name address }
`;

const THREAD_LIST_FIELDS = `
  id mailboxId subject messageCount unseenCount flagged hasAttachments date
  participants { name address }
  latest { ${SUMMARY_FIELDS} }
`;

/** A conversation as the list shows it. */
export type ThreadSummary = Pick<
  Api.Thread,
  'id' | 'mailboxId' | 'subject' | 'messageCount' | 'unseenCount' | 'flagged' | 'hasAttachments' | 'date'
> & { participants: Address[]; latest: MessageSummary };

/** A conversation with its messages (oldest first), as the conversation pane shows it. */
export type ThreadDetail = ThreadSummary & { messages: MessageSummary[] };

export interface ThreadConnection {
  edges: { cursor: string; node: ThreadSummary }[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** One page of a mailbox's conversations, newest activity first. */
export async function fetchThreads(
  mailboxId: string,
  first: number,
  after: string | null,
  search: MessageSearch | null,
): Promise<ThreadConnection> {
  const data = await gql<{ threads: ThreadConnection }>(
    `query Threads($mailboxId: ID!, $first: Int, $after: String, $search: MessageSearch) {
      threads(mailboxId: $mailboxId, first: $first, after: $after, search: $search) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { cursor node { ${THREAD_LIST_FIELDS} } }
      }
    }`,
    { mailboxId, first, after, search },
  );
  return data.threads;
}

/** One conversation with its messages; null when none of them is left. */
export async function fetchThread(mailboxId: string, id: string): Promise<ThreadDetail | null> {
  const data = await gql<{ thread: ThreadDetail | null }>(
    `query Thread($mailboxId: ID!, $id: ID!) {
      thread(mailboxId: $mailboxId, id: $id) { ${THREAD_LIST_FIELDS} messages { ${SUMMARY_FIELDS} } }
    }`,
    { mailboxId, id },
  );
  return data.thread;
}
