'use client';
// When every loaded message is ticked but the folder holds more, the banner offers the whole
// folder; the server then chooses the messages, those never loaded here included.
import type { BulkSelection } from './use-bulk-selection';

export function SelectAllBanner({
  bulk,
  total,
  folderName,
}: {
  bulk: BulkSelection;
  /** Messages in the folder (matching the search), loaded or not. */
  total: number;
  folderName: string;
}) {
  const messages = (count: number) => `${count.toLocaleString('en')} ${count === 1 ? 'message' : 'messages'}`;
  if (bulk.allInFolder) {
    return (
      <p
        className="flex flex-wrap items-center gap-x-2 bg-brand-100 px-4 py-1.5 text-sm text-brand-900"
        data-testid="select-all-banner"
      >
        <span>
          {bulk.count === total ? 'All' : ''} {messages(bulk.count)} in {folderName} are selected.
        </span>
        <button type="button" onClick={bulk.clear} className="font-semibold underline">
          Clear the selection
        </button>
      </p>
    );
  }
  if (!bulk.allLoadedSelected || total <= bulk.count) return null;
  return (
    <p
      className="flex flex-wrap items-center gap-x-2 bg-brand-100 px-4 py-1.5 text-sm text-brand-900"
      data-testid="select-all-banner"
    >
      <span>All {messages(bulk.count)} loaded are selected.</span>
      <button type="button" onClick={bulk.selectAllInFolder} className="font-semibold underline">
        Select all {messages(total)} in {folderName}
      </button>
    </p>
  );
}
