// Settings (/settings): the signed-in user's password, app passwords, two-factor sign-in, filters,
// Sieve scripts, vacation reply and forwarding. Signed-in users only; each section reads its data
// through /api/graphql.
import type { Metadata } from 'next';
import { AppHeader } from '@/components/app-header';
import { requireSession } from '@/server/session';
import { settingsSection } from '@/settings/sections';
import { SettingsScreen } from '@/settings/settings-screen';

export const metadata: Metadata = { title: 'Settings' };

interface SettingsPageProps {
  searchParams: Promise<{ section?: string | string[] }>;
}

export default async function SettingsPage({ searchParams }: SettingsPageProps) {
  const requested = (await searchParams).section;
  const section = settingsSection(typeof requested === 'string' ? requested : undefined);
  const session = await requireSession(`/settings${section === 'account' ? '' : `?section=${section}`}`);
  return (
    <>
      <AppHeader session={session} current="/settings" />
      <main id="main" className="mx-auto max-w-6xl px-4 py-8 sm:px-6">
        <SettingsScreen section={section} address={session.user.address} />
      </main>
    </>
  );
}
