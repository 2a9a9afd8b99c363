import { signWebhook } from './signature.js';
import type { WebhookTarget } from './target.js';

/** One POST to make: the delivery id (the receiver's idempotency key), its event type and body. */
export interface WebhookPost {
  id: string;
  type: string;
  /** The JSON text, exactly as signed and sent. */
  body: string;
}

/** What one attempt came to. */
export type PostOutcome =
  | { ok: true; status: number }
  | { ok: false; retry: boolean; reason: string; status?: number; retryAfterMs?: number };

/**
 * POSTs one delivery to its target, signed afresh (timestamp and signature) for this attempt.
 * A 2xx is success; a 5xx or 429 may be retried (with the answer's Retry-After); any other answer
 * (other 4xx, and 3xx: redirects are not followed) is not worth retrying. Network errors throw.
 */
export async function postWebhook(
  fetchImpl: typeof fetch,
  target: WebhookTarget,
  delivery: WebhookPost,
  signal: AbortSignal,
): Promise<PostOutcome> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetchImpl(target.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'wildduck-webhooks',
      'x-wildduck-event': delivery.type,
      'x-wildduck-delivery': delivery.id,
      'x-wildduck-timestamp': timestamp,
      'x-wildduck-signature': signWebhook(target.secret, timestamp, delivery.body),
    },
    body: delivery.body,
    redirect: 'manual',
    signal,
  });
  const { status } = response;
  if (status >= 200 && status < 300) {
    await response.body?.cancel().catch(() => {});
    return { ok: true, status };
  }
  const snippet = await readSnippet(response);
  const reason = `HTTP ${status}${snippet ? `: ${snippet}` : ''}`;
  if (status === 429 || status >= 500) {
    return { ok: false, retry: true, reason, status, retryAfterMs: retryAfter(response.headers) };
  }
  return { ok: false, retry: false, reason, status };
}

/**
 * POSTs with a time limit, and an outside signal (a closing worker) that aborts it too. Never throws:
 * a network error, a timeout or an abort is a failed outcome marked for retry (the worker decides
 * what an abort of its own means).
 */
export async function attemptWebhook(
  fetchImpl: typeof fetch,
  target: WebhookTarget,
  delivery: WebhookPost,
  timeoutMs: number,
  controller: AbortController,
): Promise<PostOutcome> {
  const timer = setTimeout(() => controller.abort(new Error('timeout')), timeoutMs);
  timer.unref();
  try {
    return await postWebhook(fetchImpl, target, delivery, controller.signal);
  } catch (error) {
    const reason = controller.signal.aborted ? String((controller.signal.reason as Error)?.message) : '';
    return {
      ok: false,
      retry: true,
      reason: reason === 'timeout' ? `timed out after ${timeoutMs} ms` : describe(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The wait before the next try after `attempt` tries: `initialDelayMs` doubled per try, capped, with
 * jitter (half to all of it), and never shorter than the receiver's Retry-After (capped too).
 */
export function retryDelay(
  attempt: number,
  initialDelayMs: number,
  maxDelayMs: number,
  retryAfterMs?: number,
): number {
  const base = Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
  const jittered = base / 2 + (Math.random() * base) / 2;
  return Math.min(maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}

/** Retry-After in milliseconds (delta seconds or an HTTP date), if the answer has one. */
function retryAfter(headers: Headers): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The start of an error answer's body, for the log. */
async function readSnippet(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  try {
    const { value } = await reader.read();
    return value ? Buffer.from(value).toString('utf8', 0, 200).replace(/\s+/g, ' ').trim() : '';
  } catch {
    return '';
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** An error as one line: its message and its cause's (fetch puts the network error in `cause`). */
export function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}
