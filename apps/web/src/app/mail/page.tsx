// Webmail (/mail). Signed-in users only; the mailbox views arrive with the Web console work.
import type { Metadata } from 'next';
import { AppHeader } from '@/components/app-header';
import { NoticePanel } from '@/components/notice-panel';
import { requireSession } from '@/server/session';

export const metadata: Metadata = { title: 'Webmail' };

export default async function MailPage() {
  const session = await requireSession('/mail');
  return (
    <>
      <AppHeader session={session} current="/mail" />
      <main id="main" className="mx-auto max-w-3xl px-6 py-12">
        <NoticePanel title="Webmail is coming soon">
          <p>
            You are signed in as <strong>{session.user.address}</strong>. Your folders, message list, reading
            pane and compose window are not built yet, so there is nothing to read here today.
          </p>
          <p>
            Your mail is already delivered and stored: any IMAP client (Thunderbird, Apple Mail, K-9) can read
            it with the same address and password.
          </p>
        </NoticePanel>
      </main>
    </>
  );
}
