'use client';
// The credentials form. It posts to next-auth's credentials provider (CSRF token included
// by signIn) and shows why a sign-in failed without leaving the page. When the account has
// two-factor sign-in on, a second step asks for a code from the authenticator (or a recovery
// code) and signs in with the address, password and code together.
import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { describeSignInError } from '@/shared/sign-in-errors';

const inputClass =
  'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 shadow-sm placeholder:text-slate-400 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-200';

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
  const [step, setStep] = useState<'password' | 'code'>('password');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(undefined);
    try {
      const result = await signIn('credentials', {
        username,
        password,
        ...(step === 'code' ? { code } : {}),
        redirect: false,
      });
      if (result?.ok && !result.error) {
        // A full navigation, so the server renders the next page with the new session cookie.
        window.location.assign(returnTo);
        return;
      }
      if (result?.error === 'TWO_FACTOR_REQUIRED') {
        setStep('code');
        setCode('');
      } else {
        if (result?.error === 'TWO_FACTOR_INVALID') setCode('');
        setError(describeSignInError(result?.error ?? 'unknown'));
      }
    } catch {
      setError(describeSignInError('API_UNAVAILABLE'));
    }
    setPending(false);
  }

  const startOver = () => {
    setStep('password');
    setPassword('');
    setCode('');
    setError(undefined);
  };

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
      {step === 'password' ? (
        <>
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
              value={username}
              onChange={(event) => setUsername(event.target.value)}
              className={inputClass}
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
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              className={inputClass}
            />
          </div>
        </>
      ) : (
        <div className="space-y-4" data-testid="two-factor-step">
          <p className="text-sm text-slate-700" role="status">
            Two-factor sign-in is on for <strong className="text-slate-900">{username}</strong>. Enter the
            6-digit code from your authenticator app.
          </p>
          <div>
            <label htmlFor="code" className="block text-sm font-medium text-slate-800">
              Authentication code
            </label>
            <input
              id="code"
              name="code"
              type="text"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              autoFocus
              value={code}
              onChange={(event) => setCode(event.target.value)}
              aria-describedby="code-hint"
              className={`${inputClass} font-mono tracking-widest`}
            />
            <p id="code-hint" className="mt-1 text-xs text-slate-600">
              Lost your phone? Enter one of your recovery codes instead.
            </p>
          </div>
        </div>
      )}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-brand-700 px-4 py-2.5 font-semibold text-white shadow-sm hover:bg-brand-600 disabled:cursor-wait disabled:opacity-70"
      >
        {step === 'code' ? (pending ? 'Checking…' : 'Verify') : pending ? 'Signing in…' : 'Sign in'}
      </button>
      {step === 'code' ? (
        <button
          type="button"
          onClick={startOver}
          className="w-full rounded-md px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100"
        >
          Use a different account
        </button>
      ) : null}
    </form>
  );
}
