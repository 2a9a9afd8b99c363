import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A product process started by `npm start`, its output prefixed with its name. */
export interface ProductProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  stop(graceMs?: number): Promise<void>;
}

/** Starts `node <script>` with the given environment; its log lines are shown as `[name] …`. */
export function startProductProcess(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
): ProductProcess {
  const child = spawn(process.execPath, [script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) =>
      process.stdout.write(`[${name}] ${readable(line)}\n`),
    );
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name,
    child,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Shows a pino JSON line as "level: message", any other line as it is. */
function readable(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
    const level = (
      { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' } as Record<number, string>
    )[entry.level ?? 30];
    if (!entry.msg) return line;
    return `${level}: ${entry.msg}${entry.err?.message ? ` (${entry.err.message})` : ''}`;
  } catch {
    return line;
  }
}
