// Form fields of the settings forms: the console's fields plus the API's error for that field,
// shown under it and named by the control (aria-invalid, aria-describedby), and a checkbox row.
import type { ComponentPropsWithRef, ReactNode } from 'react';
import { hintId, labelClass, TextAreaField, TextField } from '@/components/form-field';

function errorId(fieldId: string): string {
  return `${fieldId}-error`;
}

function describedBy(id: string, hint: ReactNode, error: string | undefined): string | undefined {
  const ids = [hint ? hintId(id) : null, error ? errorId(id) : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={errorId(id)} className="mt-1 text-sm text-red-800" data-testid="field-error">
      {message}
    </p>
  );
}

type FieldProps = { id: string; label: ReactNode; hint?: ReactNode; error?: string | undefined };

export function CheckedTextField({
  id,
  label,
  hint,
  error,
  ...input
}: FieldProps & ComponentPropsWithRef<'input'>) {
  return (
    <div>
      <TextField
        id={id}
        label={label}
        hint={hint}
        {...input}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={error ? 'border-red-500' : undefined}
      />
      <FieldError id={id} message={error} />
    </div>
  );
}

export function CheckedTextAreaField({
  id,
  label,
  hint,
  error,
  ...textarea
}: FieldProps & ComponentPropsWithRef<'textarea'>) {
  return (
    <div>
      <TextAreaField
        id={id}
        label={label}
        hint={hint}
        {...textarea}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={error ? 'border-red-500' : undefined}
      />
      <FieldError id={id} message={error} />
    </div>
  );
}

/** A checkbox beside its label, with an optional line of help. */
export function CheckboxField({
  id,
  label,
  hint,
  ...input
}: { id: string; label: ReactNode; hint?: ReactNode } & Omit<ComponentPropsWithRef<'input'>, 'type'>) {
  return (
    <div className="flex items-start gap-2">
      <input
        id={id}
        type="checkbox"
        className="mt-1 h-4 w-4"
        aria-describedby={hint ? hintId(id) : undefined}
        {...input}
      />
      <div>
        <label htmlFor={id} className={labelClass}>
          {label}
        </label>
        {hint ? (
          <p id={hintId(id)} className="text-xs text-slate-600">
            {hint}
          </p>
        ) : null}
      </div>
    </div>
  );
}
