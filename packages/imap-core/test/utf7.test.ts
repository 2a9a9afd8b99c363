import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModifiedUtf7, encodeModifiedUtf7 } from '../src/utf7.js';

test('the RFC 3501 5.1.3 example decodes and encodes back', () => {
  const decoded = '~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e';
  assert.equal(decodeModifiedUtf7('~peter/mail/&U,BTFw-/&ZeVnLIqe-'), decoded);
  assert.equal(encodeModifiedUtf7(decoded), '~peter/mail/&U,BTFw-/&ZeVnLIqe-');
});

test('"&" is written "&-" and printable ASCII stands for itself', () => {
  assert.equal(encodeModifiedUtf7('Tom & Jerry'), 'Tom &- Jerry');
  assert.equal(decodeModifiedUtf7('Tom &- Jerry'), 'Tom & Jerry');
  assert.equal(encodeModifiedUtf7('INBOX/Sent Items'), 'INBOX/Sent Items');
});

test('non-BMP characters, controls and mixed runs round-trip', () => {
  for (const name of [
    '\u{1F600}',
    'a\u00e9b',
    'Entw\u00fcrfe',
    '\u0000\u007f\u0080',
    '\u00e9&\u00e9',
    'x\u65e5/\u672c&y',
    '',
  ]) {
    const encoded = encodeModifiedUtf7(name);
    assert.match(encoded, /^[\x20-\x7e]*$/);
    assert.equal(decodeModifiedUtf7(encoded), name);
  }
});

test('malformed modified UTF-7 is rejected', () => {
  for (const bad of ['&', '&U,BTFw', '&U,BTF-', '&AGE-', '&ZeVnLIqe=-', '&*-', '&U-']) {
    assert.equal(decodeModifiedUtf7(bad), null, bad);
  }
});

test('random strings round-trip', () => {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let index = 0; index < 2000; index++) {
    const length = Math.floor(random() * 12);
    let name = '';
    for (let position = 0; position < length; position++) {
      const pick = random();
      name +=
        pick < 0.5
          ? String.fromCharCode(0x20 + Math.floor(random() * 95))
          : String.fromCodePoint(0x80 + Math.floor(random() * 0x2ff00));
    }
    const wellFormed = name.isWellFormed?.() ?? true;
    if (!wellFormed) continue;
    assert.equal(decodeModifiedUtf7(encodeModifiedUtf7(name)), name);
  }
});
