import { execFile } from 'node:child_process';
import { mkdir, readFile, rename, access } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A PEM key and certificate. */
export interface TlsFiles {
  key: Buffer;
  cert: Buffer;
}

/**
 * The TLS key and certificate: the configured files, or else a self-signed certificate for
 * localhost generated once into `<dataDir>/tls/` (with openssl) and reused at every start.
 */
export async function loadOrCreateCertificate(options: {
  keyFile?: string;
  certFile?: string;
  dataDir: string;
}): Promise<TlsFiles> {
  if (options.keyFile || options.certFile) {
    if (!options.keyFile || !options.certFile)
      throw new Error('Invalid configuration: TLS_KEY_FILE and TLS_CERT_FILE must be set together');
    return { key: await readFile(options.keyFile), cert: await readFile(options.certFile) };
  }
  const dir = join(options.dataDir, 'tls');
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  if (!(await exists(keyPath)) || !(await exists(certPath))) {
    await mkdir(dir, { recursive: true });
    const suffix = `.${process.pid}.tmp`;
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      '3650',
      '-keyout',
      keyPath + suffix,
      '-out',
      certPath + suffix,
      '-subj',
      '/CN=localhost',
      '-addext',
      // 127.0.0.1 also as a DNS name: isync (mbsync) 1.4 matches the host only against DNS names
      'subjectAltName=DNS:localhost,DNS:127.0.0.1,IP:127.0.0.1,IP:::1',
    ]);
    // rename is atomic: a second instance starting at the same moment ends with a matching pair too
    await rename(keyPath + suffix, keyPath);
    await rename(certPath + suffix, certPath);
  }
  return { key: await readFile(keyPath), cert: await readFile(certPath) };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
