/**
 * `npm run start:mailserver`: one more mail server process (no store, API or web) against the
 * MONGODB_URI and REDIS_URL of its environment, or, when those are unset, the ones a running
 * `npm start` wrote to `$DATA_DIR/env`. Ports come from the environment (IMAP_PORT, LMTP_PORT, …).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig, ConfigError } from '@wildduck/config';
import { readEnvFile } from '@wildduck/embedded-store';
import { buildWorkspace } from './build.js';
import { repoRoot } from './paths.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (!env.MONGODB_URI) {
    const shared = await readEnvFile(config.dataDir);
    if (!shared.MONGODB_URI) {
      throw new ConfigError(
        `Invalid configuration: MONGODB_URI is not set and ${join(config.dataDir, 'env')} has none; start the product with \`npm start\` first, or set MONGODB_URI and REDIS_URL.`,
      );
    }
    Object.assign(env, shared);
    if (!shared.REDIS_URL) delete env.REDIS_URL;
  }
  await buildWorkspace(['@wildduck/mailserver...']);
  const child = spawn(process.execPath, [join(repoRoot, 'apps/mailserver/dist/main.js')], {
    env,
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.once('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
