// The Settings screen's pure helpers: how a filter rule reads in the list, what the rule form
// refuses before asking the API, and the round trip between the API's dates and date inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromDateInput, toDateInput } from '../src/settings/date-input';
import { checkRule, describeRule, emptyRule, toInput } from '../src/settings/filter-rules';

test('a rule reads as one line: field, match, value, actions, stop', () => {
  const rule = {
    ...emptyRule(),
    name: 'Shop',
    value: 'news@shop.example',
    actions: [
      { type: 'move' as const, mailbox: 'Archive', address: null },
      { type: 'markRead' as const, mailbox: null, address: null },
      { type: 'forward' as const, mailbox: null, address: 'me@elsewhere.example' },
    ],
    stop: true,
  };
  assert.equal(
    describeRule(rule),
    'From contains “news@shop.example” → move to Archive, mark as read, forward to me@elsewhere.example; stop',
  );
  assert.equal(
    describeRule({ ...rule, field: 'subject', match: 'is', actions: [], stop: false }),
    'Subject is “news@shop.example” → nothing',
  );
});

test('the rule form names the field of its first mistake', () => {
  const good = { ...emptyRule(), name: 'Shop', value: 'shop' };
  assert.equal(checkRule(good), null);
  assert.deepEqual(checkRule({ ...good, name: '  ' })?.[1], 'name');
  assert.deepEqual(checkRule({ ...good, value: '' })?.[1], 'value');
  assert.deepEqual(checkRule({ ...good, actions: [] })?.[1], 'actions');
  assert.deepEqual(
    checkRule({ ...good, actions: [{ type: 'move', mailbox: ' ', address: null }] })?.[1],
    'mailbox',
  );
  assert.deepEqual(
    checkRule({ ...good, actions: [{ type: 'forward', mailbox: null, address: '' }] })?.[1],
    'address',
  );
});

test('a stored rule becomes the input that keeps it, without fields its actions do not use', () => {
  const input = toInput({
    id: 'r1',
    name: 'Boss',
    enabled: false,
    field: 'subject',
    match: 'contains',
    value: 'urgent',
    actions: [{ type: 'flag', mailbox: 'stale', address: 'stale@example.com' }],
    stop: false,
  });
  assert.deepEqual(input, {
    id: 'r1',
    name: 'Boss',
    enabled: false,
    field: 'subject',
    match: 'contains',
    value: 'urgent',
    actions: [{ type: 'flag', mailbox: null, address: null }],
    stop: false,
  });
});

test('a date input is a local day: its start and end come back as the same day', () => {
  const start = fromDateInput('2026-12-20', 'start');
  const end = fromDateInput('2027-01-01', 'end');
  assert.ok(start && end);
  assert.equal(toDateInput(start), '2026-12-20');
  assert.equal(toDateInput(end), '2027-01-01');
  assert.ok(Date.parse(end) - Date.parse(fromDateInput('2027-01-01', 'start')!) > 23 * 3600_000);
  assert.equal(fromDateInput('', 'start'), null);
  assert.equal(fromDateInput('20-12-2026', 'start'), null);
  assert.equal(toDateInput(null), '');
  assert.equal(toDateInput('not a date'), '');
});
