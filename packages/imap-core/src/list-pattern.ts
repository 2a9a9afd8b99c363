// LIST/LSUB mailbox pattern matching (RFC 3501 6.3.8): `*` matches anything, `%` anything but
// the hierarchy delimiter. The reference name is prefixed to the pattern.
import { MAILBOX_DELIMITER } from './backend.js';

/** Builds a matcher for `LIST reference pattern`; INBOX is matched case-insensitively. */
export function compileListPattern(reference: string, pattern: string): (path: string) => boolean {
  const full = joinReference(reference, pattern);
  let source = '';
  for (const char of full) {
    if (char === '*') source += '.*';
    else if (char === '%') source += `[^${escapeRegExp(MAILBOX_DELIMITER)}]*`;
    else source += escapeRegExp(char);
  }
  const matcher = new RegExp(`^${source}$`, 's');
  const inboxMatcher = new RegExp(`^${source}$`, 'is');
  return (path) => {
    if (path === 'INBOX' || path.startsWith('INBOX' + MAILBOX_DELIMITER)) {
      // Any case of "inbox" in the pattern names INBOX.
      return inboxMatcher.test(path) && matcher.test(normaliseInboxPrefix(full, path));
    }
    return matcher.test(path);
  };
}

/** Joins LIST's reference and pattern; a pattern starting with the delimiter is absolute. */
function joinReference(reference: string, pattern: string): string {
  if (!reference || pattern.startsWith(MAILBOX_DELIMITER)) return pattern;
  if (reference.endsWith(MAILBOX_DELIMITER)) return reference + pattern;
  return reference + pattern;
}

function normaliseInboxPrefix(pattern: string, path: string): string {
  // The pattern wrote "inbox" in some case: compare the path written the same way.
  const head = pattern.slice(0, 5);
  return head.toUpperCase() === 'INBOX' ? head + path.slice(5) : path;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
