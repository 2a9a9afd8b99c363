'use client';
// The state every settings form shares: an action under way (buttons disabled), the API's error
// (with the field it names, so the form can show it beside that field) and a success notice.
import { useCallback, useState } from 'react';
import { describeError, GraphQLRequestError } from '@/client/graphql';

export interface ActionError {
  message: string;
  /** The argument or input field at fault, as the API named it (extensions.field). */
  field?: string | undefined;
  /** The API error itself, for forms that read more of it (Sieve problems). */
  cause?: unknown;
}

export interface FormAction {
  pending: boolean;
  error: ActionError | null;
  notice: string | null;
  /**
   * Runs an action: clears the last error and notice, disables the form while it runs, and
   * shows `success` when it went well. Answers the action's result, or undefined when it failed.
   */
  run<T>(action: () => Promise<T>, success?: string | ((result: T) => string)): Promise<T | undefined>;
  /** A mistake found before asking the API (an empty field), shown like the API's. */
  fail(message: string, field?: string): void;
  clear(): void;
}

export function useFormAction(): FormAction {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ActionError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const run = useCallback(async <T>(action: () => Promise<T>, success?: string | ((result: T) => string)) => {
    setPending(true);
    setError(null);
    setNotice(null);
    try {
      const result = await action();
      if (success) setNotice(typeof success === 'function' ? success(result) : success);
      return result;
    } catch (failure) {
      setError({
        message: describeError(failure),
        field: failure instanceof GraphQLRequestError ? fieldTail(failure.field) : undefined,
        cause: failure,
      });
      return undefined;
    } finally {
      setPending(false);
    }
  }, []);
  const fail = useCallback((message: string, field?: string) => {
    setNotice(null);
    setError({ message, field });
  }, []);
  const clear = useCallback(() => {
    setError(null);
    setNotice(null);
  }, []);
  return { pending, error, notice, run, fail, clear };
}

/** The last part of an API field path ("rules.0.actions.1.address" → "address"). */
export function fieldTail(field: string | undefined): string | undefined {
  return field
    ?.split(/[.[\]]+/)
    .filter(Boolean)
    .pop();
}

/** The error's message when it names this field (or one of these fields), else undefined. */
export function errorFor(error: ActionError | null, ...fields: string[]): string | undefined {
  return error?.field && fields.includes(error.field) ? error.message : undefined;
}

/** The error's message when it names none of the fields the form shows errors beside. */
export function errorOutside(error: ActionError | null, fields: string[]): string | undefined {
  if (!error) return undefined;
  return error.field && fields.includes(error.field) ? undefined : error.message;
}
