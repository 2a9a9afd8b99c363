'use client';
// "Share…": who a folder is shared with, each with a preset to change or Remove, and a form to add
// a person by address with a preset. Every change goes to the API at once and the list shown is
// the one it answers.
import { useEffect, useState, type FormEvent } from 'react';
import type { AccessPreset, Mailbox, MailboxShare } from '@/client/api-types';
import { describeError } from '@/client/graphql';
import { Button } from '@/components/button';
import { FormError, SelectField, TextField } from '@/components/form-field';
import { Modal } from '@/components/modal';
import { mailboxLabel } from './mailbox-order';
import { fetchFolderAccess, PRESET_LABELS, shareFolder } from './sharing-operations';
import { useInitialFocus } from './use-initial-focus';
import { SHARE_PRESETS as PRESETS, ShareEntry } from './share-entry';

export function ShareFolderDialog({
  folder,
  onClose,
  onChanged,
}: {
  folder: Mailbox;
  onClose: () => void;
  /** Said to the user after each change. */
  onChanged: (note: string) => void;
}) {
  const label = mailboxLabel(folder);
  const field = useInitialFocus<HTMLInputElement>();
  const [shares, setShares] = useState<MailboxShare[] | null>(null);
  const [address, setAddress] = useState('');
  const [preset, setPreset] = useState<Exclude<AccessPreset, 'NONE'>>('READ');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  useEffect(() => {
    let current = true;
    fetchFolderAccess(folder.id)
      .then((list) => current && setShares(list ?? []))
      .catch((failure: unknown) => current && setError(describeError(failure)));
    return () => {
      current = false;
    };
  }, [folder.id]);

  const change = async (who: string, access: AccessPreset, note: string) => {
    setPending(true);
    setError(null);
    try {
      setShares(await shareFolder(folder.id, who, access));
      onChanged(note);
      return true;
    } catch (failure) {
      setError(describeError(failure));
      return false;
    } finally {
      setPending(false);
    }
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const who = address.trim();
    if (!who) return setError('Type the address of the person to share with.');
    if (await change(who, preset, `${label} shared with ${who} (${PRESET_LABELS[preset]}).`)) setAddress('');
  };

  const others = shares?.filter((share) => !share.owner) ?? [];
  return (
    <Modal title={`Share ${label}`} onClose={onClose}>
      <div className="space-y-4 px-5 py-4">
        {error ? <FormError>{error}</FormError> : null}
        <form onSubmit={(event) => void add(event)} className="flex flex-wrap items-end gap-2">
          <div className="min-w-48 flex-1">
            <TextField
              id="share-address"
              label="Person"
              type="email"
              placeholder="name@example.com"
              autoComplete="off"
              value={address}
              onChange={(event) => setAddress(event.target.value)}
              ref={field}
            />
          </div>
          <div>
            <SelectField
              id="share-preset"
              label="Access"
              value={preset}
              onChange={(event) => setPreset(event.target.value as Exclude<AccessPreset, 'NONE'>)}
            >
              {PRESETS.map(([value, text]) => (
                <option key={value} value={value}>
                  {text}
                </option>
              ))}
            </SelectField>
          </div>
          <Button type="submit" variant="primary" disabled={pending}>
            Share
          </Button>
        </form>

        <section aria-labelledby="share-list-heading">
          <h3 id="share-list-heading" className="text-sm font-semibold text-slate-800">
            Shared with
          </h3>
          {shares === null ? (
            <p className="mt-2 text-sm text-slate-600">Loading…</p>
          ) : others.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">Nobody yet: only you see this folder.</p>
          ) : (
            <ul className="mt-2 divide-y divide-slate-200" data-testid="share-list">
              {others.map((share) => (
                <ShareEntry
                  key={share.identifier}
                  share={share}
                  controlId={`share-${share.identifier}`}
                  pending={pending}
                  onPreset={(next) =>
                    void change(
                      share.identifier,
                      next,
                      `${share.identifier} now has ${PRESET_LABELS[next]} access to ${label}.`,
                    )
                  }
                  onRemove={() =>
                    void change(
                      share.identifier,
                      'NONE',
                      `${label} is no longer shared with ${share.identifier}.`,
                    )
                  }
                />
              ))}
            </ul>
          )}
        </section>
        <div className="flex justify-end pt-2">
          <Button onClick={onClose}>Done</Button>
        </div>
      </div>
    </Modal>
  );
}
