// The web app's configuration, read once from the environment and validated.
// Only server code imports this module: nothing here may reach the browser.
import 'server-only';
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';

/** Everything the web server needs to know about its surroundings. */
export interface WebSettings {
  /** Base URL of the API process (REST and /graphql). */
  apiUrl: string;
  /** Public URL of this web app, used by next-auth for callbacks and redirects. */
  publicUrl: string;
  /** Folder holding per-installation state such as the generated session secret. */
  dataDir: string;
  /** Secret given in the environment, if any; otherwise one is generated under dataDir. */
  secretFromEnvironment: string | undefined;
}

let cached: WebSettings | undefined;

/** Reads and validates the settings on first use; later calls get the same object. */
export function getSettings(): WebSettings {
  cached ??= readSettings(process.env);
  return cached;
}

function readSettings(env: NodeJS.ProcessEnv): WebSettings {
  const port = env.WEB_PORT?.trim() || '3000';
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    throw new Error(`WEB_PORT must be a port number from 1 to 65535, got "${port}".`);
  }
  const apiUrl = parseHttpUrl('API_URL', env.API_URL?.trim() || 'http://127.0.0.1:8080');
  const publicUrl = parseHttpUrl('NEXTAUTH_URL', env.NEXTAUTH_URL?.trim() || `http://127.0.0.1:${port}`);
  // next-auth reads NEXTAUTH_URL itself, so the default must be visible to it too.
  env.NEXTAUTH_URL ??= publicUrl;
  const dataDir = path.resolve(findRepositoryRoot(process.cwd()), env.DATA_DIR?.trim() || './data');
  const secretFromEnvironment = env.NEXTAUTH_SECRET?.trim() || undefined;
  return { apiUrl, publicUrl, dataDir, secretFromEnvironment };
}

function parseHttpUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} must be an absolute http(s) URL such as http://127.0.0.1:8080, got "${value}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${name} must use http or https, got "${value}".`);
  }
  return url.toString().replace(/\/$/, '');
}

/**
 * The monorepo root: the nearest folder upwards whose package.json declares workspaces.
 * DATA_DIR is relative to it, as for every other process of the platform.
 */
export function findRepositoryRoot(start: string): string {
  let folder = path.resolve(start);
  for (;;) {
    const manifest = path.join(folder, 'package.json');
    if (existsSync(manifest)) {
      try {
        const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown };
        if (parsed.workspaces) return folder;
      } catch {
        // An unreadable package.json is not the root; keep looking upwards.
      }
    }
    const parent = path.dirname(folder);
    if (parent === folder) return path.resolve(start);
    folder = parent;
  }
}
