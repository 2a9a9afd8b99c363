// Deliveries per minute over the last hour as a bar chart, with the same figures as a table
// for screen readers and anyone who prefers numbers.
import type { ServerStats } from '@/client/api-types';

const WIDTH = 600;
const HEIGHT = 160;
const AXIS = 24;

function minuteLabel(iso: string): string {
  return new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}

export function DeliveriesChart({ deliveries }: { deliveries: ServerStats['deliveries'] }) {
  const total = deliveries.reduce((sum, bucket) => sum + bucket.count, 0);
  const peak = deliveries.reduce(
    (best, bucket) => (bucket.count > (best?.count ?? -1) ? bucket : best),
    deliveries[0],
  );
  const max = Math.max(1, peak?.count ?? 0);
  const slot = deliveries.length ? (WIDTH - AXIS) / deliveries.length : 0;
  const summary = total
    ? `${total} ${total === 1 ? 'delivery' : 'deliveries'} in the last hour; the busiest minute had ${peak?.count} at ${peak ? minuteLabel(peak.minute) : ''}.`
    : 'No deliveries in the last hour.';

  return (
    <figure className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <figcaption className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="font-semibold text-slate-900">Deliveries per minute</h2>
        <span className="text-sm text-slate-600">last 60 minutes</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT + 20}`}
        className="mt-3 h-44 w-full"
        role="img"
        aria-label={summary}
        data-testid="deliveries-chart"
      >
        <line x1={AXIS} x2={WIDTH} y1={HEIGHT} y2={HEIGHT} className="stroke-slate-300" />
        <text x={AXIS - 6} y={12} textAnchor="end" fontSize="11" className="fill-slate-600">
          {max}
        </text>
        <text x={AXIS - 6} y={HEIGHT} textAnchor="end" fontSize="11" className="fill-slate-600">
          0
        </text>
        {deliveries.map((bucket, index) => {
          const height = (bucket.count / max) * (HEIGHT - 8);
          return (
            <rect
              key={bucket.minute}
              x={AXIS + index * slot + 1}
              y={HEIGHT - height}
              width={Math.max(1, slot - 2)}
              height={height}
              rx={1.5}
              className="fill-brand-600"
            >
              <title>{`${minuteLabel(bucket.minute)}: ${bucket.count}`}</title>
            </rect>
          );
        })}
        {deliveries.length ? (
          <>
            <text x={AXIS} y={HEIGHT + 16} fontSize="11" className="fill-slate-600">
              {minuteLabel(deliveries[0]!.minute)}
            </text>
            <text x={WIDTH} y={HEIGHT + 16} textAnchor="end" fontSize="11" className="fill-slate-600">
              {minuteLabel(deliveries[deliveries.length - 1]!.minute)}
            </text>
          </>
        ) : null}
      </svg>
      <p className="mt-1 text-sm text-slate-700">{summary}</p>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-brand-700">Show the figures as a table</summary>
        <table className="mt-2 w-full max-w-xs text-left">
          <thead>
            <tr>
              <th scope="col" className="font-medium text-slate-600">
                Minute
              </th>
              <th scope="col" className="font-medium text-slate-600">
                Deliveries
              </th>
            </tr>
          </thead>
          <tbody>
            {deliveries
              .filter((bucket) => bucket.count > 0)
              .map((bucket) => (
                <tr key={bucket.minute}>
                  <td>{minuteLabel(bucket.minute)}</td>
                  <td>{bucket.count}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
