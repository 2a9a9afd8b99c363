// Where a key sends the focus in an open menu (menu-navigation.ts, used by every menu button),
// and the labels the Move menu gives nested folders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Mailbox } from '../src/client/api-types';
import { mailboxPathLabel } from '../src/mail/mailbox-order';
import { isTypeaheadKey, menuKeyTarget, typeaheadIndex } from '../src/mail/menu-navigation';

const FOLDERS = ['Inbox', 'Drafts', 'Sent', 'Archive', 'Junk', 'Trash', 'Accounts', 'Projects / 2024'];

test('the arrows step through the menu and wrap; Home and End jump to the ends', () => {
  assert.equal(menuKeyTarget('ArrowDown', 0, FOLDERS), 1);
  assert.equal(menuKeyTarget('ArrowDown', FOLDERS.length - 1, FOLDERS), 0);
  assert.equal(menuKeyTarget('ArrowUp', 3, FOLDERS), 2);
  assert.equal(menuKeyTarget('ArrowUp', 0, FOLDERS), FOLDERS.length - 1);
  // with no item focused yet, down goes to the first and up to the last
  assert.equal(menuKeyTarget('ArrowDown', -1, FOLDERS), 0);
  assert.equal(menuKeyTarget('ArrowUp', -1, FOLDERS), FOLDERS.length - 1);
  assert.equal(menuKeyTarget('Home', 5, FOLDERS), 0);
  assert.equal(menuKeyTarget('End', 2, FOLDERS), FOLDERS.length - 1);
});

test('a typed character goes to the next item starting with it, ignoring case, and cycles', () => {
  assert.equal(menuKeyTarget('a', 0, FOLDERS), 3, 'Inbox → Archive');
  assert.equal(menuKeyTarget('A', 3, FOLDERS), 6, 'Archive → Accounts');
  assert.equal(menuKeyTarget('a', 6, FOLDERS), 3, 'Accounts → Archive, past the end');
  assert.equal(menuKeyTarget('p', -1, FOLDERS), 7, 'a nested folder by its top folder');
  assert.equal(menuKeyTarget('t', 0, FOLDERS), 5);
  // the only item starting with the letter keeps the focus
  assert.equal(typeaheadIndex(FOLDERS, 5, 't'), 5);
  assert.equal(menuKeyTarget('z', 0, FOLDERS), null, 'no item starts with it: the focus stays');
});

test('keys that are no typeahead leave the focus alone', () => {
  for (const key of [' ', 'Enter', 'Escape', 'Tab', 'Shift', 'F2', 'ArrowLeft']) {
    assert.equal(isTypeaheadKey(key), false, key);
    assert.equal(menuKeyTarget(key, 0, FOLDERS), null, key);
  }
  assert.equal(isTypeaheadKey('ä'), true);
  assert.equal(menuKeyTarget('ArrowDown', -1, []), null, 'an empty menu');
});

test('a nested folder is labelled with its path, INBOX as Inbox', () => {
  const folder = (path: string, specialUse: Mailbox['specialUse'] = null): Mailbox => ({
    id: path,
    path,
    name: path.split('/').pop()!,
    specialUse,
    total: 0,
    unseen: 0,
  });
  assert.equal(mailboxPathLabel(folder('INBOX', 'Inbox')), 'Inbox');
  assert.equal(mailboxPathLabel(folder('Archive', 'Archive')), 'Archive');
  assert.equal(mailboxPathLabel(folder('Projects/2024')), 'Projects / 2024');
  assert.equal(mailboxPathLabel(folder('INBOX/Receipts/Shops')), 'Inbox / Receipts / Shops');
});
