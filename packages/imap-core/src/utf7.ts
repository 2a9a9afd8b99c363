/**
 * Modified UTF-7 (RFC 3501 5.1.3): how IMAP4rev1 carries non-ASCII mailbox names when the
 * client has not enabled UTF8=ACCEPT. Printable US-ASCII stands for itself except `&`, which is
 * written `&-`; every other run of characters is UTF-16BE in base64 with `,` for `/`, no padding,
 * between `&` and `-`.
 */

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,';
const BASE64_VALUES = new Int8Array(128).fill(-1);
for (let index = 0; index < BASE64_ALPHABET.length; index++) {
  BASE64_VALUES[BASE64_ALPHABET.charCodeAt(index)] = index;
}

/** True for the characters that modified UTF-7 writes as themselves (printable ASCII). */
function isDirectlyEncoded(code: number): boolean {
  return code >= 0x20 && code <= 0x7e;
}

/** Encodes a Unicode mailbox name as modified UTF-7, for a client without UTF8=ACCEPT. */
export function encodeModifiedUtf7(name: string): string {
  let output = '';
  let index = 0;
  while (index < name.length) {
    const code = name.charCodeAt(index);
    if (code === 0x26) {
      output += '&-';
      index++;
    } else if (isDirectlyEncoded(code)) {
      output += name[index];
      index++;
    } else {
      let end = index;
      while (end < name.length && !isDirectlyEncoded(name.charCodeAt(end))) end++;
      output += '&' + encodeUtf16Run(name.slice(index, end)) + '-';
      index = end;
    }
  }
  return output;
}

/** Base64 (modified alphabet, unpadded) of the UTF-16BE code units of `run`. */
function encodeUtf16Run(run: string): string {
  const bytes = Buffer.alloc(run.length * 2);
  for (let index = 0; index < run.length; index++) bytes.writeUInt16BE(run.charCodeAt(index), index * 2);
  return bytes.toString('base64').replace(/=+$/, '').replace(/\//g, ',');
}

/**
 * Decodes a modified UTF-7 mailbox name; null when it is not valid modified UTF-7 (bad base64,
 * an unterminated `&` run, odd bytes, leftover bits). Characters outside printable ASCII in the
 * input (a client that sent raw UTF-8) are kept as they are.
 */
export function decodeModifiedUtf7(encoded: string): string | null {
  let output = '';
  let index = 0;
  while (index < encoded.length) {
    const ampersand = encoded.indexOf('&', index);
    if (ampersand < 0) {
      output += encoded.slice(index);
      break;
    }
    output += encoded.slice(index, ampersand);
    const dash = encoded.indexOf('-', ampersand + 1);
    if (dash < 0) return null;
    if (dash === ampersand + 1) {
      output += '&';
    } else {
      const decoded = decodeUtf16Run(encoded.slice(ampersand + 1, dash));
      if (decoded === null) return null;
      output += decoded;
    }
    index = dash + 1;
  }
  return output;
}

/** Decodes one base64 run between `&` and `-`; null when malformed. */
function decodeUtf16Run(run: string): string | null {
  let bits = 0;
  let bitCount = 0;
  const units: number[] = [];
  let pendingByte = -1;
  for (let index = 0; index < run.length; index++) {
    const code = run.charCodeAt(index);
    const value = code < 128 ? (BASE64_VALUES[code] ?? -1) : -1;
    if (value < 0) return null;
    bits = ((bits << 6) | value) & 0xffff;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      const byte = (bits >> bitCount) & 0xff;
      if (pendingByte < 0) {
        pendingByte = byte;
      } else {
        units.push((pendingByte << 8) | byte);
        pendingByte = -1;
      }
    }
  }
  // A run must end on a UTF-16 unit boundary with fewer than 6 zero bits left over.
  if (pendingByte >= 0 || bitCount >= 6 || (bits & ((1 << bitCount) - 1)) !== 0 || units.length === 0)
    return null;
  const decoded = String.fromCharCode(...units);
  // A run that only encodes printable ASCII is not the canonical form and would alias another name.
  for (const unit of units) if (isDirectlyEncoded(unit)) return null;
  return decoded;
}
