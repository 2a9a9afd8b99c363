'use client';
// The webhook outbox in the admin console: how many SPAM / NOT_SPAM deliveries wait and how many
// gave up, and the latest troubles with their last error, each failed one with a Retry button
// (for when the receiver is fixed). Refreshes every few seconds while the page is visible.
import { useCallback, useEffect, useState } from 'react';
import type { WebhookDelivery, WebhookOutbox } from '@/client/api-types';
import { describeError } from '@/client/graphql';
import { Icon } from '@/components/icons';
import { fetchWebhookOutbox, retryWebhookDelivery } from './operations';

const POLL_MS = 5_000;

function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('en-GB', {
    day: '2-digit',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

export function WebhookOutboxPanel() {
  const [outbox, setOutbox] = useState<WebhookOutbox | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [retrying, setRetrying] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setOutbox(await fetchWebhookOutbox());
      setProblem(null);
    } catch (error) {
      setProblem(describeError(error));
    }
  }, []);

  useEffect(() => {
    void load();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [load]);

  const retry = async (delivery: WebhookDelivery) => {
    setRetrying(delivery.id);
    try {
      await retryWebhookDelivery(delivery.id);
      await load();
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setRetrying(null);
    }
  };

  const figures = [
    { label: 'Waiting', value: outbox?.pending, testId: 'webhooks-pending' },
    { label: 'Failed', value: outbox?.failed, testId: 'webhooks-failed' },
  ];

  return (
    <section
      aria-labelledby="webhooks-title"
      className="rounded-xl border border-slate-200 bg-white shadow-sm"
      data-testid="webhook-outbox"
    >
      <div className="flex flex-wrap items-center gap-3 border-b border-slate-200 px-5 py-4">
        <h2 id="webhooks-title" className="text-lg font-semibold text-slate-900">
          Webhooks
        </h2>
        <span className="text-sm text-slate-600">SPAM and NOT_SPAM reports to the configured receivers</span>
        <button
          type="button"
          onClick={() => void load()}
          className="ml-auto rounded-lg border border-slate-300 p-2 text-slate-700 hover:bg-slate-50"
          aria-label="Refresh webhooks"
        >
          <Icon name="refresh" className="h-4 w-4" />
        </button>
      </div>
      {problem ? (
        <div role="alert" className="m-5 rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900">
          The webhook outbox could not be read: {problem}
        </div>
      ) : null}
      <dl className="grid gap-4 px-5 py-4 sm:grid-cols-3">
        {figures.map((item) => (
          <div key={item.label}>
            <dt className="text-sm text-slate-600">{item.label}</dt>
            <dd
              className={`mt-1 text-2xl font-semibold tabular-nums ${
                item.label === 'Failed' && item.value ? 'text-red-700' : 'text-slate-900'
              }`}
              data-testid={item.testId}
            >
              {item.value === undefined ? '…' : item.value.toLocaleString('en')}
            </dd>
          </div>
        ))}
        <div>
          <dt className="text-sm text-slate-600">Oldest waiting since</dt>
          <dd className="mt-1 text-sm font-medium text-slate-900" suppressHydrationWarning>
            {outbox ? when(outbox.oldestPendingAt) : '…'}
          </dd>
        </div>
      </dl>
      {outbox?.recent.length ? (
        <div className="relative overflow-x-auto border-t border-slate-200">
          <table className="w-full text-left text-sm" data-testid="webhook-deliveries">
            <caption className="sr-only">
              Failed webhook deliveries, then waiting ones that failed before
            </caption>
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-5 py-2 font-medium">
                  Event
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Receiver
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  State
                </th>
                <th scope="col" className="px-3 py-2 text-right font-medium">
                  Attempts
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Last error
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Next try / failed
                </th>
                <th scope="col" className="px-5 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {outbox.recent.map((delivery) => (
                <tr key={delivery.id} data-testid="webhook-delivery">
                  <td className="px-5 py-2 font-medium text-slate-900">
                    {delivery.type}
                    <div className="font-mono text-xs font-normal text-slate-500" title="Delivery id">
                      {delivery.id}
                    </div>
                  </td>
                  <td className="max-w-56 px-3 py-2 text-slate-700 [overflow-wrap:anywhere]">
                    {delivery.url}
                  </td>
                  <td className="px-3 py-2">
                    <span
                      className={`rounded-full px-2 py-0.5 text-xs font-semibold ${
                        delivery.state === 'FAILED'
                          ? 'bg-red-100 text-red-800'
                          : 'bg-amber-100 text-amber-900'
                      }`}
                    >
                      {delivery.state === 'FAILED' ? 'Failed' : 'Retrying'}
                    </span>
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{delivery.attempts}</td>
                  <td className="max-w-72 px-3 py-2 text-slate-700 [overflow-wrap:anywhere]">
                    {delivery.lastError ?? '—'}
                  </td>
                  <td className="px-3 py-2 text-slate-700" suppressHydrationWarning>
                    {when(delivery.state === 'FAILED' ? delivery.failedAt : delivery.nextAttemptAt)}
                  </td>
                  <td className="px-5 py-2 text-right">
                    {delivery.state === 'FAILED' ? (
                      <button
                        type="button"
                        onClick={() => void retry(delivery)}
                        disabled={retrying === delivery.id}
                        className="rounded-md border border-slate-300 px-2.5 py-1 text-xs font-medium text-slate-800 hover:bg-slate-50 disabled:opacity-50"
                      >
                        {retrying === delivery.id ? 'Queuing…' : 'Retry'}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : outbox ? (
        <p className="border-t border-slate-200 px-5 py-6 text-sm text-slate-600">
          No failed deliveries. Deliveries that fail appear here with the receiver&apos;s answer.
        </p>
      ) : null}
    </section>
  );
}
