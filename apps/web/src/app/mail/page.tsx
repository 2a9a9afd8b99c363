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
            Until then, read your mail with an IMAP client (Thunderbird, Apple Mail, K-9) using the same
            address and password, wherever this installation&apos;s mail server offers IMAP.
          </p>
        </NoticePanel>
      </main>
    </>
  );
}
