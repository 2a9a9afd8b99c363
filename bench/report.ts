/** Formatting of figures, and the statistics the benchmarks print. */

/** The p-th percentile (0–100) of the values, nearest-rank; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** "850 µs", "12.3 ms", "4.56 s", "2 min 05 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** "512 B", "3.4 kB", "20.1 MB" (powers of 1000). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  const sign = bytes < 0 ? '-' : '';
  const size = Math.abs(bytes);
  if (size < 1000) return `${sign}${Math.round(size)} B`;
  if (size < 1e6) return `${sign}${(size / 1e3).toFixed(1)} kB`;
  if (size < 1e9) return `${sign}${(size / 1e6).toFixed(1)} MB`;
  return `${sign}${(size / 1e9).toFixed(2)} GB`;
}

/** A plain text table: the first row is the header, columns are padded (numbers to the right). */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const numeric = (cell: string) => /^[-\d.,]+( ?[a-zµ/%]+.*)?$/i.test(cell) && /^\s*-?\d/.test(cell);
  const lines = rows.map((row, index) =>
    row
      .map((cell, i) =>
        index > 0 && i > 0 && numeric(cell) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!),
      )
      .join('  ')
      .trimEnd(),
  );
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [lines[0], rule, ...lines.slice(1)].join('\n');
}
