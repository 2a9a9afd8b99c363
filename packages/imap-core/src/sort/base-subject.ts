// The base subject of RFC 5256 section 2.1, which SORT SUBJECT and both THREAD algorithms compare:
// the subject without reply and forward markers (`Re:`, `Fwd:`, `[Fwd: ...]`, `(fwd)`) and without
// leading `[list]` blobs. The subject comes in already decoded (encoded-words turned into text).

/** The base subject and whether extracting it removed a reply or forward marker. */
export interface BaseSubject {
  readonly base: string;
  /** True when the subject was a reply or forward (THREAD=REFERENCES step 5 needs it). */
  readonly replyOrForward: boolean;
}

// subj-blob = "[" *BLOBCHAR "]" *WSP; subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"
const BLOB = String.raw`\[[^[\]]*\] *`;
/** subj-leader as a reply/forward: *subj-blob subj-refwd. */
const REFWD_LEADER = new RegExp(String.raw`^(?:${BLOB})*(?:re|fwd?) *(?:${BLOB})?:`, 'i');
const LEADING_BLOB = new RegExp(`^${BLOB}`);
const TRAILER = /(?:\(fwd\)| )$/i;

/** Extracts the base subject (RFC 5256 2.1, steps 1 to 6). */
export function baseSubject(subject: string): BaseSubject {
  // (1) every run of white space (tabs, folded lines) becomes one space
  let text = subject.replace(/[\t\r\n ]+/g, ' ');
  let replyOrForward = false;
  for (;;) {
    // (2) remove trailing "(fwd)" and white space, repeatedly
    for (let match = TRAILER.exec(text); match; match = TRAILER.exec(text)) {
      if (match[0] !== ' ') replyOrForward = true;
      text = text.slice(0, text.length - match[0].length);
    }
    // (3) to (5): remove leaders and a leading blob that does not make up the whole subject
    for (let changed = true; changed;) {
      changed = false;
      for (;;) {
        const leader = REFWD_LEADER.exec(text);
        if (leader) {
          replyOrForward = true;
          text = text.slice(leader[0].length);
        } else if (text.startsWith(' ')) {
          text = text.slice(1);
        } else break;
        changed = true;
      }
      const blob = LEADING_BLOB.exec(text);
      if (blob && blob[0].length < text.length) {
        text = text.slice(blob[0].length);
        changed = true;
      }
    }
    // (6) "[fwd: subject]" wraps a forwarded subject: unwrap it and start again at (2)
    if (text.length >= 6 && text.slice(0, 5).toLowerCase() === '[fwd:' && text.endsWith(']')) {
      text = text.slice(5, -1);
      replyOrForward = true;
      continue;
    }
    return { base: text, replyOrForward };
  }
}

/** The i;ascii-casemap form of a string (RFC 4790): ASCII letters upper-cased, the rest as is. */
export function asciiCasemap(text: string): string {
  return text.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}
