// NOTIFY (RFC 5465) without a server: the command grammar with its BAD rules, and which event
// group reports an event of which mailbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NotifyCommand, NotifyEventGroup } from '../src/parser/notify-command.js';
import {
  filterMatches,
  notifyingGroup,
  wantsMessageEvents,
  type FilterContext,
} from '../src/notify/mailbox-filter.js';
import { unsupportedEvents } from '../src/notify/session-notifications.js';
import { parseError, parseOne } from './parser-helpers.js';

const parseNotify = (line: string) => parseOne(line) as NotifyCommand;

test('NOTIFY NONE and NOTIFY SET [STATUS] with every filter parse into event groups', () => {
  assert.deepEqual(parseNotify('a notify none'), { tag: 'a', uid: false, name: 'NOTIFY', set: null });
  const command = parseNotify(
    'a NOTIFY SET STATUS (selected (MessageNew (UID FLAGS) messageexpunge FlagChange)) ' +
      '(personal (MailboxName SubscriptionChange)) (INBOXES NONE) (Subscribed (MessageNew MessageExpunge)) ' +
      '(SUBTREE (inbox "Lists") (MessageNew MessageExpunge)) (MAILBOXES Archive (FlagChange MessageNew MessageExpunge))',
  );
  assert.equal(command.set?.status, true);
  const groups = command.set?.groups ?? [];
  assert.deepEqual(
    groups.map((group) => group.filter),
    [
      { kind: 'SELECTED' },
      { kind: 'PERSONAL' },
      { kind: 'INBOXES' },
      { kind: 'SUBSCRIBED' },
      { kind: 'SUBTREE', mailboxes: ['INBOX', 'Lists'] },
      { kind: 'MAILBOXES', mailboxes: ['Archive'] },
    ],
  );
  assert.deepEqual(
    groups[0]?.events.map((event) => event.name),
    ['MessageNew', 'MessageExpunge', 'FlagChange'],
    'event names get the RFC spelling whatever case the client used',
  );
  assert.deepEqual(groups[0]?.events[0]?.fetch, [{ item: 'UID' }, { item: 'FLAGS' }]);
  assert.deepEqual(groups[2]?.events, [], 'NONE is an empty event list');
  assert.equal(parseNotify('a NOTIFY SET (PERSONAL (MessageNew MessageExpunge))').set?.status, false);
});

test('NOTIFY mailbox names are decoded as everywhere else: modified UTF-7 and INBOX in any case', () => {
  const command = parseNotify('a NOTIFY SET (MAILBOXES (&AMk-t&AOk- iNbOx) (MessageNew MessageExpunge))');
  assert.deepEqual(command.set?.groups[0]?.filter, { kind: 'MAILBOXES', mailboxes: ['Été', 'INBOX'] });
});

test('NOTIFY answers BAD for malformed commands and for the combinations RFC 5465 forbids', () => {
  for (const line of [
    'a NOTIFY',
    'a NOTIFY SET',
    'a NOTIFY SET STATUS',
    'a NOTIFY BOGUS',
    'a NOTIFY NONE extra',
    'a NOTIFY SET ()',
    'a NOTIFY SET (PERSONAL ())',
    'a NOTIFY SET (PERSONAL MessageNew)',
    'a NOTIFY SET (ELSEWHERE (MessageNew MessageExpunge))',
    'a NOTIFY SET (SUBTREE (MessageNew MessageExpunge))',
    'a NOTIFY SET (PERSONAL (MessageNew MessageExpunge)) ',
    // MessageNew and MessageExpunge only together; FlagChange needs both (RFC 5465 5)
    'a NOTIFY SET (PERSONAL (MessageNew))',
    'a NOTIFY SET (SELECTED (MessageExpunge))',
    'a NOTIFY SET (SELECTED (FlagChange))',
    'a NOTIFY SET (PERSONAL (FlagChange MessageNew))',
    // SELECTED takes message events only; one selected filter; no filter twice
    'a NOTIFY SET (SELECTED (MailboxName))',
    'a NOTIFY SET (SELECTED NONE) (SELECTED-DELAYED NONE)',
    'a NOTIFY SET (PERSONAL (MailboxName)) (PERSONAL (SubscriptionChange))',
    'a NOTIFY SET (MAILBOXES INBOX (MailboxName)) (MAILBOXES (Trash INBOX) (MailboxName))',
    // fetch attributes belong to the selected mailbox only, and must be valid
    'a NOTIFY SET (PERSONAL (MessageNew (UID) MessageExpunge))',
    'a NOTIFY SET (SELECTED (MessageNew (NOTANITEM) MessageExpunge))',
    'a NOTIFY SET (SELECTED (MessageNew MessageNew MessageExpunge))',
  ]) {
    const error = parseError(line);
    assert.equal(error.kind, 'syntax', `${line}: ${error.message}`);
    assert.equal(error.tag, 'a');
  }
});

test('unknown and unsupported events parse (event-ext) and are picked out for NO [BADEVENT]', () => {
  const command = parseNotify(
    'a NOTIFY SET (SELECTED (MessageNew MessageExpunge AnnotationChange)) (PERSONAL (ServerMetadataChange x-Future))',
  );
  assert.deepEqual(
    unsupportedEvents(command.set?.groups ?? []).map((event) => event.name),
    ['AnnotationChange', 'ServerMetadataChange', 'X-FUTURE'],
  );
  assert.deepEqual(
    unsupportedEvents(parseNotify('a NOTIFY SET (PERSONAL (MailboxName))').set?.groups ?? []),
    [],
  );
});

const context: FilterContext = {
  selectedPath: 'INBOX',
  subscribed: new Set(['INBOX', 'Lists/ietf']),
  otherPrefixes: ['Other Users/', 'Shared Folders/'],
};

test('filters: PERSONAL leaves out other namespaces, INBOXES is INBOX, SUBTREE includes children, MAILBOXES exact', () => {
  assert.ok(filterMatches({ kind: 'PERSONAL' }, 'Archive/2024', context));
  assert.ok(!filterMatches({ kind: 'PERSONAL' }, 'Other Users/bob/INBOX', context));
  assert.ok(!filterMatches({ kind: 'PERSONAL' }, 'Shared Folders/team', context));
  assert.ok(filterMatches({ kind: 'INBOXES' }, 'INBOX', context));
  assert.ok(!filterMatches({ kind: 'INBOXES' }, 'Archive', context));
  assert.ok(filterMatches({ kind: 'SUBSCRIBED' }, 'Lists/ietf', context));
  assert.ok(!filterMatches({ kind: 'SUBSCRIBED' }, 'Lists', context));
  const subtree = { kind: 'SUBTREE', mailboxes: ['Lists'] } as const;
  assert.ok(filterMatches(subtree, 'Lists', context));
  assert.ok(filterMatches(subtree, 'Lists/ietf/imap', context));
  assert.ok(!filterMatches(subtree, 'Listserv', context), 'a subtree is cut at the delimiter');
  const exact = { kind: 'MAILBOXES', mailboxes: ['Lists'] } as const;
  assert.ok(filterMatches(exact, 'Lists', context));
  assert.ok(!filterMatches(exact, 'Lists/ietf', context));
  assert.ok(filterMatches({ kind: 'SELECTED' }, 'INBOX', context));
  assert.ok(!filterMatches({ kind: 'SELECTED-DELAYED' }, 'Archive', context));
  assert.ok(!filterMatches({ kind: 'SELECTED' }, 'INBOX', { ...context, selectedPath: null }));
});

const groupsOf = (line: string): readonly NotifyEventGroup[] => parseNotify(line).set?.groups ?? [];

test('the first group whose filter matches and names the event reports it; NONE stops the search', () => {
  const groups = groupsOf(
    'a NOTIFY SET (MAILBOXES Junk NONE) (SUBTREE Lists (MailboxName)) (PERSONAL (MessageNew MessageExpunge MailboxName))',
  );
  assert.equal(notifyingGroup(groups, 'Junk', 'MessageNew', context), null, 'NONE silences Junk');
  assert.equal(notifyingGroup(groups, 'Junk', 'MailboxName', context), null);
  assert.equal(notifyingGroup(groups, 'Lists/a', 'MessageNew', context)?.filter.kind, 'PERSONAL');
  assert.equal(notifyingGroup(groups, 'Lists/a', 'MailboxName', context)?.filter.kind, 'SUBTREE');
  assert.equal(notifyingGroup(groups, 'Archive', 'FlagChange', context), null, 'FlagChange was not asked');
  assert.equal(notifyingGroup(groups, 'Other Users/bob/INBOX', 'MessageNew', context), null);
});

test('message events of the selected mailbox belong to the SELECTED group alone', () => {
  const withSelected = groupsOf(
    'a NOTIFY SET (SELECTED-DELAYED (MessageNew MessageExpunge)) (PERSONAL (MessageNew MessageExpunge MailboxName))',
  );
  assert.equal(notifyingGroup(withSelected, 'INBOX', 'MessageNew', context)?.filter.kind, 'SELECTED-DELAYED');
  assert.equal(notifyingGroup(withSelected, 'INBOX', 'FlagChange', context), null);
  assert.equal(
    notifyingGroup(withSelected, 'INBOX', 'MailboxName', context)?.filter.kind,
    'PERSONAL',
    'name changes of the selected mailbox come from the other groups',
  );
  const personalOnly = groupsOf('a NOTIFY SET (PERSONAL (MessageNew MessageExpunge))');
  assert.equal(
    notifyingGroup(personalOnly, 'INBOX', 'MessageNew', context),
    null,
    'no STATUS for the selected one',
  );
  assert.ok(wantsMessageEvents(personalOnly, 'Archive', context));
  assert.ok(!wantsMessageEvents(personalOnly, 'INBOX', context));
  assert.ok(!wantsMessageEvents(groupsOf('a NOTIFY SET (PERSONAL (MailboxName))'), 'Archive', context));
});
