'use client';
// "New folder": a name and where it goes (the top level or inside a folder); a slash in the name
// makes folders inside folders too.
import { useState, type FormEvent } from 'react';
import type { Mailbox } from '@/client/api-types';
import { describeError } from '@/client/graphql';
import { DialogFooter } from '@/components/dialog-footer';
import { FormError, SelectField, TextField } from '@/components/form-field';
import { Modal } from '@/components/modal';
import { childPath } from './folder-operations';
import { mailboxLabel } from './mailbox-order';
import { createMailbox } from './operations';
import { useInitialFocus } from './use-initial-focus';

export function NewFolderDialog({
  mailboxes,
  initialParent = '',
  onClose,
  onCreated,
}: {
  mailboxes: Mailbox[];
  /** The folder it goes in at first ('' for the top level). */
  initialParent?: string;
  onClose: () => void;
  onCreated: (mailbox: Mailbox) => void;
}) {
  const field = useInitialFocus<HTMLInputElement>();
  const [name, setName] = useState('');
  const [parent, setParent] = useState(initialParent);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setError('Give the folder a name.');
    setPending(true);
    try {
      onCreated(await createMailbox(childPath(parent, name.trim())));
    } catch (failure) {
      setError(describeError(failure));
      setPending(false);
    }
  };
  return (
    <Modal title={initialParent ? 'New subfolder' : 'New folder'} onClose={onClose}>
      <form onSubmit={(event) => void submit(event)} className="space-y-4 px-5 py-4">
        {error ? <FormError>{error}</FormError> : null}
        <TextField
          id="folder-path"
          label="Name"
          hint="Use / for a folder inside another, e.g. Work/Projects."
          value={name}
          onChange={(event) => setName(event.target.value)}
          ref={field}
        />
        <SelectField
          id="folder-parent"
          label="Inside"
          value={parent}
          onChange={(event) => setParent(event.target.value)}
        >
          <option value="">Top level</option>
          {mailboxes.map((mailbox) => (
            <option key={mailbox.id} value={mailbox.path}>
              {mailbox.path.includes('/') ? mailbox.path : mailboxLabel(mailbox)}
            </option>
          ))}
        </SelectField>
        <DialogFooter onCancel={onClose} confirmLabel="Create" pending={pending} />
      </form>
    </Modal>
  );
}
