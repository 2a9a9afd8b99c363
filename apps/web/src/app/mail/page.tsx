// Webmail (/mail). Signed-in users only. The folders are read here on the server (with the
// user's token from the session cookie); everything after that goes through /api/graphql.
import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AppHeader } from '@/components/app-header';
import { NoticePanel } from '@/components/notice-panel';
import type { Mailbox } from '@/client/api-types';
import { MAILBOXES_QUERY } from '@/mail/operations';
import { Webmail } from '@/mail/webmail';
import { ApiRequestError, queryApi } from '@/server/api-graphql';
import { getApiToken, requireSession } from '@/server/session';

export const metadata: Metadata = { title: 'Webmail' };

interface MailPageProps {
  searchParams: Promise<{ folder?: string | string[] }>;
}

export default async function MailPage({ searchParams }: MailPageProps) {
  const session = await requireSession('/mail');
  const token = await getApiToken();
  if (!token) redirect('/session-expired?callbackUrl=%2Fmail');
  const folder = (await searchParams).folder;

  let mailboxes: Mailbox[] | null = null;
  let problem: string | null = null;
  try {
    mailboxes = (await queryApi<{ mailboxes: Mailbox[] }>(token, MAILBOXES_QUERY)).mailboxes;
  } catch (error) {
    if (error instanceof ApiRequestError && error.code === 'UNAUTHENTICATED') {
      redirect('/session-expired?callbackUrl=%2Fmail');
    }
    problem = (error as Error).message;
  }

  return (
    <div className="flex h-dvh flex-col">
      <AppHeader session={session} current="/mail" fluid />
      {mailboxes ? (
        // the screen's main landmark; the skip link goes further, to the message list (#main)
        <main className="flex min-h-0 flex-1 flex-col">
          <Webmail
            address={session.user.address}
            initialMailboxes={mailboxes}
            initialFolderId={typeof folder === 'string' ? folder : null}
          />
        </main>
      ) : (
        <main id="main" className="mx-auto max-w-3xl px-6 py-12">
          <NoticePanel title="Your mail cannot be shown right now" tone="warning">
            <p>The mail service did not answer as expected: {problem}</p>
            <p>
              Wait a moment and{' '}
              <a href="/mail" className="font-semibold text-brand-700 underline">
                try again
              </a>
              . If it keeps happening, ask your administrator whether the API is running.
            </p>
          </NoticePanel>
        </main>
      )}
    </div>
  );
}
