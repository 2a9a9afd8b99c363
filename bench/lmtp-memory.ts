import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { ServerMemory, Target } from './environment.js';
import { ImapConnection, searchResults } from './imap-client.js';
import { LmtpSender, attachmentMessage, removeBenchMessages, type LmtpOutcome } from './lmtp-delivery.js';
import { formatBytes, formatDuration } from './report.js';

/** VmRSS and VmHWM of one process, in bytes, from /proc/<pid>/status. */
export interface ProcStatus {
  rss: number;
  /** Peak resident set since the process started, or since the last reset through clear_refs. */
  hwm: number;
}

export function procStatus(pid: number): ProcStatus | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) * 1024;
    return { rss: field('VmRSS'), hwm: field('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Sets VmHWM back to the current VmRSS ("5" > /proc/<pid>/clear_refs, Linux 4.0+); false if refused. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export interface RssSamples {
  /** Sampling interval asked for, and the longest gap between two samples there really was. */
  intervalMs: number;
  maxGapMs: number;
  count: number;
  maxRss: number;
  /** Time of the largest sample, from the start of sampling. */
  maxAtMs: number;
  /** [ms since the start, RSS in bytes], at most one per 100 ms kept (the maximum always kept). */
  timeline: [number, number][];
}

/**
 * Samples VmRSS of `pid` every `intervalMs` on a thread of its own, so a busy event loop of the
 * benchmark (it streams the message meanwhile) does not delay the samples.
 */
function startSampler(pid: number, intervalMs: number): { stop(): Promise<RssSamples> } {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `
    const { parentPort, workerData } = require('node:worker_threads');
    const { readFileSync } = require('node:fs');
    const { pid, intervalMs, flag } = workerData;
    const started = performance.now();
    let last = started, maxGapMs = 0, count = 0, maxRss = 0, maxAtMs = 0, keptAt = -Infinity;
    const timeline = [];
    for (;;) {
      let rss;
      try {
        rss = Number(/^VmRSS:\\s+(\\d+) kB/m.exec(readFileSync('/proc/' + pid + '/status', 'utf8'))[1]) * 1024;
      } catch { break; }
      const now = performance.now();
      const at = now - started;
      if (count) maxGapMs = Math.max(maxGapMs, now - last);
      last = now;
      count++;
      if (rss > maxRss) { maxRss = rss; maxAtMs = at; }
      if (at - keptAt >= 100 || rss === maxRss) { timeline.push([Math.round(at), rss]); keptAt = at; }
      if (Atomics.wait(flag, 0, 0, intervalMs) !== 'timed-out') break;
    }
    parentPort.postMessage({ intervalMs, maxGapMs, count, maxRss, maxAtMs, timeline });
    `,
    { eval: true, workerData: { pid, intervalMs, flag } },
  );
  const result = new Promise<RssSamples>((resolve, reject) => {
    worker.once('message', (samples: RssSamples) => resolve(samples));
    worker.once('error', reject);
  });
  return {
    async stop() {
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      const samples = await result;
      await worker.terminate();
      return samples;
    },
  };
}

export interface LmtpMemoryResult {
  messageBytes: number;
  /** Bytes of the attachment's base64 text (the part that goes to GridFS). */
  attachmentBase64Bytes: number;
  deliveryMs: number;
  reply: string;
  /** Our server after a full GC, before the delivery and after it (V8 heap and Buffers too). */
  before: ServerMemory | undefined;
  after: ServerMemory | undefined;
  /** /proc/<pid>/status just before the delivery; hwm is the lifetime peak (start-up included). */
  baseline: ProcStatus | undefined;
  /** Whether VmHWM could be reset to the baseline RSS right before the delivery. */
  peakReset: boolean;
  /** VmHWM read right after the delivery: the peak during it when peakReset. */
  hwmAfter: number | undefined;
  samples: RssSamples | undefined;
  /** max(VmHWM since the reset, the largest sample), and minus the baseline RSS. */
  peakRss: number | undefined;
  peakGrowth: number | undefined;
  verified: {
    uid: number;
    /** RFC822.SIZE the server reports: the message plus its Return-Path/Delivered-To/Received. */
    storedSize: number;
    /** Bytes the server put before the message (its trace headers). */
    prefixBytes: number;
    prefixFields: string[];
    sha256Matches: boolean;
    fetchMs: number;
  };
}

/**
 * Peak memory of the mail server while it receives one large message over LMTP: a warm-up
 * delivery of 1 MB first; then the baseline (after a full GC), VmHWM reset, and RSS sampled every
 * `intervalMs` while the message (a text part and a base64 attachment of random bytes, generated
 * in chunks as it is sent) streams in; then the message is read back over IMAP and compared.
 */
export async function lmtpMemory(
  target: Target,
  options: { sizeBytes: number; intervalMs: number; log(line: string): void },
): Promise<LmtpMemoryResult> {
  const { log } = options;
  const lmtp = target.lmtp;
  if (!lmtp) throw new Error('no LMTP port known for this server (give --lmtp-port)');
  const pid = target.serverPid;
  const recipient = target.user(1);
  const leftover = await removeBenchMessages(target, 1);
  if (leftover) log(`lmtp50mb: removed ${leftover} messages left by an earlier run`);

  const sender = new LmtpSender(lmtp);
  const run = Date.now().toString(36);
  try {
    const warmUp = await sender.deliver(
      recipient,
      Buffer.concat([...attachmentMessage(`${run}-warm`, 1_000_000).chunks()]),
    );
    if (!warmUp.ok) throw new Error(`the 1 MB warm-up delivery failed: ${warmUp.reply}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const before = await target.memory();
    const baseline = pid ? procStatus(pid) : undefined;
    const peakReset = pid ? resetPeak(pid) : false;
    log(
      `lmtp50mb: baseline ${baseline ? `RSS ${formatBytes(baseline.rss)} (lifetime peak so far ${formatBytes(baseline.hwm)})` : 'not measurable (no server pid)'}${before?.heapUsed !== undefined ? `, V8 heap used ${formatBytes(before.heapUsed)} after GC` : ''}; VmHWM ${peakReset ? 'reset' : 'not reset'}`,
    );

    const message = attachmentMessage(run, options.sizeBytes);
    const hash = createHash('sha256');
    log(
      `lmtp50mb: delivering a ${formatBytes(message.bytes)} message (${message.bytes} bytes) to ${recipient}, RSS sampled every ${options.intervalMs} ms`,
    );
    const sampler = pid ? startSampler(pid, options.intervalMs) : undefined;
    const started = performance.now();
    let outcome: LmtpOutcome;
    let samples: RssSamples | undefined;
    try {
      outcome = await sender.deliver(recipient, Readable.from(message.chunks(hash)));
    } finally {
      samples = await sampler?.stop();
    }
    const deliveryMs = performance.now() - started;
    const hwmAfter = pid ? procStatus(pid)?.hwm : undefined;
    if (!outcome.ok) throw new Error(`the ${formatBytes(message.bytes)} delivery failed: ${outcome.reply}`);
    const sha256 = hash.digest('hex');
    const after = await target.memory();

    let peakRss: number | undefined;
    if (baseline && samples) {
      peakRss = samples.maxRss;
      // without a reset VmHWM is the lifetime peak: it says something only if the delivery raised it
      if (hwmAfter !== undefined && (peakReset || hwmAfter > baseline.hwm))
        peakRss = Math.max(peakRss, hwmAfter);
    }
    const peakGrowth = peakRss !== undefined && baseline ? peakRss - baseline.rss : undefined;
    log(
      `  delivered in ${formatDuration(deliveryMs)} (${outcome.reply})` +
        (peakRss !== undefined
          ? `; peak RSS ${formatBytes(peakRss)}, +${formatBytes(peakGrowth!)} over the baseline (${samples!.count} samples, longest gap ${formatDuration(samples!.maxGapMs)})`
          : ''),
    );

    const verified = await verifyOverImap(target, recipient, run, outcome.uid, message.bytes, sha256);
    log(
      `  read back over IMAP in ${formatDuration(verified.fetchMs)}: RFC822.SIZE ${verified.storedSize} = ${message.bytes} sent + ${verified.prefixBytes} of trace headers (${verified.prefixFields.join(', ')}), SHA-256 of the message ${verified.sha256Matches ? 'matches' : 'DIFFERS'}`,
    );
    if (!verified.sha256Matches) throw new Error('the stored message differs from the one delivered');
    return {
      messageBytes: message.bytes,
      attachmentBase64Bytes: message.attachmentBase64Bytes,
      deliveryMs,
      reply: outcome.reply,
      before,
      after,
      baseline,
      peakReset,
      hwmAfter,
      samples,
      peakRss,
      peakGrowth,
      verified,
    };
  } finally {
    sender.close();
    const removed = await removeBenchMessages(target, 1).catch(() => 0);
    log(`  clean-up: ${removed} benchmark messages removed`);
  }
}

/**
 * Reads the delivered message back (BODY.PEEK[] of the UID in the LMTP reply, else found by its
 * Message-ID): it must be the server's trace header fields followed by exactly the bytes sent.
 */
async function verifyOverImap(
  target: Target,
  user: string,
  run: string,
  uidFromReply: number | undefined,
  sentBytes: number,
  sha256: string,
): Promise<LmtpMemoryResult['verified']> {
  const client = await ImapConnection.open(target.endpoint, 600_000);
  try {
    await client.login(user, target.password);
    await client.run('SELECT INBOX');
    const uid =
      uidFromReply ??
      searchResults((await client.run(`UID SEARCH HEADER Message-ID "${run}@lmtp.bench"`)).untagged)[0];
    if (uid === undefined) throw new Error('the delivered message is not in the INBOX');
    const started = performance.now();
    const response = await client.run(`UID FETCH ${uid} (RFC822.SIZE BODY.PEEK[])`, { keepLiterals: true });
    const fetchMs = performance.now() - started;
    const storedSize = Number(/RFC822\.SIZE (\d+)/i.exec(response.untagged.join(' '))?.[1]);
    const stored = Buffer.concat(response.literals);
    if (stored.length !== storedSize)
      throw new Error(`BODY[] has ${stored.length} bytes, RFC822.SIZE says ${storedSize}`);
    const prefixBytes = stored.length - sentBytes;
    if (prefixBytes < 0) throw new Error(`the stored message (${stored.length} bytes) is shorter than sent`);
    const prefix = stored.subarray(0, prefixBytes).toString('latin1');
    const prefixFields = prefix
      .split('\r\n')
      .filter((line) => /^[!-9;-~]+:/.test(line))
      .map((line) => line.slice(0, line.indexOf(':')));
    if (prefix && (!prefix.endsWith('\r\n') || !/^[!-9;-~]+:/.test(prefix)))
      throw new Error(`the stored message does not start with header fields: ${prefix.slice(0, 200)}`);
    const sha256Matches = createHash('sha256').update(stored.subarray(prefixBytes)).digest('hex') === sha256;
    return { uid, storedSize, prefixBytes, prefixFields, sha256Matches, fetchMs };
  } finally {
    await client.logout();
  }
}
