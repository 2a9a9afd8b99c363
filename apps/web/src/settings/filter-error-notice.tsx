// The last time a filter failed at delivery (the message went to the Inbox instead).
import { formatFullDate } from '@/shared/format';
import type { MailSettings } from './operations';

export function FilterErrorNotice({ error }: { error: MailSettings['lastFilterError'] }) {
  if (!error) return null;
  return (
    <p
      className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950"
      suppressHydrationWarning
    >
      On {formatFullDate(error.at)} your {error.script === 'rules' ? 'filter rules' : `“${error.script}”`}{' '}
      failed while sorting a message, which went to the Inbox instead: {error.message}
    </p>
  );
}
