/**
 * `--compare dovecot`: one table per benchmark, each figure of ours beside Dovecot's and their
 * ratio (ours ÷ Dovecot: for times and memory above 1 means ours takes longer or more; for rates
 * below 1 means ours does less per second).
 */
import type { CommandLatencyResult } from './latency.js';
import type { FetchLargeResult } from './fetch-large.js';
import type { IdleMemoryResult } from './idle-memory.js';
import type { LmtpDeliveryResult } from './lmtp-delivery.js';
import { formatBytes, formatDuration, median, table } from './report.js';
import type { SearchLargeResult } from './search-large.js';
import type { ThroughputResult } from './throughput.js';
import type { ViewMemoryResult } from './view-memory.js';
import type { LoginRateResult } from './login-rate.js';

interface Figures {
  latency?: CommandLatencyResult;
  throughput?: ThroughputResult[];
  fetch20mb?: FetchLargeResult;
  search50k?: SearchLargeResult;
  idle1000?: IdleMemoryResult;
  lmtp?: LmtpDeliveryResult;
  viewMemory?: ViewMemoryResult;
  login?: LoginRateResult;
}

function ratio(ours: number | undefined, theirs: number | undefined): string {
  if (ours === undefined || theirs === undefined || !Number.isFinite(ours) || !Number.isFinite(theirs))
    return '—';
  if (theirs === 0) return ours === 0 ? '1' : '—';
  const r = ours / theirs;
  return r >= 100 ? `${Math.round(r)}` : r >= 10 ? r.toFixed(1) : r.toFixed(2);
}

const ms = (value: number | undefined) => (value === undefined ? '—' : formatDuration(value));
const rate = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(1);
const bytes = (value: number | undefined) => (value === undefined ? '—' : formatBytes(value));

function indent(text: string): string[] {
  return text.split('\n').map((line) => `  ${line}`);
}

export function printComparison(
  ours: Figures,
  dovecot: Figures & { version: string; target: string[]; failed: Record<string, string> },
): string[] {
  const out: string[] = ['', `=== Ours beside Dovecot ${dovecot.version} (same machine, same run) ===`];
  out.push(...dovecot.target.map((line) => `  ${line}`));
  out.push(
    '  ratio = ours ÷ Dovecot (times, memory: above 1 = ours takes longer / more; rates: below 1 = ours does less)',
  );

  const a = ours.latency;
  const b = dovecot.latency;
  if (a || b) {
    out.push(
      '',
      `--- latency: one client, INBOX of ${(a ?? b)!.mailboxSize} messages${a?.storeMessages !== undefined ? ` (our store: ${a.storeMessages.toLocaleString('en-US')} messages in all)` : ''}; median and p90 of ${a?.commands[0]?.tries ?? b?.commands[0]?.tries ?? '?'} tries ---`,
    );
    const names = [...new Set([...(a?.commands ?? []), ...(b?.commands ?? [])].map((c) => c.name))];
    out.push(
      ...indent(
        table([
          ['command', 'ours median', 'ours p90', 'Dovecot median', 'Dovecot p90', 'ratio (median)'],
          ...names.map((name) => {
            const x = a?.commands.find((c) => c.name === name);
            const y = b?.commands.find((c) => c.name === name);
            return [name, ms(x?.p50Ms), ms(x?.p90Ms), ms(y?.p50Ms), ms(y?.p90Ms), ratio(x?.p50Ms, y?.p50Ms)];
          }),
        ]),
      ),
    );
    const failures = [...(a?.commands ?? []), ...(b?.commands ?? [])].filter((c) => c.failures);
    for (const c of failures) out.push(`  failed: ${c.name}: ${c.firstFailure}`);
  }

  const counts = [
    ...new Set([...(ours.throughput ?? []), ...(dovecot.throughput ?? [])].map((t) => t.clients)),
  ];
  for (const clients of counts) {
    const x = ours.throughput?.find((t) => t.clients === clients);
    const y = dovecot.throughput?.find((t) => t.clients === clients);
    out.push(
      '',
      `--- throughput: ${clients} clients, ${(x ?? y)!.seconds.toFixed(0)} s, INBOX of ${(x ?? y)!.mailboxSize} messages each ---`,
    );
    const names = (x ?? y)!.operations.map((op) => op.name);
    out.push(
      ...indent(
        table([
          ['command', 'ours /s', 'ours p50', 'Dovecot /s', 'Dovecot p50', 'ratio (/s)'],
          [
            'all',
            rate(x?.commandsPerSecond),
            '',
            rate(y?.commandsPerSecond),
            '',
            ratio(x?.commandsPerSecond, y?.commandsPerSecond),
          ],
          ...names.map((name) => {
            const p = x?.operations.find((op) => op.name === name);
            const q = y?.operations.find((op) => op.name === name);
            return [
              name,
              rate(p?.perSecond),
              ms(p?.p50Ms),
              rate(q?.perSecond),
              ms(q?.p50Ms),
              ratio(p?.perSecond, q?.perSecond),
            ];
          }),
        ]),
      ),
    );
    const failed = [
      ...(x?.operations ?? [])
        .filter((op) => op.failures)
        .map((op) => `ours ${op.name}: ${op.failures} (${op.firstFailure})`),
      ...(y?.operations ?? [])
        .filter((op) => op.failures)
        .map((op) => `Dovecot ${op.name}: ${op.failures} (${op.firstFailure})`),
      ...(x?.clientErrors ?? []).map((error) => `ours: ${error}`),
      ...(y?.clientErrors ?? []).map((error) => `Dovecot: ${error}`),
    ];
    for (const line of failed) out.push(`  failed: ${line}`);
  }

  const l = ours.lmtp;
  const m = dovecot.lmtp;
  if (l || m) {
    out.push('', `--- lmtp: ${(l ?? m)!.concurrency} connections, one recipient each ---`);
    const labels = (l ?? m)!.phases.map((phase) => phase.label);
    out.push(
      ...indent(
        table([
          ['size', 'ours msg/s', 'ours p50', 'Dovecot msg/s', 'Dovecot p50', 'ratio (msg/s)'],
          ...labels.map((label) => {
            const p = l?.phases.find((phase) => phase.label === label);
            const q = m?.phases.find((phase) => phase.label === label);
            return [
              label,
              rate(p?.messagesPerSecond),
              ms(p?.p50Ms),
              rate(q?.messagesPerSecond),
              ms(q?.p50Ms),
              ratio(p?.messagesPerSecond, q?.messagesPerSecond),
            ];
          }),
        ]),
      ),
    );
    for (const [who, result] of [
      ['ours', l],
      ['Dovecot', m],
    ] as const)
      for (const phase of result?.phases ?? [])
        if (phase.failures)
          out.push(`  failed (${who}, ${phase.label}): ${phase.failures}: ${phase.firstFailure}`);
  }

  const s = ours.search50k;
  const t = dovecot.search50k;
  if (s || t) {
    out.push('', `--- search50k: ${(s ?? t)!.mailbox}, median of the runs (matches ours / Dovecot) ---`);
    const names = (s ?? t)!.queries.map((q) => q.name);
    out.push(
      ...indent(
        table([
          ['query', 'ours', 'Dovecot', 'ratio', 'matches'],
          [
            'SELECT',
            ms(s?.selectMs),
            ms(t?.selectMs),
            ratio(s?.selectMs, t?.selectMs),
            `${s?.messages ?? '—'} / ${t?.messages ?? '—'} messages`,
          ],
          ...names.map((name) => {
            const p = s?.queries.find((q) => q.name === name);
            const q = t?.queries.find((query) => query.name === name);
            const a = p?.runsMs.length ? median(p.runsMs) : undefined;
            const b = q?.runsMs.length ? median(q.runsMs) : undefined;
            return [
              name,
              ms(a),
              ms(b),
              ratio(a, b),
              `${p?.error ? 'FAILED' : (p?.matches ?? '—')} / ${q?.error ? 'FAILED' : (q?.matches ?? '—')}`,
            ];
          }),
        ]),
      ),
    );
  }

  const i = ours.idle1000;
  const j = dovecot.idle1000;
  if (i || j) {
    out.push(
      '',
      `--- idle1000: memory per idle connection, ${i?.connections ?? '—'} (ours) / ${j?.connections ?? '—'} (Dovecot) connections in IDLE ---`,
    );
    out.push(
      ...indent(
        table([
          ['per connection', 'ours', 'Dovecot', 'ratio'],
          [
            'RSS',
            bytes(i?.rssPerConnection),
            bytes(j?.rssPerConnection),
            ratio(i?.rssPerConnection, j?.rssPerConnection),
          ],
          [
            'PSS',
            bytes(i?.pssPerConnection),
            bytes(j?.pssPerConnection),
            ratio(i?.pssPerConnection, j?.pssPerConnection),
          ],
          ['V8 heap', bytes(i?.heapPerConnection), '—', '—'],
        ]),
      ),
    );
    out.push(
      '  counted: growth of the whole process tree (ours: the node process; Dovecot: the master and every child, one `imap` process per connection) ÷ connections;',
      '  RSS counts shared pages (libraries, shared memory) once per process, PSS divides them among the processes sharing them',
    );
    if (j)
      out.push(
        `  Dovecot processes: ${j.before?.processes ?? '—'} before, ${j.after?.processes ?? '—'} with the connections open`,
      );
  }

  const v = ours.viewMemory;
  const w = dovecot.viewMemory;
  if (v || w) {
    out.push(
      '',
      `--- view-memory: ${(v ?? w)!.connections} connections SELECT ${(v ?? w)!.mailbox} (${(v ?? w)!.messages} messages); growth ÷ messages ---`,
    );
    out.push(
      ...indent(
        table([
          ['per message', 'ours', 'Dovecot', 'ratio'],
          ['V8 heap', bytes(v?.heapPerMessage), '—', '—'],
          [
            'RSS',
            bytes(v?.rssPerMessage),
            bytes(w?.rssPerMessage),
            ratio(v?.rssPerMessage, w?.rssPerMessage),
          ],
          [
            'PSS',
            bytes(v?.pssPerMessage),
            bytes(w?.pssPerMessage),
            ratio(v?.pssPerMessage, w?.pssPerMessage),
          ],
          ['first SELECT', ms(v?.selectMs[0]), ms(w?.selectMs[0]), ratio(v?.selectMs[0], w?.selectMs[0])],
          [
            'later SELECT (median)',
            ms(v ? median(v.selectMs.slice(1)) : undefined),
            ms(w ? median(w.selectMs.slice(1)) : undefined),
            ratio(v ? median(v.selectMs.slice(1)) : undefined, w ? median(w.selectMs.slice(1)) : undefined),
          ],
        ]),
      ),
    );
    out.push(
      "  Dovecot keeps no heap of its own to read: its figure is the imap processes' growth (index files it maps included)",
    );
  }

  const ourLogin = ours.login;
  const theirLogin = dovecot.login;
  if (ourLogin || theirLogin) {
    out.push(
      '',
      `--- login: ${(ourLogin ?? theirLogin)!.clients} clients connect, LOGIN and LOGOUT; each LOGIN checks an argon2id hash ---`,
    );
    out.push(
      ...indent(
        table([
          ['', 'ours', 'Dovecot', 'ratio'],
          [
            'sessions/s',
            rate(ourLogin?.perSecond),
            rate(theirLogin?.perSecond),
            ratio(ourLogin?.perSecond, theirLogin?.perSecond),
          ],
          [
            'LOGIN p50',
            ms(ourLogin?.loginP50Ms),
            ms(theirLogin?.loginP50Ms),
            ratio(ourLogin?.loginP50Ms, theirLogin?.loginP50Ms),
          ],
          [
            'LOGIN p99',
            ms(ourLogin?.loginP99Ms),
            ms(theirLogin?.loginP99Ms),
            ratio(ourLogin?.loginP99Ms, theirLogin?.loginP99Ms),
          ],
          ['failed', String(ourLogin?.failed ?? '—'), String(theirLogin?.failed ?? '—'), '—'],
        ]),
      ),
    );
  }

  const f = ours.fetch20mb;
  const g = dovecot.fetch20mb;
  if (f || g) {
    out.push('', `--- fetch20mb: FETCH of one small part of a ${bytes((f ?? g)!.messageBytes)} message ---`);
    const part = (r: FetchLargeResult | undefined) => (r ? median(r.part1.map((run) => run.ms)) : undefined);
    out.push(
      ...indent(
        table([
          ['', 'ours', 'Dovecot', 'ratio'],
          ['BODY.PEEK[1] (median)', ms(part(f)), ms(part(g)), ratio(part(f), part(g))],
          ['BODY.PEEK[] (whole)', ms(f?.whole.ms), ms(g?.whole.ms), ratio(f?.whole.ms, g?.whole.ms)],
        ]),
      ),
    );
  }

  for (const [name, error] of Object.entries(dovecot.failed))
    out.push('', `--- ${name} on Dovecot FAILED ---`, error);
  return out;
}
