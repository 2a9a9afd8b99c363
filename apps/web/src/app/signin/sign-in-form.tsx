'use client';
// The credentials form. It posts to next-auth's credentials provider (CSRF token included
// by signIn) and shows why a sign-in failed without leaving the page.
import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { describeSignInError } from '@/shared/sign-in-errors';

export function SignInForm({
  returnTo,
  initialError,
}: {
  returnTo: string;
  initialError?: string | undefined;
}) {
  const [error, setError] = useState<string | undefined>(
    initialError ? describeSignInError(initialError) : undefined,
  );
  const [pending, setPending] = useState(false);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    try {
      const result = await signIn('credentials', {
        username: String(form.get('username') ?? ''),
        password: String(form.get('password') ?? ''),
        redirect: false,
      });
      if (result?.ok && !result.error) {
        // A full navigation, so the server renders the next page with the new session cookie.
        window.location.assign(returnTo);
        return;
      }
      setError(describeSignInError(result?.error ?? 'unknown'));
    } catch {
      setError(describeSignInError('API_UNAVAILABLE'));
    }
    setPending(false);
  }

  return (
    <form
      method="post"
      action="/api/auth/callback/credentials"
      onSubmit={handleSubmit}
      className="mt-6 space-y-5"
    >
      {error ? (
        <div
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900"
        >
          {error}
        </div>
      ) : null}
      <div>
        <label htmlFor="username" className="block text-sm font-medium text-slate-800">
          Email address
        </label>
        <input
          id="username"
          name="username"
          type="email"
          autoComplete="username"
          required
          autoFocus
          className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 shadow-sm placeholder:text-slate-400 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-200"
          placeholder="you@example.com"
        />
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium text-slate-800">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-200"
        />
      </div>
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-brand-700 px-4 py-2.5 font-semibold text-white shadow-sm hover:bg-brand-600 disabled:cursor-wait disabled:opacity-70"
      >
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
