// Labelled form fields: the label above its control and an optional hint below, which the control
// names as its description. The input, textarea and select variants share one look.
import type { ComponentPropsWithRef, ReactNode } from 'react';

export const labelClass = 'text-sm font-medium text-slate-800';
export const hintClass = 'mt-1 text-xs text-slate-600';
const controlClass =
  'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-200';

interface FieldFrame {
  /** The control's id; the label points at it and the hint's id is derived from it. */
  id: string;
  label: ReactNode;
  /** A line of help under the control. */
  hint?: ReactNode;
  /** Something beside the label, on its right (compose's Cc/Bcc switch). */
  labelAside?: ReactNode;
}

/** The id of a field's hint, for aria-describedby. */
export function hintId(fieldId: string): string {
  return `${fieldId}-hint`;
}

/** The label-and-control block around any control; the control must carry `id`. */
export function Field({ id, label, hint, labelAside, children }: FieldFrame & { children: ReactNode }) {
  const labelElement = (
    <label htmlFor={id} className={labelClass}>
      {label}
    </label>
  );
  return (
    <div>
      {labelAside ? (
        <div className="flex items-end justify-between">
          {labelElement}
          {labelAside}
        </div>
      ) : (
        labelElement
      )}
      {children}
      {hint ? (
        <p id={hintId(id)} className={hintClass}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

function controlClasses(extra: string | undefined): string {
  return extra ? `${controlClass} ${extra}` : controlClass;
}

export function TextField({
  id,
  label,
  hint,
  labelAside,
  className,
  ...input
}: FieldFrame & ComponentPropsWithRef<'input'>) {
  return (
    <Field id={id} label={label} hint={hint} labelAside={labelAside}>
      <input
        id={id}
        aria-describedby={hint ? hintId(id) : undefined}
        {...input}
        className={controlClasses(className)}
      />
    </Field>
  );
}

export function TextAreaField({
  id,
  label,
  hint,
  labelAside,
  className,
  ...textarea
}: FieldFrame & ComponentPropsWithRef<'textarea'>) {
  return (
    <Field id={id} label={label} hint={hint} labelAside={labelAside}>
      <textarea
        id={id}
        aria-describedby={hint ? hintId(id) : undefined}
        {...textarea}
        className={controlClasses(className)}
      />
    </Field>
  );
}

export function SelectField({
  id,
  label,
  hint,
  labelAside,
  className,
  ...select
}: FieldFrame & ComponentPropsWithRef<'select'>) {
  return (
    <Field id={id} label={label} hint={hint} labelAside={labelAside}>
      <select
        id={id}
        aria-describedby={hint ? hintId(id) : undefined}
        {...select}
        className={controlClasses(className)}
      />
    </Field>
  );
}

/** A form's error, announced as it appears. */
export function FormError({ children }: { children: ReactNode }) {
  return (
    <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
      {children}
    </p>
  );
}
