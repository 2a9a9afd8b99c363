import type { ServerMemory, Target } from './environment.js';
import { ImapConnection, existsCount } from './imap-client.js';
import { describeMemory } from './idle-memory.js';
import { formatBytes, formatDuration } from './report.js';
import { fillMaildir, fillThroughStore, searchMailboxName } from './search-large.js';

export interface ViewMemoryResult {
  mailbox: string;
  messages: number;
  connections: number;
  selectMs: number[];
  before: ServerMemory | undefined;
  /** With every connection holding the mailbox selected. */
  selected: ServerMemory | undefined;
  /** After the connections logged out. */
  closed: ServerMemory | undefined;
  heapPerMessage: number | undefined;
  rssPerMessage: number | undefined;
  pssPerMessage: number | undefined;
}

/**
 * Memory per message held in the server's mailbox views: the search benchmark's large mailbox (the
 * same seeding, reused) is SELECTed by `connections` connections of its user; the server's memory
 * (V8 heap after a full GC for ours, RSS and PSS of the process tree for both) is read with no
 * session open (after a warm-up connection that selected INBOX), with all of them selected, and
 * after they logged out; the growth is divided by the mailbox's message count (not by the
 * connections: a view is meant to be shared by the sessions of a mailbox).
 */
export async function viewMemory(
  target: Target,
  options: { messages: number; connections: number; settleMs: number; log(line: string): void },
): Promise<ViewMemoryResult> {
  const { log } = options;
  const name = searchMailboxName(options.messages);
  if (target.store) await fillThroughStore(target.store, options.messages, log);
  else if (target.maildir) fillMaildir(target.maildir.path(1), options.messages);
  else
    throw new Error(
      'view-memory needs the search mailbox seeded by the benchmark (our server or --compare dovecot)',
    );

  const warm = await ImapConnection.open(target.endpoint, 900_000);
  await warm.login(target.user(1), target.password);
  await warm.run('SELECT INBOX');
  if (target.maildir) await warm.run(`EXAMINE ${name}`); // Dovecot indexes new maildir files once
  await warm.logout();
  await new Promise((resolve) => setTimeout(resolve, options.settleMs));
  const before = await target.memory();
  log(`view-memory: before: ${describeMemory(before)}`);

  const clients: ImapConnection[] = [];
  const selectMs: number[] = [];
  let messages = 0;
  try {
    for (let i = 0; i < options.connections; i++) {
      const client = await ImapConnection.open(target.endpoint, 900_000);
      clients.push(client);
      await client.login(target.user(1), target.password);
      const begin = performance.now();
      const response = await client.run(`SELECT ${name}`);
      selectMs.push(performance.now() - begin);
      messages = existsCount(response.untagged) ?? 0;
      log(
        `  connection ${i + 1}: SELECT ${name} (${messages} messages) in ${formatDuration(selectMs.at(-1)!)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.settleMs));
    const selected = await target.memory();
    log(`  ${options.connections} connections with ${name} selected: ${describeMemory(selected)}`);
    await Promise.all(clients.splice(0).map((client) => client.logout()));
    await new Promise((resolve) => setTimeout(resolve, options.settleMs));
    const closed = await target.memory();
    log(`  after they logged out: ${describeMemory(closed)}`);
    const per = (a: number | undefined, b: number | undefined) =>
      a !== undefined && b !== undefined && messages ? (b - a) / messages : undefined;
    const result: ViewMemoryResult = {
      mailbox: name,
      messages,
      connections: options.connections,
      selectMs,
      before,
      selected,
      closed,
      heapPerMessage: per(before?.heapUsed, selected?.heapUsed),
      rssPerMessage: per(before?.rss, selected?.rss),
      pssPerMessage: per(before?.pss, selected?.pss),
    };
    log(
      `  per message: heap ${formatBytes(result.heapPerMessage ?? NaN)}, RSS ${formatBytes(result.rssPerMessage ?? NaN)}, PSS ${formatBytes(result.pssPerMessage ?? NaN)}`,
    );
    return result;
  } finally {
    for (const client of clients) client.close();
  }
}
