// The PROXY protocol header (HAProxy's proxy-protocol.txt, versions 1 and 2): what a TCP proxy
// sends before the client's first byte to tell the server who the client is. Pure functions over
// the bytes received so far, so the listener (proxy-listener.ts) can call them on every chunk and
// tests can feed them handcrafted headers.
import { isIPv4, isIPv6 } from 'node:net';

/** The client the proxy speaks for. */
export interface ProxiedClient {
  address: string;
  port: number;
  family: 'IPv4' | 'IPv6';
}

/** What the bytes received so far amount to. */
export type ProxyHeaderResult =
  /** A prefix of a header: wait for more bytes. */
  | { kind: 'incomplete' }
  /** Not a header, or a broken one: the connection must be closed. */
  | { kind: 'invalid'; reason: string }
  /**
   * A whole header of `length` bytes (the client's own bytes follow it). `client` is absent for a
   * LOCAL command (the proxy's own health check), UNKNOWN (v1) and address families other than
   * TCP over IPv4/IPv6: the spec says the connection's own addresses are used then.
   */
  | { kind: 'header'; version: 1 | 2; length: number; client?: ProxiedClient };

const V1_PREFIX = Buffer.from('PROXY ', 'latin1');
/** The longest v1 line the spec allows, CRLF included. */
const V1_MAX_LENGTH = 107;
const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const V2_FIXED_LENGTH = 16;
/**
 * Room for the address block and the TLVs a proxy may add (SSL details, unique id); the 16-bit
 * length field would allow 64 KiB, which no proxy needs and a stranger could make us buffer.
 */
const V2_MAX_PAYLOAD = 1024;

/** Reads a PROXY header at the start of `bytes` (everything received so far). */
export function parseProxyHeader(bytes: Uint8Array): ProxyHeaderResult {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.length === 0) return { kind: 'incomplete' };
  if (startsLike(data, V1_PREFIX)) return data.length < V1_PREFIX.length ? INCOMPLETE : parseV1(data);
  if (startsLike(data, V2_SIGNATURE)) return data.length < V2_FIXED_LENGTH ? INCOMPLETE : parseV2(data);
  return invalid('no PROXY protocol signature');
}

/**
 * True when `bytes` begin with a whole v1 (`PROXY `) or v2 signature: a header, even a broken
 * one, and no IMAP or SMTP command (a shorter start cannot tell the two apart).
 */
export function startsWithProxySignature(bytes: Uint8Array): boolean {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return (
    data.subarray(0, V1_PREFIX.length).equals(V1_PREFIX) ||
    data.subarray(0, V2_SIGNATURE.length).equals(V2_SIGNATURE)
  );
}

const INCOMPLETE: ProxyHeaderResult = { kind: 'incomplete' };

function invalid(reason: string): ProxyHeaderResult {
  return { kind: 'invalid', reason };
}

/** True when `data` and `prefix` agree on their common length (a short `data` may still grow). */
function startsLike(data: Buffer, prefix: Buffer): boolean {
  const length = Math.min(data.length, prefix.length);
  return data.subarray(0, length).equals(prefix.subarray(0, length));
}

/** `PROXY TCP4|TCP6 <source> <destination> <source port> <destination port>\r\n`, or `PROXY UNKNOWN ...\r\n`. */
function parseV1(data: Buffer): ProxyHeaderResult {
  const end = data.indexOf('\r\n', 0, 'latin1');
  if (end < 0) return data.length >= V1_MAX_LENGTH ? invalid('v1 line too long') : INCOMPLETE;
  const length = end + 2;
  if (length > V1_MAX_LENGTH) return invalid('v1 line too long');
  const fields = data.subarray(0, end).toString('latin1').split(' ');
  if (fields[1] === 'UNKNOWN') return { kind: 'header', version: 1, length };
  if (fields.length !== 6) return invalid('v1 line needs protocol, two addresses and two ports');
  const [, protocol, source, destination, sourcePort, destinationPort] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const isAddress = protocol === 'TCP4' ? isIPv4 : protocol === 'TCP6' ? isIPv6 : undefined;
  if (!isAddress) return invalid(`v1 protocol ${JSON.stringify(protocol)} is not TCP4, TCP6 or UNKNOWN`);
  if (!isAddress(source) || !isAddress(destination)) return invalid(`v1 addresses are not ${protocol}`);
  const port = v1Port(sourcePort);
  if (port === undefined || v1Port(destinationPort) === undefined) return invalid('v1 port is not 0-65535');
  return {
    kind: 'header',
    version: 1,
    length,
    client: { address: source, port, family: protocol === 'TCP4' ? 'IPv4' : 'IPv6' },
  };
}

/** A decimal port without sign or leading zeros, as v1 requires. */
function v1Port(text: string): number | undefined {
  if (!/^(0|[1-9]\d{0,4})$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}

/** The binary header: signature, version/command, family/protocol, length, addresses, TLVs. */
function parseV2(data: Buffer): ProxyHeaderResult {
  const versionAndCommand = data[12]!;
  const familyAndProtocol = data[13]!;
  const payloadLength = data.readUInt16BE(14);
  if (versionAndCommand >> 4 !== 2) return invalid(`v2 version ${versionAndCommand >> 4} is not 2`);
  const command = versionAndCommand & 0x0f;
  if (command > 1) return invalid(`v2 command ${command} is neither LOCAL nor PROXY`);
  if (payloadLength > V2_MAX_PAYLOAD) return invalid(`v2 header of ${payloadLength} bytes is too long`);
  const length = V2_FIXED_LENGTH + payloadLength;
  if (data.length < length) return INCOMPLETE;
  if (command === 0) return { kind: 'header', version: 2, length };

  const family = familyAndProtocol >> 4;
  const stream = (familyAndProtocol & 0x0f) === 1;
  const payload = data.subarray(V2_FIXED_LENGTH, length);
  if (family === 1 && stream) {
    if (payload.length < 12) return invalid('v2 IPv4 address block is short');
    const address = [...payload.subarray(0, 4)].join('.');
    return {
      kind: 'header',
      version: 2,
      length,
      client: { address, port: payload.readUInt16BE(8), family: 'IPv4' },
    };
  }
  if (family === 2 && stream) {
    if (payload.length < 36) return invalid('v2 IPv6 address block is short');
    const address = formatIPv6(payload.subarray(0, 16));
    return {
      kind: 'header',
      version: 2,
      length,
      client: { address, port: payload.readUInt16BE(32), family: 'IPv6' },
    };
  }
  if (family > 3) return invalid(`v2 address family ${family} is unknown`);
  // UNSPEC, UNIX sockets and datagrams: a valid header that names no TCP client
  return { kind: 'header', version: 2, length };
}

/** 16 bytes as RFC 5952 text (lower case, the longest run of two or more zero groups as `::`). */
export function formatIPv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let index = 0; index < 16; index += 2) groups.push((bytes[index]! << 8) | bytes[index + 1]!);
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start++) {
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > bestLength) [bestStart, bestLength] = [start, end - start];
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
