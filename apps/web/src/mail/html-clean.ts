// Pasted HTML, cleaned before it enters the editor: only the formatting the toolbar itself makes
// (and a few harmless blocks) stays, without any attribute but a link's web or mail address and an
// image's web address. Scripts, styles, frames, forms, handlers and classes never get in. The API
// sanitises the whole message again before sending; this keeps the editor itself clean.

/** Tags kept as they are (their attributes dropped). */
const KEPT = new Set([
  'B', 'STRONG', 'I', 'EM', 'U', 'S', 'STRIKE', 'DEL', 'A', 'UL', 'OL', 'LI', 'P', 'BR', 'DIV',
  'BLOCKQUOTE', 'PRE', 'CODE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'IMG', 'TABLE', 'THEAD', 'TBODY',
  'TR', 'TD', 'TH', 'HR', 'SUB', 'SUP',
]); // prettier-ignore
/** Tags dropped with all they contain. */
const DROPPED = new Set([
  'SCRIPT', 'STYLE', 'TEMPLATE', 'IFRAME', 'FRAME', 'OBJECT', 'EMBED', 'SVG', 'MATH', 'FORM',
  'INPUT', 'BUTTON', 'SELECT', 'TEXTAREA', 'HEAD', 'TITLE', 'META', 'LINK', 'NOSCRIPT', 'AUDIO',
  'VIDEO', 'CANVAS',
]); // prettier-ignore

const SAFE_LINK = /^(?:https?:\/\/|mailto:)/i;
const SAFE_IMAGE = /^https?:\/\//i;

/** Copies `source`'s children into `target`, cleaned. */
function copyClean(source: Node, target: Node, document: Document): void {
  for (const child of Array.from(source.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) {
      target.appendChild(document.createTextNode(child.textContent ?? ''));
      continue;
    }
    if (child.nodeType !== Node.ELEMENT_NODE) continue;
    const element = child as Element;
    const tag = element.tagName.toUpperCase();
    if (DROPPED.has(tag)) continue;
    if (!KEPT.has(tag)) {
      // unknown wrappers (span, font, section…) give way to their content
      copyClean(element, target, document);
      continue;
    }
    const copy = document.createElement(tag.toLowerCase());
    if (tag === 'A') {
      const href = (element.getAttribute('href') ?? '').trim();
      if (SAFE_LINK.test(href)) copy.setAttribute('href', href);
    }
    if (tag === 'IMG') {
      const src = (element.getAttribute('src') ?? '').trim();
      if (!SAFE_IMAGE.test(src)) continue;
      copy.setAttribute('src', src);
      const alt = element.getAttribute('alt');
      if (alt) copy.setAttribute('alt', alt);
    }
    copyClean(element, copy, document);
    target.appendChild(copy);
  }
}

/** The cleaned HTML of a pasted fragment (parsed inertly: nothing in it loads or runs). */
export function cleanPastedHtml(html: string): string {
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  const output = parsed.createElement('div');
  copyClean(parsed.body, output, parsed);
  return output.innerHTML;
}

/** Text as HTML: escaped, line breaks kept. */
export function textToHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r?\n/g, '<br>');
}
