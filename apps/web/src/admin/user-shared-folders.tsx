'use client';
// The user page's "Shared folders": each folder of the user shared with somebody, with its access
// list, where the administrator changes a person's access or removes it, and a form to share any
// of the user's folders with a person. The administrator acts as the owner would.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { AdminSharedMailbox } from '@/client/api-types';
import { describeError } from '@/client/graphql';
import { Button } from '@/components/button';
import { FormError, SelectField, TextField } from '@/components/form-field';
import { PRESET_LABELS, PRESET_RIGHTS } from '@/mail/sharing-operations';
import { SHARE_PRESETS as PRESETS, ShareEntry, type SharePreset as Preset } from '@/mail/share-entry';
import { fetchUserAccessLists, setFolderAccess } from './sharing-operations';

export function UserSharedFolders({
  userId,
  className,
  onNotice,
}: {
  userId: string;
  className: string;
  onNotice: (text: string) => void;
}) {
  const [folders, setFolders] = useState<AdminSharedMailbox[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [folderId, setFolderId] = useState('');
  const [address, setAddress] = useState('');
  const [preset, setPreset] = useState<Preset>('READ');

  const load = useCallback(async () => {
    try {
      setFolders(await fetchUserAccessLists(userId));
    } catch (failure) {
      setError(describeError(failure));
    }
  }, [userId]);
  useEffect(() => {
    void load();
  }, [load]);

  const change = async (mailboxId: string, who: string, rights: string, note: string) => {
    setPending(true);
    setError(null);
    try {
      await setFolderAccess(mailboxId, who, rights);
      onNotice(note);
      await load();
      return true;
    } catch (failure) {
      setError(describeError(failure));
      return false;
    } finally {
      setPending(false);
    }
  };

  const shared = folders?.filter((folder) => folder.access.some((share) => !share.owner)) ?? [];
  const chosen = folderId || folders?.[0]?.mailbox.id || '';
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const who = address.trim();
    if (!who) return setError('Type the address of the person to share with.');
    const path = folders?.find((folder) => folder.mailbox.id === chosen)?.mailbox.path ?? '';
    if (
      await change(
        chosen,
        who,
        PRESET_RIGHTS[preset],
        `${path} shared with ${who} (${PRESET_LABELS[preset]}).`,
      )
    )
      setAddress('');
  };

  return (
    <section aria-labelledby="shared-folders-title" className={className}>
      <h2 id="shared-folders-title" className="font-semibold text-slate-900">
        Shared folders
      </h2>
      {error ? (
        <div className="mt-3">
          <FormError>{error}</FormError>
        </div>
      ) : null}
      {folders === null ? (
        <p className="mt-3 text-sm text-slate-600">Loading…</p>
      ) : shared.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">None of this user&apos;s folders is shared.</p>
      ) : (
        <ul className="mt-3 space-y-4" data-testid="admin-shared-folders">
          {shared.map((folder) => (
            <li key={folder.mailbox.id}>
              <h3 className="text-sm font-semibold text-slate-800">{folder.mailbox.path}</h3>
              <ul className="mt-1 divide-y divide-slate-200">
                {folder.access
                  .filter((share) => !share.owner)
                  .map((share) => (
                    <ShareEntry
                      key={share.identifier}
                      share={share}
                      controlId={`admin-share-${folder.mailbox.id}-${share.identifier}`}
                      folder={folder.mailbox.path}
                      pending={pending}
                      onPreset={(next) =>
                        void change(
                          folder.mailbox.id,
                          share.identifier,
                          PRESET_RIGHTS[next],
                          `${share.identifier} now has ${PRESET_LABELS[next]} access to ${folder.mailbox.path}.`,
                        )
                      }
                      onRemove={() =>
                        void change(
                          folder.mailbox.id,
                          share.identifier,
                          '',
                          `${folder.mailbox.path} is no longer shared with ${share.identifier}.`,
                        )
                      }
                    />
                  ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      {folders?.length ? (
        <form onSubmit={(event) => void add(event)} className="mt-4 flex flex-wrap items-end gap-2">
          <SelectField
            id="admin-share-folder"
            label="Folder"
            value={chosen}
            onChange={(event) => setFolderId(event.target.value)}
          >
            {folders.map((folder) => (
              <option key={folder.mailbox.id} value={folder.mailbox.id}>
                {folder.mailbox.path}
              </option>
            ))}
          </SelectField>
          <div className="min-w-48 flex-1">
            <TextField
              id="admin-share-address"
              label="Person"
              type="email"
              autoComplete="off"
              value={address}
              onChange={(event) => setAddress(event.target.value)}
            />
          </div>
          <SelectField
            id="admin-share-preset"
            label="Access"
            value={preset}
            onChange={(event) => setPreset(event.target.value as Preset)}
          >
            {PRESETS.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </SelectField>
          <Button type="submit" variant="primary" disabled={pending}>
            Share
          </Button>
        </form>
      ) : null}
    </section>
  );
}
