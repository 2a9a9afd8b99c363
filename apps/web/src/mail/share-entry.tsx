'use client';
// One person's entry in a folder's access list: who, a preset to change their access, and Remove.
// The Share dialog and the administrators' user page both show these; they differ only in what a
// change does and whether the folder is named (the user page lists several folders).
import type { AccessPreset, MailboxShare } from '@/client/api-types';
import { Button } from '@/components/button';
import { PRESET_LABELS } from './sharing-operations';

export type SharePreset = Exclude<AccessPreset, 'NONE'>;
export const SHARE_PRESETS = Object.entries(PRESET_LABELS) as [SharePreset, string][];

export function ShareEntry({
  share,
  controlId,
  folder,
  pending,
  onPreset,
  onRemove,
}: {
  share: MailboxShare;
  controlId: string;
  /** The folder's name, said in the control's labels where several folders are listed. */
  folder?: string;
  pending: boolean;
  onPreset: (preset: SharePreset) => void;
  onRemove: () => void;
}) {
  return (
    <li className="flex flex-wrap items-center gap-2 py-2">
      <span className="min-w-0 flex-1 truncate text-sm">{share.identifier}</span>
      <label className="sr-only" htmlFor={controlId}>
        Access of {share.identifier}
        {folder ? ` to ${folder}` : ''}
      </label>
      <select
        id={controlId}
        value={share.preset ?? ''}
        disabled={pending}
        onChange={(event) => onPreset(event.target.value as SharePreset)}
        className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
      >
        {share.preset ? null : <option value="">Custom ({share.rights})</option>}
        {SHARE_PRESETS.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
      <Button
        size="compact"
        disabled={pending}
        aria-label={`Remove ${share.identifier}${folder ? ` from ${folder}` : ''}`}
        onClick={onRemove}
      >
        Remove
      </Button>
    </li>
  );
}
