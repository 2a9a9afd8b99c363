import sanitizeHtml from 'sanitize-html';

/** How to treat the references of a message's HTML. */
export interface SanitizeOptions {
  /** Keep remote images and CSS backgrounds (http, https); otherwise they are removed. */
  remoteContent: boolean;
  /** The download URL of the inline part with this Content-ID (no angle brackets), if there is one. */
  cidUrl(contentId: string): string | undefined;
}

/** The sanitised HTML, and whether it referred to remote content (blocked unless asked for). */
export interface SanitizedHtml {
  html: string;
  hasRemoteContent: boolean;
}

/** Formatting tags: no script, style, form, frame, object, embed, svg, math, meta, link or base. */
const ALLOWED_TAGS = [
  'a', 'abbr', 'acronym', 'address', 'article', 'aside', 'b', 'bdi', 'bdo', 'big', 'blockquote',
  'br', 'caption', 'center', 'cite', 'code', 'col', 'colgroup', 'dd', 'del', 'details', 'dfn',
  'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'font', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5',
  'h6', 'header', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'main', 'mark', 'nav', 'ol', 'p', 'pre',
  'q', 's', 'samp', 'section', 'small', 'span', 'strike', 'strong', 'sub', 'summary', 'sup',
  'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'time', 'tr', 'tt', 'u', 'ul', 'var', 'wbr',
]; // prettier-ignore

/** Presentational attributes on any tag; no id or class (they could reach the page's own CSS and scripts). */
const COMMON_ATTRIBUTES = [
  'style', 'title', 'dir', 'lang', 'align', 'valign', 'width', 'height', 'bgcolor', 'color',
  'border', 'cellpadding', 'cellspacing', 'colspan', 'rowspan', 'nowrap', 'face', 'size', 'alt',
  'summary', 'abbr', 'scope', 'headers', 'start', 'type', 'reversed', 'span', 'hspace', 'vspace',
  'clear', 'datetime', 'cite',
]; // prettier-ignore

/** Elements dropped with everything inside them (not only their tags). */
const DROPPED_WITH_CONTENT = [
  'script', 'style', 'textarea', 'option', 'select', 'noscript', 'head', 'title', 'template',
  'svg', 'math', 'iframe', 'frame', 'frameset', 'noframes', 'object', 'embed', 'applet', 'xml',
  'audio', 'video', 'canvas', 'button', 'datalist', 'portal',
]; // prettier-ignore

/**
 * CSS properties kept in style attributes: text, colours, boxes and tables. Left out: position and
 * its offsets, z-index, transforms, animations, filters, cursors, masks, content, border and list
 * images, behaviours and bindings.
 */
const ALLOWED_CSS_PROPERTIES = [
  'color', 'background', 'background-color', 'background-image', 'background-position',
  'background-repeat', 'background-size', 'font', 'font-family', 'font-size', 'font-style',
  'font-variant', 'font-weight', 'text-align', 'text-decoration', 'text-indent', 'text-transform',
  'line-height', 'letter-spacing', 'word-spacing', 'white-space', 'word-break', 'word-wrap',
  'overflow-wrap', 'vertical-align', 'direction', 'margin', 'margin-top', 'margin-right',
  'margin-bottom', 'margin-left', 'padding', 'padding-top', 'padding-right', 'padding-bottom',
  'padding-left', 'border', 'border-top', 'border-right', 'border-bottom', 'border-left',
  'border-color', 'border-style', 'border-width', 'border-top-color', 'border-right-color',
  'border-bottom-color', 'border-left-color', 'border-top-style', 'border-right-style',
  'border-bottom-style', 'border-left-style', 'border-top-width', 'border-right-width',
  'border-bottom-width', 'border-left-width', 'border-radius', 'border-collapse', 'border-spacing',
  'width', 'height', 'max-width', 'min-width', 'max-height', 'min-height', 'display', 'float',
  'clear', 'overflow', 'overflow-x', 'overflow-y', 'list-style-type', 'list-style-position',
  'table-layout', 'caption-side', 'empty-cells', 'box-sizing', 'opacity', 'text-overflow',
  'visibility', 'outline', 'outline-color', 'outline-style', 'outline-width',
]; // prettier-ignore

type UrlKind = 'cid' | 'image-data' | 'remote' | 'other';

/** What a URL in a src, background or CSS url() is, as a browser would read it. */
function classifyUrl(raw: string): { kind: UrlKind; value: string } {
  // browsers ignore blanks and control characters inside URLs ("jav\tascript:")
  const compact = raw.replace(/[\x00-\x20]+/g, '');
  const lower = compact.toLowerCase();
  if (lower.startsWith('cid:')) return { kind: 'cid', value: compact.slice(4) };
  if (/^data:image\/(png|gif|jpe?g|webp|bmp);base64,[a-z0-9+/=]*$/i.test(compact))
    return { kind: 'image-data', value: compact };
  if (/^https?:/.test(lower)) return { kind: 'remote', value: compact };
  if (/^[/\\]{2}/.test(lower)) return { kind: 'remote', value: `https://${compact.replace(/^[/\\]+/, '')}` };
  return { kind: 'other', value: compact };
}

function decodeCid(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** A safe URL for a CSS url("..."): no quotes, parentheses, backslashes or blanks. */
const SAFE_CSS_URL = /^[^"'()\\\s]+$/;

/** CSS functions other than url() that load resources. */
const LOADING_CSS_FUNCTION = /(?:^|[^a-z0-9-])(?:-webkit-)?(?:image-set|image|cross-fade|element|src)\s*\(/i;

/**
 * Sanitises the HTML of a message for display inside the webmail: scripts, event handlers, forms,
 * frames, objects, javascript:/vbscript:/data: links, meta refresh, base and style sheets are
 * removed; cid: images point at the attachment download URL; remote images, srcsets and CSS
 * backgrounds are removed unless `remoteContent`; links open in a new tab without a referrer.
 */
export function sanitizeMessageHtml(html: string, options: SanitizeOptions): SanitizedHtml {
  let hasRemoteContent = false;
  /** URLs this call made of cid: references: our own, so CSS may load them even with remote content off. */
  const ownUrls = new Set<string>();

  /** The URL to keep for an image-like reference, or undefined to drop it. */
  const imageUrl = (raw: string, allowData: boolean): string | undefined => {
    const { kind, value } = classifyUrl(raw);
    if (kind === 'cid') {
      const url = options.cidUrl(decodeCid(value));
      if (url) ownUrls.add(url);
      return url;
    }
    if (kind === 'image-data') return allowData ? value : undefined;
    if (kind === 'remote') {
      hasRemoteContent = true;
      return options.remoteContent ? value : undefined;
    }
    return undefined;
  };

  /** Rewrites every url() of a style attribute: cid: to ours, remote kept only when asked, others none. */
  const rewriteStyle = (style: string): string =>
    style.replace(
      /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"']*?))\s*\)/gi,
      (_match, double?: string, single?: string, bare?: string) => {
        const url = imageUrl(double ?? single ?? bare ?? '', false);
        return url && SAFE_CSS_URL.test(url) ? `url("${url}")` : 'none';
      },
    );

  /** The last check of each CSS declaration, after parsing: only the URLs decided above may load. */
  const safeCssValue = (value: string): boolean => {
    if (/expression|javascript:|vbscript:|behavior|binding|@import|\\|[<>]/i.test(value)) return false;
    if (LOADING_CSS_FUNCTION.test(value)) {
      if (/https?:|\/\//i.test(value)) hasRemoteContent = true;
      return false;
    }
    const rest = value.replace(/url\("([^"]*)"\)/gi, (match, url: string) =>
      ownUrls.has(url) || (options.remoteContent && classifyUrl(url).kind === 'remote') ? '' : match,
    );
    return !/url\s*\(/i.test(rest);
  };
  // sanitize-html tests each declaration's value with these "regular expressions"
  const cssGate = { test: safeCssValue } as unknown as RegExp;
  const allowedStyles = Object.fromEntries(ALLOWED_CSS_PROPERTIES.map((property) => [property, [cssGate]]));

  const output = sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      '*': COMMON_ATTRIBUTES,
      a: ['href', 'name', 'target', 'rel'],
      img: ['src', 'referrerpolicy'],
      table: ['background'],
      td: ['background'],
      th: ['background'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['http', 'https', 'data'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'background'],
    allowProtocolRelative: false,
    allowedStyles: { '*': allowedStyles },
    parseStyleAttributes: true,
    disallowedTagsMode: 'discard',
    nonTextTags: DROPPED_WITH_CONTENT,
    transformTags: {
      '*': (tagName, attribs) => {
        const attributes: Record<string, string> = { ...attribs };
        // the document's body keeps its colours as a block
        const name = tagName === 'body' ? 'div' : tagName;
        if (name === 'link' && /stylesheet/i.test(attributes.rel ?? '')) {
          if (classifyUrl(attributes.href ?? '').kind === 'remote') hasRemoteContent = true;
        }
        if (attributes.style !== undefined) attributes.style = rewriteStyle(attributes.style);
        if (attributes.background !== undefined) {
          const url = imageUrl(attributes.background, false);
          if (url) attributes.background = url;
          else delete attributes.background;
        }
        if (attributes.srcset !== undefined) {
          if (/(?:^|[\s,])(?:https?:)?\/\//i.test(attributes.srcset)) hasRemoteContent = true;
          delete attributes.srcset;
        }
        if (name === 'img') {
          const url = attributes.src === undefined ? undefined : imageUrl(attributes.src, true);
          if (url) attributes.src = url;
          else delete attributes.src;
          attributes.referrerpolicy = 'no-referrer';
        }
        if (name === 'a') {
          // absolute links only: a relative one would open a page of the webmail itself
          const href = (attributes.href ?? '').replace(/[\x00-\x20]+/g, '');
          if (!/^(?:https?:\/\/|mailto:|tel:)/i.test(href)) delete attributes.href;
          attributes.rel = 'noopener noreferrer';
          attributes.target = '_blank';
        }
        return { tagName: name, attribs: attributes };
      },
    },
  });
  return { html: output, hasRemoteContent };
}
