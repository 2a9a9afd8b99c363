// The subject a conversation is recognised by when its messages carry no Message-ID links: the
// subject without reply and forward markers and without leading [list] tags, in RFC 5256 2.1's
// spirit (the IMAP core has the full algorithm; this is the small part the webmail needs, pure).

/** A reply or forward marker, possibly after [list] tags: `Re:`, `RE[2]:`, `Fwd:`, `Fw:`, `[list] Re:`. */
const LEADER = /^(?:\[[^[\]]*\]\s*)*(?:re|fwd?|aw|sv|antw|wg)\s*(?:\[\d+\])?\s*:\s*/i;
const LEADING_TAG = /^\[[^[\]]*\]\s*/;
const TRAILER = /\s*\(fwd\)\s*$/i;
const FORWARD_WRAP = /^\[fwd:\s*(.*)\]$/i;

/**
 * The base subject, lower-cased with white space runs made one space: two messages with the same
 * base subject are about the same thing. '' when nothing is left (such messages never match).
 */
export function conversationSubject(subject: string): string {
  let text = subject.replace(/\s+/g, ' ').trim();
  for (;;) {
    const before = text;
    text = text.replace(TRAILER, '');
    const leader = LEADER.exec(text);
    if (leader) text = text.slice(leader[0].length);
    else {
      // a leading tag goes only when something follows it ("[ANN] Release" -> "Release")
      const tag = LEADING_TAG.exec(text);
      if (tag && tag[0].length < text.length) text = text.slice(tag[0].length);
    }
    const wrapped = FORWARD_WRAP.exec(text);
    if (wrapped) text = wrapped[1] ?? '';
    text = text.trim();
    if (text === before) return text.toLowerCase();
  }
}
