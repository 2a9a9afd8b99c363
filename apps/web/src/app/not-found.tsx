// The page for addresses that lead nowhere.
import Link from 'next/link';
import { SiteHeader } from '@/components/site-header';

export default function NotFound() {
  return (
    <>
      <SiteHeader />
      <main id="main" className="mx-auto max-w-3xl px-6 py-24 text-center">
        <p className="text-sm font-semibold text-brand-700">404</p>
        <h1 className="mt-2 text-3xl font-bold tracking-tight text-slate-900">This page does not exist</h1>
        <p className="mt-4 text-slate-600">Check the address, or go back to the start.</p>
        <Link
          href="/"
          className="mt-8 inline-block rounded-lg bg-brand-700 px-5 py-3 font-semibold text-white hover:bg-brand-600"
        >
          Go to the home page
        </Link>
      </main>
    </>
  );
}
