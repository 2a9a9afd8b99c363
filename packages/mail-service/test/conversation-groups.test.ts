/** Conversations grouped from headers (pure): links first, the base subject for unlinked messages. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  conversationSubject,
  conversationsByName,
  groupConversations,
  type ConversationRecord,
} from '../src/index.js';

let nextUid = 1;
function message(fields: Partial<ConversationRecord> & { subject: string }): ConversationRecord {
  const uid = fields.uid ?? nextUid++;
  return {
    uid,
    internalDate: fields.internalDate ?? uid * 1000,
    messageId: '',
    inReplyTo: '',
    references: [],
    ...fields,
  };
}

/** The groups as lists of UIDs, in list order. */
const uidsOf = (records: ConversationRecord[]) => groupConversations(records).map((group) => group.uids);

test('References link a whole conversation, oldest first; the newest conversation comes first', () => {
  const records = [
    message({ uid: 1, subject: 'Lunch', messageId: '<a@x>' }),
    message({ uid: 2, subject: 'Other', messageId: '<o@x>' }),
    message({ uid: 3, subject: 'Re: Lunch', messageId: '<b@x>', references: ['<a@x>'] }),
    message({ uid: 4, subject: 'Re: Lunch', messageId: '<c@x>', references: ['<a@x>', '<b@x>'] }),
  ];
  assert.deepEqual(uidsOf(records), [[1, 3, 4], [2]]);
  const [lunch] = groupConversations(records);
  assert.equal(lunch!.rootUid, 1);
  assert.equal(lunch!.latestUid, 4);
  assert.equal(lunch!.latestDate, 4000);
});

test('In-Reply-To alone links a reply to its parent', () => {
  const records = [
    message({ uid: 1, subject: 'Plans', messageId: '<p@x>' }),
    message({ uid: 2, subject: 'Something else entirely', messageId: '<q@x>', inReplyTo: '<p@x>' }),
    message({ uid: 3, subject: 'Plans', messageId: '<r@x>', inReplyTo: 'Alice <z@x> (some text)' }),
  ];
  // 3 names <z@x>, which is not here: linked to nothing present, and not joined by subject
  assert.deepEqual(uidsOf(records), [[3], [1, 2]]);
});

test('replies to a parent that is not in the mailbox still meet', () => {
  const records = [
    message({ uid: 1, subject: 'Re: Trip', messageId: '<r1@x>', references: ['<gone@x>'] }),
    message({ uid: 2, subject: 'Unrelated', messageId: '<u@x>' }),
    message({ uid: 3, subject: 'Re: Trip', messageId: '<r2@x>', inReplyTo: '<gone@x>' }),
  ];
  assert.deepEqual(uidsOf(records), [[1, 3], [2]]);
});

test('unlinked messages join by base subject, with Re:, Fwd: and [list] prefixes stripped', () => {
  const records = [
    message({ uid: 1, subject: 'Budget 2027', messageId: '<b1@x>' }),
    message({ uid: 2, subject: 'Re: Budget 2027', messageId: '<b2@x>', references: ['<b1@x>'] }),
    message({ uid: 3, subject: '[team] RE: Fwd: budget   2027' }),
    message({ uid: 4, subject: 'Budget 2028' }),
    message({ uid: 5, subject: 'AW: [team] Budget 2028 (fwd)' }),
    message({ uid: 6, subject: '' }),
    message({ uid: 7, subject: 'Re:' }),
  ];
  assert.deepEqual(uidsOf(records), [[7], [6], [4, 5], [1, 2, 3]]);
  assert.equal(conversationSubject('[list] Re: [Fwd: Hello  World]'), 'hello world');
  assert.equal(conversationSubject('[ANN]'), '[ann]');
  assert.equal(conversationSubject('Re[2]: Fw: Report'), 'report');
});

test('a loop in References and a Message-ID twice do not break grouping', () => {
  const records = [
    message({ uid: 1, subject: 'Loop', messageId: '<l1@x>', references: ['<l2@x>'] }),
    message({ uid: 2, subject: 'Loop', messageId: '<l2@x>', references: ['<l1@x>', '<l2@x>'] }),
    message({ uid: 3, subject: 'Copy', messageId: '<d@x>' }),
    message({ uid: 4, subject: 'Copy', messageId: '<d@x>' }),
    message({ uid: 5, subject: 'Lone', messageId: '<lone@x>' }),
  ];
  assert.deepEqual(uidsOf(records), [[5], [3, 4], [1, 2]]);
});

test('order: newest arrival first, the UID breaking ties; messages inside by arrival', () => {
  const records = [
    message({ uid: 10, subject: 'Old thread', messageId: '<o1@x>', internalDate: 5_000 }),
    message({ uid: 11, subject: 'New', messageId: '<n1@x>', internalDate: 1_000 }),
    message({ uid: 12, subject: 'Re: Old thread', inReplyTo: '<o1@x>', internalDate: 9_000 }),
    message({ uid: 13, subject: 'Same time', internalDate: 9_000 }),
    // appended later with an older arrival date: sorts before the first inside its conversation
    message({ uid: 14, subject: 'Re: New', references: ['<n1@x>'], internalDate: 500 }),
  ];
  assert.deepEqual(uidsOf(records), [[13], [10, 12], [14, 11]]);
  assert.deepEqual(groupConversations([]), []);
});

test('a conversation is named by its root and found by that name when its oldest message is gone', () => {
  const records = [
    message({ uid: 1, subject: 'Plans', messageId: '<p1@x>' }),
    message({ uid: 2, subject: 'Re: Plans', messageId: '<p2@x>', references: ['<p1@x>'] }),
    message({ uid: 3, subject: 'Re: Plans', messageId: '<p3@x>', references: ['<p1@x>', '<p2@x>'] }),
    message({ uid: 4, subject: 'No id at all' }),
  ];
  const all = groupConversations(records);
  assert.deepEqual(
    all.map((conversation) => conversation.key),
    ['uid:4', '<p1@x>'],
  );
  const withoutRoot = records.slice(1);
  const later = groupConversations(withoutRoot);
  assert.equal(later.find((conversation) => conversation.uids.includes(2))!.key, '<p1@x>');
  const byName = conversationsByName(withoutRoot, later);
  assert.deepEqual(byName.get('<p1@x>')!.uids, [2, 3]);
  assert.deepEqual(byName.get('<p3@x>')!.uids, [2, 3], 'any member id finds it');
  assert.deepEqual(byName.get('uid:4')!.uids, [4]);
  assert.equal(byName.get('<nothing@x>'), undefined);
});
