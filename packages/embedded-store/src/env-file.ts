import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes `$DATA_DIR/env` (`KEY=value` lines) so more processes can join the same store,
 * e.g. `set -a; . data/env; npm run start:mailserver`.
 */
export async function writeEnvFile(
  dataDir: string,
  values: Record<string, string | undefined>,
): Promise<string> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, 'env');
  const lines = Object.entries(values).map(([key, value]) => `${key}=${value ?? ''}`);
  await writeFile(path, `${lines.join('\n')}\n`, { mode: 0o600 });
  return path;
}

/** Reads `$DATA_DIR/env` back; missing file gives an empty object. */
export async function readEnvFile(dataDir: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(join(dataDir, 'env'), 'utf8');
  } catch {
    return {};
  }
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match?.[1]) values[match[1]] = match[2] ?? '';
  }
  return values;
}
