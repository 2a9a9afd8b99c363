// The header of the signed-in pages: where you are, who you are, and the way out.
import Link from 'next/link';
import type { Session } from 'next-auth';
import { Logo } from './logo';
import { SignOutButton } from './sign-out-button';

const SECTIONS = [
  { href: '/mail', label: 'Webmail', adminOnly: false },
  { href: '/settings', label: 'Settings', adminOnly: false },
  { href: '/admin', label: 'Admin', adminOnly: true },
] as const;

export function AppHeader({
  session,
  current,
  fluid = false,
}: {
  session: Session;
  current: '/mail' | '/settings' | '/admin';
  /** Full width with tight padding (webmail); else the centred column of the other pages. */
  fluid?: boolean;
}) {
  const { address, role } = session.user;
  return (
    <header className="border-b border-slate-200 bg-white">
      <div
        className={`flex flex-wrap items-center justify-between gap-x-4 gap-y-2 ${fluid ? 'px-3 py-2 sm:px-4' : 'mx-auto max-w-6xl px-4 py-3 sm:px-6'}`}
      >
        <div className="flex flex-wrap items-center gap-x-4 gap-y-1 sm:gap-x-6">
          <Logo />
          <nav aria-label="Sections" className="flex gap-1 text-sm font-medium">
            {SECTIONS.filter((section) => !section.adminOnly || role === 'admin').map((section) => (
              <Link
                key={section.href}
                href={section.href}
                aria-current={section.href === current ? 'page' : undefined}
                className={
                  section.href === current
                    ? 'rounded-md bg-brand-50 px-3 py-1.5 text-brand-700'
                    : 'rounded-md px-3 py-1.5 text-slate-700 hover:bg-slate-100'
                }
              >
                {section.label}
              </Link>
            ))}
          </nav>
        </div>
        <div className="flex min-w-0 items-center gap-3 text-sm">
          <span className="min-w-0 truncate text-slate-600">
            <span className="hidden sm:inline">Signed in as </span>
            <strong className="font-semibold text-slate-900" data-testid="signed-in-address">
              {address}
            </strong>
            {role === 'admin' ? (
              <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-900">
                admin
              </span>
            ) : null}
          </span>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
