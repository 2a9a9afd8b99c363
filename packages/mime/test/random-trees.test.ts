// Randomly built MIME trees (seeded, so failures reproduce): every leaf body comes back as
// BODY[n] exactly as it was written, and the whole message byte for byte, whatever the
// chunking, line endings and large-body threshold.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexMessage, openSection, reassembleMessage, resolvePart } from '../src/index.js';
import { chunked, MemorySink, readAll } from './helpers.js';

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Built {
  bytes: string;
  /** Expected BODY[path] of every leaf, by IMAP part number. */
  leaves: Map<string, string>;
}

/**
 * Writes one entity. `path` is its IMAP number; a message entity (the top level or an embedded
 * message) is not itself a numbered part, so its non-multipart body is `path.1` (top level: `1`).
 */
function buildEntity(
  rand: () => number,
  path: string,
  isMessage: boolean,
  depth: number,
  eol: string,
  leaves: Map<string, string>,
): string {
  const bodyPath = isMessage ? (path ? `${path}.1` : '1') : path;
  const pick = rand();
  if (depth < 3 && pick < 0.35) {
    const boundary = `b${Math.floor(rand() * 1e9).toString(36)}`;
    const count = 1 + Math.floor(rand() * 3);
    let out = `Content-Type: multipart/mixed; boundary="${boundary}"${eol}${eol}`;
    if (rand() < 0.5) out += `preamble ${Math.floor(rand() * 1000)}${eol}`;
    // Sometimes the close delimiter is missing (truncated mail): then the last part runs on to
    // whatever delimiter or end comes next, so no line break is written after it.
    const closed = rand() < 0.9;
    for (let i = 1; i <= count; i++) {
      const childPath = path ? `${path}.${i}` : String(i);
      out += `--${boundary}${eol}${buildEntity(rand, childPath, false, depth + 1, eol, leaves)}`;
      if (i < count || closed) out += eol;
    }
    if (closed) {
      out += `--${boundary}--${rand() < 0.2 ? ' \t' : ''}${eol}`;
      if (rand() < 0.3) out += `epilogue${eol}`;
    }
    return out;
  }
  if (depth < 3 && pick < 0.45) {
    const inner = buildEntity(rand, bodyPath, true, depth + 1, eol, leaves);
    return `Content-Type: message/rfc822${eol}${eol}Subject: inner ${path}${eol}${inner}`;
  }
  const lines: string[] = [];
  const lineCount = Math.floor(rand() * 6);
  for (let i = 0; i < lineCount; i++) {
    const kind = rand();
    if (kind < 0.1) lines.push('');
    else if (kind < 0.2) lines.push('-- looks like a delimiter but is not');
    else if (kind < 0.25) lines.push('x'.repeat(Math.floor(rand() * 3000)));
    else lines.push(`line ${i} of ${path || 'root'} ${Math.floor(rand() * 1e6)}`);
  }
  const body = lines.join(eol);
  leaves.set(bodyPath, body);
  return `Content-Type: text/plain${eol}${eol}${body}`;
}

function buildMessage(seed: number): Built {
  const rand = random(seed);
  const eol = rand() < 0.7 ? '\r\n' : '\n';
  const leaves = new Map<string, string>();
  const bytes = `From: random@example.com${eol}Subject: tree ${seed}${eol}${buildEntity(rand, '', true, 0, eol, leaves)}`;
  return { bytes, leaves };
}

test('random MIME trees: BODY[n] of every leaf and BODY[] are exact', async () => {
  for (let seed = 1; seed <= 300; seed++) {
    const { bytes, leaves } = buildMessage(seed);
    const raw = Buffer.from(bytes, 'latin1');
    const rand = random(seed * 7919);
    const sink = new MemorySink();
    const message = await indexMessage(chunked(raw, 1 + Math.floor(rand() * 200)), {
      sink,
      largeBodyThreshold: Math.floor(rand() * 64),
    });
    const whole = await readAll(reassembleMessage(message, sink.opener()).stream);
    assert.ok(whole.equals(raw), `seed ${seed}: BODY[] differs`);
    for (const [path, body] of leaves) {
      const section = openSection(message, { part: path.split('.').map(Number) }, sink.opener());
      assert.ok(section, `seed ${seed}: BODY[${path}] missing`);
      assert.equal((await readAll(section.stream)).toString('latin1'), body, `seed ${seed}: BODY[${path}]`);
      const part = resolvePart(message.root, path.split('.').map(Number));
      // IMAP's lines are the body's LFs: a last line without one (before a delimiter) does not count.
      const expectedLines = body.match(/\n/g)?.length ?? 0;
      assert.equal(part?.lines, expectedLines, `seed ${seed}: lines of ${path}`);
    }
  }
});
