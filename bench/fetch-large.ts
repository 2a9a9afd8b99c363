import type { Target } from './environment.js';
import { ImapConnection, existsCount } from './imap-client.js';
import { largeMessage } from './messages.js';
import { formatBytes, formatDuration, median } from './report.js';
import type { TrafficCount } from './store-proxy.js';

export const LARGE_MAILBOX = 'bench-20mb';

/** One timed FETCH and what it moved. */
export interface FetchRun {
  ms: number;
  /** Literal bytes the client received. */
  bytesToClient: number;
  /** Bytes between the mail server and the store during the command (own server only). */
  store?: TrafficCount;
}

export interface FetchLargeResult {
  messageBytes: number;
  append: { ms: number; store?: TrafficCount } | 'reused';
  /** The part sizes from BODYSTRUCTURE, to show part 2 is the attachment. */
  bodyStructure: string;
  part1: FetchRun[];
  whole: FetchRun;
  storeBytesMethod: string | undefined;
}

/**
 * FETCH BODY.PEEK[1] (a 70-byte text part) of a 20 MB message whose part 2 is the attachment,
 * `repeat` times, then the whole message once for comparison; on our server, the bytes the mail
 * server read from the store during each command come from the counting proxy.
 */
export async function fetchLarge(
  target: Target,
  options: { sizeBytes: number; repeat: number; log(line: string): void },
): Promise<FetchLargeResult> {
  const { log } = options;
  const message = largeMessage(options.sizeBytes);
  const client = await ImapConnection.open(target.endpoint, 300_000);
  try {
    await client.login(target.user(1), target.password);
    await client.send(`CREATE ${LARGE_MAILBOX}`);
    let exists = existsCount((await client.run(`SELECT ${LARGE_MAILBOX}`)).untagged) ?? 0;
    let sizeOk = false;
    if (exists > 0) {
      const size = /RFC822\.SIZE (\d+)/i.exec((await client.run('FETCH 1 (RFC822.SIZE)')).untagged.join(' '));
      sizeOk = Number(size?.[1]) === message.length;
      if (!sizeOk) {
        await client.run('STORE 1:* +FLAGS.SILENT (\\Deleted)');
        await client.run('EXPUNGE');
        exists = 0;
      }
    }
    let append: FetchLargeResult['append'] = 'reused';
    if (!sizeOk) {
      log(`fetch20mb: APPEND of the ${formatBytes(message.length)} message`);
      const before = target.proxy?.snapshot();
      const started = performance.now();
      const response = await client.append(LARGE_MAILBOX, message, ['\\Seen']);
      const ms = performance.now() - started;
      if (response.status !== 'OK')
        throw new Error(`APPEND of the 20 MB message: ${response.status} ${response.text}`);
      append = { ms, ...(before && target.proxy ? { store: target.proxy.since(before) } : {}) };
      log(`  APPEND took ${formatDuration(ms)}`);
      await client.run('NOOP');
    } else log('fetch20mb: reusing the 20 MB message of an earlier run');

    const structure = await client.run('FETCH 1 (BODYSTRUCTURE)');
    const bodyStructure = structure.untagged.join(' ');
    // settle: the first command after SELECT may open store connections of its own
    await client.run('FETCH 1 (BODY.PEEK[1])');

    const timed = async (command: string): Promise<FetchRun> => {
      const before = target.proxy?.snapshot();
      const started = performance.now();
      const response = await client.run(command);
      const ms = performance.now() - started;
      return {
        ms,
        bytesToClient: response.literalBytes,
        ...(before && target.proxy ? { store: target.proxy.since(before) } : {}),
      };
    };
    const part1: FetchRun[] = [];
    for (let i = 0; i < options.repeat; i++) part1.push(await timed('FETCH 1 (BODY.PEEK[1])'));
    log(
      `  BODY.PEEK[1]: ${part1[0]?.bytesToClient} bytes to the client, median ${formatDuration(median(part1.map((run) => run.ms)))}` +
        (part1[0]?.store
          ? `, ${formatBytes(median(part1.map((run) => run.store!.fromStore)))} read from the store`
          : ''),
    );
    const whole = await timed('FETCH 1 (BODY.PEEK[])');
    log(
      `  BODY.PEEK[] (whole message): ${formatDuration(whole.ms)}${whole.store ? `, ${formatBytes(whole.store.fromStore)} read from the store` : ''}`,
    );
    return {
      messageBytes: message.length,
      append,
      bodyStructure,
      part1,
      whole,
      storeBytesMethod: target.proxy
        ? 'TCP proxy between the mail server and the store, bytes store→server during the command'
        : undefined,
    };
  } finally {
    await client.logout();
  }
}
