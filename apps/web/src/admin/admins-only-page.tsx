// What the admin pages (/admin, /admin/users/<id>) show a signed-in user who is not an
// administrator, in place of the page. Both pages check the role on the server and answer alike,
// so the page is written once; `advice` is what the page adds after the explanation.
import type { Session } from 'next-auth';
import { AppHeader } from '@/components/app-header';
import { NoticePanel } from '@/components/notice-panel';

export function AdminsOnlyPage({ session, advice }: { session: Session; advice?: string }) {
  return (
    <>
      <AppHeader session={session} current="/admin" />
      <main id="main" className="mx-auto max-w-3xl px-6 py-12">
        <NoticePanel title="Administrators only" tone="warning">
          <p>
            You are signed in as <strong>{session.user.address}</strong>
            {`, which is not an administrator account.${advice ? ` ${advice}` : ''}`}
          </p>
        </NoticePanel>
      </main>
    </>
  );
}
