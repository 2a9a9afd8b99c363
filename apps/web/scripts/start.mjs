#!/usr/bin/env node
// Starts the production build of the web app: `next start -p $WEB_PORT -H $BIND_HOST`.
//
// Meant to be spawned by the root launcher (`node apps/web/scripts/start.mjs`) and stopped with
// SIGTERM or SIGINT. It forwards those signals to the Next.js server and exits with it, and the
// server exits by itself if this script dies without a word (even SIGKILL), so no orphaned
// next-server is ever left behind.
//
// Environment: WEB_PORT (3000), BIND_HOST (127.0.0.1), NEXTAUTH_URL (http://127.0.0.1:$WEB_PORT),
// API_URL (http://127.0.0.1:8080), NEXTAUTH_SECRET (else $DATA_DIR/web-secret), DATA_DIR (./data
// of the repository root). Telemetry is always off.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = process.env.WEB_PORT?.trim() || '3000';
const host = process.env.BIND_HOST?.trim() || '127.0.0.1';

if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
  console.error(`[web] WEB_PORT must be a port number from 1 to 65535, got "${port}".`);
  process.exit(2);
}
if (!existsSync(path.join(appDir, '.next', 'BUILD_ID'))) {
  console.error(
    `[web] No production build in ${path.join(appDir, '.next')}. Run "npm run build -w @wildduck/web" first.`,
  );
  process.exit(2);
}

const nextBin = createRequire(path.join(appDir, 'package.json')).resolve('next/dist/bin/next');
const exitWithParent = path.join(appDir, 'scripts', 'exit-with-parent.cjs');

const child = spawn(
  process.execPath,
  ['--require', exitWithParent, nextBin, 'start', '-p', port, '-H', host],
  {
    cwd: appDir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      NEXTAUTH_URL: process.env.NEXTAUTH_URL?.trim() || `http://127.0.0.1:${port}`,
    },
    // The IPC channel is the lifeline: when this process goes away, the server sees it close.
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  },
);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.on(signal, () => {
    stopping = true;
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}

child.on('error', (error) => {
  console.error(`[web] could not start Next.js: ${error.message}`);
  process.exit(1);
});

// Next.js answers SIGINT and SIGTERM by exiting with 130 and 143 (128 + signal number).
const SIGNAL_EXIT_CODES = new Set([129, 130, 143]);

child.on('exit', (code, signal) => {
  if (stopping && (signal || code === null || SIGNAL_EXIT_CODES.has(code))) process.exit(0);
  if (signal) console.error(`[web] Next.js server ended by ${signal}`);
  process.exit(code ?? 1);
});
