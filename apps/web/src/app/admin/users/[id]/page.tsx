// One user as an administrator sees them (/admin/users/<id>). Administrators only, checked here on
// the server as /admin does (and again by the API on every call).
import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { AdminsOnlyPage } from '@/admin/admins-only-page';
import { USER_DETAIL_QUERY, type UserDetail } from '@/admin/feed-operations';
import { UserDetailView } from '@/admin/user-detail';
import { AppHeader } from '@/components/app-header';
import { NoticePanel } from '@/components/notice-panel';
import { ApiRequestError, queryApi } from '@/server/api-graphql';
import { getApiToken, requireSession } from '@/server/session';

export const metadata: Metadata = { title: 'User · Admin console' };

export default async function AdminUserPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const here = `/admin/users/${encodeURIComponent(id)}`;
  const session = await requireSession(here);
  if (session.user.role !== 'admin') return <AdminsOnlyPage session={session} />;
  const token = await getApiToken();
  if (!token) redirect(`/session-expired?callbackUrl=${encodeURIComponent(here)}`);
  if (!/^[0-9a-f]{24}$/i.test(id)) notFound();
  let detail: UserDetail | null = null;
  let problem: string | null = null;
  try {
    detail = (await queryApi<{ userDetail: UserDetail | null }>(token, USER_DETAIL_QUERY, { id })).userDetail;
  } catch (error) {
    if (error instanceof ApiRequestError && error.code === 'UNAUTHENTICATED')
      redirect(`/session-expired?callbackUrl=${encodeURIComponent(here)}`);
    problem = (error as Error).message;
  }
  if (!detail && !problem) notFound();

  return (
    <>
      <AppHeader session={session} current="/admin" />
      <main id="main" className="mx-auto max-w-6xl px-4 py-8 sm:px-6">
        {detail ? (
          <UserDetailView initial={detail} self={session.user.address} />
        ) : (
          <NoticePanel title="This user cannot be shown right now" tone="warning">
            <p>The API did not answer as expected: {problem}</p>
          </NoticePanel>
        )}
      </main>
    </>
  );
}
