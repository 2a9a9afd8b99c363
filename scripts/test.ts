/**
 * `npm test`: the whole suite with node's test runner. When MONGODB_URI is unset it starts the
 * embedded store (FerretDB or mongod) in a throw-away folder; Redis as the contract says. Every
 * run gets its own id, from which tests derive their own database names, so runs never share data.
 * Prints `N passed, N failed[, N skipped]` as its last line.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { startEmbeddedMongo, resolveRedis, type EmbeddedMongo } from '@wildduck/embedded-store';
import { repoRoot, toolsDir } from './paths.js';

/** Folders whose `test/` trees (and `*.test.ts` files) belong to the suite. */
const suiteRoots = ['packages', 'apps', 'prisma-free-schema', 'e2e', 'examples', 'bench'];

async function main(): Promise<number> {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const runDir = join(repoRoot, '.test-data', runId);
  mkdirSync(runDir, { recursive: true });
  const named = process.argv.slice(2).map((arg) => resolve(process.cwd(), arg));
  const files = named.length
    ? named.flatMap((path) => (statSync(path).isDirectory() ? findTestFiles([path]) : [path]))
    : findTestFiles();
  if (!files.length) throw new Error('no test files found');

  let mongo: EmbeddedMongo | undefined;
  let mongoUri = process.env.MONGODB_URI;
  if (!mongoUri) {
    mongo = await startEmbeddedMongo({
      dataDir: join(runDir, 'store'),
      toolsDir,
      dropOnStop: true,
      log: (line) => console.log(`[test] ${line}`),
    });
    mongoUri = mongo.uri;
  }
  const redis = await resolveRedis({ url: process.env.REDIS_URL, dataDir: runDir });
  console.log(
    `[test] run ${runId}: ${files.length} files, store ${mongoUri} (${mongo?.kind ?? 'given'}), Redis ${redis.url ?? 'none (in-process bus)'}`,
  );

  const tapFile = join(runDir, 'results.tap');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MONGODB_URI: mongoUri,
    WILDDUCK_TEST_RUN: runId,
    WILDDUCK_TEST_DIR: runDir,
    NEXT_TELEMETRY_DISABLED: '1',
  };
  if (redis.url) env.REDIS_URL = redis.url;
  else delete env.REDIS_URL;

  const exitCode = await new Promise<number>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        '--test',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=tap',
        `--test-reporter-destination=${tapFile}`,
        ...files,
      ],
      { cwd: repoRoot, env, stdio: 'inherit' },
    );
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.once('exit', (code) => resolve(code ?? 1));
  });

  await mongo?.stop();
  await redis.stop();
  let summary = summarise(tapFile);
  // a file that failed outside any test (a hook, an import) can leave the TAP counts at 0 failed
  if (exitCode !== 0 && summary.failed === 0) summary = summarise(tapFile, 1);
  if (exitCode === 0 && process.env.KEEP_TEST_DATA !== '1') rmSync(runDir, { recursive: true, force: true });
  console.log(summary.line);
  return exitCode !== 0 ? exitCode : summary.failed > 0 ? 1 : 0;
}

function findTestFiles(roots = suiteRoots.map((root) => join(repoRoot, root))): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.test.ts')) found.push(relative(repoRoot, path));
    }
  };
  for (const root of roots) {
    try {
      walk(root);
    } catch {
      // a root that does not exist yet has no tests
    }
  }
  return found.sort();
}

/** Reads the TAP summary the runner wrote: `# pass N`, `# fail N`, `# skipped N`, `# todo N`. */
function summarise(tapFile: string, atLeastFailed = 0): { line: string; failed: number } {
  let tap = '';
  try {
    tap = readFileSync(tapFile, 'utf8');
  } catch {
    return { line: '0 passed, 1 failed', failed: 1 };
  }
  const count = (label: string) => Number(new RegExp(`^# ${label} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
  const passed = count('pass');
  const failed = Math.max(count('fail') + count('cancelled'), atLeastFailed);
  const skipped = count('skipped') + count('todo');
  return { line: `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`, failed };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[test] ${(error as Error).stack ?? String(error)}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
