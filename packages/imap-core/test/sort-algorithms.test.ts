// The pure SORT and THREAD algorithms (RFC 5256): base subject extraction (2.1), sort order (3),
// ORDEREDSUBJECT and REFERENCES threading (4) and the thread-list format (4, formal syntax).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SortRecord } from '../src/backend.js';
import { baseSubject } from '../src/sort/base-subject.js';
import { sortMessages } from '../src/sort/sort-messages.js';
import { formatThreads, threadMessages, type ThreadNode } from '../src/sort/threads.js';

const DAY = 24 * 3600 * 1000;

function record(uid: number, fields: Partial<SortRecord> = {}): SortRecord {
  return {
    uid,
    internalDate: uid * DAY,
    size: 100,
    sentDate: null,
    subject: '',
    from: null,
    to: null,
    cc: null,
    messageId: '',
    inReplyTo: '',
    references: [],
    ...fields,
  };
}

test('base subject: Re:, Fw:, Fwd:, (fwd), [blob], [fwd: ...] and white space are removed (RFC 5256 2.1)', () => {
  const cases: [string, string, boolean][] = [
    ['Hello', 'Hello', false],
    ['Re: Hello', 'Hello', true],
    ['RE:Hello', 'Hello', true],
    ['re: Re: FWD: fw: Hello', 'Hello', true],
    ['Re [list]: Hello', 'Hello', true],
    ['[list] Re: Hello', 'Hello', true],
    ['[list] Hello', 'Hello', false],
    ['[list]', '[list]', false],
    ['[a][b] Hello', 'Hello', false],
    ['Hello (fwd)', 'Hello', true],
    ['Hello (FWD)  (fwd) ', 'Hello', true],
    ['[Fwd: Re: Hello]', 'Hello', true],
    ['Fwd: [fwd: Hello (fwd)]', 'Hello', true],
    ['  Hello\t  world  ', 'Hello world', false],
    ['Re:', '', true],
    ['Reply: Hello', 'Reply: Hello', false],
    ['', '', false],
  ];
  for (const [subject, base, replyOrForward] of cases) {
    assert.deepEqual(baseSubject(subject), { base, replyOrForward }, subject);
  }
});

test('sortMessages: each key, REVERSE, several keys, ties by sequence order (RFC 5256 3)', () => {
  const records = [
    record(1, { subject: 'Re: beta', size: 300, from: { name: 'Zed', mailbox: 'amy', host: 'x.org' } }),
    record(2, { subject: 'alpha', size: 100, from: { name: '', mailbox: 'Bob', host: 'x.org' } }),
    record(3, { subject: 'Beta', size: 200, from: null, sentDate: 0 }),
    record(4, { subject: '[list] Alpha', size: 200, from: { name: 'Al', mailbox: 'cy', host: 'x.org' } }),
  ];
  assert.deepEqual(sortMessages(records, [{ key: 'SUBJECT', reverse: false }]), [2, 4, 1, 3]);
  assert.deepEqual(sortMessages(records, [{ key: 'SIZE', reverse: false }]), [2, 3, 4, 1]);
  assert.deepEqual(sortMessages(records, [{ key: 'SIZE', reverse: true }]), [1, 3, 4, 2]);
  // a missing From sorts as the empty string, before every other
  assert.deepEqual(sortMessages(records, [{ key: 'FROM', reverse: false }]), [3, 1, 2, 4]);
  // DISPLAYFROM: display name, else the address (RFC 5957)
  assert.deepEqual(sortMessages(records, [{ key: 'DISPLAYFROM', reverse: false }]), [3, 4, 2, 1]);
  // DATE falls back to the internal date when there is no Date header
  assert.deepEqual(sortMessages(records, [{ key: 'DATE', reverse: false }]), [3, 1, 2, 4]);
  assert.deepEqual(sortMessages(records, [{ key: 'ARRIVAL', reverse: true }]), [4, 3, 2, 1]);
  assert.deepEqual(
    sortMessages(records, [
      { key: 'SIZE', reverse: true },
      { key: 'SUBJECT', reverse: false },
    ]),
    [1, 4, 3, 2],
  );
});

const format = (records: SortRecord[], algorithm: 'ORDEREDSUBJECT' | 'REFERENCES') =>
  formatThreads(threadMessages(records, algorithm), (uid) => uid);

test('ORDEREDSUBJECT: grouped by base subject, first by date is the parent, threads by date (RFC 5256 4)', () => {
  const records = [
    record(1, { subject: 'A', sentDate: 10 }),
    record(2, { subject: 'B', sentDate: 5 }),
    record(3, { subject: 'Re: A', sentDate: 30 }),
    record(4, { subject: 'Re: B', sentDate: 20 }),
    record(5, { subject: 'Fwd: A', sentDate: 25 }),
    record(6, { subject: 'C', sentDate: 40 }),
  ];
  assert.equal(format(records, 'ORDEREDSUBJECT'), '(2 4)(1 (5)(3))(6)');
});

test('REFERENCES: parents from References and In-Reply-To, nesting and siblings by date', () => {
  const records = [
    record(1, { messageId: '<a@x>', subject: 'Topic', sentDate: 1 }),
    record(2, { messageId: '<b@x>', references: ['<a@x>'], subject: 'Re: Topic', sentDate: 2 }),
    record(3, { messageId: '<c@x>', inReplyTo: '<b@x>', subject: 'Re: Topic', sentDate: 3 }),
    record(4, { messageId: '<d@x>', references: ['<a@x>'], subject: 'Re: Topic', sentDate: 4 }),
    record(5, { messageId: '<e@x>', subject: 'Other', sentDate: 5 }),
  ];
  assert.equal(format(records, 'REFERENCES'), '(1 (2 3)(4))(5)');
});

test('REFERENCES: a missing parent becomes a dummy; siblings under a dummy at the root stay together', () => {
  const records = [
    record(1, { messageId: '<b@x>', references: ['<gone@x>'], subject: 'Re: Lost', sentDate: 2 }),
    record(2, { messageId: '<c@x>', references: ['<gone@x>'], subject: 'Re: Lost', sentDate: 1 }),
    // a dummy with one child: the child is promoted to the root
    record(3, { messageId: '<d@x>', references: ['<gone2@x>'], subject: 'Single', sentDate: 3 }),
  ];
  assert.equal(format(records, 'REFERENCES'), '((2)(1))(3)');
});

test('REFERENCES: roots with the same base subject are gathered (step 5), a reply under the original', () => {
  const records = [
    record(1, { messageId: '<a@x>', subject: 'Lunch', sentDate: 1 }),
    // no references but the same base subject, and a reply: a child of the original
    record(2, { messageId: '<b@x>', subject: 'Re: Lunch', sentDate: 2 }),
    // neither a reply: both under a new dummy
    record(3, { messageId: '<c@x>', subject: 'Dinner', sentDate: 3 }),
    record(4, { messageId: '<d@x>', subject: 'Dinner', sentDate: 4 }),
  ];
  assert.equal(format(records, 'REFERENCES'), '(1 2)((3)(4))');
});

test('REFERENCES: duplicate Message-IDs, self references and loops do not hang or lose messages', () => {
  const records = [
    record(1, { messageId: '<a@x>', references: ['<b@x>'], subject: 'x1', sentDate: 1 }),
    record(2, { messageId: '<b@x>', references: ['<a@x>'], subject: 'x2', sentDate: 2 }),
    record(3, { messageId: '<a@x>', subject: 'x3', sentDate: 3 }),
    record(4, { messageId: '<s@x>', references: ['<s@x>'], subject: 'x4', sentDate: 4 }),
    record(5, { subject: 'x5', sentDate: 5 }),
  ];
  const text = format(records, 'REFERENCES');
  for (const uid of [1, 2, 3, 4, 5]) assert.match(text, new RegExp(`\\b${uid}\\b`));
  assert.equal(text, '(2 1)(3)(4)(5)');
});

test('thread-list format: one child continues the list, several children get a list each', () => {
  const node = (uid: number | null, ...children: ThreadNode[]): ThreadNode => ({ uid, children });
  // RFC 5256's example: (3 6 (4 23)(44 7 96))
  const threads = [node(3, node(6, node(4, node(23)), node(44, node(7, node(96)))))];
  assert.equal(
    formatThreads(threads, (uid) => uid),
    '(3 6 (4 23)(44 7 96))',
  );
  assert.equal(
    formatThreads([node(null, node(1), node(2))], (uid) => uid * 10),
    '((10)(20))',
  );
});
