import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIPv6, parseProxyHeader, startsWithProxySignature, trustedPeers } from '@wildduck/imap-core';

const SIGNATURE = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');

/** A v2 header: version/command byte, family/protocol byte, then the payload. */
function v2(versionAndCommand: number, familyAndProtocol: number, payload: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(payload.length);
  return Buffer.concat([SIGNATURE, Buffer.from([versionAndCommand, familyAndProtocol]), length, payload]);
}

function ports(source: number, destination: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt16BE(source, 0);
  bytes.writeUInt16BE(destination, 2);
  return bytes;
}

const tcp4 = v2(0x21, 0x11, Buffer.concat([Buffer.from([203, 0, 113, 7, 10, 0, 0, 1]), ports(51234, 993)]));
const ipv6Source = Buffer.from('20010db8000000000000000000000042', 'hex');
const tcp6 = v2(0x21, 0x21, Buffer.concat([ipv6Source, Buffer.alloc(16), ports(40000, 143)]));

test('v1 TCP4 and TCP6 name the client; the bytes after the line are not part of the header', () => {
  const line = 'PROXY TCP4 198.51.100.22 10.0.0.1 35646 143\r\n';
  assert.deepEqual(parseProxyHeader(Buffer.from(`${line}a1 CAPABILITY\r\n`)), {
    kind: 'header',
    version: 1,
    length: line.length,
    client: { address: '198.51.100.22', port: 35646, family: 'IPv4' },
  });
  assert.deepEqual(parseProxyHeader(Buffer.from('PROXY TCP6 2001:db8::1 2001:db8::2 1 25\r\n')), {
    kind: 'header',
    version: 1,
    length: 41,
    client: { address: '2001:db8::1', port: 1, family: 'IPv6' },
  });
});

test('v1 UNKNOWN is a header without a client (the connection keeps its own address)', () => {
  assert.deepEqual(parseProxyHeader(Buffer.from('PROXY UNKNOWN\r\n')), {
    kind: 'header',
    version: 1,
    length: 15,
  });
  const withAddresses = 'PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n';
  assert.equal(parseProxyHeader(Buffer.from(withAddresses)).kind, 'header');
});

test('v1 prefixes wait for more; malformed lines are refused', () => {
  for (const prefix of ['P', 'PROX', 'PROXY ', 'PROXY TCP4 198.51.100.22 10.0.0.1 35646 143\r'])
    assert.deepEqual(parseProxyHeader(Buffer.from(prefix)), { kind: 'incomplete' }, prefix);
  for (const line of [
    'PROXY TCP4 198.51.100.22 10.0.0.1 35646\r\n',
    'PROXY TCP4 2001:db8::1 10.0.0.1 1 2\r\n',
    'PROXY TCP6 198.51.100.22 10.0.0.1 1 2\r\n',
    'PROXY UDP4 198.51.100.22 10.0.0.1 1 2\r\n',
    'PROXY TCP4 198.51.100.22 10.0.0.1 65536 2\r\n',
    'PROXY TCP4 198.51.100.22 10.0.0.1 080 2\r\n',
    'PROXY TCP4 198.51.100.22  10.0.0.1 1 2\r\n',
    'proxy TCP4 198.51.100.22 10.0.0.1 1 2\r\n',
    'a1 LOGIN user pass\r\n',
    'EHLO client.example\r\n',
  ])
    assert.equal(parseProxyHeader(Buffer.from(line)).kind, 'invalid', line);
  // no CRLF within the 107 bytes the spec allows
  assert.equal(parseProxyHeader(Buffer.from(`PROXY UNKNOWN ${'x'.repeat(100)}`)).kind, 'invalid');
});

test('v2 PROXY over TCP4 and TCP6 names the client; LOCAL and other families name none', () => {
  assert.deepEqual(parseProxyHeader(Buffer.concat([tcp4, Buffer.from('\x16\x03\x01')])), {
    kind: 'header',
    version: 2,
    length: 28,
    client: { address: '203.0.113.7', port: 51234, family: 'IPv4' },
  });
  assert.deepEqual(parseProxyHeader(tcp6), {
    kind: 'header',
    version: 2,
    length: 52,
    client: { address: '2001:db8::42', port: 40000, family: 'IPv6' },
  });
  // LOCAL: the proxy's own health check, with or without an address block
  assert.deepEqual(parseProxyHeader(v2(0x20, 0x00, Buffer.alloc(0))), {
    kind: 'header',
    version: 2,
    length: 16,
  });
  assert.deepEqual(parseProxyHeader(v2(0x20, 0x11, Buffer.alloc(12))), {
    kind: 'header',
    version: 2,
    length: 28,
  });
  // UNSPEC and UNIX sockets: valid, but no TCP client to report
  assert.deepEqual(parseProxyHeader(v2(0x21, 0x00, Buffer.alloc(0))), {
    kind: 'header',
    version: 2,
    length: 16,
  });
  assert.deepEqual(parseProxyHeader(v2(0x21, 0x31, Buffer.alloc(216))), {
    kind: 'header',
    version: 2,
    length: 232,
  });
});

test('v2 TLVs after the addresses are part of the header', () => {
  const tlv = Buffer.from([0x05, 0x00, 0x03, 0x61, 0x62, 0x63]); // PP2_TYPE_UNIQUE_ID "abc"
  const header = v2(0x21, 0x11, Buffer.concat([Buffer.from([192, 0, 2, 1, 10, 0, 0, 1]), ports(1, 2), tlv]));
  const result = parseProxyHeader(header);
  assert.equal(result.kind === 'header' && result.length, header.length);
});

test('v2 truncated anywhere is incomplete until the length field is met', () => {
  for (let cut = 1; cut < tcp6.length; cut++)
    assert.deepEqual(parseProxyHeader(tcp6.subarray(0, cut)), { kind: 'incomplete' }, `cut at ${cut}`);
});

test('v2 malformed: wrong version, command or family, a short address block, an oversized length', () => {
  const fourAddresses = Buffer.concat([Buffer.from([192, 0, 2, 1, 10, 0, 0, 1]), ports(1, 2)]);
  assert.match(invalidReason(v2(0x11, 0x11, fourAddresses)), /version 1 is not 2/);
  assert.match(invalidReason(v2(0x22, 0x11, fourAddresses)), /command 2/);
  assert.match(invalidReason(v2(0x21, 0x41, fourAddresses)), /family 4/);
  assert.match(invalidReason(v2(0x21, 0x11, Buffer.alloc(8))), /IPv4 address block is short/);
  assert.match(invalidReason(v2(0x21, 0x21, Buffer.alloc(12))), /IPv6 address block is short/);
  assert.match(invalidReason(v2(0x21, 0x11, Buffer.alloc(2000))), /too long/);
  const badSignature = Buffer.from(tcp4);
  badSignature[7] = 0x00;
  assert.match(invalidReason(badSignature), /no PROXY protocol signature/);
});

function invalidReason(bytes: Buffer): string {
  const result = parseProxyHeader(bytes);
  assert.equal(result.kind, 'invalid');
  return result.kind === 'invalid' ? result.reason : '';
}

test('IPv6 addresses are written as RFC 5952 text', () => {
  const hex = (text: string) => Buffer.from(text, 'hex');
  assert.equal(formatIPv6(hex('00000000000000000000000000000001')), '::1');
  assert.equal(formatIPv6(hex('00000000000000000000000000000000')), '::');
  assert.equal(formatIPv6(hex('20010db8000000010000000000000001')), '2001:db8:0:1::1');
  assert.equal(formatIPv6(hex('20010db8000100010001000100010001')), '2001:db8:1:1:1:1:1:1');
  assert.equal(formatIPv6(hex('fe800000000000000000ffffc0000201')), 'fe80::ffff:c000:201');
});

test('trusted peers: addresses and CIDR blocks, IPv4 clients of a dual-stack listener included', () => {
  const trusted = trustedPeers(['10.0.0.5', '172.16.0.0/12', 'fd00::/8']);
  assert.equal(trusted('10.0.0.5'), true);
  assert.equal(trusted('::ffff:10.0.0.5'), true);
  assert.equal(trusted('172.31.255.1'), true);
  assert.equal(trusted('fd12::1'), true);
  assert.equal(trusted('10.0.0.6'), false);
  assert.equal(trusted('127.0.0.1'), false);
  assert.equal(trusted('2001:db8::1'), false);
  assert.throws(() => trustedPeers(['haproxy']), /not an IP address or CIDR block/);
  assert.throws(() => trustedPeers(['10.0.0.0/40']), /not an IP address or CIDR block/);
});

test('a header from an unlisted peer is told from a command by its whole signature only', () => {
  assert.equal(startsWithProxySignature(Buffer.from('PROXY TCP4 1.2.3.4')), true);
  assert.equal(startsWithProxySignature(tcp4.subarray(0, 12)), true);
  // too short to tell, or a command: not a header
  for (const start of ['P', 'PROXY', 'PROXY1 NOOP\r\n', 'a1 LOGIN x y\r\n', 'EHLO x\r\n', '\r\n'])
    assert.equal(startsWithProxySignature(Buffer.from(start)), false, start);
  assert.equal(startsWithProxySignature(tcp4.subarray(0, 11)), false);
});
