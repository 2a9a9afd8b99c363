'use client';
// "New folder": one name, where a slash makes a folder inside another.
import { useState, type FormEvent } from 'react';
import type { Mailbox } from '@/client/api-types';
import { describeError } from '@/client/graphql';
import { DialogFooter } from '@/components/dialog-footer';
import { FormError, TextField } from '@/components/form-field';
import { Modal } from '@/components/modal';
import { createMailbox } from './operations';

export function NewFolderDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (mailbox: Mailbox) => void;
}) {
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!path.trim()) return setError('Give the folder a name.');
    setPending(true);
    try {
      onCreated(await createMailbox(path.trim()));
    } catch (failure) {
      setError(describeError(failure));
      setPending(false);
    }
  };
  return (
    <Modal title="New folder" onClose={onClose}>
      <form onSubmit={(event) => void submit(event)} className="space-y-4 px-5 py-4">
        {error ? <FormError>{error}</FormError> : null}
        <TextField
          id="folder-path"
          label="Name"
          hint="Use / for a folder inside another, e.g. Work/Projects."
          value={path}
          onChange={(event) => setPath(event.target.value)}
          autoFocus
        />
        <DialogFooter onCancel={onClose} confirmLabel="Create" pending={pending} />
      </form>
    </Modal>
  );
}
