// The secret that signs and encrypts session cookies. NEXTAUTH_SECRET wins; without it each
// installation generates one on first start and keeps it in $DATA_DIR/web-secret, so that
// sessions survive a restart and every web process sharing DATA_DIR agrees on it.
import 'server-only';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { getSettings } from './settings';

const SECRET_FILE = 'web-secret';

let cached: string | undefined;

/** The session secret: NEXTAUTH_SECRET, else the installation's generated one. */
export function getSessionSecret(): string {
  cached ??= getSettings().secretFromEnvironment ?? readOrCreateSecretFile(getSettings().dataDir);
  return cached;
}

function readOrCreateSecretFile(dataDir: string): string {
  const file = path.join(dataDir, SECRET_FILE);
  const existing = readSecret(file);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true });
  // Write a private temporary file, then link it into place: link() fails if another process
  // won the race, and nobody ever reads a half-written secret.
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temporary, randomBytes(32).toString('base64url') + '\n', { mode: 0o600 });
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new Error(
        `Cannot create the session secret file ${file}: ${(error as Error).message}. ` +
          'Set NEXTAUTH_SECRET or make DATA_DIR writable.',
      );
    }
  } finally {
    unlinkSync(temporary);
  }
  const created = readSecret(file);
  if (!created)
    throw new Error(`The session secret file ${file} is empty; delete it or set NEXTAUTH_SECRET.`);
  return created;
}

function readSecret(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
