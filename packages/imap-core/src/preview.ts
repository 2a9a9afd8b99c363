// PREVIEW (RFC 8970): the preview text a FETCH sends. The backend gives the text its own clients
// show (the webmail list's snippet); here it becomes what the RFC allows: plain text of at most
// 256 characters. Blank runs, line breaks included, become one space, as a one-line list entry
// shows them, so a preview is a quoted string rather than a literal.

/** RFC 8970 3.1: a preview is no longer than this many characters. */
export const MAX_PREVIEW_CHARACTERS = 256;

/** The preview text of a snippet: blanks collapsed, trimmed, cut at 256 characters (never inside a pair). */
export function previewText(snippet: string): string {
  const text = snippet.replace(/\s+/gu, ' ').trim();
  const characters = [...text];
  return characters.length > MAX_PREVIEW_CHARACTERS
    ? characters.slice(0, MAX_PREVIEW_CHARACTERS).join('').trimEnd()
    : text;
}
