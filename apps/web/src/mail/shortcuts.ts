// The webmail's keyboard shortcuts, in one table: the help dialog lists it, the key handler
// follows it.
export const SHORTCUTS = [
  { key: 'j', label: 'Next message' },
  { key: 'k', label: 'Previous message' },
  { key: 'o', label: 'Open the selected message (also Enter)' },
  { key: 'u', label: 'Back to the list' },
  { key: 'c', label: 'Compose a new message' },
  { key: 'r', label: 'Reply' },
  { key: 'a', label: 'Reply all' },
  { key: 'f', label: 'Forward' },
  { key: 'e', label: 'Archive' },
  { key: '#', label: 'Delete (move to Trash)' },
  { key: '!', label: 'Report spam (move to Junk)' },
  { key: 's', label: 'Star or unstar' },
  { key: 'Shift+I', label: 'Mark as read' },
  { key: 'Shift+U', label: 'Mark as unread' },
  { key: 'x', label: 'Select or unselect for a bulk action (Shift+X: a range; Escape: none)' },
  { key: '/', label: 'Search' },
  { key: '?', label: 'Show these shortcuts' },
] as const;
