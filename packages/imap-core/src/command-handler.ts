// The shape every command handler in `commands/` shares, and the session services a handler may
// use. A handler returns the tagged result; the session writes it.
import type { ImapBackend, ImapUser, OpenedMailbox } from './backend.js';
import type { SessionNotifications } from './notify/session-notifications.js';
import type { ImapCommand } from './parser/types.js';
import type { ResolvedImapOptions } from './options.js';
import type { SelectedMailbox } from './selected-mailbox.js';
import type { ImapValue, ResponseCode, StatusCondition } from './writer/index.js';
import { simpleCode } from './writer/index.js';

/** Connection states of RFC 3501 section 3. */
export type SessionState = 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

/** The tagged completion of a command. */
export interface TaggedResult {
  status: 'OK' | 'NO' | 'BAD';
  /** Response code, e.g. `[TRYCREATE]` or `[APPENDUID 38505 3955]`. */
  code?: ResponseCode;
  text: string;
  /** Runs after the tagged response is on the wire (STARTTLS handshake, LOGOUT close). */
  after?: () => Promise<void>;
}

/** Extensions the client turned on with ENABLE or by using them (RFC 5161, RFC 7162 3.1). */
export type EnabledExtension = 'CONDSTORE' | 'QRESYNC' | 'UTF8=ACCEPT' | 'IMAP4rev2';

/** The session as a command handler sees it. */
export interface CommandSession {
  readonly id: string;
  readonly options: ResolvedImapOptions;
  readonly backend: ImapBackend;
  readonly state: SessionState;
  /** The logged-in user; set in the authenticated and selected states. */
  readonly user: ImapUser | null;
  readonly selected: SelectedMailbox | null;
  readonly secure: boolean;
  readonly remoteAddress: string;
  /** Extensions enabled in this session. */
  isEnabled(extension: EnabledExtension): boolean;
  enable(extension: EnabledExtension): void;
  /** The CAPABILITY list for the current state. */
  capabilities(): string[];

  /** Moves to the authenticated state. */
  authenticated(user: ImapUser): void;
  /** Moves to the selected state for `opened` (and starts listening to its changes). */
  select(opened: OpenedMailbox, readOnly: boolean): void;
  /** Leaves the selected state (CLOSE, UNSELECT, a failed SELECT). */
  unselect(): void;
  /** Enters the logout state; the session closes after the tagged OK. */
  logout(): void;
  /** Switches the socket to TLS (after the tagged OK of STARTTLS). */
  startTls(): Promise<void>;
  /**
   * The connection is gone (closed by the client, logged out, or dropped as a slow reader): a
   * command still producing output (a long FETCH) should stop.
   */
  readonly disconnected: boolean;
  /** COMPRESS=DEFLATE is active (RFC 4978). */
  readonly compressed: boolean;
  /**
   * Inflates the client's input from now on; returns the step that deflates the output, to run
   * once the tagged OK is written.
   */
  startCompression(): () => Promise<void>;
  /** UNAUTHENTICATE (RFC 8437): unselects, forgets the user and what was ENABLEd. */
  unauthenticate(): void;

  /**
   * Writes `* <values>`. During a command, output is gathered and leaves with the tagged response
   * in one write (writer/response-writer.ts); resolves once gathered or written, waiting while the
   * socket is full (back-pressure).
   */
  untagged(...values: ImapValue[]): Promise<void>;
  /** Writes `* OK|NO|BAD|BYE [code] text`. */
  untaggedStatus(condition: StatusCondition, text: string, code?: ResponseCode): Promise<void>;
  /** Writes a continuation request `+ <text>`, at once: the client waits for it. */
  continuation(text: string): Promise<void>;
  /** Reads one raw line from the client (AUTHENTICATE responses, IDLE's DONE); null if closed. */
  readLine(): Promise<string | null>;
  /**
   * Sends what other sessions changed in the selected mailbox. `allowExpunge` false holds back
   * EXPUNGE/VANISHED (RFC 3501 7.4.1: not during FETCH, STORE, SEARCH).
   */
  reportChanges(allowExpunge: boolean): Promise<void>;
  /** While IDLE: report changes as soon as they happen, until the returned stop is called. */
  watchChanges(): () => void;
  /** NOTIFY (RFC 5465): the client's event groups and the unsolicited responses they bring. */
  readonly notifications: SessionNotifications;
}

/** A command handler: the states it is valid in and what it does. */
export interface CommandHandler<C extends ImapCommand = ImapCommand> {
  readonly states: readonly SessionState[];
  handle(session: CommandSession, command: C): Promise<TaggedResult>;
}

/** A response code from its parts; a plain name becomes a code without arguments. */
function toCode(code: ResponseCode | string | undefined): ResponseCode | undefined {
  return typeof code === 'string' ? simpleCode(code) : code;
}

/** A result, dropping absent fields (exact optional types). */
function result(
  status: TaggedResult['status'],
  text: string,
  code?: ResponseCode | string,
  after?: () => Promise<void>,
): TaggedResult {
  const resolved = toCode(code);
  return { status, text, ...(resolved ? { code: resolved } : {}), ...(after ? { after } : {}) };
}

/** Tagged OK; `after` runs once it is written. */
export const ok = (text: string, code?: ResponseCode | string, after?: () => Promise<void>): TaggedResult =>
  result('OK', text, code, after);
/** Tagged NO: the command failed for a reason the client can act on. */
export const no = (text: string, code?: ResponseCode | string): TaggedResult => result('NO', text, code);
/** Tagged BAD: the command was not valid here. */
export const bad = (text: string, code?: ResponseCode | string): TaggedResult => result('BAD', text, code);

/** States after login. */
export const AUTHENTICATED_STATES: readonly SessionState[] = ['authenticated', 'selected'];
/** Every state except logout. */
export const ANY_STATE: readonly SessionState[] = ['not-authenticated', 'authenticated', 'selected'];
/** Only with a mailbox selected. */
export const SELECTED_STATE: readonly SessionState[] = ['selected'];
