'use client';
// Compose (new message, reply, reply all, forward, draft): addresses, subject, text and
// attachments, uploaded as they are added. The draft is saved in Drafts as you type (each save
// replaces the previous one) and removed when the message is sent or discarded.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { ComposeInput, Upload } from '@/client/api-types';
import { describeError } from '@/client/graphql';
import { reuploadAttachment, uploadFile } from '@/client/uploads';
import { Button } from '@/components/button';
import { FormError, TextAreaField, TextField } from '@/components/form-field';
import { Icon } from '@/components/icons';
import { Modal } from '@/components/modal';
import { formatBytes, parseAddressList } from '@/shared/format';
import type { ComposeSeed } from './compose-state';
import { deleteMessages, saveDraft, sendMessage } from './operations';

/** Quiet time after the last keystroke before the draft is saved. */
const DRAFT_DELAY_MS = 1_200;

interface AttachmentSlot {
  key: string;
  filename: string;
  size: number;
  status: 'uploading' | 'ready' | 'failed';
  upload?: Upload;
  error?: string;
}

type DraftStatus =
  { state: 'idle' } | { state: 'saving' } | { state: 'saved'; at: Date } | { state: 'failed'; error: string };

let slotCounter = 0;

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
  const [text, setText] = useState(seed.text);
  const [slots, setSlots] = useState<AttachmentSlot[]>([]);
  const [draft, setDraft] = useState<DraftStatus>({ state: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const draftId = useRef<string | null>(seed.draftId);
  const lastSaved = useRef<string>('');
  const saving = useRef<Promise<void>>(Promise.resolve());
  const finished = useRef(false);
  const touched = useRef(false);
  const body = useRef<HTMLTextAreaElement>(null);

  // A reply or forward starts in the text, above the quoted part; a new message in To.
  useEffect(() => {
    if (!seed.to && !seed.inReplyTo) return;
    const element = body.current;
    element?.focus();
    element?.setSelectionRange(0, 0);
    element?.scrollTo({ top: 0 });
  }, [seed]);

  const addSlot = useCallback((filename: string, size: number, work: Promise<Upload>) => {
    const key = `a${(slotCounter += 1)}`;
    setSlots((current) => [...current, { key, filename, size, status: 'uploading' }]);
    work.then(
      (upload) =>
        setSlots((current) =>
          current.map((slot) =>
            slot.key === key ? { ...slot, status: 'ready', upload, size: upload.size } : slot,
          ),
        ),
      (failure: unknown) =>
        setSlots((current) =>
          current.map((slot) =>
            slot.key === key ? { ...slot, status: 'failed', error: describeError(failure) } : slot,
          ),
        ),
    );
  }, []);

  // Attachments of the original (forward, reopened draft) are uploaded again to go along.
  useEffect(() => {
    for (const attachment of seed.carriedAttachments) {
      const name = attachment.filename || 'attachment';
      addSlot(name, attachment.size, reuploadAttachment(attachment.downloadUrl, name));
    }
  }, [seed.carriedAttachments, addSlot]);

  const buildInput = useCallback((): ComposeInput => {
    const addresses = (value: string) => parseAddressList(value).addresses;
    return {
      to: addresses(to),
      cc: addresses(cc),
      bcc: addresses(bcc),
      subject,
      text,
      inReplyTo: seed.inReplyTo,
      attachments: slots.flatMap((slot) => (slot.upload ? [slot.upload.id] : [])),
    };
  }, [to, cc, bcc, subject, text, slots, seed.inReplyTo]);

  /** Saves the draft unless nothing changed since the last save; saves run one after another. */
  const saveNow = useCallback(() => {
    const input = buildInput();
    const key = JSON.stringify(input);
    saving.current = saving.current.then(async () => {
      if (finished.current || key === lastSaved.current) return;
      setDraft({ state: 'saving' });
      try {
        const saved = await saveDraft(input, draftId.current);
        draftId.current = saved.id;
        lastSaved.current = key;
        setDraft({ state: 'saved', at: new Date() });
      } catch (failure) {
        setDraft({ state: 'failed', error: describeError(failure) });
      }
    });
    return saving.current;
  }, [buildInput]);

  // Drafts are saved as you type: a moment after the last change.
  useEffect(() => {
    if (!touched.current) return;
    const timer = setTimeout(() => void saveNow(), DRAFT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [saveNow]);

  const edit =
    <T,>(setter: (value: T) => void) =>
    (value: T) => {
      touched.current = true;
      setter(value);
    };

  const removeDraft = async () => {
    await saving.current;
    const id = draftId.current;
    if (!id) return;
    draftId.current = null;
    try {
      const result = await deleteMessages([id]);
      // Deleting from Drafts moves it to Trash; a draft is not worth keeping there.
      if (result.movedToTrash.length) await deleteMessages(result.movedToTrash).catch(() => undefined);
    } catch {
      // the draft stays in Drafts; nothing the user needs to act on now
    }
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
    setSending(true);
    await saving.current;
    finished.current = true;
    try {
      const result = await sendMessage(buildInput());
      await removeDraft();
      onSent(
        result.rejected.length ? `Sent, but refused for: ${result.rejected.join(', ')}` : 'Message sent.',
      );
    } catch (failure) {
      finished.current = false;
      setSending(false);
      setError(`The message was not sent: ${describeError(failure)}`);
    }
  };

  const close = async () => {
    if (touched.current && !finished.current) {
      await saveNow();
      finished.current = true;
      onClose(draftId.current ? 'Draft saved.' : undefined);
    } else onClose();
  };

  const discard = async () => {
    finished.current = true;
    await removeDraft();
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
          <TextField
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
            name="to"
            value={to}
            onChange={(event) => edit(setTo)(event.target.value)}
            autoComplete="email"
            placeholder="name@example.com, …"
            autoFocus={!seed.to && !seed.inReplyTo}
          />
          {showCopies ? (
            <div className="grid gap-3 sm:grid-cols-2">
              <TextField
                id="compose-cc"
                label="Cc"
                value={cc}
                onChange={(event) => edit(setCc)(event.target.value)}
              />
              <TextField
                id="compose-bcc"
                label="Bcc"
                value={bcc}
                onChange={(event) => edit(setBcc)(event.target.value)}
              />
            </div>
          ) : null}
          <TextField
            id="compose-subject"
            label="Subject"
            value={subject}
            onChange={(event) => edit(setSubject)(event.target.value)}
          />
          <TextAreaField
            id="compose-body"
            label="Message"
            value={text}
            onChange={(event) => edit(setText)(event.target.value)}
            rows={12}
            className="font-sans leading-relaxed"
            ref={body}
          />
          {slots.length ? (
            <ul className="flex flex-wrap gap-2" aria-label="Attachments">
              {slots.map((slot) => (
                <li
                  key={slot.key}
                  className={`flex items-center gap-2 rounded-lg border px-3 py-1.5 text-sm ${slot.status === 'failed' ? 'border-red-300 bg-red-50 text-red-900' : 'border-slate-300 bg-slate-50 text-slate-800'}`}
                >
                  <Icon name="paperclip" className="h-4 w-4 text-slate-500" />
                  <span className="max-w-48 truncate">{slot.filename}</span>
                  <span className="text-slate-600">
                    {slot.status === 'uploading'
                      ? 'uploading…'
                      : slot.status === 'failed'
                        ? 'failed'
                        : formatBytes(slot.size)}
                  </span>
                  {slot.error ? <span className="sr-only">{slot.error}</span> : null}
                  <button
                    type="button"
                    onClick={() => {
                      touched.current = true;
                      setSlots((current) => current.filter((other) => other.key !== slot.key));
                    }}
                    aria-label={`Remove ${slot.filename}`}
                    className="rounded p-0.5 text-slate-500 hover:bg-slate-200"
                  >
                    <Icon name="close" className="h-4 w-4" />
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 px-5 py-3">
          <Button type="submit" variant="primary" size="large" disabled={sending}>
            {sending ? 'Sending…' : 'Send'}
          </Button>
          <label className="flex cursor-pointer items-center gap-2 rounded-md border border-slate-300 px-3 py-2 text-sm text-slate-700 hover:bg-slate-50 focus-within:outline-2 focus-within:outline-brand-600">
            <Icon name="paperclip" className="h-4 w-4" />
            Attach files
            <input
              type="file"
              multiple
              className="sr-only"
              data-testid="compose-file-input"
              onChange={(event) => {
                touched.current = true;
                for (const file of Array.from(event.target.files ?? []))
                  addSlot(file.name, file.size, uploadFile(file, file.name));
                event.target.value = '';
              }}
            />
          </label>
          <span className="flex-1 text-sm text-slate-600" aria-live="polite" data-testid="draft-status">
            {draft.state === 'saving'
              ? 'Saving draft…'
              : draft.state === 'saved'
                ? `Draft saved at ${draft.at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}`
                : draft.state === 'failed'
                  ? `Draft not saved: ${draft.error}`
                  : ''}
          </span>
          <Button variant="quiet" size="compact" onClick={() => void discard()}>
            Discard
          </Button>
        </div>
      </form>
    </Modal>
  );
}
