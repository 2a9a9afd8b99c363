// ENVELOPE and BODYSTRUCTURE as the IMAP core writes them (RFC 3501 section 9): the grammar puts no
// space between the addresses of an address list (env-to = "(" 1*address ")"), nor between the
// parts of a multipart, and a multipart is never sent without a part.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BodyStructure, Envelope } from '../src/backend.js';
import { bodyStructureValue, envelopeValue } from '../src/body-structure.js';
import { OutputBuilder, encodeValue } from '../src/writer/index.js';

function wire(value: Parameters<typeof encodeValue>[0], utf8 = false): string {
  const out = new OutputBuilder();
  encodeValue(value, { utf8 }, out);
  return Buffer.concat(out.finish().filter((piece): piece is Buffer => Buffer.isBuffer(piece))).toString(
    'utf8',
  );
}

const address = (name: string | null, mailbox: string | null, host: string | null) => ({
  name,
  adl: null,
  mailbox,
  host,
});

const envelope: Envelope = {
  date: 'Mon, 1 Jan 2024 23:30:00 -0800',
  subject: 'groups',
  from: [address('Zoë', 'zoe', 'example.com')],
  sender: [address(null, 'zoe', 'example.com')],
  replyTo: null,
  to: [
    address(null, 'Team', null),
    address(null, 'alice', 'example.com'),
    address('Bob B.', 'bob', 'example.com'),
    address(null, null, null),
    address(null, 'carol', 'example.com'),
  ],
  cc: [address(null, 'cc1', 'example.com'), address('Cc Two', 'cc2', 'example.org')],
  bcc: null,
  inReplyTo: null,
  messageId: '<m@example.com>',
};

test('ENVELOPE address lists have no space between addresses, groups included', () => {
  assert.equal(
    wire(envelopeValue(envelope)),
    '("Mon, 1 Jan 2024 23:30:00 -0800" "groups" (({4}\r\nZoë NIL "zoe" "example.com")) ((NIL NIL "zoe" "example.com")) NIL ' +
      '((NIL NIL "Team" NIL)(NIL NIL "alice" "example.com")("Bob B." NIL "bob" "example.com")(NIL NIL NIL NIL)(NIL NIL "carol" "example.com")) ' +
      '((NIL NIL "cc1" "example.com")("Cc Two" NIL "cc2" "example.org")) NIL NIL "<m@example.com>")',
  );
  // UTF8=ACCEPT still quotes 8-bit names inside the adjacent list
  assert.match(wire(envelopeValue(envelope), true), /\(\("Zoë" NIL "zoe" "example.com"\)\)/);
});

test('a multipart without parts is written with one empty text/plain part', () => {
  const empty: BodyStructure = {
    kind: 'multi',
    type: 'MULTIPART',
    subtype: 'REPORT',
    parameters: { 'REPORT-TYPE': 'delivery-status' },
    disposition: null,
    language: null,
    location: null,
    children: [],
  };
  assert.equal(
    wire(bodyStructureValue(empty, true, { utf8: false })),
    '(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 0 0 NIL NIL NIL NIL) "REPORT" ("REPORT-TYPE" "delivery-status") NIL NIL NIL)',
  );
  assert.equal(
    wire(bodyStructureValue(empty, false, { utf8: false })),
    '(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 0 0) "REPORT")',
  );
});
