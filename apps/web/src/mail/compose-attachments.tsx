'use client';
// Compose's attachments: each file is uploaded as soon as it is added, so sending only names the
// uploads; each shows as a chip with its progress or failure, and can be removed.
import { useCallback, useEffect, useState } from 'react';
import type { Upload } from '@/client/api-types';
import { describeError } from '@/client/graphql';
import { reuploadAttachment, uploadFile } from '@/client/uploads';
import { Icon } from '@/components/icons';
import { formatBytes } from '@/shared/format';
import type { ComposeSeed } from './compose-state';

export interface AttachmentSlot {
  key: string;
  filename: string;
  size: number;
  status: 'uploading' | 'ready' | 'failed';
  upload?: Upload;
  error?: string;
}

let slotCounter = 0;

export function useAttachmentSlots(carried: ComposeSeed['carriedAttachments']) {
  const [slots, setSlots] = useState<AttachmentSlot[]>([]);

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
    for (const attachment of carried) {
      const name = attachment.filename || 'attachment';
      addSlot(name, attachment.size, reuploadAttachment(attachment.downloadUrl, name));
    }
  }, [carried, addSlot]);

  return {
    slots,
    addFiles: (files: File[]) => {
      for (const file of files) addSlot(file.name, file.size, uploadFile(file, file.name));
    },
    remove: (key: string) => setSlots((current) => current.filter((other) => other.key !== key)),
  };
}

export function AttachmentChips({
  slots,
  onRemove,
}: {
  slots: AttachmentSlot[];
  onRemove: (slot: AttachmentSlot) => void;
}) {
  if (!slots.length) return null;
  return (
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
            onClick={() => onRemove(slot)}
            aria-label={`Remove ${slot.filename}`}
            className="rounded p-0.5 text-slate-500 hover:bg-slate-200"
          >
            <Icon name="close" className="h-4 w-4" />
          </button>
        </li>
      ))}
    </ul>
  );
}

/** A file picker that looks like a button (the input itself is visually hidden but focusable). */
export function AttachFilesButton({ onFiles }: { onFiles: (files: File[]) => void }) {
  return (
    <label className="flex cursor-pointer items-center gap-2 rounded-md border border-slate-300 px-3 py-2 text-sm text-slate-700 hover:bg-slate-50 focus-within:outline-2 focus-within:outline-brand-600">
      <Icon name="paperclip" className="h-4 w-4" />
      Attach files
      <input
        type="file"
        multiple
        className="sr-only"
        data-testid="compose-file-input"
        onChange={(event) => {
          onFiles(Array.from(event.target.files ?? []));
          // so the same file can be picked again after removing it
          event.target.value = '';
        }}
      />
    </label>
  );
}
