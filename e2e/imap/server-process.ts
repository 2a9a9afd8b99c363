/**
 * A real mail server PROCESS (apps/mailserver/src/main.ts) on the store `npm test` started, for
 * the end-to-end tests of this folder: free ports, a database and a data folder of its own, users
 * created directly in that database, and a clean stop (SIGTERM, wait for exit, drop the database).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { findFreePort } from '@wildduck/embedded-store';
import { applySchema } from '@wildduck/schema';
import { createUser } from '@wildduck/store';

export const repoRoot = join(import.meta.dirname, '..', '..');

export interface MailServerProcess {
  readonly host: '127.0.0.1';
  /** IMAP with STARTTLS (plaintext LOGIN refused before TLS). */
  readonly imapPort: number;
  /** IMAP over implicit TLS. */
  readonly imapsPort: number;
  readonly lmtpPort: number;
  readonly smtpPort: number;
  readonly submissionPort: number;
  /** HTTP: /healthz, /readyz, /metrics. */
  readonly healthPort: number;
  readonly dataDir: string;
  /** The server's self-signed certificate, `<DATA_DIR>/tls/cert.pem`. */
  readonly certFile: string;
  readonly databaseName: string;
  readonly db: Db;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Creates a user (with the six default mailboxes) directly in the store; `quota` in bytes (default none). */
  createUser(address: string, options?: { password?: string; quota?: number | null }): Promise<string>;
  /** SIGTERM, wait for the exit (SIGKILL after a grace period), drop the database, remove the data folder. */
  stop(): Promise<void>;
  /** Sends a signal to the process (stop() still cleans up afterwards). */
  kill(signal: NodeJS.Signals): void;
  /** Resolves with the exit code (null when ended by a signal) once the process has exited. */
  readonly exited: Promise<number | null>;
}

export const DEFAULT_PASSWORD = 'secretpass';

/** Starts `node --conditions=source --import tsx apps/mailserver/src/main.ts` and waits for the IMAP greeting. */
export async function startMailServer(
  label: string,
  options: {
    startTimeoutMs?: number;
    /** Another instance's database: this one shares it (and leaves dropping it to that one). */
    shareDatabase?: string;
    /** Redis for this instance (default: REDIS_URL of the test run). */
    redisUrl?: string;
    /** More environment variables (e.g. SHUTDOWN_GRACE_MS). */
    env?: NodeJS.ProcessEnv;
  } = {},
): Promise<MailServerProcess> {
  const uri = process.env.MONGODB_URI;
  if (!uri)
    throw new Error(
      'MONGODB_URI is not set: run the end-to-end tests with `npm test -- e2e/imap`, which starts the embedded store',
    );
  const run = process.env.WILDDUCK_TEST_RUN ?? 'adhoc';
  const databaseName =
    options.shareDatabase ??
    `t_${run}_e2eimap_${label.replace(/[^a-z0-9]/gi, '').slice(0, 12)}_${randomBytes(3).toString('hex')}`;
  const ownsDatabase = !options.shareDatabase;
  const dataDir = mkdtempSync(join(tmpdir(), `wd-e2eimap-${label}-`));
  // distinct free ports; the other protocols get their own too, should they be switched on,
  // so that test files running side by side never fight over a default port
  const ports = new Set<number>();
  while (ports.size < 6) ports.add(await findFreePort());
  const [imapPort, imapsPort, lmtpPort, smtpPort, submissionPort, healthPort] = [...ports] as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    MONGODB_URI: uri,
    MONGODB_DB: databaseName,
    IMAP_PORT: String(imapPort),
    IMAPS_PORT: String(imapsPort),
    LMTP_PORT: String(lmtpPort),
    SMTP_PORT: String(smtpPort),
    SUBMISSION_PORT: String(submissionPort),
    // not what these tests drive; off so that instances never contend for port 4190
    MANAGESIEVE_ENABLED: 'false',
    HEALTH_PORT: String(healthPort),
    BIND_HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    IMAP_ALLOW_PLAINTEXT_LOGIN: 'false',
    ...options.env,
  };
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL;
  if (redisUrl) env.REDIS_URL = redisUrl;

  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'apps/mailserver/src/main.ts'],
    {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exitCode = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  const exited = exitCode.then(() => undefined);

  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopChild(child, exited);
    try {
      await client.connect();
      if (ownsDatabase) await client.db(databaseName).dropDatabase();
    } catch {
      // the database may never have been created
    }
    await client.close().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`the mail server exited early (${child.exitCode ?? child.signalCode}):\n${output}`);
      const greeting = await readGreeting(imapPort);
      if (greeting?.startsWith('* OK')) break;
      if (Date.now() > deadline)
        throw new Error(`the mail server did not greet on port ${imapPort} in time:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await client.connect();
    const db = client.db(databaseName);
    // idempotent: the server applied it already at start
    await applySchema(db);
    return {
      host: '127.0.0.1',
      imapPort,
      imapsPort,
      lmtpPort,
      smtpPort,
      submissionPort,
      healthPort,
      dataDir,
      certFile: join(dataDir, 'tls', 'cert.pem'),
      databaseName,
      db,
      output: () => output,
      async createUser(address, userOptions = {}) {
        const user = await createUser(db, {
          address,
          password: userOptions.password ?? DEFAULT_PASSWORD,
          quota: userOptions.quota ?? null,
        });
        return user._id.toHexString();
      },
      stop,
      kill: (signal) => child.kill(signal),
      exited: exitCode,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function stopChild(child: ChildProcess, exited: Promise<void>, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** The first line the server sends on a fresh connection, or undefined when nothing answers. */
function readGreeting(port: number, timeoutMs = 2000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let data = '';
    const finish = (answer: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      const end = data.indexOf('\r\n');
      if (end >= 0) {
        socket.write('Z LOGOUT\r\n');
        finish(data.slice(0, end));
      }
    });
    socket.once('error', () => finish(undefined));
    socket.once('close', () => finish(data || undefined));
  });
}

/** The certificate file as text (for tools that want it inline). */
export function readCertificate(server: MailServerProcess): string {
  return readFileSync(server.certFile, 'utf8');
}
