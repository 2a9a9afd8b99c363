import { ensureMaildir } from './dovecot.js';
import { ImapConnection, existsCount, imapSearchDate, searchResults } from './imap-client.js';
import { RARE_BODY_WORD, generateMessage, messageDate } from './messages.js';
import type { OwnStore, Target } from './environment.js';
import { TEMPLATES, seedMailbox, seedMessage, writeMarker, type SeedLayout } from './seed.js';
import { formatDuration } from './report.js';

/** One SEARCH of the benchmark and what it took. */
export interface SearchFigure {
  name: string;
  command: string;
  /** Milliseconds of each run. */
  runsMs: number[];
  matches: number;
  expected: number | undefined;
  error?: string;
}

export interface SearchLargeResult {
  mailbox: string;
  messages: number;
  fill: { reused: boolean; added: number; seconds: number; rate: number | undefined; method: string };
  selectMs: number;
  queries: SearchFigure[];
  /** Queries left out because the time budget was spent. */
  skipped: string[];
}

const FILL_CONCURRENCY = 8;

/** The mailbox the benchmark fills: its name says how many messages it is meant to hold. */
export function searchMailboxName(messages: number): string {
  return `bench-search-${messages}`;
}

/** The seeded layout of the search database (seed.ts): a marker that differs means drop and seed again. */
export function searchLayout(messages: number): SeedLayout {
  return { name: searchMailboxName(messages), shape: { messages, templates: TEMPLATES, version: 3 } };
}

/**
 * Fills the search mailbox of our store in bulk (seed.ts: 200 messages through appendMessage, the
 * rest copies by insertMany), unless a marker says an earlier run did; the database was dropped
 * beforehand when it held anything else (`dropUnlessSeeded`, the target's `beforeUsers`).
 */
export async function fillThroughStore(
  store: OwnStore,
  messages: number,
  log: (line: string) => void,
): Promise<SearchLargeResult['fill']> {
  const layout = searchLayout(messages);
  const marker = await store.db.collection('bench_markers').findOne({ _id: layout.name as never });
  if (marker)
    return {
      reused: true,
      added: 0,
      seconds: Number(marker.seconds),
      rate: undefined,
      method: 'seeded by an earlier run (appendMessage for 200 templates, insertMany copies)',
    };
  const started = performance.now();
  await seedMailbox(store, 1, searchMailboxName(messages), messages, log);
  const seconds = (performance.now() - started) / 1000;
  await writeMarker(store.db, layout, seconds);
  return {
    reused: false,
    added: messages,
    seconds,
    rate: messages / seconds,
    method: `${Math.min(TEMPLATES, messages)} templates through appendMessage, the rest insertMany copies (seed.ts)`,
  };
}

/** Writes the search mailbox as maildir files (Dovecot started by the benchmark), unless an earlier run did. */
export function fillMaildir(root: string, messages: number): SearchLargeResult['fill'] {
  const fill = ensureMaildir(root, searchMailboxName(messages), messages, `templates=${TEMPLATES}`, (i) =>
    seedMessage(i, messages),
  );
  return {
    reused: fill.reused,
    added: fill.reused ? 0 : messages,
    seconds: fill.seconds,
    rate: fill.reused ? undefined : messages / fill.seconds,
    method:
      'maildir files written by the benchmark (the same messages as ours, seed.ts), indexed by Dovecot on the first SELECT',
  };
}

/** Fills the mailbox over IMAP APPEND (any server), FILL_CONCURRENCY connections, resuming from its EXISTS. */
async function fillThroughImap(
  target: Target,
  messages: number,
  log: (line: string) => void,
): Promise<SearchLargeResult['fill']> {
  const name = searchMailboxName(messages);
  const first = await ImapConnection.open(target.endpoint);
  await first.login(target.user(1), target.password);
  await first.send(`CREATE ${name}`);
  const exists = existsCount((await first.run(`EXAMINE ${name}`)).untagged) ?? 0;
  await first.logout();
  if (exists >= messages)
    return { reused: true, added: 0, seconds: 0, rate: undefined, method: 'IMAP APPEND, earlier run' };
  const started = performance.now();
  let next = exists;
  let done = 0;
  const progress = setInterval(
    () => log(`  filling ${name} over IMAP: ${exists + done}/${messages}`),
    15_000,
  );
  try {
    await Promise.all(
      Array.from({ length: FILL_CONCURRENCY }, async () => {
        const client = await ImapConnection.open(target.endpoint);
        await client.login(target.user(1), target.password);
        while (next < messages) {
          const message = generateMessage(next++, messages);
          const response = await client.append(name, message.bytes, message.flags, message.date);
          if (response.status !== 'OK')
            throw new Error(`APPEND to ${name} failed: ${response.status} ${response.text}`);
          done++;
        }
        await client.logout();
      }),
    );
  } finally {
    clearInterval(progress);
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    reused: false,
    added: done,
    seconds,
    rate: done / seconds,
    method: `IMAP APPEND (${FILL_CONCURRENCY} connections)`,
  };
}

/**
 * SEARCH on a large mailbox: SELECT it, then each query (FROM, SUBJECT, SINCE, UNSEEN, BODY, and
 * the four header/flag keys together) `repeat` times, stopping the repeats once `budgetMs` is spent.
 */
export async function searchLarge(
  target: Target,
  options: { messages: number; repeat: number; budgetMs: number; timeoutMs: number; log(line: string): void },
): Promise<SearchLargeResult> {
  const { messages, log } = options;
  const name = searchMailboxName(messages);
  log(`search50k: filling ${name} with ${messages} messages unless an earlier run did`);
  const fill = target.store
    ? await fillThroughStore(target.store, messages, log)
    : target.maildir
      ? fillMaildir(target.maildir.path(1), messages)
      : await fillThroughImap(target, messages, log);
  log(
    fill.reused
      ? `  reused the filled mailbox (its fill took ${formatDuration(fill.seconds * 1000)})`
      : `  filled ${fill.added} messages in ${formatDuration(fill.seconds * 1000)} (${fill.rate?.toFixed(0)}/s)`,
  );

  const client = await ImapConnection.open(target.endpoint, options.timeoutMs);
  try {
    await client.login(target.user(1), target.password);
    if (target.maildir) {
      // Dovecot indexes maildir files it has not seen on the first SELECT (as our seeding wrote documents): not timed
      const indexing = performance.now();
      await client.run(`SELECT ${name}`);
      await client.run('UNSELECT');
      log(
        `  first SELECT (Dovecot indexes the maildir, not timed): ${formatDuration(performance.now() - indexing)}`,
      );
    }
    const selectStart = performance.now();
    const selected = await client.run(`SELECT ${name}`);
    const selectMs = performance.now() - selectStart;
    const exists = existsCount(selected.untagged) ?? 0;
    log(`  SELECT ${name}: ${exists} messages in ${formatDuration(selectMs)}`);

    const sinceIndex = Math.floor(messages * 0.9);
    const since = messageDate(sinceIndex, messages);
    const sinceDay = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()));
    const expected = expectedMatches(messages, sinceDay);
    const queries: { name: string; command: string; expected: number | undefined; optional?: boolean }[] = [
      { name: 'FROM', command: 'UID SEARCH FROM "sender17@example.org"', expected: expected.from },
      { name: 'SUBJECT', command: 'UID SEARCH SUBJECT "quarterly"', expected: undefined },
      { name: 'SINCE', command: `UID SEARCH SINCE ${imapSearchDate(sinceDay)}`, expected: expected.since },
      { name: 'UNSEEN', command: 'UID SEARCH UNSEEN', expected: expected.unseen },
      { name: 'BODY', command: `UID SEARCH BODY "${RARE_BODY_WORD}"`, expected: expected.body },
      {
        name: 'FROM+SUBJECT+SINCE+UNSEEN',
        command: `UID SEARCH UNSEEN SINCE ${imapSearchDate(sinceDay)} FROM "sender17@example.org" SUBJECT "quarterly"`,
        expected: undefined,
        optional: true,
      },
      // SORT reads sort records, never a body: SELECT's view load read them along with the view
      // (the same search documents, one query) into the server's record cache, so even the first
      // SORT reads only what arrived since; without that it would read them all again
      { name: 'SORT DATE first', command: 'UID SORT (REVERSE DATE) UTF-8 ALL', expected: messages },
      { name: 'SORT DATE again', command: 'UID SORT (REVERSE DATE) UTF-8 ALL', expected: messages },
      { name: 'SORT SUBJECT', command: 'UID SORT (SUBJECT) UTF-8 UNSEEN', expected: expected.unseen },
    ];
    const figures: SearchFigure[] = [];
    const skipped: string[] = [];
    const budgetEnd = performance.now() + options.budgetMs;
    for (const query of queries) {
      if (query.optional && performance.now() > budgetEnd) {
        log(`  ${query.name}: skipped, the time budget is spent`);
        skipped.push(`${query.name} (${query.command})`);
        continue;
      }
      const figure: SearchFigure = {
        name: query.name,
        command: query.command,
        expected: query.expected,
        runsMs: [],
        matches: 0,
      };
      figures.push(figure);
      for (let run = 0; run < options.repeat; run++) {
        if (run > 0 && performance.now() > budgetEnd) break;
        const started = performance.now();
        const response = await client.send(query.command);
        const took = performance.now() - started;
        if (response.status !== 'OK') {
          figure.error = `${query.command} -> ${response.status} ${response.text}`;
          break;
        }
        figure.runsMs.push(took);
        figure.matches = searchResults(response.untagged).length;
      }
      log(
        `  ${query.name}: ${figure.error ?? `${figure.matches} matches, ${figure.runsMs.map((ms) => formatDuration(ms)).join(', ')}`}`,
      );
    }
    return { mailbox: name, messages: exists, fill, selectMs, queries: figures, skipped };
  } finally {
    await client.logout();
  }
}

/** Matches the generator makes for each query (index i: sender i % 200, \Seen when i % 10 < 7, the rare word when i % 100 == 7). */
function expectedMatches(
  messages: number,
  sinceDay: Date,
): { from: number; unseen: number; body: number; since: number } {
  let from = 0;
  let unseen = 0;
  let body = 0;
  let since = 0;
  for (let index = 0; index < messages; index++) {
    if (index % 200 === 17) from++;
    if (index % 10 >= 7) unseen++;
    if (index % 100 === 7) body++;
    if (messageDate(index, messages).getTime() >= sinceDay.getTime()) since++;
  }
  return { from, unseen, body, since };
}
