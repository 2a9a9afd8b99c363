// A folder's unread count beside its name. Hidden from screen readers: the folder button's
// accessible name already says "N unread".
export function UnreadBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <span
      className="rounded-full bg-brand-700 px-2 py-0.5 text-xs font-semibold text-white"
      data-testid="unread-count"
      aria-hidden="true"
    >
      {count > 9999 ? '9999+' : count}
    </span>
  );
}
