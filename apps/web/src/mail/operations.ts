// The GraphQL operations of the webmail, with typed wrappers. Every call goes through gql(),
// i.e. POST /api/graphql on this site.
import { gql } from '@/client/graphql';
import type {
  ComposeInput,
  Mailbox,
  Message,
  MessageConnection,
  MessageSearch,
  MessageSummary,
} from '@/client/api-types';

export const MAILBOX_FIELDS = 'id path name specialUse total unseen';

const SUMMARY_FIELDS = `
  id mailboxId uid subject snippet date flags seen flagged answered draft hasAttachments
  from { name address } to { name address }
`;

export const MAILBOXES_QUERY = `query Mailboxes { mailboxes { ${MAILBOX_FIELDS} } }`;

/** Every mailbox of the user, with counts. */
export async function fetchMailboxes(): Promise<Mailbox[]> {
  return (await gql<{ mailboxes: Mailbox[] }>(MAILBOXES_QUERY)).mailboxes;
}

/** One page of a mailbox, newest first. */
export async function fetchMessages(
  mailboxId: string,
  first: number,
  after: string | null,
  search: MessageSearch | null,
): Promise<MessageConnection> {
  const data = await gql<{ messages: MessageConnection }>(
    `query Messages($mailboxId: ID!, $first: Int, $after: String, $search: MessageSearch) {
      messages(mailboxId: $mailboxId, first: $first, after: $after, search: $search) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { cursor node { ${SUMMARY_FIELDS} } }
      }
    }`,
    { mailboxId, first, after, search },
  );
  return data.messages;
}

/** A whole message for the reading pane; html with or without remote content. */
export async function fetchMessage(id: string, remoteContent: boolean): Promise<Message | null> {
  const data = await gql<{ message: Message | null }>(
    `query Message($id: ID!, $remote: Boolean) {
      message(id: $id) {
        id mailboxId uid subject date flags messageId text hasRemoteContent rawUrl
        html(remoteContent: $remote)
        from { name address } to { name address } cc { name address } replyTo { name address }
        attachments { id filename contentType size disposition contentId downloadUrl }
      }
    }`,
    { id, remote: remoteContent },
  );
  return data.message;
}

export async function setFlags(ids: string[], flags: string[]): Promise<MessageSummary[]> {
  const data = await gql<{ setFlags: MessageSummary[] }>(
    `mutation SetFlags($ids: [ID!]!, $flags: [String!]!) { setFlags(ids: $ids, flags: $flags) { ${SUMMARY_FIELDS} } }`,
    { ids, flags },
  );
  return data.setFlags;
}

export async function clearFlags(ids: string[], flags: string[]): Promise<MessageSummary[]> {
  const data = await gql<{ clearFlags: MessageSummary[] }>(
    `mutation ClearFlags($ids: [ID!]!, $flags: [String!]!) { clearFlags(ids: $ids, flags: $flags) { ${SUMMARY_FIELDS} } }`,
    { ids, flags },
  );
  return data.clearFlags;
}

export async function moveMessages(ids: string[], mailboxId: string): Promise<MessageSummary[]> {
  const data = await gql<{ moveMessages: MessageSummary[] }>(
    `mutation Move($ids: [ID!]!, $mailboxId: ID!) { moveMessages(ids: $ids, mailboxId: $mailboxId) { id mailboxId uid } }`,
    { ids, mailboxId },
  );
  return data.moveMessages;
}

export async function deleteMessages(ids: string[]): Promise<{ movedToTrash: string[]; expunged: string[] }> {
  const data = await gql<{ deleteMessages: { movedToTrash: string[]; expunged: string[] } }>(
    `mutation Delete($ids: [ID!]!) { deleteMessages(ids: $ids) { movedToTrash expunged } }`,
    { ids },
  );
  return data.deleteMessages;
}

export async function sendMessage(input: ComposeInput): Promise<{ messageId: string; rejected: string[] }> {
  const data = await gql<{ send: { messageId: string; rejected: string[] } }>(
    `mutation Send($input: ComposeInput!) { send(input: $input) { messageId rejected } }`,
    { input },
  );
  return data.send;
}

export async function saveDraft(input: ComposeInput, replaceId: string | null): Promise<MessageSummary> {
  const data = await gql<{ saveDraft: MessageSummary }>(
    `mutation SaveDraft($input: ComposeInput!, $replaceId: ID) { saveDraft(input: $input, replaceId: $replaceId) { id mailboxId uid } }`,
    { input, replaceId },
  );
  return data.saveDraft;
}

export async function createMailbox(path: string): Promise<Mailbox> {
  const data = await gql<{ createMailbox: Mailbox }>(
    `mutation CreateMailbox($path: String!) { createMailbox(path: $path) { ${MAILBOX_FIELDS} } }`,
    { path },
  );
  return data.createMailbox;
}
