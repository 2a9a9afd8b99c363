'use client';
// "Rename": a new name for a folder, which stays where it is (Move to… changes where).
import { useState, type FormEvent } from 'react';
import type { Mailbox } from '@/client/api-types';
import { describeError } from '@/client/graphql';
import { DialogFooter } from '@/components/dialog-footer';
import { FormError, TextField } from '@/components/form-field';
import { Modal } from '@/components/modal';
import { childPath, parentPath, PATH_DELIMITER, renameMailbox } from './folder-operations';
import { useInitialFocus } from './use-initial-focus';

export function RenameFolderDialog({
  folder,
  onClose,
  onRenamed,
}: {
  folder: Mailbox;
  onClose: () => void;
  onRenamed: (mailbox: Mailbox) => void;
}) {
  const field = useInitialFocus<HTMLInputElement>();
  const [name, setName] = useState(folder.name);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setError('Give the folder a name.');
    if (trimmed.includes(PATH_DELIMITER))
      return setError('A name cannot contain "/": use Move to… to move a folder.');
    if (trimmed === folder.name) return onClose();
    setPending(true);
    try {
      onRenamed(await renameMailbox(folder.id, childPath(parentPath(folder.path), trimmed)));
    } catch (failure) {
      setError(describeError(failure));
      setPending(false);
    }
  };
  return (
    <Modal title={`Rename ${folder.name}`} onClose={onClose}>
      <form onSubmit={(event) => void submit(event)} className="space-y-4 px-5 py-4">
        {error ? <FormError>{error}</FormError> : null}
        <TextField
          id="folder-new-name"
          label="New name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          ref={field}
          onFocus={(event) => event.target.select()}
        />
        <DialogFooter onCancel={onClose} confirmLabel="Rename" pendingLabel="Renaming…" pending={pending} />
      </form>
    </Modal>
  );
}
