'use client';
// A confirmation for something that cannot be undone (revoke, delete, reset): what will happen,
// Cancel first, and the API's error when it refused. Settings and the admin console use it.
import type { ReactNode } from 'react';
import { DialogFooter } from '@/components/dialog-footer';
import { FormError } from '@/components/form-field';
import { Modal } from '@/components/modal';

export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  pendingLabel,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  pending: boolean;
  error?: string | undefined;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Modal title={title} onClose={onClose}>
      <div className="space-y-4 px-5 py-4">
        {error ? <FormError>{error}</FormError> : null}
        <div className="text-slate-800">{children}</div>
        <DialogFooter
          onCancel={onClose}
          focusCancel
          confirmLabel={confirmLabel}
          pendingLabel={pendingLabel}
          pending={pending}
          danger
          onConfirm={onConfirm}
        />
      </div>
    </Modal>
  );
}
