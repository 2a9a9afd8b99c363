/**
 * The soak's platform: one store (FerretDB, or MONGODB_URI), one Redis of its own (so it can be
 * killed without touching the machine's), two mail server instances and the API. Each mail server
 * reaches the store through a link the soak can cut, so "this instance lost its store" can be
 * played without stopping the store for everyone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { mkdirSync, createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import {
  CuttableRelay,
  startEmbeddedMongo,
  findFreePort,
  waitUntil,
  type EmbeddedMongo,
} from '@wildduck/embedded-store';
import { connectStore } from '@wildduck/store';
import { applySchema } from '@wildduck/schema';
import { repoRoot, toolsDir } from '../paths.js';

export const API_TOKEN = 'soak-api-token-0123456789abcdef';

/** A child process of the soak whose output goes to a log file. */
class Child {
  process?: ChildProcess;
  private log: WriteStream;

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
    logDir: string,
  ) {
    this.log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  }

  start(): void {
    const child = spawn(this.command, this.args, {
      cwd: repoRoot,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    this.process = child;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  get running(): boolean {
    return !!this.process && this.process.exitCode === null && this.process.signalCode === null;
  }

  /** SIGKILL: no chance to finish anything. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  async stop(): Promise<void> {
    const timer = setTimeout(() => this.process?.kill('SIGKILL'), 15_000);
    await this.signal('SIGTERM');
    clearTimeout(timer);
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.process;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }
}

export interface MailInstance {
  name: string;
  imapPort: number;
  lmtpPort: number;
  submissionPort: number;
  healthPort: number;
  link: CuttableRelay;
  child: Child;
}

export interface ClusterOptions {
  runDir: string;
  /** Keep the store's database (and FerretDB's PostgreSQL database) for a look afterwards. */
  keep: boolean;
  webhookUrl: string;
  log: (line: string) => void;
}

export class Cluster {
  readonly instances: MailInstance[] = [];
  apiPort = 0;
  redisPort = 0;
  database = '';
  mongoUri = '';
  private mongo?: EmbeddedMongo;
  private redis?: Child;
  private api?: Child;
  private readonly logDir: string;

  constructor(private readonly options: ClusterOptions) {
    this.logDir = join(options.runDir, 'logs');
    mkdirSync(this.logDir, { recursive: true });
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  async start(): Promise<void> {
    const { log } = this.options;
    if (process.env.MONGODB_URI) this.mongoUri = process.env.MONGODB_URI;
    else {
      this.mongo = await startEmbeddedMongo({
        dataDir: join(this.options.runDir, 'store'),
        toolsDir,
        dropOnStop: !this.options.keep,
        log: (line) => log(line),
      });
      this.mongoUri = this.mongo.uri;
    }
    this.database = `soak_${Date.now().toString(36)}`;
    const store = await connectStore(this.mongoUri, this.database);
    await applySchema(store.db);
    await store.close();

    this.redisPort = await findFreePort();
    this.redis = new Child(
      'redis',
      'redis-server',
      ['--port', String(this.redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      process.env,
      this.logDir,
    );
    await this.startRedis();

    this.apiPort = await findFreePort();
    const storeAddress = new URL(this.mongoUri);
    for (const name of ['mailserver-a', 'mailserver-b']) {
      const link = new CuttableRelay({ host: storeAddress.hostname, port: Number(storeAddress.port) });
      await link.listen();
      const instance: Omit<MailInstance, 'child'> = {
        name,
        imapPort: await findFreePort(),
        lmtpPort: await findFreePort(),
        submissionPort: await findFreePort(),
        healthPort: await findFreePort(),
        link,
      };
      const env = {
        ...this.commonEnv(`mongodb://127.0.0.1:${link.port}/`),
        IMAP_PORT: String(instance.imapPort),
        IMAPS_PORT: String(await findFreePort()),
        LMTP_PORT: String(instance.lmtpPort),
        SMTP_PORT: String(await findFreePort()),
        SUBMISSION_PORT: String(instance.submissionPort),
        // each instance on a port of its own: two on the default 4190 and the second never starts
        MANAGESIEVE_PORT: String(await findFreePort()),
        HEALTH_PORT: String(instance.healthPort),
        DATA_DIR: join(this.options.runDir, name),
      };
      const child = new Child(
        name,
        process.execPath,
        [join(repoRoot, 'apps/mailserver/dist/main.js')],
        env,
        this.logDir,
      );
      this.instances.push({ ...instance, child });
    }
    this.api = new Child(
      'api',
      process.execPath,
      [join(repoRoot, 'apps/api/dist/main.js')],
      { ...this.commonEnv(this.mongoUri), DATA_DIR: join(this.options.runDir, 'api') },
      this.logDir,
    );
    this.api.start();
    for (const instance of this.instances) await this.startInstance(instance);
    await waitUntil('the API to answer', () => httpOk(`${this.apiUrl}/healthz`), 60_000);
  }

  private commonEnv(mongoUri: string): NodeJS.ProcessEnv {
    return {
      ...process.env,
      MONGODB_URI: mongoUri,
      MONGODB_DB: this.database,
      REDIS_URL: `redis://127.0.0.1:${this.redisPort}`,
      API_PORT: String(this.apiPort),
      API_TOKEN,
      BIND_HOST: '127.0.0.1',
      // info: the write healer's repairs and the lock switches are what a failed verdict is read from
      LOG_LEVEL: 'info',
      IMAP_ALLOW_PLAINTEXT_LOGIN: 'true',
      SUBMISSION_ALLOW_INSECURE_AUTH: 'true',
      WEBHOOK_URLS: this.options.webhookUrl,
      WEBHOOK_SECRET: 'soak-webhook-secret',
      // sign-ins are part of the load (every reconnect): the OWASP minimum, not the default cost
      PASSWORD_HASH_MEMORY_KIB: '19456',
      PASSWORD_HASH_TIME_COST: '2',
      PASSWORD_HASH_PARALLELISM: '1',
      SHUTDOWN_GRACE_MS: '2000',
    };
  }

  async startInstance(instance: MailInstance): Promise<void> {
    instance.child.start();
    await waitUntil(
      `${instance.name} to be ready`,
      () => httpOk(`http://127.0.0.1:${instance.healthPort}/readyz`, true),
      60_000,
    );
  }

  async startRedis(): Promise<void> {
    this.redis!.start();
    await waitUntil('Redis to answer', () => canConnect(this.redisPort), 10_000);
  }

  async killRedis(): Promise<void> {
    await this.redis!.kill();
  }

  /** Resident memory of each product process, in MiB. */
  memory(): Record<string, number> {
    const figures: Record<string, number> = {};
    for (const child of [...this.instances.map((instance) => instance.child), this.api!]) {
      if (child.pid && child.running) figures[child.name] = residentMiB(child.pid);
    }
    return figures;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.instances.map((instance) => instance.child.stop()), this.api?.stop()]);
    for (const instance of this.instances) await instance.link.close();
    await this.redis?.kill();
    await this.mongo?.stop();
  }
}

function residentMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return Math.round(kib / 1024);
  } catch {
    return 0;
  }
}

async function httpOk(url: string, strict = false): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return strict ? response.ok : response.status < 500;
  } catch {
    return false;
  }
}

async function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
