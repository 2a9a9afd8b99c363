/**
 * Shared mailboxes in the mail service, on the real store and Redis: who can reach what with which
 * rights, how a reader's flag changes split between the shared flags and their own \Seen, and
 * readers' views of one mailbox each showing their own \Seen.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { ObjectId } from 'mongodb';
import { applySchema } from '@wildduck/schema';
import { openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';
import { RedisChangeBus } from '@wildduck/change-bus';
import {
  ALL_RIGHTS,
  UidRanges,
  appendMessage,
  canonicalRights,
  createMailbox,
  createUser,
  effectiveRights,
  findMailbox,
  readChanges,
  readMailboxAcl,
  storeContext,
  type AclDocument,
  type StoreContext,
} from '@wildduck/store';
import {
  MailboxAccess,
  MailboxLists,
  MailboxViews,
  changeHub,
  changeMailboxAccess,
  parseSharedName,
  planFlagChange,
  readAccessList,
  setFlagsAs,
  type AccessibleMailbox,
  type MailContext,
} from '../src/index.js';

let store: TestDatabase;
let ctx: StoreContext;
let bus: RedisChangeBus;
let otherBus: RedisChangeBus;
let mail: MailContext;
let views: MailboxViews;
let access: MailboxAccess;
/** A second "instance": its own bus connection and caches on the same store. */
let otherAccess: MailboxAccess;
const users = new Map<string, ObjectId>();
let team: ObjectId;

before(async () => {
  store = await openTestDatabase('sharing');
  await applySchema(store.db);
  ctx = storeContext(store.db);
  const prefix = `wdtest:${store.db.databaseName}:`;
  bus = new RedisChangeBus(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix);
  otherBus = new RedisChangeBus(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix);
  const hub = changeHub(bus);
  const lists = new MailboxLists(store.db, hub);
  views = new MailboxViews(ctx, hub, { lingerMs: 0 });
  access = new MailboxAccess(store.db, hub, lists);
  otherAccess = new MailboxAccess(
    store.db,
    changeHub(otherBus),
    new MailboxLists(store.db, changeHub(otherBus)),
  );
  mail = { ctx, bus, local: { views, lists } };
  for (const address of ['owner@example.com', 'member@example.com', 'stranger@example.com']) {
    const created = await createUser(store.db, { address, password: 'secretpass', quota: null });
    users.set(address, created._id);
  }
  const created = await createMailbox(store.db, users.get('owner@example.com')!, 'Team', null);
  assert.ok(created.ok);
  team = (await findMailbox(store.db, users.get('owner@example.com')!, 'Team'))!._id!;
  for (const subject of ['one', 'two', 'three']) {
    const message = Buffer.from(`Subject: ${subject}\r\nFrom: a@example.org\r\n\r\n${subject}\r\n`);
    assert.ok(
      (await appendMessage(ctx, users.get('owner@example.com')!, team, Readable.from([message]), {})).ok,
    );
  }
});
after(async () => {
  access.close();
  otherAccess.close();
  await bus.close();
  await otherBus.close();
  await store.drop();
});

const owner = () => users.get('owner@example.com')!;
const member = () => users.get('member@example.com')!;
const stranger = () => users.get('stranger@example.com')!;

async function ownTeam(): Promise<AccessibleMailbox> {
  const found = await access.byId(owner(), 'owner@example.com', team.toHexString());
  assert.ok(found);
  return found;
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('rights are canonical, and effective rights are the union of the user\u2019s and the groups\u2019', () => {
  assert.equal(canonicalRights('tsrl'), 'lrst');
  assert.equal(canonicalRights('lrz'), null);
  assert.equal(canonicalRights(''), '');
  const entry = (grantee: string, rights: string) =>
    ({
      mailbox: team,
      owner: owner(),
      grantee,
      granteeAddress: null,
      rights,
      updated: new Date(),
    }) as AclDocument;
  const entries = [entry(member().toHexString(), 'lr'), entry('authenticated', 's'), entry('anyone', 'l')];
  assert.equal(effectiveRights(entries, owner(), owner()), ALL_RIGHTS);
  assert.equal(effectiveRights(entries, owner(), member()), 'lrs');
  assert.equal(effectiveRights(entries, owner(), stranger()), 'ls');
});

test('UID ranges keep their UIDs in the fewest ranges', () => {
  const ranges = new UidRanges([5, 1, 2, 3, 9, 10]);
  assert.deepEqual(ranges.toStored(), [1, 3, 5, 5, 9, 10]);
  assert.deepEqual(UidRanges.fromStored([1, 3, 7, 8]).values(), [1, 2, 3, 7, 8]);
});

test('shared names are taken apart; personal names are not shared names', () => {
  assert.deepEqual(parseSharedName('Other Users/Bob@Example.com/Team/2024'), {
    namespace: 'Other Users',
    owner: 'bob@example.com',
    path: 'Team/2024',
  });
  assert.equal(parseSharedName('Other Usersx/a'), null);
  assert.equal(parseSharedName('INBOX'), null);
});

test('a flag change by a reader splits into the shared flags they may change and their own \\Seen', () => {
  assert.deepEqual(planFlagChange('lrs', { action: 'add', flags: ['\\Seen', '\\Flagged'] }), {
    shared: null,
    seen: true,
  });
  assert.equal(planFlagChange('lr', { action: 'add', flags: ['\\Flagged'] }), null);
  const replace = planFlagChange('lrswi', { action: 'replace', flags: ['\\Flagged'] });
  assert.deepEqual(replace, {
    shared: { action: 'replace', flags: ['\\Flagged'], keepSeen: true, keepDeleted: true },
    seen: false,
  });
  assert.deepEqual(planFlagChange('lrt', { action: 'remove', flags: ['\\Deleted', 'work'] }), {
    shared: { action: 'remove', flags: ['\\Deleted'], keepSeen: true },
    seen: null,
  });
});

test('sharing: the member reaches the mailbox by its shared name and id; a stranger reaches nothing', async () => {
  assert.deepEqual(await access.sharedWith(member()), []);
  const result = await changeMailboxAccess(mail, access, await ownTeam(), 'member@example.com', {
    mode: 'replace',
    rights: 'lrswte',
  });
  assert.deepEqual(result, { ok: true, rights: 'lrswte' });
  const shared = await access.sharedWith(member());
  assert.equal(shared.length, 1);
  assert.equal(shared[0]!.name, 'Other Users/owner@example.com/Team');
  assert.equal(shared[0]!.rights, 'lrswte');
  assert.ok(await access.byName(member(), 'member@example.com', 'Other Users/owner@example.com/Team'));
  assert.ok(await access.byId(member(), 'member@example.com', team.toHexString()));
  for (const name of ['Team', 'Other Users/owner@example.com/Team', 'Shared Folders/owner@example.com/Team'])
    assert.equal(await access.byName(stranger(), 'stranger@example.com', name), null, name);
  assert.equal(await access.byId(stranger(), 'stranger@example.com', team.toHexString()), null);
  // the other instance hears of it on the bus
  await until(
    async () => (await otherAccess.sharedWith(member())).length === 1,
    'the other instance sees the share',
  );
  // the owner is never an entry, and reading the list needs `a`
  const list = await readAccessList(mail, await ownTeam());
  assert.ok(Array.isArray(list));
  assert.deepEqual(
    list.map((entry) => [entry.identifier, entry.rights, entry.owner]),
    [
      ['owner@example.com', ALL_RIGHTS, true],
      ['member@example.com', 'lrswte', false],
    ],
  );
  assert.deepEqual(await readAccessList(mail, shared[0]!), {
    ok: false,
    code: 'NOPERM',
    text: 'Only a user with the administer right (a) may see or change who has access',
  });
  const refused = await changeMailboxAccess(mail, access, await ownTeam(), 'owner@example.com', {
    mode: 'replace',
    rights: 'l',
  });
  assert.equal(refused.ok, false);
  assert.equal((await readMailboxAcl(store.db, team)).length, 1);
});

test('the member\u2019s \\Seen is their own; other flags are shared; both views show each their own', async () => {
  const target = (await access.sharedWith(member()))[0]!;
  const ownerView = await views.hold(owner(), team);
  const memberView = await views.hold(owner(), team, member());
  assert.ok(ownerView && memberView);
  try {
    const result = await setFlagsAs(mail, member(), target, [1, 2], {
      action: 'add',
      flags: ['\\Seen', '\\Flagged'],
    });
    assert.ok(!('ok' in result));
    assert.deepEqual(
      result.updated.map((entry) => [entry.uid, [...entry.flags].sort()]),
      [
        [1, ['\\Flagged', '\\Seen']],
        [2, ['\\Flagged', '\\Seen']],
      ],
    );
    // shown at once in this process's views, each as its user sees it
    assert.deepEqual([...memberView.view.get(1)!.flags].sort(), ['\\Flagged', '\\Seen']);
    assert.deepEqual(ownerView.view.get(1)!.flags, ['\\Flagged']);
    assert.equal(ownerView.view.unseen(), 3);
    assert.equal(memberView.view.unseen(), 1);
    // the owner's \Seen does not show for the member
    await setFlagsAs(mail, owner(), await ownTeam(), [3], { action: 'add', flags: ['\\Seen'] });
    assert.deepEqual(ownerView.view.get(3)!.flags, ['\\Seen']);
    assert.deepEqual(memberView.view.get(3)!.flags, []);
    // the journal names the member on their own \Seen changes only
    const journal = await readChanges(store.db, team, 0);
    const privateEntries = journal!.entries.filter((entry) => entry.reader);
    assert.deepEqual(
      privateEntries.map((entry) => entry.uid),
      [1, 2],
    );
    assert.ok(privateEntries.every((entry) => entry.reader!.equals(member())));
    // a view loaded now shows the same
    const fresh = new MailboxViews(ctx, changeHub(otherBus), { lingerMs: 0 });
    const reloaded = await fresh.hold(owner(), team, member());
    assert.deepEqual(
      [...reloaded!.view.all()].map((message) => [message.uid, [...message.flags].sort()]),
      [
        [1, ['\\Flagged', '\\Seen']],
        [2, ['\\Flagged', '\\Seen']],
        [3, []],
      ],
    );
    reloaded!.release();
  } finally {
    ownerView.release();
    memberView.release();
  }
});

test('a reader without `w` cannot change shared flags; without `s` their \\Seen is not kept', async () => {
  await changeMailboxAccess(mail, access, await ownTeam(), 'stranger@example.com', {
    mode: 'replace',
    rights: 'lr',
  });
  const target = (await access.sharedWith(stranger()))[0]!;
  assert.deepEqual(
    await setFlagsAs(mail, stranger(), target, [1], { action: 'add', flags: ['\\Flagged', '\\Seen'] }),
    {
      ok: false,
      code: 'NOPERM',
    },
  );
  await changeMailboxAccess(mail, access, await ownTeam(), 'stranger@example.com', {
    mode: 'replace',
    rights: '',
  });
  assert.deepEqual(await access.sharedWith(stranger()), []);
});

test('a grant to a group puts the mailbox under Shared Folders for everyone, beside what each was given by name', async () => {
  await changeMailboxAccess(mail, access, await ownTeam(), 'authenticated', {
    mode: 'replace',
    rights: 'lr',
  });
  const forStranger = await access.sharedWith(stranger());
  assert.deepEqual(
    forStranger.map((each) => [each.name, each.rights, each.shared]),
    [['Shared Folders/owner@example.com/Team', 'lr', 'Shared Folders']],
  );
  // the member was named: Other Users, with the union of their rights and the group's
  const forMember = await access.sharedWith(member());
  assert.deepEqual(
    forMember.map((each) => [each.name, each.rights]),
    [['Other Users/owner@example.com/Team', 'lrswte']],
  );
  // the other instance hears of group grants on their own channel
  await until(
    async () => (await otherAccess.sharedWith(stranger())).length === 1,
    'the group grant elsewhere',
  );
  await changeMailboxAccess(mail, access, await ownTeam(), 'authenticated', { mode: 'replace', rights: '' });
  assert.deepEqual(await access.sharedWith(stranger()), []);
  await until(
    async () => (await otherAccess.sharedWith(stranger())).length === 0,
    'the revocation elsewhere',
  );
});
