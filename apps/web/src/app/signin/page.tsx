// The sign-in page: a credentials form checked by the API through next-auth.
import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { Logo } from '@/components/logo';
import { getSession } from '@/server/session';
import { safeReturnPath } from '@/shared/return-path';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

interface SignInPageProps {
  searchParams: Promise<{ callbackUrl?: string | string[]; error?: string | string[] }>;
}

export default async function SignInPage({ searchParams }: SignInPageProps) {
  const params = await searchParams;
  const returnTo = safeReturnPath(first(params.callbackUrl), '/mail');
  const session = await getSession();
  if (session?.user.address) redirect(returnTo);

  return (
    <main
      id="main"
      className="flex min-h-screen flex-col items-center justify-center bg-gradient-to-b from-white to-brand-50 px-6 py-12"
    >
      <div className="mb-8">
        <Logo />
      </div>
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-xl font-semibold tracking-tight text-slate-900">Sign in to your mailbox</h1>
        <p className="mt-1 text-sm text-slate-600">Use your email address and password.</p>
        <SignInForm returnTo={returnTo} initialError={first(params.error)} />
      </div>
    </main>
  );
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
