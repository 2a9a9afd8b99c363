import { findMailbox } from '@wildduck/store';
import { ensureMaildir } from './dovecot.js';
import type { OwnStore, Target } from './environment.js';
import { ImapConnection, existsCount } from './imap-client.js';
import { textMessage } from './lmtp-delivery.js';
import { formatDuration, percentile } from './report.js';
import { TEMPLATES, copyTemplates, seedMailbox, seedMessage, writeMarker, type SeedLayout } from './seed.js';

/** One command of the latency benchmark: what it sends, timed from writing it to reading its tagged answer. */
export interface LatencyCommandFigure {
  name: string;
  command: string;
  tries: number;
  p50Ms: number;
  p90Ms: number;
  minMs: number;
  maxMs: number;
  failures: number;
  firstFailure?: string;
}

export interface CommandLatencyResult {
  /** Messages in the measured INBOX. */
  mailboxSize: number;
  /** Messages in the whole store (our server), when known. */
  storeMessages: number | undefined;
  seeding: string;
  commands: LatencyCommandFigure[];
}

export interface CommandLatencyOptions {
  tries: number;
  /** Once a command has taken this long in all, it is not repeated further (at least one try). */
  budgetMs: number;
  mailboxSize: number;
  log(line: string): void;
}

/** The seeded layout of the latency store: `users` users with an INBOX of `perUser` messages each. */
export function latencyLayout(users: number, perUser: number): SeedLayout {
  return { name: 'latency', shape: { users, perUser, templates: TEMPLATES, version: 2 } };
}

/**
 * `prepare` of our latency target: user 1's INBOX gets `perUser` messages (the templates through
 * appendMessage, the rest copies), every other user an INBOX of `perUser` copies (seed.ts).
 */
export async function seedLatencyStore(
  store: OwnStore,
  layout: SeedLayout,
  log: (line: string) => void,
): Promise<string> {
  const { users, perUser } = layout.shape as { users: number; perUser: number };
  const marker = await store.db.collection('bench_markers').findOne({ _id: layout.name as never });
  if (marker) return `reused (seeded by an earlier run in ${formatDuration(Number(marker.seconds) * 1000)})`;
  log(
    `latency: seeding ${users} users × ${perUser} messages (${(users * perUser).toLocaleString('en-US')} in all)`,
  );
  const started = performance.now();
  const templates = await seedMailbox(store, 1, 'INBOX', perUser, log);
  const copyStart = performance.now();
  let copied = 0;
  let lastLog = performance.now();
  for (let n = 2; n <= users; n++) {
    const user = store.userId(n);
    const inbox = await findMailbox(store.db, user, 'INBOX');
    if (!inbox) throw new Error(`user ${n} has no INBOX`);
    copied += await copyTemplates(store.db, templates, user, inbox._id!, {
      from: 0,
      to: perUser,
      total: perUser,
    });
    if (performance.now() - lastLog > 15_000) {
      lastLog = performance.now();
      log(`  other users: ${copied} copies (${n - 1}/${users - 1} users)`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  await writeMarker(store.db, layout, seconds);
  const description = `seeded now in ${formatDuration(seconds * 1000)}: ${Math.min(TEMPLATES, perUser)} messages through appendMessage, ${perUser - Math.min(TEMPLATES, perUser) + copied} copies by insertMany (${formatDuration(performance.now() - copyStart)} for the other users)`;
  log(`  ${description}`);
  return description;
}

/** The 2,000-byte message the APPEND row appends (removed afterwards). */
function appendMessageBytes(index: number): Buffer {
  return textMessage(`latency-${Date.now().toString(36)}-${index}`, 2000);
}

/**
 * Per-command latency with one client on user 1's INBOX of `mailboxSize` messages. Each command is
 * sent once untimed (warm-up), then `tries` times one after another (fewer once `budgetMs` is spent).
 */
export async function commandLatency(
  target: Target,
  options: CommandLatencyOptions,
  seeding: string,
): Promise<CommandLatencyResult> {
  const { mailboxSize, log } = options;
  if (target.maildir) {
    const fill = ensureMaildir(target.maildir.path(1), 'INBOX', mailboxSize, `templates=${TEMPLATES}`, (i) =>
      seedMessage(i, mailboxSize),
    );
    seeding = fill.reused
      ? 'maildir written by an earlier run'
      : `maildir files written now (${formatDuration(fill.seconds * 1000)})`;
  }
  const client = await ImapConnection.open(target.endpoint, 900_000);
  const figures: LatencyCommandFigure[] = [];
  try {
    await client.login(target.user(1), target.password);
    const selected = await client.run('SELECT INBOX');
    const exists = existsCount(selected.untagged) ?? 0;
    if (exists > mailboxSize) {
      // left by a broken run: what was appended after the seeded messages
      await client.run(`STORE ${mailboxSize + 1}:* +FLAGS.SILENT (\\Deleted)`);
      await client.run('EXPUNGE');
    } else if (exists < mailboxSize) {
      if (target.store || target.maildir)
        throw new Error(`user 1's INBOX holds ${exists} messages after seeding, ${mailboxSize} expected`);
      // another server (--host/--port): topped up over IMAP
      log(`latency: appending ${mailboxSize - exists} messages to user 1's INBOX`);
      for (let i = exists; i < mailboxSize; i++) {
        const message = seedMessage(i, mailboxSize);
        const response = await client.append('INBOX', message.bytes, message.flags, message.date);
        if (response.status !== 'OK') throw new Error(`APPEND failed: ${response.status} ${response.text}`);
      }
    }
    await client.run('UNSELECT').catch(() => client.run('CLOSE'));
    log(`latency: INBOX of ${mailboxSize} messages; ${seeding}`);

    const time = async (
      name: string,
      command: string,
      run: (attempt: number) => Promise<{ ok: boolean; text: string; ms: number }>,
    ) => {
      const figure: LatencyCommandFigure = {
        name,
        command,
        tries: 0,
        p50Ms: NaN,
        p90Ms: NaN,
        minMs: NaN,
        maxMs: NaN,
        failures: 0,
      };
      const times: number[] = [];
      const budgetEnd = performance.now() + options.budgetMs;
      // warm-up, not counted, unless it alone spent the budget: then it is the one try
      const warmUp = await run(-1);
      if (performance.now() > budgetEnd && warmUp.ok) {
        times.push(warmUp.ms);
        figure.command += ' (one run: the warm-up spent the budget)';
      } else
        for (let attempt = 0; attempt < options.tries; attempt++) {
          if (attempt > 0 && performance.now() > budgetEnd) break;
          const outcome = await run(attempt);
          if (outcome.ok) times.push(outcome.ms);
          else {
            figure.failures++;
            figure.firstFailure ??= outcome.text;
          }
        }
      figure.tries = times.length;
      figure.p50Ms = percentile(times, 50);
      figure.p90Ms = percentile(times, 90);
      figure.minMs = percentile(times, 0);
      figure.maxMs = percentile(times, 100);
      figures.push(figure);
      log(
        `  ${name}: median ${formatDuration(figure.p50Ms)}, p90 ${formatDuration(figure.p90Ms)} (${figure.tries} tries${figure.failures ? `, ${figure.failures} FAILED: ${figure.firstFailure}` : ''})`,
      );
    };
    const send = (command: string | ((attempt: number) => string)) => async (attempt: number) => {
      const text = typeof command === 'string' ? command : command(attempt);
      const begin = performance.now();
      const response = await client.send(text);
      return {
        ok: response.status === 'OK',
        text: `${text} -> ${response.status} ${response.text}`,
        ms: performance.now() - begin,
      };
    };

    // a new connection each try: the greeting, then LOGIN (timed apart)
    const loginTimes: number[] = [];
    await time('connect + greeting', 'TCP connect until the greeting is read', async () => {
      const begin = performance.now();
      const fresh = await ImapConnection.open(target.endpoint, 900_000);
      const ms = performance.now() - begin;
      const loginStart = performance.now();
      const response = await fresh.send(`LOGIN "${target.user(1)}" "${target.password}"`);
      loginTimes.push(performance.now() - loginStart);
      await fresh.logout();
      return { ok: response.status === 'OK', text: `LOGIN -> ${response.status} ${response.text}`, ms };
    });
    {
      const times = loginTimes.slice(1); // the first was the warm-up's
      figures.push({
        name: 'LOGIN',
        command: 'LOGIN on a new connection, after its greeting (the LOGIN alone is timed)',
        tries: times.length,
        p50Ms: percentile(times, 50),
        p90Ms: percentile(times, 90),
        minMs: percentile(times, 0),
        maxMs: percentile(times, 100),
        failures: 0,
      });
      log(
        `  LOGIN: median ${formatDuration(percentile(times, 50))}, p90 ${formatDuration(percentile(times, 90))}`,
      );
    }
    await time('CAPABILITY', 'CAPABILITY', send('CAPABILITY'));
    await time('NOOP', 'NOOP', send('NOOP'));
    await time('LIST', 'LIST "" "*"', send('LIST "" "*"'));
    await time(
      'STATUS',
      'STATUS INBOX (MESSAGES UIDNEXT UNSEEN)',
      send('STATUS INBOX (MESSAGES UIDNEXT UNSEEN)'),
    );
    await time('SELECT', 'SELECT INBOX', send('SELECT INBOX'));
    await time('FETCH FLAGS', 'FETCH 1:20 (UID FLAGS)', send('FETCH 1:20 (UID FLAGS)'));
    // attempt 2k sets \Flagged on message k + 1, attempt 2k + 1 clears it: every STORE changes something
    let stored = 0;
    await time(
      'STORE',
      'STORE n +FLAGS (\\Flagged), then STORE n -FLAGS (\\Flagged), n = 1, 2, …',
      async (attempt) => {
        const step = attempt + 1; // the warm-up is attempt -1
        stored = Math.max(stored, step + 1);
        const n = Math.floor(step / 2) + 1;
        return send(`STORE ${n} ${step % 2 === 0 ? '+' : '-'}FLAGS (\\Flagged)`)(attempt);
      },
    );
    if (stored % 2 === 1)
      await client.run(`STORE ${Math.floor((stored - 1) / 2) + 1} -FLAGS.SILENT (\\Flagged)`);
    await time('SEARCH UNSEEN', 'SEARCH UNSEEN', send('SEARCH UNSEEN'));
    await time('SEARCH FROM', 'SEARCH FROM "sender17@"', send('SEARCH FROM "sender17@"'));
    let appended = 0;
    await time('APPEND', 'APPEND INBOX of a 2,000-byte text/plain message', async () => {
      const message = appendMessageBytes(appended++);
      const begin = performance.now();
      const response = await client.append('INBOX', message);
      return {
        ok: response.status === 'OK',
        text: `APPEND -> ${response.status} ${response.text}`,
        ms: performance.now() - begin,
      };
    });
    // remove what APPEND added
    await client.run('NOOP');
    await client.run(`STORE ${mailboxSize + 1}:* +FLAGS.SILENT (\\Deleted)`);
    await client.run('EXPUNGE');
  } finally {
    await client.logout();
  }
  let storeMessages: number | undefined;
  if (target.store) storeMessages = await target.store.db.collection('messages').estimatedDocumentCount();
  return { mailboxSize, storeMessages, seeding, commands: figures };
}
