'use client';
// A small rich text editor: a contenteditable box (a textbox named by `label`) under a toolbar of
// Bold, Italic, Bulleted list, Numbered list, Link and Quote (Ctrl+B, Ctrl+I, Ctrl+K), each
// button showing with aria-pressed whether the caret's text has it. Pasted HTML is cleaned
// (html-clean.ts); pasted picture files go to `onPasteImages`, which puts them in with
// `insertImage`. Pictures carry their Content-ID in data-cid and are written out as cid: by
// `html()`. Compose uses it for the message, Settings for signatures.
import { useCallback, useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import { labelClass } from '@/components/form-field';
import { cleanPastedHtml } from './html-clean';

export interface RichEditorHandle {
  /** Puts the caret at the start of the text (a reply is written above the quote). */
  focusStart(): void;
  /** Inserts a picture at the caret: shown from `src`, sent as cid:`cid`. */
  insertImage(src: string, cid: string, alt: string): void;
  /** The HTML to send: pictures as cid:, the editor's own markers removed. */
  html(): string;
  /** Puts this signature in place of the one shown (before the quoted part); '' removes it. */
  setSignature(signatureHtml: string): void;
}

type Format = 'bold' | 'italic' | 'bulleted' | 'numbered' | 'link' | 'quote';
type Pressed = Record<Format, boolean>;
const NOTHING_PRESSED: Pressed = {
  bold: false,
  italic: false,
  bulleted: false,
  numbered: false,
  link: false,
  quote: false,
};

/** The link address as typed, made absolute (a bare "example.org" is a web address). */
function linkAddress(typed: string): string | null {
  const value = typed.trim();
  if (!value) return null;
  if (/^(?:https?:\/\/|mailto:)/i.test(value)) return value;
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return `mailto:${value}`;
  if (/^[^\s:/]+\.[^\s]+$/.test(value)) return `https://${value}`;
  return null;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** Stroke icons of the toolbar (aria-hidden: each button is named by its aria-label). */
const ICONS: Partial<Record<Format, string>> = {
  bulleted: 'M9 6h11M9 12h11M9 18h11M4.5 6h.01M4.5 12h.01M4.5 18h.01',
  numbered: 'M10 6h10M10 12h10M10 18h10M4 4.5l1.5-1V9M3.5 14.5a1.3 1.3 0 0 1 2.4.6L3.5 19H6',
  link: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1',
  quote: 'M5 7h5v5c0 3-1.5 5-4 5.5M14 7h5v5c0 3-1.5 5-4 5.5',
};

const CONTENT_CLASSES =
  'min-h-40 w-full overflow-x-auto px-3 py-2 text-sm leading-relaxed text-slate-900 focus:outline-none ' +
  '[&_ul]:list-disc [&_ul]:pl-6 [&_ol]:list-decimal [&_ol]:pl-6 [&_a]:text-brand-700 [&_a]:underline ' +
  '[&_blockquote]:my-2 [&_blockquote]:border-l-4 [&_blockquote]:border-slate-300 [&_blockquote]:pl-3 ' +
  '[&_blockquote]:text-slate-700 [&_img]:inline [&_img]:max-w-full [&_p]:my-1';

export function RichEditor({
  id,
  label,
  initialHtml,
  onChange,
  onPasteImages,
  handleRef,
  minHeightClass = 'min-h-48',
}: {
  id: string;
  label: string;
  initialHtml: string;
  /** After each change, with the HTML to send; `edited` when the user made it (typing, formatting, pasting). */
  onChange: (html: string, edited: boolean) => void;
  /** Picture files pasted; without it, they are ignored. */
  onPasteImages?: (files: File[]) => void;
  handleRef?: Ref<RichEditorHandle>;
  minHeightClass?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const lastRange = useRef<Range | null>(null);
  const [pressed, setPressed] = useState<Pressed>(NOTHING_PRESSED);
  const [linkOpen, setLinkOpen] = useState(false);
  const [linkText, setLinkText] = useState('');
  const [linkError, setLinkError] = useState<string | null>(null);
  const linkInput = useRef<HTMLInputElement>(null);
  const changed = useRef(onChange);
  useEffect(() => {
    changed.current = onChange;
  }, [onChange]);

  const serialize = useCallback((): string => {
    const element = box.current;
    if (!element) return '';
    const copy = element.cloneNode(true) as HTMLElement;
    for (const image of Array.from(copy.querySelectorAll('img[data-cid]'))) {
      image.setAttribute('src', `cid:${image.getAttribute('data-cid') ?? ''}`);
      image.removeAttribute('data-cid');
    }
    for (const marked of Array.from(copy.querySelectorAll('[data-signature],[data-quote]'))) {
      marked.removeAttribute('data-signature');
      marked.removeAttribute('data-quote');
    }
    // an editor left empty sends nothing rather than a stray line break
    if (!copy.textContent?.trim() && !copy.querySelector('img')) return '';
    return copy.innerHTML;
  }, []);

  const emit = useCallback((edited = true) => changed.current(serialize(), edited), [serialize]);

  // The content is the browser's to edit: it is set once, never re-rendered by React.
  useEffect(() => {
    if (box.current) box.current.innerHTML = initialHtml;
    emit(false);
    // initialHtml is only the starting point
  }, []);

  const inside = (node: Node | null) => Boolean(node && box.current?.contains(node));

  const closest = (tag: string): HTMLElement | null => {
    const selection = document.getSelection();
    let node: Node | null = selection?.anchorNode ?? null;
    while (node && node !== box.current) {
      if (node instanceof HTMLElement && node.tagName === tag) return node;
      node = node.parentNode;
    }
    return null;
  };

  const refreshPressed = useCallback(() => {
    const selection = document.getSelection();
    if (!selection || !inside(selection.anchorNode)) return;
    if (selection.rangeCount) lastRange.current = selection.getRangeAt(0).cloneRange();
    setPressed({
      bold: document.queryCommandState('bold'),
      italic: document.queryCommandState('italic'),
      bulleted: document.queryCommandState('insertUnorderedList'),
      numbered: document.queryCommandState('insertOrderedList'),
      link: Boolean(closest('A')),
      quote: Boolean(closest('BLOCKQUOTE')),
    });
    // closest and inside read refs only
  }, []);

  useEffect(() => {
    document.addEventListener('selectionchange', refreshPressed);
    return () => document.removeEventListener('selectionchange', refreshPressed);
  }, [refreshPressed]);

  /** Puts the caret back where it was in the editor (a toolbar click or a field took the focus). */
  const restoreSelection = () => {
    const element = box.current;
    // still focused (a toolbar click keeps the focus): re-adding the range would drop the
    // pending bold or italic of the caret
    if (!element || document.activeElement === element) return;
    element.focus();
    const selection = document.getSelection();
    if (lastRange.current && inside(lastRange.current.startContainer)) {
      selection?.removeAllRanges();
      selection?.addRange(lastRange.current);
    }
  };

  /**
   * Inserts (already clean) HTML at the caret. Not execCommand('insertHTML'), which copies the
   * page's computed colours onto what it inserts as style attributes.
   */
  const insertHtml = (html: string) => {
    const element = box.current;
    if (!element) return;
    restoreSelection();
    const template = document.createElement('template');
    template.innerHTML = html;
    const last = template.content.lastChild;
    const selection = document.getSelection();
    const range = selection?.rangeCount && inside(selection.anchorNode) ? selection.getRangeAt(0) : null;
    if (!range) {
      element.appendChild(template.content);
      return;
    }
    range.deleteContents();
    range.insertNode(template.content);
    if (last) {
      range.setStartAfter(last);
      range.collapse(true);
      selection?.removeAllRanges();
      selection?.addRange(range);
    }
  };

  const run = (command: string, value?: string) => {
    restoreSelection();
    document.execCommand('styleWithCSS', false, 'false');
    document.execCommand(command, false, value);
    refreshPressed();
    emit();
  };

  const toggleQuote = () => {
    restoreSelection();
    const quote = closest('BLOCKQUOTE');
    if (quote) {
      // unwrap: its content stays where it was
      while (quote.firstChild) quote.parentNode?.insertBefore(quote.firstChild, quote);
      quote.remove();
    } else document.execCommand('formatBlock', false, 'blockquote');
    refreshPressed();
    emit();
  };

  const openLink = () => {
    const selection = document.getSelection();
    if (selection?.rangeCount && inside(selection.anchorNode))
      lastRange.current = selection.getRangeAt(0).cloneRange();
    setLinkText(closest('A')?.getAttribute('href') ?? '');
    setLinkError(null);
    setLinkOpen(true);
  };

  useEffect(() => {
    if (linkOpen) linkInput.current?.focus();
  }, [linkOpen]);

  const applyLink = () => {
    const href = linkAddress(linkText);
    if (!href) return setLinkError('Enter a web address (https://…) or an email address.');
    setLinkOpen(false);
    restoreSelection();
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed)
      insertHtml(`<a href="${escapeAttribute(href)}">${escapeAttribute(linkText.trim())}</a>`);
    else document.execCommand('createLink', false, href);
    refreshPressed();
    emit();
  };

  useImperativeHandle(
    handleRef,
    () => ({
      focusStart() {
        const element = box.current;
        if (!element) return;
        element.focus();
        const range = document.createRange();
        range.setStart(element, 0);
        range.collapse(true);
        const selection = document.getSelection();
        selection?.removeAllRanges();
        selection?.addRange(range);
        element.scrollTop = 0;
      },
      insertImage(src, cid, alt) {
        const element = box.current;
        if (!element) return;
        restoreSelection();
        const image = document.createElement('img');
        image.src = src;
        image.alt = alt;
        image.setAttribute('data-cid', cid);
        const selection = document.getSelection();
        const range = selection?.rangeCount && inside(selection.anchorNode) ? selection.getRangeAt(0) : null;
        if (range) {
          range.deleteContents();
          range.insertNode(image);
          range.setStartAfter(image);
          range.collapse(true);
          selection?.removeAllRanges();
          selection?.addRange(range);
        } else element.appendChild(image);
        emit(false);
      },
      html: serialize,
      setSignature(signatureHtml) {
        const element = box.current;
        if (!element) return;
        const current = element.querySelector('[data-signature]');
        if (!signatureHtml) current?.remove();
        else {
          const block = current ?? document.createElement('div');
          block.setAttribute('data-signature', '');
          block.innerHTML = `<div>-- </div>${signatureHtml}`;
          if (!current) {
            const quote = element.querySelector('[data-quote]');
            if (quote) element.insertBefore(block, quote);
            else element.appendChild(block);
          }
        }
        emit(false);
      },
    }),
    // the handle reads refs only
    [serialize, emit],
  );

  const buttons: { format: Format; label: string; keys?: string; glyph: string; action: () => void }[] = [
    { format: 'bold', label: 'Bold', keys: 'Control+B', glyph: 'B', action: () => run('bold') },
    { format: 'italic', label: 'Italic', keys: 'Control+I', glyph: 'I', action: () => run('italic') },
    { format: 'bulleted', label: 'Bulleted list', glyph: '', action: () => run('insertUnorderedList') },
    { format: 'numbered', label: 'Numbered list', glyph: '', action: () => run('insertOrderedList') },
    { format: 'link', label: 'Link', keys: 'Control+K', glyph: '', action: openLink },
    { format: 'quote', label: 'Quote', glyph: '', action: toggleQuote },
  ];

  return (
    <div>
      <span id={`${id}-label`} className={labelClass}>
        {label}
      </span>
      <div className="mt-1 rounded-md border border-slate-300 bg-white shadow-sm focus-within:border-brand-600 focus-within:ring-2 focus-within:ring-brand-200">
        <div
          role="toolbar"
          aria-label="Formatting"
          aria-controls={id}
          className="flex flex-wrap gap-1 border-b border-slate-200 px-2 py-1"
          onKeyDown={(event) => {
            // one tab stop for the toolbar; arrows move between its buttons
            if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
            const all = Array.from(event.currentTarget.querySelectorAll('button'));
            const at = all.indexOf(document.activeElement as HTMLButtonElement);
            const next = all[(at + (event.key === 'ArrowRight' ? 1 : all.length - 1)) % all.length];
            next?.focus();
            event.preventDefault();
          }}
        >
          {buttons.map((button, index) => (
            <button
              key={button.format}
              type="button"
              aria-label={button.label}
              aria-pressed={pressed[button.format]}
              aria-keyshortcuts={button.keys}
              title={
                button.keys ? `${button.label} (${button.keys.replace('Control', 'Ctrl')})` : button.label
              }
              tabIndex={index === 0 ? 0 : -1}
              // keep the editor's selection: the button acts on it
              onMouseDown={(event) => event.preventDefault()}
              onClick={button.action}
              className={`min-w-8 rounded px-2 py-1 text-sm text-slate-700 hover:bg-slate-100 ${pressed[button.format] ? 'bg-slate-200 font-semibold' : ''} ${button.format === 'bold' ? 'font-bold' : ''} ${button.format === 'italic' ? 'italic' : ''}`}
            >
              {ICONS[button.format] ? (
                <svg
                  viewBox="0 0 24 24"
                  className="h-4 w-4"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="2"
                  strokeLinecap="round"
                  strokeLinejoin="round"
                  aria-hidden="true"
                >
                  <path d={ICONS[button.format]} />
                </svg>
              ) : (
                <span aria-hidden="true">{button.glyph}</span>
              )}
            </button>
          ))}
        </div>
        {linkOpen ? (
          <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-2 py-2">
            <label htmlFor={`${id}-link`} className="text-sm text-slate-700">
              Link address
            </label>
            <input
              id={`${id}-link`}
              ref={linkInput}
              value={linkText}
              onChange={(event) => setLinkText(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter') {
                  event.preventDefault();
                  applyLink();
                } else if (event.key === 'Escape') {
                  event.preventDefault();
                  event.stopPropagation();
                  setLinkOpen(false);
                  restoreSelection();
                }
              }}
              placeholder="https://…"
              aria-invalid={linkError ? true : undefined}
              aria-describedby={linkError ? `${id}-link-error` : undefined}
              className="min-w-0 flex-1 rounded border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900"
            />
            <button
              type="button"
              onClick={applyLink}
              className="rounded bg-brand-700 px-2 py-1 text-sm text-white hover:bg-brand-800"
            >
              Add link
            </button>
            <button
              type="button"
              onClick={() => {
                setLinkOpen(false);
                restoreSelection();
              }}
              className="rounded px-2 py-1 text-sm text-slate-700 hover:bg-slate-100"
            >
              Cancel
            </button>
            {linkError ? (
              <p id={`${id}-link-error`} className="w-full text-xs text-red-800">
                {linkError}
              </p>
            ) : null}
          </div>
        ) : null}
        <div
          id={id}
          ref={box}
          role="textbox"
          aria-multiline="true"
          aria-labelledby={`${id}-label`}
          contentEditable
          suppressContentEditableWarning
          tabIndex={0}
          data-testid={`${id}-editor`}
          className={`${CONTENT_CLASSES} ${minHeightClass} max-h-[50dvh] overflow-y-auto`}
          onInput={() => emit()}
          onKeyDown={(event) => {
            if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
            const key = event.key.toLowerCase();
            if (key === 'b') run('bold');
            else if (key === 'i') run('italic');
            else if (key === 'k') openLink();
            else return;
            event.preventDefault();
          }}
          onPaste={(event) => {
            const files = Array.from(event.clipboardData.files).filter((file) =>
              file.type.startsWith('image/'),
            );
            if (files.length) {
              event.preventDefault();
              if (onPasteImages) onPasteImages(files);
              return;
            }
            const html = event.clipboardData.getData('text/html');
            if (html) {
              event.preventDefault();
              insertHtml(cleanPastedHtml(html));
              emit();
            }
          }}
        />
      </div>
    </div>
  );
}
