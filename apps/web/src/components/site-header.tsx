// The header of the public pages: product mark and the ways in.
import Link from 'next/link';
import { Logo } from './logo';

export function SiteHeader() {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-4 sm:px-6">
        <Logo />
        <nav aria-label="Main" className="flex items-center gap-1 text-sm font-medium sm:gap-2">
          <Link
            href="/mail"
            className="rounded-md px-3 py-2 text-slate-700 hover:bg-slate-100 hover:text-slate-900"
          >
            Webmail
          </Link>
          <Link
            href="/admin"
            className="rounded-md px-3 py-2 text-slate-700 hover:bg-slate-100 hover:text-slate-900"
          >
            Admin
          </Link>
          <Link
            href="/signin"
            className="rounded-md bg-brand-700 px-3.5 py-2 text-white shadow-sm hover:bg-brand-600"
          >
            Sign in
          </Link>
        </nav>
      </div>
    </header>
  );
}
