// Admin console (/admin). Signed-in admins only; the user management screens arrive with the
// Web console work.
import type { Metadata } from 'next';
import { AppHeader } from '@/components/app-header';
import { NoticePanel } from '@/components/notice-panel';
import { requireSession } from '@/server/session';

export const metadata: Metadata = { title: 'Admin console' };

export default async function AdminPage() {
  const session = await requireSession('/admin');
  const isAdmin = session.user.role === 'admin';
  return (
    <>
      <AppHeader session={session} current="/admin" />
      <main id="main" className="mx-auto max-w-3xl px-6 py-12">
        {isAdmin ? (
          <NoticePanel title="The admin console is coming soon">
            <p>
              You are signed in as <strong>{session.user.address}</strong>, an administrator. The users table,
              quotas, roles and the delivery overview are not built yet.
            </p>
            <p>
              Meanwhile, create users with the API:{' '}
              <code className="rounded bg-slate-100 px-1.5 py-0.5 text-sm">POST /user/create</code> on the API
              port, as the README shows.
            </p>
          </NoticePanel>
        ) : (
          <NoticePanel title="Administrators only" tone="warning">
            <p>
              You are signed in as <strong>{session.user.address}</strong>, which is not an administrator
              account. Sign in with an administrator account to manage users.
            </p>
          </NoticePanel>
        )}
      </main>
    </>
  );
}
