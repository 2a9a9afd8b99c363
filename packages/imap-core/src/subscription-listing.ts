// Which names LIST (SUBSCRIBED ...) and LSUB list (RFC 5258 3.1, RFC 3501 6.3.9): the subscribed
// names, existing or not, and, for RECURSIVEMATCH and LSUB, the parents of subscribed names that
// the pattern leaves out.
import { MAILBOX_DELIMITER, type MailboxListEntry } from './backend.js';

/** One name to consider for a subscription listing. */
export interface SubscriptionCandidate {
  readonly path: string;
  /** The mailbox, when one exists by that name. */
  readonly mailbox: MailboxListEntry | null;
  readonly subscribed: boolean;
  /** Some subscribed name below this one does not match the patterns (CHILDINFO, LSUB \Noselect). */
  readonly subscribedBelowUnmatched: boolean;
}

/**
 * The names matching `matches` that are subscribed, or (with `withParents`) that have a subscribed
 * name below them which does not match: RFC 5258 example 8 lists `Foo2` with CHILDINFO for its
 * subscribed `Foo2/Bar1` under `*2`, but not `Baz2`, whose subscribed children match `*2` themselves.
 */
export function subscriptionCandidates(
  entries: readonly MailboxListEntry[],
  matches: (path: string) => boolean,
  withParents: boolean,
): SubscriptionCandidate[] {
  const byPath = new Map(entries.map((entry) => [entry.path, entry]));
  const subscribed = entries.filter((entry) => entry.subscribed).map((entry) => entry.path);
  const unmatchedBelow = new Set<string>();
  const names = new Set(subscribed);
  for (const path of subscribed) {
    const levels = path.split(MAILBOX_DELIMITER);
    for (let depth = 1; depth < levels.length; depth++) {
      const parent = levels.slice(0, depth).join(MAILBOX_DELIMITER);
      if (withParents) names.add(parent);
      if (!matches(path)) unmatchedBelow.add(parent);
    }
  }
  const candidates: SubscriptionCandidate[] = [];
  for (const path of sortPathsForListing([...names])) {
    if (!matches(path)) continue;
    const mailbox = byPath.get(path) ?? null;
    const candidate: SubscriptionCandidate = {
      path,
      mailbox: mailbox && !mailbox.nonExistent ? mailbox : null,
      subscribed: !!mailbox?.subscribed,
      subscribedBelowUnmatched: withParents && unmatchedBelow.has(path),
    };
    if (candidate.subscribed || candidate.subscribedBelowUnmatched) candidates.push(candidate);
  }
  return candidates;
}

/** INBOX first, then by path, so parents come right before their children. */
export function sortPathsForListing(paths: readonly string[]): string[] {
  const key = (path: string) => (path === 'INBOX' || path.startsWith('INBOX/') ? '\0' + path : path);
  return [...paths].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
