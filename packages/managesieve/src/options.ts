// The one options object of the ManageSieve server, with its defaults.
import type net from 'node:net';
import type { ManageSieveBackend } from './backend.js';

/** Minimal structured logger (pino-compatible); the default logs nothing. */
export interface ManageSieveLogger {
  debug(data: object, message: string): void;
  info(data: object, message: string): void;
  warn(data: object, message: string): void;
  error(data: object, message: string): void;
}

export interface ManageSieveServerOptions {
  backend: ManageSieveBackend;
  /** TLS key and certificate (PEM); without them there is no STARTTLS. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** AUTHENTICATE PLAIN without TLS. Default false: SASL is empty until STARTTLS (RFC 5804 1.7). */
  allowPlaintextLogin?: boolean;
  /** The SIEVE capability: the extensions scripts may require. */
  sieveExtensions: readonly string[];
  /** IMPLEMENTATION capability. Default "Wild Duck ManageSieve". */
  implementation?: string;
  /** MAXREDIRECTS capability: redirect actions a script may run. Default 4. */
  maxRedirects?: number;
  /** Largest script (a PUTSCRIPT or CHECKSCRIPT literal), bytes. Default 64 KiB. */
  maxScriptSize?: number;
  /** Bytes of a command outside its literals. Default 8 KiB. */
  maxLineLength?: number;
  /** AUTHENTICATE failures on one connection before BYE. Default 3. */
  maxAuthFailures?: number;
  /** Unknown or malformed commands before authentication before BYE (not a Sieve client). Default 10. */
  maxPreAuthErrors?: number;
  /** Logout after this long without a command once authenticated. Default 30 min. */
  idleTimeoutMs?: number;
  /** Logout of a connection that has not authenticated, after this long without input. Default 60 s. */
  preAuthTimeoutMs?: number;
  maxConnections?: number;
  maxConnectionsPerAddress?: number;
  /** A failure of the backend's own services (its store away): answered NO (TRYLATER). */
  isUnavailable?: (error: unknown) => boolean;
  /** Called with the listener before it listens (e.g. to read PROXY protocol headers). */
  prepareListener?: (server: net.Server) => void;
  logger?: ManageSieveLogger;
}

export type ResolvedManageSieveOptions = Required<Omit<ManageSieveServerOptions, 'tls' | 'prepareListener'>> &
  Pick<ManageSieveServerOptions, 'tls' | 'prepareListener'>;

const silent: ManageSieveLogger = { debug() {}, info() {}, warn() {}, error() {} };

export function resolveOptions(options: ManageSieveServerOptions): ResolvedManageSieveOptions {
  const idleTimeoutMs = options.idleTimeoutMs ?? 30 * 60 * 1000;
  return {
    backend: options.backend,
    tls: options.tls,
    prepareListener: options.prepareListener,
    allowPlaintextLogin: options.allowPlaintextLogin ?? false,
    sieveExtensions: options.sieveExtensions,
    implementation: options.implementation ?? 'Wild Duck ManageSieve',
    maxRedirects: options.maxRedirects ?? 4,
    maxScriptSize: options.maxScriptSize ?? 64 * 1024,
    maxLineLength: options.maxLineLength ?? 8 * 1024,
    maxAuthFailures: options.maxAuthFailures ?? 3,
    maxPreAuthErrors: options.maxPreAuthErrors ?? 10,
    idleTimeoutMs,
    preAuthTimeoutMs: Math.min(options.preAuthTimeoutMs ?? 60_000, idleTimeoutMs),
    maxConnections: options.maxConnections ?? 10_000,
    maxConnectionsPerAddress: options.maxConnectionsPerAddress ?? 2000,
    isUnavailable: options.isUnavailable ?? (() => false),
    logger: options.logger ?? silent,
  };
}
