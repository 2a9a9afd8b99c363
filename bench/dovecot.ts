import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { findFreePort } from '@wildduck/embedded-store';
import { dataDir, processTreeMemory, smtpGreeting, type Target } from './environment.js';
import { ImapConnection } from './imap-client.js';
import type { GeneratedMessage } from './messages.js';

/**
 * Debian's Dovecot (`apt-get install -y dovecot-imapd dovecot-lmtpd`), started by the benchmark
 * with a throwaway configuration under bench/.data/dovecot for `--compare dovecot`: its own
 * base_dir, a passwd-file with the bench users, maildir under the data folder, IMAP and LMTP on
 * free ports of 127.0.0.1. The benchmark installs nothing; it only looks for the binaries.
 */

export const DOVECOT_BINARY = '/usr/sbin/dovecot';
const DOVEADM = '/usr/bin/doveadm';
export const dovecotDir = join(dataDir, 'dovecot');

/** Ports a benchmark listener must never take: the contract's and Dovecot's defaults. */
/** Owner of the maildirs: Debian's system user "mail". */
const MAIL_UID = 8;
const MAIL_GID = 8;

const RESERVED_PORTS = new Set([
  1143, 1993, 2424, 2525, 1587, 4190, 9025, 8080, 3000, 143, 993, 24, 110, 995,
]);

async function freePort(): Promise<number> {
  for (;;) {
    const port = await findFreePort();
    if (!RESERVED_PORTS.has(port)) return port;
  }
}

/** The installed Dovecot's version, or undefined when it is not installed. */
export function dovecotVersion(): string | undefined {
  if (!existsSync(DOVECOT_BINARY)) return undefined;
  try {
    return execFileSync(DOVECOT_BINARY, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

export interface DovecotServer {
  version: string;
  imapPort: number;
  lmtpPort: number;
  /** The master process (its children: one `imap` process per logged-in connection, imap-login, auth, lmtp, …). */
  pid: number;
  configFile: string;
  /** A benchmark target for Dovecot (users bench1@example.com … bench<users>@example.com). */
  target(users: number): Target;
  /** Maildir of bench user n (its INBOX; a folder "x" is `<maildir>/.x`). */
  maildir(n: number): string;
  stop(): Promise<void>;
}

export interface DovecotOptions {
  /** Names its mail folder, bench/.data/dovecot/mail/<name> (one per benchmark, as ours has a database per benchmark). */
  name: string;
  /** Bench users in the passwd-file (bench1@example.com …). */
  users: number;
  password: string;
  log(line: string): void;
}

/** Writes the configuration and starts `dovecot -F -c <config>`; resolves once IMAP and LMTP greet. */
export async function startDovecot(options: DovecotOptions): Promise<DovecotServer> {
  const version = dovecotVersion();
  if (!version)
    throw new Error(
      `--compare dovecot needs Debian's Dovecot (${DOVECOT_BINARY} not found): apt-get install -y dovecot-imapd dovecot-lmtpd`,
    );
  const { log } = options;
  const runDir = join(dovecotDir, 'run');
  const mailRoot = join(dovecotDir, 'mail', options.name);
  // base_dir is made anew each time (sockets, pids); mail is kept (the seeded mailboxes)
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  mkdirSync(mailRoot, { recursive: true });
  chownSync(dirname(mailRoot), MAIL_UID, MAIL_GID);
  chownSync(mailRoot, MAIL_UID, MAIL_GID);
  const imapPort = await freePort();
  const lmtpPort = await freePort();

  // one hash for every user, argon2id like ours (so LOGIN costs a comparable hash check)
  const passwdFile = join(dovecotDir, 'passwd');
  const hash = hashPassword(options.password);
  const lines: string[] = [];
  for (let n = 1; n <= options.users; n++) lines.push(`bench${n}@example.com:${hash}::::::`);
  writeFileSync(passwdFile, lines.join('\n') + '\n', { mode: 0o644 });

  const configFile = join(dovecotDir, 'dovecot.conf');
  writeFileSync(configFile, dovecotConfig({ runDir, mailRoot, passwdFile, imapPort, lmtpPort }));
  const logFile = join(dovecotDir, 'dovecot.log');
  appendFileSync(logFile, `--- ${new Date().toISOString()} start for ${options.name}\n`);

  log(
    `starting ${version.split(' ')[0] ? `Dovecot ${version.split(' ')[0]}` : 'Dovecot'}: ${DOVECOT_BINARY} -F -c ${configFile} (IMAP 127.0.0.1:${imapPort}, LMTP 127.0.0.1:${lmtpPort})`,
  );
  const child: ChildProcess = spawn(DOVECOT_BINARY, ['-F', '-c', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr])
    stream?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      // the master ends its children (imap, imap-login, auth, lmtp, …) before it exits
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (gone)
      throw new Error(
        `Dovecot exited during start-up (code ${child.exitCode}):\n${output.join('')}\n${readFileSync(logFile, 'utf8').slice(-2000)}`,
      );
    try {
      const probe = await ImapConnection.open({ host: '127.0.0.1', port: imapPort }, 2000);
      probe.close();
      await smtpGreeting('127.0.0.1', lmtpPort, 2000);
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(
          `Dovecot did not greet on IMAP ${imapPort} and LMTP ${lmtpPort} within 30 s: ${logFile}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const pid = child.pid!;
  const maildir = (n: number) => join(mailRoot, `bench${n}@example.com`, 'Maildir');
  return {
    version,
    imapPort,
    lmtpPort,
    pid,
    configFile,
    maildir,
    target(users: number): Target {
      return {
        endpoint: { host: '127.0.0.1', port: imapPort },
        lmtp: { host: '127.0.0.1', port: lmtpPort },
        kind: 'external',
        describe: [
          `Dovecot ${version}, master pid ${pid}, IMAP 127.0.0.1:${imapPort}, LMTP 127.0.0.1:${lmtpPort}, config ${configFile}, maildir under ${mailRoot}`,
        ],
        user: (n) => `bench${n}@example.com`,
        password: options.password,
        users: Math.min(users, options.users),
        serverPid: pid,
        memory: async () => {
          const tree = processTreeMemory(pid);
          return { rss: tree.rss, pss: tree.pss, processes: tree.processes };
        },
        proxy: undefined,
        store: undefined,
        maildir: { path: maildir },
        stop: async () => {},
      };
    },
    stop,
  };
}

function hashPassword(password: string): string {
  try {
    return execFileSync(DOVEADM, ['pw', '-s', 'ARGON2ID', '-p', password], { encoding: 'utf8' }).trim();
  } catch {
    // a Dovecot built without libsodium: a salted SHA-512 crypt
    return execFileSync(DOVEADM, ['pw', '-s', 'SHA512-CRYPT', '-p', password], { encoding: 'utf8' }).trim();
  }
}

function dovecotConfig(paths: {
  runDir: string;
  mailRoot: string;
  passwdFile: string;
  imapPort: number;
  lmtpPort: number;
}): string {
  return `# written by bench/dovecot.ts for \`npm run bench -- --compare dovecot\`; remade on every run
base_dir = ${paths.runDir}
state_dir = ${paths.runDir}/state
instance_name = wildduck-bench-dovecot
log_path = ${dovecotDir}/dovecot.log
info_log_path = ${dovecotDir}/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# Dovecot refuses uid 0 for mail: the mail files belong to Debian's system user "mail" (uid 8)
first_valid_uid = ${MAIL_UID}
mail_uid = ${MAIL_UID}
mail_gid = ${MAIL_GID}
mail_location = maildir:${paths.mailRoot}/%u/Maildir
mail_privileged_group =
passdb {
  driver = passwd-file
  args = username_format=%u ${paths.passwdFile}
}
userdb {
  driver = passwd-file
  args = username_format=%u ${paths.passwdFile}
  default_fields = uid=${MAIL_UID} gid=${MAIL_GID} home=${paths.mailRoot}/%u
}
namespace inbox {
  inbox = yes
  separator = /
}
# 1,000 idle connections of 20 users: 50 per user from one address
mail_max_userip_connections = 10000
default_process_limit = 2000
default_client_limit = 4000
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${paths.imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
service imap {
  process_limit = 2000
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${paths.lmtpPort}
  }
  unix_listener lmtp {
    mode = 0600
  }
}
service anvil {
  client_limit = 5000
}
service auth {
  client_limit = 5000
}
protocol lmtp {
  postmaster_address = postmaster@example.com
}
`;
}

/** Maildir++ flag letters of the IMAP system flags. */
const FLAG_LETTERS: Record<string, string> = {
  '\\Draft': 'D',
  '\\Flagged': 'F',
  '\\Answered': 'R',
  '\\Seen': 'S',
  '\\Deleted': 'T',
};

let unique = 0;

/**
 * Writes messages straight into a maildir folder (`mailbox` "INBOX" or a folder name), as files in
 * `cur/` with the flags in their names and the internal date as their mtime (Dovecot's INTERNALDATE
 * for maildir); Dovecot indexes them on the next SELECT.
 */
export function writeMaildir(root: string, mailbox: string, messages: Iterable<GeneratedMessage>): number {
  const folder = mailbox.toUpperCase() === 'INBOX' ? root : join(root, `.${mailbox}`);
  for (const dir of [dirname(root), root, folder, ...['cur', 'new', 'tmp'].map((sub) => join(folder, sub))]) {
    mkdirSync(dir, { recursive: true });
    chownSync(dir, MAIL_UID, MAIL_GID);
  }
  let written = 0;
  const stamp = Math.floor(Date.now() / 1000);
  for (const message of messages) {
    const letters = message.flags
      .map((flag) => FLAG_LETTERS[flag] ?? '')
      .sort()
      .join('');
    const name = `${stamp}.M${++unique}P${process.pid}.bench,S=${message.bytes.length}:2,${letters}`;
    const file = join(folder, 'cur', name);
    writeFileSync(file, message.bytes);
    chownSync(file, MAIL_UID, MAIL_GID);
    const seconds = message.date.getTime() / 1000;
    utimesSync(file, seconds, seconds);
    written++;
  }
  return written;
}

/**
 * Makes maildir folder `mailbox` of `root` hold exactly `messages` (`make(i)` for i < total), unless a
 * marker file in it says an earlier run wrote this layout; otherwise the folder (its messages and
 * Dovecot's index files) is emptied and written anew. Call it while no session has it open.
 */
export function ensureMaildir(
  root: string,
  mailbox: string,
  total: number,
  shape: string,
  make: (index: number) => GeneratedMessage,
): { reused: boolean; seconds: number } {
  const folder = mailbox.toUpperCase() === 'INBOX' ? root : join(root, `.${mailbox}`);
  const markerFile = join(folder, 'bench-seeded');
  const wanted = `${total} ${shape}`;
  if (existsSync(markerFile) && readFileSync(markerFile, 'utf8') === wanted)
    return { reused: true, seconds: 0 };
  const started = performance.now();
  if (existsSync(folder))
    for (const entry of readdirSync(folder))
      if (['cur', 'new', 'tmp'].includes(entry) || entry.startsWith('dovecot') || entry === 'bench-seeded')
        rmSync(join(folder, entry), { recursive: true, force: true });
  writeMaildir(
    root,
    mailbox,
    (function* () {
      for (let index = 0; index < total; index++) yield make(index);
    })(),
  );
  writeFileSync(markerFile, wanted);
  return { reused: false, seconds: (performance.now() - started) / 1000 };
}
