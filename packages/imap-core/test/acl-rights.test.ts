// The rights text of RFC 4314: SETACL's mod-rights, the virtual `c` and `d` rights (2.1.1),
// READ-ONLY (5.2) and the flags each right permits (4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalRights,
  isReadOnly,
  listRightsWithVirtual,
  parseModRights,
  permittedFlags,
  withVirtualRights,
} from '../src/acl-rights.js';

test('mod-rights: no sign replaces, + adds, - removes; letters come back in canonical order', () => {
  assert.deepEqual(parseModRights('lrswi'), { ok: true, change: { mode: 'replace', rights: 'lrswi' } });
  assert.deepEqual(parseModRights('+al'), { ok: true, change: { mode: 'add', rights: 'la' } });
  assert.deepEqual(parseModRights('-w'), { ok: true, change: { mode: 'remove', rights: 'w' } });
  assert.deepEqual(parseModRights(''), { ok: true, change: { mode: 'replace', rights: '' } });
  assert.deepEqual(parseModRights('+'), { ok: true, change: { mode: 'add', rights: '' } });
});

test('mod-rights: c stands for k and x, d for e and t (RFC 4314 3.1 example: +cda)', () => {
  assert.deepEqual(parseModRights('+cda'), { ok: true, change: { mode: 'add', rights: 'kxtea' } });
  // 2.1.1: "lrswida" sets e and t for d; naming a member as well changes nothing
  assert.deepEqual(parseModRights('lrswida'), { ok: true, change: { mode: 'replace', rights: 'lrswitea' } });
  assert.deepEqual(parseModRights('lrswiteda'), parseModRights('lrswida'));
  assert.deepEqual(parseModRights('lrswikda'), {
    ok: true,
    change: { mode: 'replace', rights: 'lrswiktea' },
  });
});

test('mod-rights: uppercase and unknown rights are refused, never ignored (RFC 4314 3.1)', () => {
  assert.deepEqual(parseModRights('lrQswicda'), { ok: false, reason: 'Uppercase rights are not allowed' });
  assert.deepEqual(parseModRights('lrqswicda'), { ok: false, reason: 'The q right is not supported' });
  assert.equal(parseModRights('+1').ok, false);
  assert.equal(parseModRights('l r').ok, false);
  assert.equal(parseModRights('+-l').ok, false);
});

test('written rights carry c with k or x, and d with e or t (RFC 4314 2.1.1)', () => {
  assert.equal(withVirtualRights('lrswitea'), 'lrswitead');
  assert.equal(withVirtualRights('lrswiktea'), 'lrswikteacd');
  assert.equal(withVirtualRights('lrswipkxtea'), 'lrswipkxteacd');
  assert.equal(withVirtualRights('lrxa'), 'lrxac');
  assert.equal(withVirtualRights('lrs'), 'lrs');
  assert.equal(withVirtualRights(''), '');
});

test('canonical order drops duplicates and unknown letters', () => {
  assert.equal(canonicalRights('aetxkpiwsrl'), 'lrswipkxtea');
  assert.equal(canonicalRights('llrrcd'), 'lr');
});

test('LISTRIGHTS: c and d alone when their members are not tied (RFC 4314 2.1.1 first example)', () => {
  const list = listRightsWithVirtual({ required: 'lr', optional: ['s', 'w', 'i', 'p', 'k', 'x', 't'] });
  assert.deepEqual(list, { required: 'lr', optional: ['s', 'w', 'i', 'p', 'k', 'x', 't', 'c', 'd'] });
});

test('LISTRIGHTS: d joins the group its members are tied to (RFC 4314 2.1.1 last example)', () => {
  const list = listRightsWithVirtual({ required: 'lr', optional: ['swte', 'i', 'p', 'k', 'x'] });
  assert.deepEqual(list, { required: 'lr', optional: ['swted', 'i', 'p', 'k', 'x', 'c'] });
});

test('LISTRIGHTS: a member among the required rights makes the virtual right required', () => {
  const list = listRightsWithVirtual({ required: 'lrswipkxtea', optional: [] });
  assert.deepEqual(list, { required: 'lrswipkxteacd', optional: [] });
  assert.deepEqual(listRightsWithVirtual({ required: '', optional: ['l', 'r'] }), {
    required: '',
    optional: ['l', 'r'],
  });
});

test('READ-ONLY exactly when none of s w t e i is granted (RFC 4314 5.2 examples)', () => {
  assert.equal(isReadOnly('lrs'), false);
  assert.equal(isReadOnly('lr'), true);
  assert.equal(isReadOnly('lrpkxa'), true);
  assert.equal(isReadOnly('rit'), false);
  assert.equal(isReadOnly('rset'), false);
});

test('permanent flags follow the rights: s for \\Seen, t for \\Deleted, w for the rest', () => {
  const flags = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft', '$Forwarded', '\\*'];
  assert.deepEqual(permittedFlags(flags, 'lrs'), ['\\Seen']);
  assert.deepEqual(permittedFlags(flags, 'lrt'), ['\\Deleted']);
  assert.deepEqual(permittedFlags(flags, 'lrw'), ['\\Answered', '\\Flagged', '\\Draft', '$Forwarded', '\\*']);
  assert.deepEqual(permittedFlags(flags, 'lrswt'), flags);
});
