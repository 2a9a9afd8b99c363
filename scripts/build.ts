import { spawn } from 'node:child_process';
import { repoRoot } from './paths.js';

/** Builds what is not built yet (turbo skips what its cache says is up to date). */
export async function buildWorkspace(filters: string[] = []): Promise<void> {
  const args = [
    'turbo',
    'run',
    'build',
    '--output-logs=errors-only',
    ...filters.map((filter) => `--filter=${filter}`),
  ];
  await new Promise<void>((resolve, reject) => {
    const child = spawn('npx', args, {
      cwd: repoRoot,
      stdio: 'inherit',
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', NEXT_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`build failed (turbo exited with ${code})`)),
    );
  });
}
