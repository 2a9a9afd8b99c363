// A form's outcome under its title: the error that belongs to no one field (announced as it
// appears) or the success notice (announced politely).
import { FormError } from '@/components/form-field';

export function FormStatus({ error, notice }: { error?: string | undefined; notice?: string | null }) {
  if (error) return <FormError>{error}</FormError>;
  return (
    <p
      role="status"
      data-testid="settings-notice"
      className={
        notice
          ? 'rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-900'
          : 'sr-only'
      }
    >
      {notice ?? ''}
    </p>
  );
}
