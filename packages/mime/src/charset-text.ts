// Decodes text bytes in a declared charset, for readers that display a part (webmail).

import { decode as decodeCharset } from 'libmime/lib/charset.js';

/** Text from bytes in `charset` (us-ascii when none); UTF-8 when the charset is unknown or fails. */
export function decodeText(bytes: Buffer, charset: string | undefined): string {
  try {
    return decodeCharset(bytes, charset || 'us-ascii');
  } catch {
    return bytes.toString('utf8');
  }
}
