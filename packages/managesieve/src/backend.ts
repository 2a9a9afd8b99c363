// What a store provides to the ManageSieve server. The server checks the grammar and the session
// state; the backend checks names, quotas and scripts, and says why it refuses with a
// ManageSieveError carrying the response code the client should see.
import type { ResponseCode } from './responses.js';

/** An authenticated user as the session keeps it. */
export interface SieveUser {
  /** The backend's id of the user (opaque to the server). */
  id: string;
  /** What the OWNER capability shows (RFC 5804 1.7). */
  username: string;
}

export type SieveAuthResult =
  | { ok: true; user: SieveUser }
  /**
   * rateLimited: too many failures lately (answered NO (TRYLATER)). message: words for the user
   * (e.g. "use an app password"), put into the NO text.
   */
  | { ok: false; rateLimited?: boolean; message?: string };

export interface SieveScriptSummary {
  name: string;
  active: boolean;
}

/** The result of a syntax check: warnings go into OK (WARNINGS), errors into NO. */
export type SieveCheckResult = { ok: true; warnings?: string[] } | { ok: false; errors: string[] };

/** A refusal the client should see as `NO (code) "message"`. */
export class ManageSieveError extends Error {
  override name = 'ManageSieveError';
  constructor(
    readonly code: ResponseCode | null,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The store behind the server. Script operations refuse with ManageSieveError: NONEXISTENT for an
 * unknown name, ACTIVE for deleting the active script, ALREADYEXISTS when renaming onto a taken
 * name, QUOTA/MAXSIZE or QUOTA/MAXSCRIPTS beyond a quota, no code for a bad name. Anything else
 * thrown is a failure of the backend (answered NO, or NO (TRYLATER) when `isUnavailable` says so).
 */
export interface ManageSieveBackend {
  /** SASL PLAIN's credentials; remoteAddress is the client's (after the PROXY protocol). */
  authenticate(username: string, password: string, remoteAddress: string): Promise<SieveAuthResult>;
  listScripts(user: SieveUser): Promise<SieveScriptSummary[]>;
  /** The script's text, or null when there is none of that name. */
  getScript(user: SieveUser, name: string): Promise<string | null>;
  /** Syntax and extension check of a script (PUTSCRIPT runs it before putScript, and CHECKSCRIPT). */
  checkScript(user: SieveUser, content: string): SieveCheckResult | Promise<SieveCheckResult>;
  /** Creates or replaces; the script has passed checkScript. */
  putScript(user: SieveUser, name: string, content: string): Promise<void>;
  /** null: no script active. */
  setActive(user: SieveUser, name: string | null): Promise<void>;
  deleteScript(user: SieveUser, name: string): Promise<void>;
  renameScript(user: SieveUser, name: string, newName: string): Promise<void>;
  /** Resolves when a script of `size` bytes could be stored under `name`; else ManageSieveError (QUOTA…). */
  haveSpace(user: SieveUser, name: string, size: number): Promise<void>;
}
