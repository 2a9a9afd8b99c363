// Where a key pressed in an open menu sends the focus (WAI-ARIA menu pattern): the arrows step and
// wrap, Home and End jump to the ends, and a printable character jumps to the next item whose
// label starts with it (typeahead). Kept apart from the component so it can be tested alone.

/** A single printable character (not Space, which chooses the focused item). */
export function isTypeaheadKey(key: string): boolean {
  return [...key].length === 1 && key.trim() !== '';
}

/**
 * The index of the next item after `current` whose label starts with `character` (ignoring case
 * and leading spaces), wrapping past the end; null when none does. Pressing the same letter again
 * so cycles through the items that start with it.
 */
export function typeaheadIndex(labels: readonly string[], current: number, character: string): number | null {
  const wanted = character.toLocaleLowerCase();
  for (let step = 1; step <= labels.length; step += 1) {
    const index = (current + step + labels.length) % labels.length;
    if (labels[index]!.trimStart().toLocaleLowerCase().startsWith(wanted)) return index;
  }
  return null;
}

/**
 * The index of the item `key` focuses in a menu of `labels` whose focused item is `current` (-1 when
 * none is), or null when the key does not move the focus.
 */
export function menuKeyTarget(key: string, current: number, labels: readonly string[]): number | null {
  const count = labels.length;
  if (!count) return null;
  switch (key) {
    case 'ArrowDown':
      return (current + 1) % count;
    case 'ArrowUp':
      return current <= 0 ? count - 1 : current - 1;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return isTypeaheadKey(key) ? typeaheadIndex(labels, current, key) : null;
  }
}
