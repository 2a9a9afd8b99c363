/**
 * Shared mailboxes (RFC 4314 access lists) on two mail server PROCESSES sharing one store and one
 * Redis: an owner on instance A shares a folder, a member on instance B works in it at the same
 * time; flags are shared, \Seen is each user's own, expunges reach both; a user without rights
 * finds nothing whatever name they try; a revocation takes effect at once on the other instance;
 * quota is charged to the owner; NOTIFY (RFC 5465) reports changes made through the other instance.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectId } from 'mongodb';
import nodemailer from 'nodemailer';
import { createMailboxAddress } from '@wildduck/store';
import { RawImapClient } from '../../apps/mailserver/test/raw-client.js';
import { DEFAULT_PASSWORD, startMailServer, type MailServerProcess } from './server-process.js';

const OWNER = 'owner@example.com';
const MEMBER = 'member@example.com';
const READER = 'reader@example.com';
const STRANGER = 'stranger@example.com';
const TEAM = `"Other Users/${OWNER}/Team"`;

let a: MailServerProcess;
let b: MailServerProcess;
const ids = new Map<string, string>();
const open: RawImapClient[] = [];

before(async () => {
  a = await startMailServer('shareA');
  b = await startMailServer('shareB', { shareDatabase: a.databaseName });
  for (const user of [OWNER, MEMBER, READER, STRANGER]) ids.set(user, await a.createUser(user));
});
after(async () => {
  for (const client of open) client.close();
  await b?.stop();
  await a?.stop();
});

async function signIn(instance: MailServerProcess, user: string): Promise<RawImapClient> {
  const client = await RawImapClient.open(instance.imapsPort, true);
  open.push(client);
  assert.match(await client.command(`LOGIN ${user} ${DEFAULT_PASSWORD}`), /^T\d+ OK/m);
  return client;
}

function ok(response: string): string {
  assert.match(response, /^T\d+ OK/m, response);
  return response;
}

function refused(response: string, code: string): void {
  assert.match(response, new RegExp(`^T\\d+ NO \\[${code}\\]`, 'm'), response);
}

async function append(client: RawImapClient, mailbox: string, subject: string, flags = ''): Promise<void> {
  const message = `From: ${OWNER}\r\nSubject: ${subject}\r\n\r\nbody of ${subject}\r\n`;
  ok(await client.command(`APPEND ${mailbox} (${flags}) {${Buffer.byteLength(message)}+}\r\n${message}`));
}

/**
 * Runs `command` until `check` passes on its answer (at most 5 s): a change made through the other
 * instance reaches this one on the bus a moment after the command that made it was answered.
 */
async function eventually(
  client: RawImapClient,
  command: string,
  check: (response: string) => boolean,
): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const response = ok(await client.command(command));
    if (check(response) || Date.now() > deadline) return response;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function flagsOf(response: string, uid: number): string[] {
  const line = new RegExp(
    `^\\* \\d+ FETCH \\((?=[^\\r\\n]*UID ${uid}\\b)[^\\r\\n]*FLAGS \\(([^)]*)\\)`,
    'm',
  ).exec(response);
  assert.ok(line, `no FLAGS of UID ${uid} in ${response}`);
  return line[1]!.split(' ').filter(Boolean).sort();
}

test('RFC 4314 commands on the real store: SETACL, GETACL, MYRIGHTS, LISTRIGHTS, NAMESPACE and LIST of the member', async () => {
  const owner = await signIn(a, OWNER);
  assert.match(await owner.command('CAPABILITY'), /\bACL\b.*|RIGHTS=texk/);
  assert.match(await owner.command('CAPABILITY'), /RIGHTS=texk/);
  ok(await owner.command('CREATE Team'));
  ok(await owner.command(`SETACL Team ${MEMBER} lrswite`));
  ok(await owner.command(`SETACL Team ${READER} lr`));
  const acl = ok(await owner.command('GETACL Team'));
  assert.match(acl, new RegExp(`^\\* ACL "Team" .*${OWNER} lrswipkxteacd`, 'm'));
  // RIGHTS=texk: `c` and `d` are shown beside the rights they stand for (RFC 4314 2.1.1)
  assert.match(acl, new RegExp(`${MEMBER} lrswited\\b`));
  assert.match(acl, new RegExp(`${READER} lr\\b`));
  assert.match(ok(await owner.command('MYRIGHTS Team')), /^\* MYRIGHTS "Team" lrswipkxteacd\b/m);
  assert.match(
    ok(await owner.command(`LISTRIGHTS Team ${MEMBER}`)),
    new RegExp(`^\\* LISTRIGHTS "Team" ${MEMBER} "" `, 'm'),
  );
  // an unknown identifier or a right we do not have changes nothing
  assert.match(await owner.command('SETACL Team nobody@example.com lr'), /^T\d+ NO/m);
  assert.doesNotMatch(ok(await owner.command('GETACL Team')), /nobody@/);

  const member = await signIn(b, MEMBER);
  assert.match(
    ok(await member.command('NAMESPACE')),
    /^\* NAMESPACE \(\(""\s"\/"\)\) \(\("Other Users\/" "\/"\)\) \(\("Shared Folders\/" "\/"\)\)/m,
  );
  const listed = ok(await member.command('LIST "" "*"'));
  assert.match(listed, new RegExp(`^\\* LIST \\([^)]*\\) "/" "Other Users/${OWNER}/Team"`, 'm'));
  assert.match(listed, new RegExp(`^\\* LIST \\(\\\\Noselect[^)]*\\) "/" "Other Users/${OWNER}"`, 'm'));
  assert.match(ok(await member.command('LIST "" "%"')), /^\* LIST \(\\Noselect[^)]*\) "\/" "Other Users"/m);
  assert.match(
    ok(await member.command(`MYRIGHTS ${TEAM}`)),
    /^\* MYRIGHTS "Other Users\/owner@example.com\/Team" lrswited\b/m,
  );
  // only who holds `a` may see or change the list
  refused(await member.command(`GETACL ${TEAM}`), 'NOPERM');
  refused(await member.command(`SETACL ${TEAM} ${STRANGER} lr`), 'NOPERM');
  owner.close();
  member.close();
});

test('two users on two instances in one shared mailbox: flags shared, \\Seen kept per user, expunges seen by both', async () => {
  const owner = await signIn(a, OWNER);
  await append(owner, 'Team', 'first');
  await append(owner, 'Team', 'second');
  const member = await signIn(b, MEMBER);
  const selected = ok(await member.command(`SELECT ${TEAM}`));
  assert.match(selected, /^\* 2 EXISTS/m);
  assert.match(selected, /\[READ-WRITE\]/);
  ok(await owner.command('SELECT Team'));

  // the member flags and reads message 1
  ok(await member.command('UID STORE 1 +FLAGS (\\Flagged \\Seen)'));
  const ownerView = await eventually(owner, 'UID FETCH 1:* FLAGS', (response) => /Flagged/.test(response));
  assert.deepEqual(
    flagsOf(ownerView, 1),
    ['\\Flagged'],
    'the flag is shared, the member\u2019s \\Seen is not',
  );

  // the owner reads message 2: the member still has it unread
  ok(await owner.command('UID STORE 2 +FLAGS (\\Seen)'));
  ok(await member.command('NOOP'));
  const memberView = ok(await member.command('UID FETCH 1:* FLAGS'));
  assert.deepEqual(flagsOf(memberView, 1), ['\\Flagged', '\\Seen']);
  assert.deepEqual(flagsOf(memberView, 2), []);
  assert.match(ok(await member.command('UID SEARCH UNSEEN')), /^\* SEARCH 2\r?$/m);
  assert.match(ok(await owner.command('UID SEARCH UNSEEN')), /^\* SEARCH 1\r?$/m);
  // from the store too, as another session of each sees it
  const ownerStatus = ok(await (await signIn(b, OWNER)).command('STATUS Team (MESSAGES UNSEEN)'));
  assert.match(ownerStatus, /UNSEEN 1\b/);
  const memberStatus = ok(await (await signIn(a, MEMBER)).command(`STATUS ${TEAM} (MESSAGES UNSEEN)`));
  assert.match(memberStatus, /MESSAGES 2 UNSEEN 1\b/);

  // the member's own \Seen reaches their other session on the other instance, and nobody else's
  const memberOnA = await signIn(a, MEMBER);
  ok(await memberOnA.command(`SELECT ${TEAM}`));
  ok(await member.command('UID STORE 2 +FLAGS.SILENT (\\Seen)'));
  const onA = await eventually(memberOnA, 'UID FETCH 2 FLAGS', (response) =>
    /FLAGS \(\\Seen\)/.test(response),
  );
  assert.deepEqual(flagsOf(onA, 2), ['\\Seen']);
  ok(await owner.command('UID STORE 2 -FLAGS (\\Seen)'));
  ok(await member.command('NOOP'));
  assert.deepEqual(
    flagsOf(ok(await member.command('UID FETCH 2 FLAGS')), 2),
    ['\\Seen'],
    'the owner unreading changes nothing for the member',
  );

  // the member deletes message 1 (rights t and e): both see it go
  ok(await member.command('UID STORE 1 +FLAGS.SILENT (\\Deleted)'));
  assert.match(ok(await member.command('EXPUNGE')), /^\* 1 EXPUNGE/m);
  assert.match(
    await eventually(owner, 'NOOP', (response) => /^\* 1 EXPUNGE/m.test(response)),
    /^\* 1 EXPUNGE/m,
  );
  assert.match(
    await eventually(memberOnA, 'NOOP', (response) => /^\* 1 EXPUNGE/m.test(response)),
    /^\* 1 EXPUNGE/m,
  );
});

test('what the member appends counts against the owner\u2019s quota; a copy into their own INBOX against theirs', async () => {
  const usage = async (user: string) =>
    Number((await a.db.collection('users').findOne({ _id: new ObjectId(ids.get(user)!) }))!.storageUsed);
  const [ownerBefore, memberBefore] = [await usage(OWNER), await usage(MEMBER)];
  const member = await signIn(b, MEMBER);
  await append(member, TEAM, 'from the member', '\\Seen');
  assert.ok((await usage(OWNER)) > ownerBefore, 'the owner is charged');
  assert.equal(await usage(MEMBER), memberBefore, 'the member is not');
  const selected = ok(await member.command(`SELECT ${TEAM}`));
  const count = Number(/^\* (\d+) EXISTS/m.exec(selected)![1]);
  const last = ok(await member.command(`FETCH ${count} (UID FLAGS)`));
  assert.match(last, /FLAGS \(\\Seen\)/, 'the member\u2019s \\Seen of what they appended is theirs');
  const copied = ok(await member.command(`COPY ${count} INBOX`));
  assert.match(copied, /\[COPYUID \d+ \d+ \d+\]/);
  assert.ok((await usage(MEMBER)) > memberBefore, 'the copy in the member\u2019s INBOX is theirs');
  const inbox = ok(await member.command('STATUS INBOX (MESSAGES)'));
  assert.match(inbox, /MESSAGES 1\b/);
});

test('a read-only member cannot change anything; a user without rights finds nothing, whatever name they try', async () => {
  const reader = await signIn(b, READER);
  assert.match(ok(await reader.command(`SELECT ${TEAM}`)), /\[READ-ONLY\]/);
  assert.match(await reader.command('STORE 1 +FLAGS (\\Flagged)'), /^T\d+ NO/m);
  refused(await reader.command(`APPEND ${TEAM} {6+}\r\nhello!`), 'NOPERM');
  ok(await reader.command('UNSELECT'));
  refused(await reader.command(`DELETE ${TEAM}`), 'NOPERM');

  const stranger = await signIn(b, STRANGER);
  assert.doesNotMatch(ok(await stranger.command('LIST "" "*"')), /owner@example\.com|Other Users/);
  const names = [
    TEAM,
    `"Shared Folders/${OWNER}/Team"`,
    `"Other Users/OWNER@example.com/Team"`,
    `"Other Users/${OWNER}"`,
    `"Other Users/${OWNER}/INBOX"`,
    `"${OWNER}/Team"`,
    'Team',
  ];
  for (const name of names) {
    refused(await stranger.command(`SELECT ${name}`), 'NONEXISTENT');
    assert.match(await stranger.command(`STATUS ${name} (MESSAGES)`), /^T\d+ NO/m);
    assert.match(await stranger.command(`MYRIGHTS ${name}`), /^T\d+ NO \[NONEXISTENT\]/m);
    assert.match(await stranger.command(`GETACL ${name}`), /^T\d+ NO \[NONEXISTENT\]/m);
    assert.match(await stranger.command(`APPEND ${name} {6+}\r\nhello!`), /^T\d+ NO/m);
  }
  ok(await stranger.command('SELECT INBOX'));
  await append(stranger, 'INBOX', 'mine');
  for (const name of names) assert.match(await stranger.command(`COPY 1 ${name}`), /^T\d+ NO/m);
});

test('a revocation on instance A takes effect on instance B as soon as the bus brings it', async () => {
  const member = await signIn(b, MEMBER);
  ok(await member.command(`SELECT ${TEAM}`));
  const owner = await signIn(a, OWNER);
  ok(await owner.command(`DELETEACL Team ${MEMBER}`));
  // instance B forgets the member's access when the ACL_CHANGED event arrives (milliseconds)
  assert.doesNotMatch(
    await eventually(member, 'LIST "" "*"', (response) => !/Other Users/.test(response)),
    /Other Users/,
  );
  // the still-selected mailbox is no longer theirs to change: nothing is stored, no FETCH comes back
  const store = await member.command('UID STORE 1:* +FLAGS (\\Keyword1)');
  assert.doesNotMatch(store, /FETCH/, store);
  const team = await a.db
    .collection('mailboxes')
    .findOne({ user: new ObjectId(ids.get(OWNER)!), path: 'Team' });
  assert.equal(
    await a.db.collection('messages').countDocuments({ mailbox: team!._id, flags: 'Keyword1' }),
    0,
  );
  refused(await member.command(`SELECT ${TEAM}`), 'NONEXISTENT');
  ok(await owner.command(`SETACL Team ${MEMBER} lrswite`));
  ok(await member.command(`SELECT ${TEAM}`));
});

test('NOTIFY: the member on B hears of mail the owner adds on A, and of the mailbox appearing', async () => {
  const member = await signIn(b, MEMBER);
  assert.match(await member.command('CAPABILITY'), /\bNOTIFY\b/);
  ok(
    await member.command(
      'NOTIFY SET (subtree "Other Users" (MessageNew MessageExpunge MailboxName)) (personal (MailboxName))',
    ),
  );
  const owner = await signIn(a, OWNER);
  await append(owner, 'Team', 'notified');
  assert.match(
    await member.waitFor(/^\* STATUS "Other Users\/owner@example.com\/Team" \([^)]*MESSAGES \d+/m),
    /UIDNEXT \d+/,
  );
  ok(await owner.command('CREATE Projects'));
  ok(await owner.command(`SETACL Projects ${MEMBER} lr`));
  await member.waitFor(/^\* LIST \([^)]*\) "\/" "Other Users\/owner@example.com\/Projects"/m);
  ok(await member.command('NOTIFY NONE'));
});

test('a team address delivers into the shared mailbox through instance A; the member idling on B sees it at once', async () => {
  const team = await a.db
    .collection('mailboxes')
    .findOne({ user: new ObjectId(ids.get(OWNER)!), path: 'Team' });
  await createMailboxAddress(a.db, { address: 'team@example.com', mailbox: team!._id });
  const member = await signIn(b, MEMBER);
  const selected = ok(await member.command(`SELECT ${TEAM}`));
  const before = Number(/^\* (\d+) EXISTS/m.exec(selected)![1]);
  member.write('I1 IDLE\r\n');
  await member.waitFor(/^\+ /m);
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: a.lmtpPort, lmtp: true });
  await transport.sendMail({
    from: 'customer@example.org',
    to: 'team@example.com',
    subject: 'help',
    text: 'please',
  });
  transport.close();
  await member.waitFor(new RegExp(`^\\* ${before + 1} EXISTS`, 'm'));
  member.write('DONE\r\n');
  await member.waitFor(/^I1 OK/m);
  const fetched = ok(
    await member.command(`FETCH ${before + 1} (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT DELIVERED-TO)])`),
  );
  assert.match(fetched, /Subject: help/);
  assert.match(fetched, /Delivered-To: team@example.com/i);
  assert.match(fetched, /FLAGS \(\)/, 'new to the member');
});
