'use client';
// The HTML body of a message, shown in a sandboxed iframe. The API has sanitised it already;
// the frame is the second wall: no allow-scripts (nothing in it can run), a Content Security
// Policy that forbids scripts and (unless the reader allows them) remote images and styles,
// and links that open in a new tab outside the sandbox.
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { Attachment } from '@/client/api-types';
import { proxiedFileUrl } from '@/client/graphql';

export function MessageFrame({
  html,
  remoteContent,
  attachments,
}: {
  html: string;
  remoteContent: boolean;
  attachments: Attachment[];
}) {
  const frame = useRef<HTMLIFrameElement>(null);
  const document = useMemo(
    () => buildFrameDocument(inlineImages(html, attachments), remoteContent),
    [html, remoteContent, attachments],
  );

  // The frame grows to its content, so the reading pane scrolls as one.
  const fit = useCallback(() => {
    const element = frame.current;
    const body = element?.contentDocument?.documentElement;
    if (element && body) element.style.height = `${Math.max(120, body.scrollHeight + 4)}px`;
  }, []);

  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    let observer: ResizeObserver | undefined;
    const onLoad = () => {
      fit();
      // Keys pressed while the message body has the focus still reach the webmail's shortcuts.
      element.contentDocument?.addEventListener('keydown', (event) => {
        window.dispatchEvent(
          new KeyboardEvent('keydown', {
            key: event.key,
            shiftKey: event.shiftKey,
            ctrlKey: event.ctrlKey,
            metaKey: event.metaKey,
            altKey: event.altKey,
          }),
        );
      });
      observer?.disconnect();
      const body = element.contentDocument?.body;
      if (body) {
        observer = new ResizeObserver(fit);
        observer.observe(body);
      }
    };
    element.addEventListener('load', onLoad);
    return () => {
      element.removeEventListener('load', onLoad);
      observer?.disconnect();
    };
  }, [fit, document]);

  return (
    <iframe
      ref={frame}
      title="Message body"
      // No allow-scripts: scripts never run. allow-same-origin only lets this page measure the
      // content's height; with scripts off, the content itself can do nothing with it.
      sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
      referrerPolicy="no-referrer"
      srcDoc={document}
      className="block h-40 w-full rounded-md border-0 bg-[#fff]"
      data-testid="message-frame"
    />
  );
}

/** Points cid: references of inline parts at their downloads (through this site). */
function inlineImages(html: string, attachments: Attachment[]): string {
  let result = html;
  for (const attachment of attachments) {
    if (!attachment.contentId) continue;
    const cid = attachment.contentId.replace(/^<|>$/g, '');
    result = result.split(`cid:${cid}`).join(proxiedFileUrl(attachment.downloadUrl));
  }
  return result;
}

function buildFrameDocument(body: string, remoteContent: boolean): string {
  const remote = remoteContent ? ' https: http:' : '';
  const policy = [
    "default-src 'none'",
    "script-src 'none'",
    `img-src 'self' data:${remote}`,
    `style-src 'unsafe-inline'${remote}`,
    `font-src data:${remote}`,
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="referrer" content="no-referrer">
<base target="_blank">
<style>
  html { color-scheme: light; background: #fff; }
  body { margin: 0; padding: 4px 2px; font: 15px/1.55 ui-sans-serif, system-ui, sans-serif; color: #0f172a; overflow-wrap: anywhere; }
  img { max-width: 100%; height: auto; }
  pre { white-space: pre-wrap; }
  a { color: #164bb5; }
  blockquote { margin: 0 0 0 .5em; padding-left: .75em; border-left: 3px solid #cbd5e1; color: #475569; }
  /* In dark mode the email is a sheet of white paper in the dark pane: it was designed for white. */
  @media (prefers-color-scheme: dark) { body { padding: 12px 14px; } }
</style></head><body>${body}</body></html>`;
}
