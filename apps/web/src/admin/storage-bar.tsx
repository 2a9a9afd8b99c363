// Storage used against the quota, as a bar and in words.
import { formatBytes } from '@/shared/format';

export function StorageBar({ used, quota }: { used: number; quota: number | null }) {
  if (quota === null || quota <= 0) {
    return (
      <span className="text-sm text-slate-800" data-testid="storage-used">
        {formatBytes(used)} <span className="text-slate-600">· no quota</span>
      </span>
    );
  }
  const share = Math.min(1, used / quota);
  const percent = Math.round((used / quota) * 100);
  const colour = share >= 0.9 ? 'bg-red-600' : share >= 0.75 ? 'bg-amber-500' : 'bg-brand-600';
  const words = `${formatBytes(used)} of ${formatBytes(quota)} (${percent}%)`;
  return (
    <div className="min-w-36">
      <div
        role="meter"
        aria-valuemin={0}
        aria-valuemax={quota}
        aria-valuenow={Math.min(used, quota)}
        aria-valuetext={words}
        aria-label="Storage used"
        className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div
          className={`h-full ${colour}`}
          style={{ width: `${Math.max(share * 100, used > 0 ? 1 : 0)}%` }}
        />
      </div>
      <span className="mt-1 block text-xs text-slate-700" data-testid="storage-used">
        {words}
      </span>
    </div>
  );
}
