'use client';
// "Move to…": the keyboard's way to do what dragging a folder onto another does. The choices are
// the top level and every folder but the one moved and those below it.
import { useState, type FormEvent } from 'react';
import type { Mailbox } from '@/client/api-types';
import { DialogFooter } from '@/components/dialog-footer';
import { SelectField } from '@/components/form-field';
import { Modal } from '@/components/modal';
import { canMoveInto, isSelfOrBelow, parentPath } from './folder-operations';
import { mailboxLabel } from './mailbox-order';
import { useInitialFocus } from './use-initial-focus';

export function MoveFolderDialog({
  folder,
  mailboxes,
  onClose,
  onMove,
}: {
  folder: Mailbox;
  mailboxes: Mailbox[];
  onClose: () => void;
  onMove: (folder: Mailbox, parent: string) => Promise<void>;
}) {
  const choices = mailboxes.filter((mailbox) => !isSelfOrBelow(mailbox.path, folder.path));
  const field = useInitialFocus<HTMLSelectElement>();
  const [parent, setParent] = useState(parentPath(folder.path));
  const [pending, setPending] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!canMoveInto(folder, parent)) return onClose();
    setPending(true);
    await onMove(folder, parent);
    onClose();
  };
  return (
    <Modal title={`Move ${folder.name}`} onClose={onClose}>
      <form onSubmit={(event) => void submit(event)} className="space-y-4 px-5 py-4">
        <SelectField
          id="folder-move-parent"
          label="Move into"
          hint="Its subfolders move with it."
          value={parent}
          onChange={(event) => setParent(event.target.value)}
          ref={field}
        >
          <option value="">Top level</option>
          {choices.map((mailbox) => (
            <option key={mailbox.id} value={mailbox.path}>
              {mailbox.path.includes('/') ? mailbox.path : mailboxLabel(mailbox)}
            </option>
          ))}
        </SelectField>
        <DialogFooter onCancel={onClose} confirmLabel="Move" pendingLabel="Moving…" pending={pending} />
      </form>
    </Modal>
  );
}
