/**
 * Debian's isync (`mbsync`) against a real mail server process over STARTTLS: the "Done when" of
 * the store issue. One Channel syncs every folder both ways between the server and a local
 * Maildir; each step changes one side and checks that the next sync carries the change over.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { delimiter, join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { startMailServer, DEFAULT_PASSWORD, type MailServerProcess } from './server-process.js';

const USER = 'sync.user@example.com';
const DEFAULT_FOLDERS = ['INBOX', 'Drafts', 'Sent Mail', 'Junk', 'Trash', 'Archive'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  command: string,
  args: string[],
  options: { timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { timeout: options.timeoutMs, maxBuffer: 16 * 1024 * 1024, env: options.env ?? process.env },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({
          code,
          stdout,
          stderr: stderr + (error && typeof error.code !== 'number' ? `\n${error.message}` : ''),
        });
      },
    );
  });
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  for (const dir of ['/usr/bin', '/usr/local/bin']) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** mbsync's path; installs Debian's isync when it is missing and we are root. Never skips. */
async function ensureMbsync(): Promise<string> {
  const found = onPath('mbsync');
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error(
      'mbsync is not installed and this test is not running as root, so it cannot install it: run `sudo apt-get install -y isync`, then run the test again.',
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let install = await run('apt-get', ['install', '-y', '--no-install-recommends', 'isync'], {
    timeoutMs: 300_000,
    env,
  });
  if (install.code !== 0) {
    // the package lists may be stale or missing
    const update = await run('apt-get', ['update'], { timeoutMs: 300_000, env });
    install = await run('apt-get', ['install', '-y', '--no-install-recommends', 'isync'], {
      timeoutMs: 300_000,
      env,
    });
    if (install.code !== 0) {
      throw new Error(
        `mbsync is not installed and \`apt-get install -y isync\` failed (exit ${install.code}):\n${update.stderr}\n${install.stdout}\n${install.stderr}`,
      );
    }
  }
  const installed = onPath('mbsync');
  if (!installed)
    throw new Error(
      `\`apt-get install -y isync\` succeeded but mbsync is still not on PATH:\n${install.stdout}`,
    );
  return installed;
}

let server: MailServerProcess;
let mbsync: string;
let workDir: string;
let mailDir: string;
let configFile: string;

before(
  async () => {
    mbsync = await ensureMbsync();
    const version = await run(mbsync, ['--version'], { timeoutMs: 10_000 });
    const [major = 0, minor = 0] = (/isync (\d+)\.(\d+)/.exec(version.stdout)?.slice(1) ?? []).map(Number);
    const tlsKeyword = major > 1 || (major === 1 && minor >= 5) ? 'TLSType' : 'SSLType';
    server = await startMailServer('mbsync');
    await server.createUser(USER);
    workDir = mkdtempSync(join(tmpdir(), 'wd-mbsync-'));
    mailDir = join(workDir, 'mail');
    mkdirSync(mailDir);
    configFile = join(workDir, 'mbsyncrc');
    writeFileSync(
      configFile,
      [
        'IMAPAccount wildduck',
        // the address the README tells people to use; the certificate names it as a DNS SAN too, since
        // isync 1.4 matches the host only against DNS names (apps/mailserver/src/tls.ts)
        'Host 127.0.0.1',
        `Port ${server.imapPort}`,
        `User ${USER}`,
        `Pass ${DEFAULT_PASSWORD}`,
        // isync 1.5 renamed SSLType to TLSType
        `${tlsKeyword} STARTTLS`,
        // the server's self-signed certificate: trusted as given, whatever name it carries
        `CertificateFile ${server.certFile}`,
        'SystemCertificates no',
        'Timeout 30',
        '',
        'IMAPStore remote',
        'Account wildduck',
        '',
        'MaildirStore local',
        `Path ${mailDir}/`,
        `Inbox ${mailDir}/INBOX`,
        'SubFolders Verbatim',
        '',
        'Channel everything',
        'Far :remote:',
        'Near :local:',
        'Patterns *',
        'Create Both',
        'Expunge Both',
        'SyncState *',
        '',
      ].join('\n'),
    );
  },
  { timeout: 420_000 },
);

after(
  async () => {
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  },
  { timeout: 60_000 },
);

async function sync(): Promise<Run> {
  const result = await run(mbsync, ['--verbose', '-c', configFile, '--all'], { timeoutMs: 90_000 });
  assert.equal(
    result.code,
    0,
    `mbsync failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}\n--- server output ---\n${server.output().slice(-3000)}`,
  );
  return result;
}

function imap(): ImapFlow {
  return new ImapFlow({
    host: server.host,
    port: server.imapPort,
    secure: false,
    auth: { user: USER, pass: DEFAULT_PASSWORD },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
}

async function withMailbox<T>(path: string, work: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = imap();
  await client.connect();
  try {
    const lock = await client.getMailboxLock(path);
    try {
      return await work(client);
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}

/** Every message file of a Maildir folder (new and cur), with its contents. */
function maildirMessages(folder: string): { path: string; name: string; content: Buffer }[] {
  const found: { path: string; name: string; content: Buffer }[] = [];
  for (const sub of ['new', 'cur']) {
    const dir = join(mailDir, folder, sub);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isFile()) found.push({ path, name, content: readFileSync(path) });
    }
  }
  return found;
}

/** Maildir keeps local line ends: compare without carriage returns. */
const lf = (bytes: Buffer | string) => bytes.toString().replace(/\r\n/g, '\n');

const message = (subject: string, body: string) =>
  Buffer.from(
    [
      'From: Frank <frank@example.org>',
      `To: ${USER}`,
      `Subject: ${subject}`,
      'Date: Thu, 05 Nov 2026 12:00:00 +0000',
      `Message-ID: <${subject.replace(/\W/g, '')}@example.org>`,
      '',
      body,
      '',
    ].join('\r\n'),
  );

let serverUid = 0;
const FROM_SERVER = message('Written on the server', 'Appended with IMAP, synced down by mbsync.');
const FROM_LOCAL = Buffer.from(
  [
    'From: sync.user@example.com',
    'To: frank@example.org',
    'Subject: Written in the local Maildir',
    'Date: Thu, 05 Nov 2026 13:00:00 +0000',
    'Message-ID: <local-1@example.com>',
    '',
    'Dropped into Archive/new, synced up by mbsync.',
    '',
  ].join('\n'),
);

test('mbsync over STARTTLS: the six default folders after the first sync', { timeout: 120_000 }, async () => {
  const result = await sync();
  for (const folder of DEFAULT_FOLDERS) {
    for (const sub of ['cur', 'new', 'tmp']) {
      assert.ok(
        existsSync(join(mailDir, folder, sub)),
        `${folder}/${sub} exists locally after the first sync:\n${readdirSync(mailDir).join(', ')}\n${result.stdout}\n${result.stderr}`,
      );
    }
  }
  // nothing more than those folders appeared on either side
  const local = readdirSync(mailDir).filter((name) => !name.startsWith('.'));
  assert.deepEqual(local.sort(), [...DEFAULT_FOLDERS].sort());
  const client = imap();
  await client.connect();
  try {
    const remote = (await client.list()).map((entry) => entry.path).sort();
    assert.deepEqual(remote, [...DEFAULT_FOLDERS].sort(), 'mbsync created no extra folder on the server');
  } finally {
    await client.logout();
  }
});

test(
  'mbsync: a message appended on the server appears in the local INBOX',
  { timeout: 120_000 },
  async () => {
    serverUid = await withMailbox('INBOX', async (client) => {
      const appended = await client.append('INBOX', FROM_SERVER, ['$Label1']);
      assert.ok(appended && appended.uid);
      return appended.uid;
    });
    await sync();
    const local = maildirMessages('INBOX');
    assert.equal(local.length, 1, `one message in the local INBOX: ${local.map((m) => m.name).join(', ')}`);
    // mbsync marks the messages it stores with an X-TUID header (its own bookkeeping); the rest is the server's copy
    assert.equal(
      lf(local[0]!.content).replace(/^X-TUID: [^\n]*\n/m, ''),
      lf(FROM_SERVER),
      'the local copy has the appended content',
    );
    assert.doesNotMatch(local[0]!.name, /:2,[A-Z]*S/, 'not seen yet');
  },
);

test(
  'mbsync: a message written into the local Maildir (Archive/new) appears on the server',
  { timeout: 120_000 },
  async () => {
    const name = `${Math.floor(Date.now() / 1000)}.${process.pid}_1.${hostname()}`;
    writeFileSync(join(mailDir, 'Archive', 'new', name), FROM_LOCAL);
    await sync();
    await withMailbox('Archive', async (client) => {
      const uids = await client.search({ all: true }, { uid: true });
      assert.ok(
        Array.isArray(uids) && uids.length === 1,
        `one message in Archive on the server: ${JSON.stringify(uids)}`,
      );
      const fetched = await client.fetchOne(
        String(uids[0]),
        { source: true, flags: true, envelope: true },
        { uid: true },
      );
      assert.ok(fetched && fetched.source, 'FETCH BODY[] of the synced message');
      assert.equal(fetched.envelope?.subject, 'Written in the local Maildir');
      // mbsync may add an X-TUID header to find the message again; the rest arrives as written, in CRLF
      const source = fetched.source.toString().replace(/^X-TUID: [^\r\n]*\r\n/m, '');
      assert.equal(source, FROM_LOCAL.toString().replace(/\n/g, '\r\n'));
    });
    // a second sync with no change duplicates nothing
    await sync();
    const count = await withMailbox('Archive', async (client) => {
      const uids = await client.search({ all: true }, { uid: true });
      return Array.isArray(uids) ? uids.length : -1;
    });
    assert.equal(count, 1, 'still one message in Archive after another sync');
    assert.equal(maildirMessages('Archive').length, 1, 'still one local message in Archive');
  },
);

test(
  'mbsync: a flag set locally (Maildir "S") reaches the server as \\Seen',
  { timeout: 120_000 },
  async () => {
    const [local] = maildirMessages('INBOX');
    assert.ok(local, 'the message from the server is in the local INBOX');
    const match = /^(.*?)(?::2,([A-Za-z]*))?$/.exec(local.name)!;
    const flags = new Set((match[2] ?? '').split('').filter(Boolean));
    flags.add('S');
    renameSync(local.path, join(mailDir, 'INBOX', 'cur', `${match[1]}:2,${[...flags].sort().join('')}`));
    await sync();
    await withMailbox('INBOX', async (client) => {
      const fetched = await client.fetchOne(String(serverUid), { flags: true }, { uid: true });
      assert.ok(fetched, `message UID ${serverUid} is still on the server`);
      assert.ok(
        fetched.flags?.has('\\Seen'),
        `\\Seen reached the server: ${[...(fetched.flags ?? [])].join(' ')}`,
      );
      assert.ok(fetched.flags?.has('$Label1'), 'a keyword the client does not know about is kept');
    });
  },
);

test('mbsync: a message deleted on the server disappears locally', { timeout: 120_000 }, async () => {
  await withMailbox('INBOX', async (client) => {
    assert.ok(await client.messageDelete(String(serverUid), { uid: true }), 'STORE \\Deleted + EXPUNGE');
  });
  await sync();
  assert.deepEqual(
    maildirMessages('INBOX').map((m) => m.name),
    [],
    'the local INBOX is empty after the sync',
  );
  // and the rest is untouched
  assert.equal(maildirMessages('Archive').length, 1);
});

test(
  'mbsync: a flag set on the server (\\Flagged) reaches the local Maildir as "F"',
  { timeout: 120_000 },
  async () => {
    const [local] = maildirMessages('Archive');
    assert.ok(local, 'the message written locally is in Archive');
    await withMailbox('Archive', async (client) => {
      const uids = await client.search({ all: true }, { uid: true });
      assert.ok(Array.isArray(uids) && uids.length === 1);
      assert.ok(await client.messageFlagsAdd(String(uids[0]), ['\\Flagged'], { uid: true }));
    });
    await sync();
    const [after] = maildirMessages('Archive');
    assert.ok(after, 'still there');
    assert.match(after.name, /:2,[A-Z]*F/, `the local file name carries F: ${after.name}`);
  },
);

test(
  'mbsync: a folder created locally, with a message, is created on the server (Create Both)',
  { timeout: 120_000 },
  async () => {
    const folder = 'Lists';
    for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(mailDir, folder, sub), { recursive: true });
    const content = message('In a new local folder', 'Created with the folder.');
    writeFileSync(
      join(mailDir, folder, 'new', `${Math.floor(Date.now() / 1000)}.${process.pid}_2.${hostname()}`),
      lf(content),
    );
    await sync();
    const client = imap();
    await client.connect();
    try {
      const paths = (await client.list()).map((entry) => entry.path);
      assert.ok(paths.includes(folder), `the server lists ${folder}: ${paths.join(', ')}`);
      const status = await client.status(folder, { messages: true });
      assert.equal(status && status.messages, 1, `${folder} has the message on the server`);
    } finally {
      await client.logout();
    }
  },
);

test(
  'mbsync: a message deleted locally (Maildir "T") is expunged on the server (Expunge Both)',
  { timeout: 120_000 },
  async () => {
    const [local] = maildirMessages('Lists');
    assert.ok(local, 'the message of the new folder is local');
    const match = /^(.*?)(?::2,([A-Za-z]*))?$/.exec(local.name)!;
    const flags = new Set((match[2] ?? '').split('').filter(Boolean));
    flags.add('T');
    renameSync(local.path, join(mailDir, 'Lists', 'cur', `${match[1]}:2,${[...flags].sort().join('')}`));
    await sync();
    const client = imap();
    await client.connect();
    try {
      const status = await client.status('Lists', { messages: true });
      assert.equal(status && status.messages, 0, 'the message is gone from the server');
    } finally {
      await client.logout();
    }
    assert.deepEqual(maildirMessages('Lists'), [], 'and from the local folder');
  },
);
