// The app's buttons in one place, so every dialog's Cancel, Save and Delete look and behave alike.
import type { ComponentPropsWithRef } from 'react';

export type ButtonVariant = 'primary' | 'danger' | 'quiet';
export type ButtonSize = 'regular' | 'compact' | 'large';

const variants: Record<ButtonVariant, string> = {
  primary: 'bg-brand-700 font-semibold text-white hover:bg-brand-600',
  danger: 'bg-red-700 font-semibold text-white hover:bg-red-600',
  quiet: 'font-medium text-slate-700 hover:bg-slate-100',
};

const sizes: Record<ButtonSize, string> = {
  regular: 'px-4 py-2 text-sm',
  compact: 'px-3 py-2 text-sm',
  // the main action of a large dialog (compose's Send)
  large: 'px-5 py-2 shadow-sm',
};

export function Button({
  variant = 'quiet',
  size = 'regular',
  type = 'button',
  className,
  ...props
}: ComponentPropsWithRef<'button'> & { variant?: ButtonVariant; size?: ButtonSize }) {
  // A disabled button here is always one whose action is under way, hence the wait cursor.
  const classes = `rounded-md ${variants[variant]} ${sizes[size]} disabled:cursor-wait disabled:opacity-70`;
  return (
    // type defaults to "button" so a button inside a form submits it only when it says so
    <button type={type} className={className ? `${classes} ${className}` : classes} {...props} />
  );
}
