import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '@wildduck/embedded-store';

const repoRoot = join(import.meta.dirname, '..');

/** Processes whose command line mentions the given text (our data folder is unique to this test). */
function processesMentioning(text: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', text], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim() && !line.includes('pgrep'));
  } catch {
    return [];
  }
}

test(
  'npm start brings up the embedded store, the mail server, the API and the web app, and Ctrl-C stops them all',
  { timeout: 600_000 },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wd-start-'));
    const [apiPort, webPort] = [await findFreePort(), await findFreePort()];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dataDir,
      API_PORT: String(apiPort),
      WEB_PORT: String(webPort),
      IMAP_PORT: String(await findFreePort()),
      IMAPS_PORT: String(await findFreePort()),
      LMTP_PORT: String(await findFreePort()),
      SMTP_PORT: String(await findFreePort()),
      SUBMISSION_PORT: String(await findFreePort()),
      MANAGESIEVE_PORT: String(await findFreePort()),
    };
    // exercise the embedded store, not the one the test runner started
    delete env.MONGODB_URI;
    delete env.API_TOKEN;

    const child = spawn('npm', ['start'], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );

    try {
      const deadline = Date.now() + 540_000;
      while (!output.includes('Ctrl-C stops everything')) {
        if (child.exitCode !== null) assert.fail(`npm start exited early:\n${output}`);
        if (Date.now() > deadline) assert.fail(`npm start did not become ready:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.match(output, new RegExp(`API \\(REST, /graphql\\)\\s+http://127\\.0\\.0\\.1:${apiPort}`));
      assert.match(output, new RegExp(`web\\s+http://127\\.0\\.0\\.1:${webPort}`));
      assert.match(output, new RegExp(`IMAP \\(STARTTLS\\)\\s+127\\.0\\.0\\.1:${env.IMAP_PORT}\\n`));
      assert.match(
        output,
        new RegExp(`ManageSieve \\(STARTTLS\\)\\s+127\\.0\\.0\\.1:${env.MANAGESIEVE_PORT}\\n`),
      );

      const response = await fetch(`http://127.0.0.1:${apiPort}/user/create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'username@example.com', password: 'secretpass' }),
      });
      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(response.status, 200);
      assert.equal(body.success, true);
      assert.equal(body.username, 'username@example.com');
      assert.match(String(body.id), /^[0-9a-f]{24}$/);

      const web = await fetch(`http://127.0.0.1:${webPort}/`);
      assert.equal(web.status, 200);

      // $DATA_DIR/env lets more processes join the same store
      const envFile = readFileSync(join(dataDir, 'env'), 'utf8');
      assert.match(envFile, /^MONGODB_URI=mongodb:\/\/127\.0\.0\.1:\d+\/$/m);
      assert.match(envFile, /^REDIS_URL=/m);
    } finally {
      // what Ctrl-C does: SIGINT to the whole foreground process group (npm, the launcher, its children)
      // (unless it already ended: then the assertion above says why)
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGINT');
      const ended = await Promise.race([
        exited,
        new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 60_000)),
      ]);
      if (ended === 'timeout') process.kill(-child.pid!, 'SIGKILL');
      assert.notEqual(ended, 'timeout', `npm start did not stop within a minute:\n${output.slice(-2000)}`);
      if (ended !== 'timeout') {
        assert.ok(
          ended.code === 0 || ended.signal === 'SIGINT',
          `npm start ended with ${JSON.stringify(ended)}`,
        );
      }
    }
    // the launcher stops everything before it exits; give the kernel a moment to reap
    for (let wait = 0; wait < 30 && processesMentioning(dataDir).length; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // nothing started for this data folder, nor on its ports, is left behind
    assert.deepEqual(processesMentioning(dataDir), []);
    const apiStillThere = await fetch(`http://127.0.0.1:${apiPort}/healthz`).then(
      () => true,
      () => false,
    );
    const webStillThere = await fetch(`http://127.0.0.1:${webPort}/`).then(
      () => true,
      () => false,
    );
    assert.equal(apiStillThere, false, 'the API stopped');
    assert.equal(webStillThere, false, 'the web app stopped');
    rmSync(dataDir, { recursive: true, force: true });
  },
);
