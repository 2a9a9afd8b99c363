// Decodes RFC 2047 encoded-words with the charsets libmime knows (iso-2022-jp, koi8-r, windows-1252...).

import libmime from 'libmime';

/** Decodes encoded-words in header text; text that fails to decode is returned unchanged. */
export function decodeEncodedWords(text: string): string {
  if (!text.includes('=?')) return text;
  try {
    return libmime.decodeWords(text);
  } catch {
    return text;
  }
}
