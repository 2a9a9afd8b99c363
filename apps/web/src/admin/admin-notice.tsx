// Where the admin pages' one-line notices appear ("x@example.org updated."): bottom centre, read
// out by screen readers. The console and the user page show their notices the same way, so the
// live region is written once. (The webmail's NoticeToast, mail/notice-toast.tsx, is its own: it
// has an error tone, read out as an alert.)
export function AdminNotice({ notice }: { notice: string | null }) {
  return (
    // The live region stays in the page while empty: a region added together with its text is
    // not reliably announced.
    <div
      aria-live="polite"
      className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex justify-center px-4"
    >
      {notice ? (
        <p
          role="status"
          className="pointer-events-auto rounded-lg bg-slate-900 px-4 py-2.5 text-sm font-medium text-white shadow-lg"
          data-testid="notice"
        >
          {notice}
        </p>
      ) : null}
    </div>
  );
}
