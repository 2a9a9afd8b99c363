'use client';
// Deliveries and storage over time, with HOUR / DAY / MONTH tabs: a bar chart of deliveries and a
// line of the storage samples, each with the same figures as a table for screen readers and
// anyone who prefers numbers. Read again when the console says deliveries arrived (`refreshKey`).
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { describeError } from '@/client/graphql';
import { formatBytes } from '@/shared/format';
import { fetchStatsHistory, type StatsPoint, type StatsRange } from './feed-operations';

const WIDTH = 600;
const HEIGHT = 140;
const AXIS = 48;

const RANGES: { range: StatsRange; label: string; unit: string }[] = [
  { range: 'HOUR', label: 'Hour', unit: 'minute' },
  { range: 'DAY', label: 'Day', unit: 'hour' },
  { range: 'MONTH', label: 'Month', unit: 'day' },
];

function pointLabel(range: StatsRange, iso: string): string {
  const date = new Date(iso);
  if (range === 'MONTH') return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
  return date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}

export function HistoryCharts({ initial, refreshKey }: { initial: StatsPoint[] | null; refreshKey: number }) {
  const [range, setRange] = useState<StatsRange>('HOUR');
  const [points, setPoints] = useState<StatsPoint[] | null>(initial);
  const [error, setError] = useState<string | null>(null);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  // the page was rendered with the hour's points: read only when the tab or the figures change
  const first = useRef(initial !== null);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    let stale = false;
    fetchStatsHistory(range)
      .then((fresh) => {
        if (stale) return;
        setPoints(fresh);
        setError(null);
      })
      .catch((problem: unknown) => !stale && setError(describeError(problem)));
    return () => {
      stale = true;
    };
  }, [range, refreshKey]);

  const onKey = (event: KeyboardEvent, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = (index + step + RANGES.length) % RANGES.length;
    setRange(RANGES[next]!.range);
    tabs.current[next]?.focus();
  };
  const unit = RANGES.find((each) => each.range === range)!.unit;

  return (
    <section
      aria-labelledby="history-title"
      className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="history-title" className="font-semibold text-slate-900">
          Deliveries and storage
        </h2>
        <div role="tablist" aria-label="Period" className="flex rounded-lg border border-slate-300 p-0.5">
          {RANGES.map((each, index) => (
            <button
              key={each.range}
              ref={(element) => {
                tabs.current[index] = element;
              }}
              type="button"
              role="tab"
              id={`history-tab-${each.range}`}
              aria-selected={range === each.range}
              aria-controls="history-panel"
              tabIndex={range === each.range ? 0 : -1}
              onClick={() => setRange(each.range)}
              onKeyDown={(event) => onKey(event, index)}
              className={`rounded-md px-3 py-1 text-sm font-medium ${
                range === each.range ? 'bg-brand-700 text-white' : 'text-slate-700 hover:bg-slate-50'
              }`}
            >
              {each.label}
            </button>
          ))}
        </div>
      </div>
      <div
        role="tabpanel"
        id="history-panel"
        aria-labelledby={`history-tab-${range}`}
        data-testid="history-panel"
        data-range={range}
      >
        {error ? (
          <p role="alert" className="mt-3 text-sm text-red-800">
            The history could not be loaded: {error}
          </p>
        ) : null}
        {points ? (
          <>
            <DeliveryBars points={points} range={range} unit={unit} />
            <StorageLine points={points} range={range} />
            <details className="mt-2 text-sm">
              <summary className="cursor-pointer text-brand-700">Show the figures as a table</summary>
              <table className="mt-2 w-full max-w-md text-left" data-testid="history-table">
                <thead>
                  <tr>
                    <th scope="col" className="font-medium text-slate-600">
                      {unit[0]!.toUpperCase() + unit.slice(1)}
                    </th>
                    <th scope="col" className="font-medium text-slate-600">
                      Deliveries
                    </th>
                    <th scope="col" className="font-medium text-slate-600">
                      Storage
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {points
                    .filter((point) => point.deliveries > 0 || point.storage !== null)
                    .map((point) => (
                      <tr key={point.at}>
                        <td>{pointLabel(range, point.at)}</td>
                        <td>{point.deliveries}</td>
                        <td>
                          {point.storage === null || point.storage === undefined
                            ? '—'
                            : formatBytes(point.storage)}
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </details>
          </>
        ) : (
          <p className="mt-3 text-sm text-slate-600">Loading…</p>
        )}
      </div>
    </section>
  );
}

function DeliveryBars({ points, range, unit }: { points: StatsPoint[]; range: StatsRange; unit: string }) {
  const total = points.reduce((sum, point) => sum + point.deliveries, 0);
  const peak = points.reduce(
    (best, point) => (point.deliveries > best.deliveries ? point : best),
    points[0]!,
  );
  const max = Math.max(1, peak?.deliveries ?? 0);
  const slot = points.length ? (WIDTH - AXIS) / points.length : 0;
  const summary = total
    ? `${total} ${total === 1 ? 'delivery' : 'deliveries'}; the busiest ${unit} had ${peak.deliveries} at ${pointLabel(range, peak.at)}.`
    : `No deliveries in this period.`;
  return (
    <ChartFigure
      className="mt-3"
      caption={`Deliveries per ${unit}`}
      summary={summary}
      testId="history-deliveries"
      maxLabel={
        <text x={AXIS - 6} y={12} textAnchor="end" fontSize="11" className="fill-slate-600">
          {max}
        </text>
      }
    >
      {points.map((point, index) => {
        const height = (point.deliveries / max) * (HEIGHT - 8);
        return (
          <rect
            key={point.at}
            x={AXIS + index * slot + 1}
            y={HEIGHT - height}
            width={Math.max(1, slot - 2)}
            height={height}
            rx={1.5}
            className="fill-brand-600"
          >
            <title>{`${pointLabel(range, point.at)}: ${point.deliveries}`}</title>
          </rect>
        );
      })}
      {points.length ? (
        <>
          <text x={AXIS} y={HEIGHT + 16} fontSize="11" className="fill-slate-600">
            {pointLabel(range, points[0]!.at)}
          </text>
          <text x={WIDTH} y={HEIGHT + 16} textAnchor="end" fontSize="11" className="fill-slate-600">
            {pointLabel(range, points.at(-1)!.at)}
          </text>
        </>
      ) : null}
    </ChartFigure>
  );
}

function StorageLine({ points, range }: { points: StatsPoint[]; range: StatsRange }) {
  const sampled = points
    .map((point, index) => ({ index, at: point.at, storage: point.storage }))
    .filter(
      (point): point is { index: number; at: string; storage: number } => typeof point.storage === 'number',
    );
  const max = Math.max(1, ...sampled.map((point) => point.storage));
  const slot = points.length > 1 ? (WIDTH - AXIS) / (points.length - 1) : 0;
  const x = (index: number) => AXIS + index * slot;
  const y = (storage: number) => HEIGHT - (storage / max) * (HEIGHT - 8);
  const last = sampled.at(-1);
  const summary = last
    ? `Storage ${formatBytes(last.storage)} at ${pointLabel(range, last.at)}; the most in this period was ${formatBytes(max)}.`
    : 'No storage samples in this period yet.';
  return (
    <ChartFigure
      className="mt-4"
      caption="Storage used"
      summary={summary}
      testId="history-storage"
      maxLabel={
        // the largest figure above the axis, where a long one ("1.2 GB") has room
        <text x={AXIS + 4} y={10} fontSize="11" className="fill-slate-600">
          {formatBytes(max)}
        </text>
      }
    >
      {sampled.length > 1 ? (
        <polyline
          points={sampled.map((point) => `${x(point.index)},${y(point.storage)}`).join(' ')}
          fill="none"
          strokeWidth={2}
          className="stroke-brand-600"
        />
      ) : null}
      {sampled.map((point) => (
        <circle key={point.at} cx={x(point.index)} cy={y(point.storage)} r={2.5} className="fill-brand-700">
          <title>{`${pointLabel(range, point.at)}: ${formatBytes(point.storage)}`}</title>
        </circle>
      ))}
    </ChartFigure>
  );
}

/**
 * The frame both history charts draw in: a captioned figure, an SVG of the same size with the
 * baseline and its 0, the chart's own largest-value label, and the summary sentence that is also
 * the SVG's accessible name. Shared so the two charts line up and read alike.
 */
function ChartFigure({
  className,
  caption,
  summary,
  testId,
  maxLabel,
  children,
}: {
  className: string;
  caption: string;
  summary: string;
  testId: string;
  maxLabel: ReactNode;
  children: ReactNode;
}) {
  return (
    <figure className={className}>
      <figcaption className="text-sm font-medium text-slate-700">{caption}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT + 20}`}
        className="mt-1 h-40 w-full"
        role="img"
        aria-label={summary}
        data-testid={testId}
      >
        <line x1={AXIS} x2={WIDTH} y1={HEIGHT} y2={HEIGHT} className="stroke-slate-300" />
        {maxLabel}
        <text x={AXIS - 6} y={HEIGHT} textAnchor="end" fontSize="11" className="fill-slate-600">
          0
        </text>
        {children}
      </svg>
      <p className="text-sm text-slate-700">{summary}</p>
    </figure>
  );
}
