// The Cancel / confirm pair at the bottom of a dialog, Cancel first so the action is at the edge.
import { Button } from './button';

export function DialogFooter({
  onCancel,
  confirmLabel,
  pendingLabel,
  pending = false,
  danger = false,
  onConfirm,
  focusCancel = false,
}: {
  onCancel: () => void;
  confirmLabel: string;
  /** Shown on the confirm button while its action runs; else confirmLabel stays. */
  pendingLabel?: string;
  /** The action is under way: the confirm button is disabled so it cannot run twice. */
  pending?: boolean;
  /** A destructive action (red). */
  danger?: boolean;
  /** Without it the confirm button submits the surrounding form. */
  onConfirm?: () => void;
  /** Start on Cancel, for confirmations of things that cannot be undone. */
  focusCancel?: boolean;
}) {
  return (
    <div className="flex justify-end gap-2 pt-2">
      <Button
        variant="quiet"
        onClick={onCancel}
        autoFocus={focusCancel}
        data-autofocus={focusCancel || undefined}
      >
        Cancel
      </Button>
      <Button
        type={onConfirm ? 'button' : 'submit'}
        variant={danger ? 'danger' : 'primary'}
        onClick={onConfirm}
        disabled={pending}
      >
        {pending ? (pendingLabel ?? confirmLabel) : confirmLabel}
      </Button>
    </div>
  );
}
