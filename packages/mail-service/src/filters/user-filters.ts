/**
 * A recipient's delivery filters, parsed once and kept per user in this process: the Sieve made of
 * the user's settings (form rules, forwarding, vacation) runs first, then the active Sieve script.
 *
 * Delivery pays nothing for a user without filters: the recipient lookup reads the user document
 * anyway, and its `filtersUpdated` stamp (unset for such a user) is all this needs. Scripts and
 * settings are read only when the stamp is set and differs from the one the cached filters were
 * loaded under; every change of a script or setting moves the stamp (store filters-stamp.ts).
 */
import type { Db, ObjectId } from 'mongodb';
import { parseSieve, scriptNeeds, type Script } from '@wildduck/sieve';
import { getActiveSieveScript, getMailSettings, type MailSettings } from '@wildduck/store';
import { settingsToSieve } from './settings-script.js';

/** The name a failure of the settings' Sieve is recorded under (a script's own name otherwise). */
export const SETTINGS_SCRIPT_NAME = 'rules';

/** One parsed script, with the name failures are recorded under. */
export interface NamedScript {
  name: string;
  script: Script;
}

/** What delivery runs for one user, and what of the message it needs beyond the header block. */
export interface UserFilters {
  scripts: NamedScript[];
  /** mailboxes: a script tests `mailboxexists`, so delivery reads the user's mailbox paths. */
  needs: { body: boolean; size: boolean; mailboxes: boolean };
  /** A stored script that does not parse (changed by hand in the store): run as a failure. */
  broken: { script: string; message: string } | null;
}

/** Users whose filters are remembered per database; the oldest is forgotten beyond this. */
const MAX_ENTRIES = 10_000;
/**
 * Two changes within one millisecond leave the stamp as it was; an entry is therefore re-read now
 * and then however its stamp looks, so such a slip lasts minutes, not forever.
 */
const MAX_AGE_MS = 5 * 60_000;

interface Entry {
  stamp: number;
  filters: UserFilters | null;
  loaded: number;
  /** The settings' Sieve depends on the time (a vacation's start and end): reload from then on. */
  validUntil: number;
}

const cached = new WeakMap<Db, Map<string, Entry>>();

/**
 * The user's filters, or null when there are none to run. `stamp` is the user document's
 * `filtersUpdated` as the recipient lookup read it. Store failures are thrown (the delivery is
 * then answered 451: a message is never filed past filters that could not be read).
 */
export async function loadUserFilters(
  db: Db,
  user: ObjectId,
  stamp: Date | null | undefined,
  now = new Date(),
): Promise<UserFilters | null> {
  if (!stamp) return null;
  let entries = cached.get(db);
  if (!entries) cached.set(db, (entries = new Map()));
  const key = user.toHexString();
  const time = now.getTime();
  const known = entries.get(key);
  if (known && known.stamp === stamp.getTime() && time < known.validUntil && time - known.loaded < MAX_AGE_MS)
    return known.filters;

  const [settings, active] = await Promise.all([getMailSettings(db, user), getActiveSieveScript(db, user)]);
  const filters = compileFilters(
    settings,
    active ? { name: active.name, content: active.content } : null,
    now,
  );
  entries.delete(key);
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(key, { stamp: stamp.getTime(), filters, loaded: time, validUntil: nextChange(settings, time) });
  return filters;
}

/** Parses the settings' Sieve and the active script; null when neither has anything to run. */
export function compileFilters(
  settings: MailSettings,
  active: { name: string; content: string } | null,
  now: Date,
): UserFilters | null {
  const sources: { name: string; content: string }[] = [];
  const generated = settingsToSieve(settings, now);
  if (generated.trim()) sources.push({ name: SETTINGS_SCRIPT_NAME, content: generated });
  if (active && active.content.trim()) sources.push(active);
  if (!sources.length) return null;
  const scripts: NamedScript[] = [];
  let broken: UserFilters['broken'] = null;
  for (const source of sources) {
    const parsed = parseSieve(source.content);
    if (parsed.ok) scripts.push({ name: source.name, script: parsed.script });
    else broken ??= { script: source.name, message: parsed.errors.map((error) => error.message).join('; ') };
  }
  // a script that does not parse runs as a failure: the message goes to INBOX, nothing else runs
  if (broken) return { scripts: [], needs: { body: false, size: false, mailboxes: false }, broken };
  return { scripts, needs: scriptNeeds(scripts.map((entry) => entry.script)), broken: null };
}

/** When the settings' Sieve may read differently: the next vacation start or end after now. */
function nextChange(settings: MailSettings, now: number): number {
  const moments = [settings.vacation.start, settings.vacation.end]
    .map((date) => (date ? date.getTime() : Infinity))
    .filter((time) => time > now);
  return Math.min(Infinity, ...moments);
}
