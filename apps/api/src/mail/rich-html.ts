/**
 * HTML written by the user (compose, signatures): sanitised by the rules received HTML is shown
 * with (sanitize.ts), and turned into the plain text alternative sent beside it.
 *
 * Remote images in the user's own HTML are kept: they are the user's choice, and the reader's
 * webmail blocks them until asked like any other remote content. cid: references are kept only
 * for the inline images sent with the message; any other cid: image loses its src.
 */
import { randomUUID } from 'node:crypto';
import { htmlToText } from '@wildduck/mime';
import { sanitizeMessageHtml } from './sanitize.js';

/** The sanitised HTML and the Content-IDs (as written after cid:) it refers to. */
export interface UserHtml {
  html: string;
  usedContentIds: Set<string>;
}

/** Sanitises user HTML; `contentIds` are the cid: references allowed (the inline images given). */
export function sanitizeUserHtml(html: string, contentIds: ReadonlySet<string> = new Set()): UserHtml {
  const usedContentIds = new Set<string>();
  // the sanitiser lets only http(s) and data: images through: a cid: reference passes as this
  // placeholder URL and is written back as cid: afterwards
  const placeholder = `https://cid-${randomUUID()}.invalid/`;
  const sanitized = sanitizeMessageHtml(html, {
    remoteContent: true,
    cidUrl: (contentId) => {
      if (!contentIds.has(contentId)) return undefined;
      usedContentIds.add(contentId);
      return `${placeholder}${encodeURIComponent(contentId)}`;
    },
  });
  // encodeURIComponent leaves no quote, parenthesis or blank, so the id ends at the first of them
  const restored = sanitized.html
    .split(placeholder)
    .map((piece, index) => {
      if (index === 0) return piece;
      const end = piece.search(/["')\s&]|$/);
      return `cid:${decodeURIComponent(piece.slice(0, end))}${piece.slice(end)}`;
    })
    .join('');
  return { html: restored, usedContentIds };
}

const BLOCKS = new Set([
  'p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'tr', 'pre', 'hr', 'address', 'article',
  'aside', 'section', 'header', 'footer', 'main', 'nav', 'figure', 'figcaption', 'dl', 'dt', 'dd',
  'details', 'summary', 'center',
]); // prettier-ignore
/** Blocks set apart by an empty line. */
const PARAGRAPHS = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'pre',
  'ul',
  'ol',
  'blockquote',
]);

/** A tag (opening, closing or empty) or a run of text of well-formed (sanitised) HTML. */
const TOKEN =
  /<(\/?)([a-z][a-z0-9]*)((?:\s+[^\s=>/]+(?:\s*=\s*"[^"]*")?)*)\s*\/?>|<!--[\s\S]*?-->|([^<]+)|</gi;

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`, 'i').exec(attributes);
  return match ? htmlToText(match[1]!) : undefined;
}

/**
 * Readable plain text of (sanitised) HTML, for the text/plain alternative: blocks become lines,
 * paragraphs are set apart by an empty line, list items start with "- " or "1. ", quotes with
 * "> " (nested: "> > "), links read "text <url>", images their alt text.
 */
export function plainTextOf(html: string): string {
  const lines: string[] = [];
  let line = '';
  let quoteDepth = 0;
  let preDepth = 0;
  const lists: { ordered: boolean; next: number }[] = [];
  const links: { href: string | undefined; start: number }[] = [];

  const prefix = () => '> '.repeat(quoteDepth);
  const flush = () => {
    const text = preDepth ? line.replace(/\s+$/, '') : line.replace(/\s+/g, ' ').trim();
    if (text) lines.push(`${prefix()}${text}`.trimEnd());
    line = '';
  };
  const isBlank = (text: string) => !text.replace(/>/g, '').trim();
  // one empty line between blocks, quoted as deep as the shallower of the two sides
  const blank = () => {
    flush();
    const empty = prefix().trimEnd();
    const last = lines[lines.length - 1];
    if (last === undefined) return;
    if (!isBlank(last)) lines.push(empty);
    else if (empty.length < last.length) lines[lines.length - 1] = empty;
  };

  for (const match of html.matchAll(TOKEN)) {
    const [whole, closing, rawName, attributes = '', text] = match;
    if (text !== undefined || whole === '<') {
      const decoded = htmlToText(text ?? '<');
      if (preDepth) {
        const [first = '', ...rest] = decoded.split('\n');
        line += first;
        for (const next of rest) {
          flush();
          line = next;
        }
      } else line += decoded.replace(/\s+/g, ' ');
      continue;
    }
    if (!rawName) continue; // a comment
    const name = rawName.toLowerCase();
    if (name === 'br') {
      flush();
      continue;
    }
    if (name === 'img') {
      const alt = attribute(attributes, 'alt');
      if (alt) line += `[${alt}]`;
      continue;
    }
    if (name === 'a') {
      if (!closing) {
        links.push({ href: attribute(attributes, 'href'), start: line.length });
        continue;
      }
      const link = links.pop();
      const href = link?.href;
      if (!href) continue;
      const label = line.slice(link.start).trim();
      const bare = href.replace(/^mailto:/i, '');
      if (label !== href && label !== bare) line += ` <${bare}>`;
      continue;
    }
    if (name === 'li') {
      flush();
      if (!closing) {
        const list = lists[lists.length - 1];
        const indent = '  '.repeat(Math.max(0, lists.length - 1));
        line = `${indent}${list?.ordered ? `${list.next++}. ` : '- '}`;
      }
      continue;
    }
    if (name === 'ul' || name === 'ol') {
      if (!lists.length) blank();
      else flush();
      if (closing) lists.pop();
      else lists.push({ ordered: name === 'ol', next: Number(attribute(attributes, 'start')) || 1 });
      if (closing && !lists.length) blank();
      continue;
    }
    if (name === 'blockquote') {
      blank();
      quoteDepth = Math.max(0, quoteDepth + (closing ? -1 : 1));
      continue;
    }
    if (name === 'td' || name === 'th') {
      if (closing) line += ' ';
      continue;
    }
    if (name === 'pre') preDepth = Math.max(0, preDepth + (closing ? -1 : 1));
    if (PARAGRAPHS.has(name)) blank();
    else if (BLOCKS.has(name)) flush();
  }
  flush();
  while (lines.length && isBlank(lines[lines.length - 1]!)) lines.pop();
  return lines.join('\n');
}
