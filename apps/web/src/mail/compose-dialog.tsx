'use client';
// Compose (new message, reply, reply all, forward, draft): addresses (with suggestions of those
// written to before), the identity to send as, subject, the formatted text (with pasted pictures
// sent inline and the identity's signature) and attachments, uploaded as they are added. The
// draft is saved in Drafts as you type (each save replaces the previous one) and removed when the
// message is sent or discarded.
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { ComposeInput } from '@/client/api-types';
import { describeError } from '@/client/graphql';
import { Button } from '@/components/button';
import { FormError, SelectField, TextField } from '@/components/form-field';
import { Icon } from '@/components/icons';
import { Modal } from '@/components/modal';
import { parseAddressList } from '@/shared/format';
import { AddressField } from './compose-address-field';
import { AttachFilesButton, AttachmentChips, useAttachmentSlots } from './compose-attachments';
import { fetchIdentities, type Identity } from './compose-operations';
import type { ComposeSeed } from './compose-state';
import { textToHtml } from './html-clean';
import { sendMessage } from './operations';
import { RichEditor, type RichEditorHandle } from './rich-editor';
import { useDraftAutosave, type DraftStatus } from './use-draft-autosave';
import { useInlineImages } from './use-inline-images';

const NO_IMAGES: ComposeSeed['carriedInline'] = [];

export function ComposeDialog({
  seed,
  title,
  onClose,
  onSent,
}: {
  seed: ComposeSeed;
  title: string;
  onClose: (note?: string) => void;
  onSent: (note: string) => void;
}) {
  const [to, setTo] = useState(seed.to);
  const [cc, setCc] = useState(seed.cc);
  const [bcc, setBcc] = useState(seed.bcc);
  const [showCopies, setShowCopies] = useState(Boolean(seed.cc || seed.bcc));
  const [subject, setSubject] = useState(seed.subject);
  // a first empty line, so the text is written above the signature
  const initialHtml = useMemo(
    () => seed.html || (seed.text ? textToHtml(seed.text) : '<div><br></div>'),
    [seed],
  );
  const [html, setHtml] = useState('');
  const [identities, setIdentities] = useState<Identity[]>([]);
  const [identityId, setIdentityId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const editor = useRef<RichEditorHandle>(null);

  // A reply or forward starts in the text, above the quoted part; a new message in To.
  useEffect(() => {
    if (!seed.to && !seed.inReplyTo) return;
    editor.current?.focusStart();
  }, [seed]);

  // The identities to send as; the default's signature goes below the text of a new message
  // (a reopened draft has its own already).
  useEffect(() => {
    let live = true;
    fetchIdentities()
      .then((found) => {
        if (!live) return;
        setIdentities(found);
        const chosen = found.find((identity) => identity.isDefault) ?? found[0];
        if (!chosen) return;
        setIdentityId(chosen.id);
        if (!seed.draftId && chosen.signatureHtml) editor.current?.setSignature(chosen.signatureHtml);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [seed]);

  const attachments = useAttachmentSlots(seed.carriedAttachments);
  const slots = attachments.slots;
  const inline = useInlineImages(seed.carriedInline ?? NO_IMAGES);
  const images = inline.images;

  const buildInput = useCallback((): ComposeInput => {
    const addresses = (value: string) => parseAddressList(value).addresses;
    return {
      to: addresses(to),
      cc: addresses(cc),
      bcc: addresses(bcc),
      subject,
      html,
      inlineImages: images.flatMap((image) =>
        image.uploadId && html.includes(`cid:${image.contentId}`)
          ? [{ uploadId: image.uploadId, contentId: image.contentId }]
          : [],
      ),
      ...(identityId ? { identityId } : {}),
      inReplyTo: seed.inReplyTo,
      attachments: slots.flatMap((slot) => (slot.upload ? [slot.upload.id] : [])),
    };
  }, [to, cc, bcc, subject, html, images, identityId, slots, seed.inReplyTo]);

  const draft = useDraftAutosave(buildInput, seed.draftId);

  const edit =
    <T,>(setter: (value: T) => void) =>
    (value: T) => {
      draft.touch();
      setter(value);
    };

  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    setError(null);
    const recipients = [to, cc, bcc].map(parseAddressList);
    const invalid = recipients.flatMap((parsed) => parsed.invalid);
    if (invalid.length) return setError(`These are not email addresses: ${invalid.join(', ')}`);
    if (!recipients.some((parsed) => parsed.addresses.length)) return setError('Add at least one recipient.');
    if (slots.some((slot) => slot.status === 'uploading'))
      return setError('Wait until the attachments are uploaded.');
    if (slots.some((slot) => slot.status === 'failed')) {
      return setError('Remove the attachments that failed to upload, or add them again.');
    }
    const shown = images.filter((image) => html.includes(`cid:${image.contentId}`));
    if (shown.some((image) => image.status === 'uploading'))
      return setError('Wait until the pictures are uploaded.');
    if (shown.some((image) => image.status === 'failed'))
      return setError('Remove the pictures that failed to upload, or paste them again.');
    setSending(true);
    await draft.stopSaving();
    try {
      const result = await sendMessage(buildInput());
      await draft.remove();
      onSent(
        result.rejected.length ? `Sent, but refused for: ${result.rejected.join(', ')}` : 'Message sent.',
      );
    } catch (failure) {
      draft.resumeSaving();
      setSending(false);
      setError(`The message was not sent: ${describeError(failure)}`);
    }
  };

  const close = async () => {
    onClose((await draft.keepOnClose()) ? 'Draft saved.' : undefined);
  };

  const discard = async () => {
    await draft.discard();
    onClose('Draft discarded.');
  };

  return (
    <Modal title={title} onClose={() => void close()} wide labelledBy="compose-title">
      <form
        onSubmit={(event) => void send(event)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void send(event);
        }}
        className="flex max-h-[90dvh] flex-col"
        data-testid="compose"
      >
        <div className="flex items-center justify-between border-b border-slate-200 px-5 py-3">
          <h2 id="compose-title" className="text-lg font-semibold">
            {title}
          </h2>
          <button
            type="button"
            onClick={() => void close()}
            aria-label="Close and keep the draft"
            className="rounded-md p-1.5 text-slate-600 hover:bg-slate-100"
          >
            <Icon name="close" />
          </button>
        </div>
        <div className="min-h-0 flex-1 space-y-3 overflow-y-auto px-5 py-4">
          {error ? <FormError>{error}</FormError> : null}
          {identities.length > 1 ? (
            <SelectField
              id="compose-from"
              label="From"
              value={identityId ?? ''}
              onChange={(event) => {
                draft.touch();
                const chosen = identities.find((identity) => identity.id === event.target.value);
                setIdentityId(event.target.value);
                editor.current?.setSignature(chosen?.signatureHtml ?? '');
              }}
            >
              {identities.map((identity) => (
                <option key={identity.id} value={identity.id}>
                  {identity.name ? `${identity.name} <${identity.address}>` : identity.address}
                </option>
              ))}
            </SelectField>
          ) : null}
          <AddressField
            id="compose-to"
            label="To"
            labelAside={
              showCopies ? null : (
                <button
                  type="button"
                  onClick={() => setShowCopies(true)}
                  className="text-sm text-brand-700 hover:underline"
                >
                  Cc/Bcc
                </button>
              )
            }
            value={to}
            onChange={edit(setTo)}
            placeholder="name@example.com, …"
            autoFocus={!seed.to && !seed.inReplyTo}
          />
          {showCopies ? (
            <div className="grid gap-3 sm:grid-cols-2">
              <AddressField id="compose-cc" label="Cc" value={cc} onChange={edit(setCc)} />
              <AddressField id="compose-bcc" label="Bcc" value={bcc} onChange={edit(setBcc)} />
            </div>
          ) : null}
          <TextField
            id="compose-subject"
            label="Subject"
            value={subject}
            onChange={(event) => edit(setSubject)(event.target.value)}
          />
          <RichEditor
            id="compose-body"
            label="Message"
            initialHtml={initialHtml}
            handleRef={editor}
            onChange={(value, edited) => {
              if (edited) draft.touch();
              setHtml(value);
            }}
            onPasteImages={(files) => {
              draft.touch();
              for (const image of inline.addFiles(files))
                editor.current?.insertImage(image.src, image.contentId, 'Pasted picture');
            }}
          />
          <AttachmentChips
            slots={slots}
            onRemove={(slot) => {
              draft.touch();
              attachments.remove(slot.key);
            }}
          />
        </div>
        <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 px-5 py-3">
          <Button type="submit" variant="primary" size="large" disabled={sending}>
            {sending ? 'Sending…' : 'Send'}
          </Button>
          <AttachFilesButton
            onFiles={(files) => {
              draft.touch();
              attachments.addFiles(files);
            }}
          />
          <span className="flex-1 text-sm text-slate-600" aria-live="polite" data-testid="draft-status">
            {describeDraftStatus(draft.status)}
            {images.some((image) => image.status === 'uploading') ? (
              <span data-testid="pictures-uploading"> Uploading pictures…</span>
            ) : null}
          </span>
          <Button variant="quiet" size="compact" onClick={() => void discard()}>
            Discard
          </Button>
        </div>
      </form>
    </Modal>
  );
}

function describeDraftStatus(status: DraftStatus): string {
  if (status.state === 'saving') return 'Saving draft…';
  if (status.state === 'saved')
    return `Draft saved at ${status.at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}`;
  if (status.state === 'failed') return `Draft not saved: ${status.error}`;
  return '';
}
