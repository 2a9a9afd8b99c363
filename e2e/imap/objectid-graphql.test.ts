/**
 * OBJECTID (RFC 8474) against the GraphQL API on one store: the MAILBOXID and EMAILID an IMAP
 * client sees are the `id`s GraphQL gives the same mailbox and message, and a message moved over
 * IMAP keeps its id in both.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ImapServer } from '@wildduck/imap-core';
import { MemoryRateLimiter } from '@wildduck/coordination';
import { startApi, type ApiHarness } from '../../apps/api/test/graphql-harness.js';
import { RawImapClient } from '../../apps/mailserver/test/raw-client.js';
import { StoreImapBackend } from '../../apps/mailserver/src/imap/store-backend.js';
import { LOGIN_LIMITS } from '../../apps/mailserver/src/runtime.js';
import { loadOrCreateCertificate } from '../../apps/mailserver/src/tls.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let api: ApiHarness;
let server: ImapServer;
let port: number;
let token: string;

before(async () => {
  api = await startApi('objectidgql');
  await api.createUser('ids@example.com');
  token = await api.signIn('ids@example.com');
  const backend = new StoreImapBackend({
    ctx: api.services.store,
    bus: api.bus,
    userLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perUser),
    addressLimiter: new MemoryRateLimiter(LOGIN_LIMITS.perAddress),
  });
  const tls = await loadOrCreateCertificate({ dataDir: mkdtempSync(join(tmpdir(), 'wd-tls-')) });
  server = new ImapServer({ backend, tls, allowPlaintextLogin: true });
  port = (await server.listen(0)).port;
});
after(async () => {
  await server.close();
  await api.close();
});

interface MailboxRow {
  id: string;
  path: string;
}
interface MessageRow {
  id: string;
  uid: number;
  mailboxId: string;
}

async function graphqlMailboxes(): Promise<MailboxRow[]> {
  const answer = await api.gql<{ mailboxes: MailboxRow[] }>('{ mailboxes { id path } }', {}, token);
  assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
  return answer.data!.mailboxes;
}

async function graphqlMessages(mailboxId: string): Promise<MessageRow[]> {
  const answer = await api.gql<{ messages: { edges: { node: MessageRow }[] } }>(
    'query ($id: ID!) { messages(mailboxId: $id, first: 50) { edges { node { id uid mailboxId } } } }',
    { id: mailboxId },
    token,
  );
  assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
  return answer.data!.messages.edges.map((edge) => edge.node);
}

test('MAILBOXID and EMAILID over IMAP equal the GraphQL ids of the same mailbox and message, through MOVE', async () => {
  const imap = await RawImapClient.open(port);
  try {
    assert.match(await imap.command('LOGIN ids@example.com secretpass'), /^T1 OK/m);
    const text = 'From: a@example.org\r\nSubject: ids\r\n\r\nSame everywhere\r\n';
    assert.match(await imap.command(`APPEND INBOX {${text.length}+}\r\n${text}`), /^T\d+ OK/m);
    const selected = await imap.command('SELECT INBOX');
    const inboxId = /^\* OK \[MAILBOXID \(([^)]+)\)\]/m.exec(selected)?.[1];
    const fetched = await imap.command('UID FETCH 1 EMAILID');
    const emailId = /EMAILID \(([^)]+)\)/.exec(fetched)?.[1];
    assert.ok(inboxId && emailId, selected + fetched);

    const mailboxes = await graphqlMailboxes();
    assert.equal(mailboxes.find((box) => box.path === 'INBOX')?.id, inboxId);
    const archiveId = mailboxes.find((box) => box.path === 'Archive')!.id;
    assert.match(
      await imap.command('STATUS Archive (MAILBOXID)'),
      new RegExp(`MAILBOXID \\(${archiveId}\\)`),
    );
    assert.deepEqual(
      (await graphqlMessages(inboxId)).map((message) => [message.id, message.uid]),
      [[emailId, 1]],
    );

    assert.match(await imap.command('UID MOVE 1 Archive'), /^T\d+ OK/m);
    const moved = await graphqlMessages(archiveId);
    assert.deepEqual(
      moved.map((message) => [message.id, message.mailboxId]),
      [[emailId, archiveId]],
    );
    assert.match(await imap.command('SELECT Archive'), new RegExp(`\\[MAILBOXID \\(${archiveId}\\)\\]`));
    assert.match(await imap.command('UID FETCH 1:* EMAILID'), new RegExp(`EMAILID \\(${emailId}\\)`));
  } finally {
    imap.close();
  }
});
