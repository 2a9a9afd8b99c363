import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { z } from 'zod';
import { configSchema, type Config } from './schema.js';
import { environmentVariableFor, environmentVariables, parseBooleanWord } from './environment.js';

/** Raised when the configuration cannot be used; its message names every bad setting and what is wrong. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Where the configuration comes from; each part is optional so tests can pass their own. */
export interface LoadConfigOptions {
  /** Environment to read (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Folder that relative paths (the config file, DATA_DIR) are resolved against (default: process.cwd()). */
  cwd?: string;
}

const defaultConfigFile = 'config/local.toml';
const booleanSettings = new Set([
  'imap.enabled',
  'imap.allowPlaintextLogin',
  'lmtp.enabled',
  'managesieve.enabled',
  'managesieve.allowPlaintextLogin',
  'smtp.enabled',
  'submission.enabled',
  'submission.allowInsecureAuth',
  'health.enabled',
]);

/**
 * Reads the configuration once, at start-up: contract defaults, then the TOML file
 * (`CONFIG_FILE`, else `config/local.toml` when present), then the environment.
 * Throws ConfigError with one message naming each setting that is wrong.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const fromFile = readConfigFile(env, cwd);
  const merged = applyEnvironment(fromFile, env);
  const result = configSchema.safeParse(merged);
  if (!result.success)
    throw new ConfigError(describeProblems(result.error, merged, fromFile.__file as string | undefined));
  const config = result.data;
  config.dataDir = resolve(cwd, config.dataDir);
  return config;
}

function readConfigFile(env: NodeJS.ProcessEnv, cwd: string): Record<string, unknown> {
  const named = env.CONFIG_FILE?.trim();
  const path = resolve(cwd, named || defaultConfigFile);
  if (!existsSync(path)) {
    if (named)
      throw new ConfigError(`Invalid configuration: CONFIG_FILE names ${path}, which does not exist.`);
    return {};
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = parseToml(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`Invalid configuration: ${path} is not valid TOML: ${(error as Error).message}`);
  }
  Object.defineProperty(parsed, '__file', { value: path, enumerable: false });
  return parsed;
}

function applyEnvironment(base: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const merged = structuredClone(base);
  Object.defineProperty(merged, '__file', { value: base.__file, enumerable: false });
  for (const [variable, path] of Object.entries(environmentVariables)) {
    const raw = env[variable];
    if (raw === undefined) continue;
    const value = booleanSettings.has(path) ? parseBooleanWord(raw) : raw;
    setPath(merged, path.split('.'), value);
  }
  return merged;
}

function setPath(target: Record<string, unknown>, keys: string[], value: unknown): void {
  const [head, ...rest] = keys;
  if (head === undefined) return;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const child = target[head];
  const next = child && typeof child === 'object' ? (child as Record<string, unknown>) : {};
  target[head] = next;
  setPath(next, rest, value);
}

function describeProblems(
  error: z.ZodError,
  input: Record<string, unknown>,
  file: string | undefined,
): string {
  const lines = error.issues.map((issue) => {
    const path = issue.path.join('.');
    const variable = environmentVariableFor(path);
    const where = variable ? `${variable} (${path})` : path || '(root)';
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((key) => (path ? `${path}.${key}` : key)).join(', ');
      return `unknown setting ${keys}${file ? ` in ${file}` : ''}`;
    }
    const given = valueAt(input, issue.path);
    const got = given !== undefined ? ` (got ${JSON.stringify(given)})` : '';
    return `${where} ${issue.message}${got}`;
  });
  return `Invalid configuration: ${lines.join('; ')}.`;
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
