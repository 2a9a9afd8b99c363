// The one options object of the IMAP server, with its documented defaults (smtp-server style).
import { createRequire } from 'node:module';
import type { ImapBackend } from './backend.js';
import type { ProxyProtocolOptions } from './proxy-listener.js';
import { imap4rev2Complete } from './capabilities.js';
import { SUPPORTED_STATUS_ITEMS } from './status-items.js';

/** This package's version, for the default ID response. */
const PACKAGE_VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

/** The fields of the ID response (RFC 2971 3.3) unless the `id` option says otherwise. */
export const DEFAULT_ID: Readonly<Record<string, string>> = { name: 'Wild Duck', version: PACKAGE_VERSION };

/** Minimal structured logger (pino-compatible); the default logs nothing. */
export interface ImapLogger {
  debug(data: object, message: string): void;
  info(data: object, message: string): void;
  warn(data: object, message: string): void;
  error(data: object, message: string): void;
}

/**
 * Told about connections and commands, for metrics. Called synchronously on the hot path: keep it
 * cheap and never throw. imap-core itself counts nothing.
 */
export interface ImapObserver {
  /** A connection was accepted (+1) or closed (-1). */
  connection?(delta: 1 | -1): void;
  /**
   * A command is being answered: its name (`UID FETCH` for the UID form), the time from its
   * arrival to its tagged response in milliseconds, and the response's status. Called just before
   * the tagged response is written.
   */
  command?(name: string, ms: number, status: 'OK' | 'NO' | 'BAD'): void;
}

/** Options of `ImapServer`; everything but `backend` has a default. */
export interface ImapServerOptions {
  /** The store the server serves. */
  backend: ImapBackend;
  /** TLS key and certificate (PEM). Without them there is no STARTTLS and no implicit TLS. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Implicit TLS (port 993 style): the TLS handshake comes first. Default false. */
  secure?: boolean;
  /** Allow LOGIN and AUTHENTICATE on a connection without TLS. Default false (LOGINDISABLED). */
  allowPlaintextLogin?: boolean;
  /**
   * Autologout after this long without a command. Default 30 min, the least RFC 3501 5.4 allows;
   * shorter values are for tests.
   */
  idleTimeoutMs?: number;
  /**
   * Logout of a connection that has not authenticated, after this long without input (RFC 3501
   * 5.4 allows it). Default 60 s; never longer than `idleTimeoutMs`.
   */
  preAuthTimeoutMs?: number;
  /** Open connections this listener serves at once; one more gets `* BYE` and is closed. Default 10000. */
  maxConnections?: number;
  /**
   * Open connections one client address may have (the address after the PROXY protocol); one more
   * gets `* BYE` and is closed. Default 2000 (many users may share an address behind NAT).
   */
  maxConnectionsPerAddress?: number;
  /**
   * Slow-reader protection: a connection whose output has not drained for this long (the client
   * does not read its responses) is dropped and its buffers freed; the command writing stops.
   * Default 60 s.
   */
  outputStallTimeoutMs?: number;
  /**
   * Tells a failure of the backend's own services (its store cannot be reached) from a bug: a
   * command that fails so is answered `NO [UNAVAILABLE]` (RFC 5530) and logged as a warning
   * instead of `NO [SERVERBUG]` and an error. Default: every failure is a bug.
   */
  isUnavailable?: (error: unknown) => boolean;
  /** Slow-reader protection: output queued on the socket beyond this drops the connection. Default 4 MiB. */
  maxPendingOutput?: number;
  /** Largest literal accepted outside APPEND, in bytes. Default 64 KiB. */
  maxLiteralSize?: number;
  /** Largest message APPEND accepts (APPENDLIMIT, RFC 7889), in bytes. Default 50 MiB. */
  appendLimit?: number;
  /** Longest command line (without literals), in bytes. Default 64 KiB. */
  maxLineLength?: number;
  /** Name in the greeting and the ID response. Default `WildDuck`. */
  serverName?: string;
  /** Fields of the ID response (RFC 2971). Default `DEFAULT_ID`: `{ name: 'Wild Duck', version }`. */
  id?: Readonly<Record<string, string>>;
  /** Logger for connection events and server bugs. Default: silent. */
  logger?: ImapLogger;
  /** Connection and command hooks (metrics). Default: none. */
  observer?: ImapObserver;
  /**
   * Offer IMAP4rev2 (RFC 9051) beside IMAP4rev1. Default: only once every extension it includes
   * is offered (`imap4rev2Complete` in capabilities.ts); true is for tests of its session rules.
   */
  imap4rev2?: boolean;
  /**
   * Connections from the trusted peers (a load balancer) start with a PROXY protocol header
   * (v1 or v2), before the TLS handshake on an implicit TLS listener; the session, its log lines
   * and the backend's sign-in then see the client's address. Default: off, nothing read ahead.
   */
  proxyProtocol?: ProxyProtocolOptions;
}

/** The options with every default filled in. */
export interface ResolvedImapOptions extends Required<Omit<ImapServerOptions, 'tls' | 'proxyProtocol'>> {
  tls: ImapServerOptions['tls'];
  proxyProtocol: ImapServerOptions['proxyProtocol'];
}

const SILENT_LOGGER: ImapLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Fills in the defaults and rejects impossible values with a message naming the option. */
export function resolveOptions(options: ImapServerOptions): ResolvedImapOptions {
  const serverName = options.serverName ?? 'WildDuck';
  const resolved: ResolvedImapOptions = {
    backend: options.backend,
    tls: options.tls,
    secure: options.secure ?? false,
    allowPlaintextLogin: options.allowPlaintextLogin ?? false,
    idleTimeoutMs: options.idleTimeoutMs ?? 30 * 60 * 1000,
    preAuthTimeoutMs: options.preAuthTimeoutMs ?? 60 * 1000,
    maxConnections: options.maxConnections ?? 10_000,
    maxConnectionsPerAddress: options.maxConnectionsPerAddress ?? 2000,
    outputStallTimeoutMs: options.outputStallTimeoutMs ?? 60 * 1000,
    maxPendingOutput: options.maxPendingOutput ?? 4 * 1024 * 1024,
    maxLiteralSize: options.maxLiteralSize ?? 64 * 1024,
    appendLimit: options.appendLimit ?? 50 * 1024 * 1024,
    maxLineLength: options.maxLineLength ?? 64 * 1024,
    serverName,
    id: options.id ?? DEFAULT_ID,
    logger: options.logger ?? SILENT_LOGGER,
    observer: options.observer ?? {},
    imap4rev2: options.imap4rev2 ?? imap4rev2Complete(SUPPORTED_STATUS_ITEMS),
    proxyProtocol: options.proxyProtocol,
    isUnavailable: options.isUnavailable ?? (() => false),
  };
  if (resolved.secure && !resolved.tls) {
    throw new Error('ImapServer: `secure: true` needs `tls: { key, cert }`');
  }
  for (const name of [
    'idleTimeoutMs',
    'preAuthTimeoutMs',
    'maxConnections',
    'maxConnectionsPerAddress',
    'outputStallTimeoutMs',
    'maxPendingOutput',
    'maxLiteralSize',
    'appendLimit',
    'maxLineLength',
  ] as const) {
    if (!Number.isSafeInteger(resolved[name]) || resolved[name] <= 0) {
      throw new Error(
        `ImapServer: option \`${name}\` must be a positive integer, got ${String(resolved[name])}`,
      );
    }
  }
  return resolved;
}
