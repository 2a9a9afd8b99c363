// One IMAP connection: owns the socket, the parser and the writer, the connection state
// (RFC 3501 section 3), the selected mailbox, the autologout timer, and runs commands one at
// a time in the order they arrived (pipelined commands wait in the parser, bounded).
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type net from 'node:net';
import type { Writable } from 'node:stream';
import tls from 'node:tls';
import type { ImapBackend, ImapUser, OpenedMailbox } from './backend.js';
import { listCapabilities } from './capabilities.js';
import { DeflateOutput, createInflater } from './compression.js';
import { reportChanges, type ReportOutcome } from './change-reporter.js';
import type { CommandSession, EnabledExtension, SessionState, TaggedResult } from './command-handler.js';
import { COMMAND_HANDLERS } from './commands/index.js';
import { supportsAcl } from './commands/acl.js';
import type { ResolvedImapOptions } from './options.js';
import { CommandParser } from './parser/index.js';
import type { AppendStreamEvent, ContinuationRequest, ImapCommand, ParseError } from './parser/types.js';
import { StreamedAppendInput, type AppendInputHost } from './append-input.js';
import type { StreamedAppendCommand } from './commands/append.js';
import { SelectedMailbox } from './selected-mailbox.js';
import { SessionNotifications, type NotifyHost } from './notify/session-notifications.js';
import {
  ResponseWriter,
  capabilityCode,
  simpleCode,
  type ImapValue,
  type ResponseCode,
  type StatusCondition,
} from './writer/index.js';

/** What the server hands a new session. */
export interface SessionSetup {
  options: ResolvedImapOptions;
  /** The connection already runs TLS (implicit TLS port). */
  secure: boolean;
  /** For STARTTLS; null when the server has no certificate. */
  secureContext: tls.SecureContext | null;
}

/** Commands during which EXPUNGE must not be sent (RFC 3501 7.4.1); their UID forms may. */
const EXPUNGE_HELD_DURING = new Set(['FETCH', 'STORE', 'SEARCH', 'SORT', 'THREAD']);

/** An IMAP session over one socket. Emits `close` once. */
export class ImapSession extends EventEmitter implements CommandSession, NotifyHost {
  readonly id = randomBytes(6).toString('hex');
  readonly options: ResolvedImapOptions;
  readonly backend: ImapBackend;
  readonly remoteAddress: string;
  state: SessionState = 'not-authenticated';
  user: ImapUser | null = null;
  selected: SelectedMailbox | null = null;
  secure: boolean;
  readonly notifications: SessionNotifications = new SessionNotifications(this);

  private socket: net.Socket;
  private parser: CommandParser;
  private writer: ResponseWriter;
  private readonly secureContext: tls.SecureContext | null;
  private readonly enabled = new Set<EnabledExtension>();
  /** True while the command loop is running a command. */
  private running = false;
  private closed = false;
  private lineWaiter: ((line: string | null) => void) | null = null;
  /** A streamed APPEND waiting for more of its bytes. */
  private inputWaiter: ((received: boolean) => void) | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private stopChangeSubscription: (() => void) | null = null;
  /** Serialises change reports (IDLE notifications race with the command loop otherwise). */
  private reporting: Promise<void> = Promise.resolve();
  /** Set while IDLE: change notifications are reported at once. */
  private watching = false;
  /** COMPRESS=DEFLATE (RFC 4978): what the client sends passes through this first. */
  private inflater: ReturnType<typeof createInflater> | null = null;
  /** COMPRESS=DEFLATE: what the writer writes goes through this to the socket. */
  private deflater: DeflateOutput | null = null;

  constructor(socket: net.Socket, setup: SessionSetup) {
    super();
    this.socket = socket;
    this.options = setup.options;
    this.backend = setup.options.backend;
    this.secure = setup.secure;
    this.secureContext = setup.secureContext;
    this.remoteAddress = socket.remoteAddress ?? 'unknown';
    this.parser = this.createParser();
    this.writer = this.createWriter(socket);
  }

  /** Sends the greeting and starts reading commands. */
  start(): void {
    this.attachSocket(this.socket);
    this.resetIdleTimer();
    this.options.logger.info(
      { session: this.id, remoteAddress: this.remoteAddress, secure: this.secure },
      'connection',
    );
    void this.writer.untaggedStatus(
      'OK',
      `${this.options.serverName} ready`,
      capabilityCode(this.capabilities()),
    );
  }

  /** Ends the session with `* BYE reason` (server shutdown, autologout). */
  async shutdown(reason: string): Promise<void> {
    if (this.closed) return;
    await this.writer.untaggedStatus('BYE', reason).catch(() => undefined);
    // a command in progress may have the writer corked: the BYE must leave before the socket ends
    await this.writer.flush();
    this.close();
  }

  /** Drops the connection at once, without a goodbye (for a client that does not read its BYE). */
  terminate(): void {
    this.close();
    this.socket.destroy();
  }

  // --- CommandSession ---------------------------------------------------------------------

  isEnabled(extension: EnabledExtension): boolean {
    return this.enabled.has(extension);
  }

  enable(extension: EnabledExtension): void {
    this.enabled.add(extension);
    if (extension === 'QRESYNC') this.enabled.add('CONDSTORE');
    // RFC 9051: an IMAP4rev2 session names mailboxes in UTF-8, as after UTF8=ACCEPT
    if (extension === 'UTF8=ACCEPT' || extension === 'IMAP4rev2') {
      this.parser.setUtf8Accept(true);
      this.writer.setUtf8Accept(true);
    }
  }

  capabilities(): string[] {
    return listCapabilities({
      authenticated: this.user !== null,
      secure: this.secure,
      tlsAvailable: this.secureContext !== null,
      allowPlaintextLogin: this.options.allowPlaintextLogin,
      appendLimit: this.options.appendLimit,
      imap4rev2: this.options.imap4rev2,
      acl: supportsAcl(this.backend),
      notify: typeof this.backend.watchMailboxes === 'function',
    });
  }

  authenticated(user: ImapUser): void {
    this.user = user;
    this.state = 'authenticated';
  }

  select(opened: OpenedMailbox, readOnly: boolean): void {
    this.unselect();
    const user = this.user;
    if (!user) return;
    const mailbox = new SelectedMailbox(opened, readOnly);
    this.selected = mailbox;
    this.state = 'selected';
    this.stopChangeSubscription = this.backend.subscribeChanges(user, opened.id, (modseq) => {
      if (this.watching && this.selected === mailbox && modseq > mailbox.appliedModseq)
        void this.reportChanges(true);
    });
  }

  unselect(): void {
    this.stopChangeSubscription?.();
    this.stopChangeSubscription = null;
    this.selected = null;
    if (this.state === 'selected') this.state = 'authenticated';
  }

  logout(): void {
    this.notifications.stop();
    this.unselect();
    this.state = 'logout';
  }

  async startTls(): Promise<void> {
    if (!this.secureContext || this.secure) return;
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    plain.removeAllListeners('error');
    plain.removeAllListeners('end');
    // Anything the client pipelined after STARTTLS was sent in clear text: it is dropped.
    this.parser = this.createParser();
    const secureSocket = new tls.TLSSocket(plain, { isServer: true, secureContext: this.secureContext });
    // the plain socket already has it; said again so that the TLS layer's socket is known to have it too
    secureSocket.setNoDelay(true);
    this.socket = secureSocket;
    this.writer = this.createWriter(secureSocket);
    this.secure = true;
    this.attachSocket(secureSocket);
    await new Promise<void>((resolve) => {
      secureSocket.once('secure', () => resolve());
      secureSocket.once('close', () => resolve());
    });
  }

  get disconnected(): boolean {
    return this.closed;
  }

  get compressed(): boolean {
    return this.inflater !== null;
  }

  startCompression(): () => Promise<void> {
    const inflater = createInflater();
    this.inflater = inflater;
    // anything pipelined after COMPRESS was sent before the client saw our OK: it is dropped
    this.parser = this.createParser();
    inflater.on('data', (chunk: Buffer) => this.onInput(chunk));
    inflater.on('error', (error) => {
      this.options.logger.info({ session: this.id, error }, 'closing after undecodable compressed input');
      this.terminate();
    });
    return async () => {
      const deflater = new DeflateOutput(this.socket);
      this.deflater = deflater;
      this.writer = this.createWriter(
        deflater,
        this.enabled.has('UTF8=ACCEPT') || this.enabled.has('IMAP4rev2'),
      );
    };
  }

  unauthenticate(): void {
    this.notifications.stop();
    this.unselect();
    this.user = null;
    this.state = 'not-authenticated';
    this.enabled.clear();
    this.parser.setUtf8Accept(false);
    this.writer.setUtf8Accept(false);
  }

  untagged(...values: ImapValue[]): Promise<void> {
    return this.writer.untagged(...values);
  }

  untaggedStatus(condition: StatusCondition, text: string, code?: ResponseCode): Promise<void> {
    return this.writer.untaggedStatus(condition, text, code);
  }

  continuation(text: string): Promise<void> {
    return this.writer.continuation(text);
  }

  readLine(): Promise<string | null> {
    if (this.closed) return Promise.resolve(null);
    // the client answers only what it has seen: nothing may stay gathered while waiting for it
    void this.writer.flush();
    return new Promise((resolve) => {
      this.lineWaiter = resolve;
      this.deliverLine();
    });
  }

  reportChanges(allowExpunge: boolean): Promise<void> {
    const next = this.reporting.then(async () => {
      const user = this.user;
      const mailbox = this.selected;
      if (!user || !mailbox || this.closed) return;
      const writer = this.writer;
      // one report (EXISTS, EXPUNGEs, FETCHes) is one write
      writer.cork();
      let outcome: ReportOutcome;
      const previousLastUid = mailbox.lastUid;
      try {
        outcome = await reportChanges({
          backend: this.backend,
          user,
          mailbox,
          writer,
          allowExpunge,
          condstore: this.enabled.has('CONDSTORE'),
          qresync: this.enabled.has('QRESYNC'),
        });
        // NOTIFY's MessageNew fetch attributes, for whatever new messages this report announced
        if (outcome === 'reported') await this.notifications.afterReport(mailbox, previousLastUid);
      } finally {
        await writer.uncork();
      }
      // while IDLE the command is still running, with the writer corked: what happened is news now
      if (this.watching) await writer.flush();
      // RFC 3501 allows BYE at any time; staying selected in a mailbox that no longer exists
      // would leave the client with sequence numbers that mean nothing
      if (outcome === 'gone') await this.shutdown('The selected mailbox was deleted by another session');
    });
    this.reporting = next.catch((error: unknown) => this.logBug(error, 'change report failed'));
    return this.reporting;
  }

  get busy(): boolean {
    return this.running && !this.watching;
  }

  get idling(): boolean {
    return this.watching;
  }

  flushOutput(): Promise<void> {
    return this.writer.flush();
  }

  watchChanges(): () => void {
    this.watching = true;
    void this.reportChanges(true);
    return () => {
      this.watching = false;
    };
  }

  // --- connection plumbing ----------------------------------------------------------------

  private createParser(): CommandParser {
    const largest = Math.max(this.options.appendLimit, this.options.maxLiteralSize);
    return new CommandParser({
      utf8Accept: this.enabled.has('UTF8=ACCEPT') || this.enabled.has('IMAP4rev2'),
      limits: {
        maxLineLength: this.options.maxLineLength,
        maxLiteralSize: largest,
        // MULTIAPPEND: a few messages of the largest size in one command.
        maxCommandLiteralBytes: largest * 2,
      },
      // APPEND literals go to the store as they arrive (append-input.ts)
      streamAppend: true,
    });
  }

  /**
   * The writer of the connection's output, with slow-reader protection: a client that reads none
   * of its output for `outputStallTimeoutMs` is dropped, so a FETCH to it (or IDLE news piling up)
   * does not hold the session, its buffers and its store cursor for ever.
   */
  private createWriter(destination: Writable, utf8Accept = false): ResponseWriter {
    return new ResponseWriter(destination, {
      utf8Accept,
      stall: {
        timeoutMs: this.options.outputStallTimeoutMs,
        maxPending: this.options.maxPendingOutput,
        onStall: (reason) => {
          this.options.logger.info(
            { session: this.id, remoteAddress: this.remoteAddress, reason },
            'dropping a connection that does not read its responses',
          );
          this.terminate();
        },
      },
    });
  }

  private attachSocket(socket: net.Socket): void {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.options.logger.debug({ session: this.id, error }, 'socket error'));
    socket.on('end', () => this.close());
    socket.on('close', () => this.close());
  }

  private onData(chunk: Buffer): void {
    if (this.inflater) this.inflater.write(chunk);
    else this.onInput(chunk);
  }

  /** Input as the client meant it (inflated under COMPRESS). */
  private onInput(chunk: Buffer): void {
    this.resetIdleTimer();
    this.parser.push(chunk);
    if (this.parser.isFull) this.pauseInput();
    if (this.wakeInputWaiter(true)) return;
    if (this.lineWaiter) this.deliverLine();
    else void this.runCommands();
  }

  /**
   * Stops reading the client while the parser is full. Under COMPRESS the inflater is paused too:
   * it holds input of its own and would go on handing it to the parser.
   */
  private pauseInput(): void {
    this.socket.pause();
    this.inflater?.pause();
  }

  private resumeInput(): void {
    this.inflater?.resume();
    this.socket.resume();
  }

  /** A streamed APPEND waits for the client's bytes: tells it they came (or the connection closed). */
  private wakeInputWaiter(received: boolean): boolean {
    const waiter = this.inputWaiter;
    if (!waiter) return false;
    this.inputWaiter = null;
    waiter(received);
    return true;
  }

  /**
   * An APPEND's first message literal was announced: its handler runs now, and the message
   * streams to the store while the client sends it (append-input.ts).
   */
  private async runStreamedAppend(event: AppendStreamEvent): Promise<void> {
    const host: AppendInputHost = {
      parser: this.parser,
      waitForInput: () =>
        this.closed ? Promise.resolve(false) : new Promise((resolve) => (this.inputWaiter = resolve)),
      resumeInput: () => {
        if (!this.closed && !this.parser.isFull) this.resumeInput();
      },
      continuation: (text) => this.writer.continuation(text),
      appendLimit: this.options.appendLimit,
      fatal: (error) => void this.fatal(error),
    };
    const input = new StreamedAppendInput(host, event);
    const command: StreamedAppendCommand = {
      tag: event.tag,
      uid: false,
      name: 'APPEND',
      mailbox: event.mailbox,
      messages: [],
      input,
    };
    await this.runCommand(command);
    // a handler that did not run (wrong state) read nothing: the rest of the command is skipped
    input.abandon();
  }

  /** Hands a buffered raw line to `readLine`'s caller, if one is there. */
  private deliverLine(): void {
    const waiter = this.lineWaiter;
    if (!waiter) return;
    const event = this.parser.readLine();
    if (!event) return;
    this.lineWaiter = null;
    if (event.type === 'line') waiter(event.line);
    else {
      waiter(null);
      if (event.error.fatal) void this.fatal(event.error);
    }
  }

  /** Runs buffered commands one after another until the parser needs more input. */
  private async runCommands(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.closed && !this.lineWaiter) {
        const event = this.parser.read();
        if (!event) break;
        if (event.type === 'command') await this.runCommand(event.command);
        else if (event.type === 'continuation') await this.decideLiteral(event.request);
        else if (event.type === 'append') await this.runStreamedAppend(event);
        else await this.answerParseError(event.error);
      }
    } finally {
      this.running = false;
      if (!this.closed && !this.parser.isFull) this.resumeInput();
      this.notifications.commandsDone();
    }
  }

  /**
   * Runs one command with the writer corked, so that its untagged responses and its tagged
   * completion go out in one write (or a few, for a large FETCH), then what must follow the
   * completion: STARTTLS's handshake, LOGOUT's close.
   */
  private async runCommand(command: ImapCommand): Promise<void> {
    const writer = this.writer;
    writer.cork();
    let result: TaggedResult | null;
    try {
      result = await this.answerCommand(command);
    } finally {
      await writer.uncork();
    }
    if (!result) return;
    // A long FETCH to a slow reader is activity too: the autologout counts from its end.
    this.resetIdleTimer();
    if (result.after) await result.after();
    if (this.state === 'logout') {
      await this.writer.flushed();
      this.close();
    }
  }

  /** Runs a command's handler and writes its responses; returns the result, or null when none was given. */
  private async answerCommand(command: ImapCommand): Promise<TaggedResult | null> {
    const handler = COMMAND_HANDLERS[command.name];
    const tag = command.tag;
    const started = performance.now();
    const observed = (status: TaggedResult['status']) =>
      this.options.observer.command?.(
        command.uid ? `UID ${command.name}` : command.name,
        performance.now() - started,
        status,
      );
    if (!handler) {
      observed('BAD');
      await this.writer.tagged(tag, 'BAD', `${command.name} is not supported`);
      return null;
    }
    if (!handler.states.includes(this.state)) {
      observed('BAD');
      await this.writer.tagged(tag, 'BAD', `${command.name} is not allowed ${STATE_NAMES[this.state]}`);
      return null;
    }
    let result: TaggedResult;
    try {
      result = await handler.handle(this, command as never);
    } catch (error) {
      if (this.options.isUnavailable(error)) {
        this.options.logger.warn(
          { session: this.id, err: error },
          `${command.name} failed: a backend service is unavailable`,
        );
        result = {
          status: 'NO',
          code: simpleCode('UNAVAILABLE'),
          text: 'The mail store cannot be reached; try again later',
        };
      } else {
        this.logBug(error, `${command.name} failed`);
        result = { status: 'NO', code: simpleCode('SERVERBUG'), text: 'Internal error; try again later' };
      }
    }
    if (this.closed) return null;
    if (this.selected && this.state === 'selected') {
      await this.reportChanges(command.uid || !EXPUNGE_HELD_DURING.has(command.name));
    }
    // counted before the tagged response goes out, so a client that saw it finds it counted
    observed(result.status);
    await this.writer.tagged(tag, result.status, result.text, result.code);
    return result;
  }

  /** A synchronising literal was announced: accept it, or refuse it before the client sends it. */
  private async decideLiteral(request: ContinuationRequest): Promise<void> {
    const handler = request.commandName
      ? COMMAND_HANDLERS[request.commandName as ImapCommand['name']]
      : undefined;
    const limit = request.commandName === 'APPEND' ? this.options.appendLimit : this.options.maxLiteralSize;
    if (handler && !handler.states.includes(this.state)) {
      this.parser.rejectLiteral();
      await this.answer(
        request.tag,
        'BAD',
        `${request.commandName} is not allowed ${STATE_NAMES[this.state]}`,
      );
    } else if (request.size > limit) {
      this.parser.rejectLiteral();
      await this.answer(
        request.tag,
        'NO',
        `Literal too large; the limit is ${limit} bytes`,
        simpleCode('TOOBIG'),
      );
    } else {
      this.parser.acceptLiteral();
      await this.writer.continuation('Ready for literal data');
    }
  }

  /** Answers a parse error; the session goes on unless the error is fatal. */
  private async answerParseError(error: ParseError): Promise<void> {
    if (error.fatal) {
      await this.fatal(error);
      return;
    }
    if (error.kind === 'literal-too-large') {
      await this.answer(error.tag, 'NO', error.message, simpleCode('TOOBIG'));
    } else if (error.kind === 'invalid-mailbox-name') {
      await this.answer(error.tag, 'NO', error.message);
    } else {
      await this.answer(error.tag, 'BAD', error.message);
    }
  }

  /** A tagged response, or an untagged one when no tag could be read. */
  private answer(
    tag: string | null,
    condition: 'NO' | 'BAD',
    text: string,
    code?: ResponseCode,
  ): Promise<void> {
    return tag
      ? this.writer.tagged(tag, condition, text, code)
      : this.writer.untaggedStatus('BAD', text, code);
  }

  private async fatal(error: ParseError): Promise<void> {
    this.options.logger.info({ session: this.id, kind: error.kind }, 'closing after fatal input error');
    await this.shutdown(error.message);
  }

  /**
   * (Re)starts the autologout timer: on input and at the end of each command, not on output, so
   * a client sitting in IDLE is logged out unless it re-issues IDLE within the timeout (RFC 2177:
   * clients do so every 29 minutes). Before login the shorter `preAuthTimeoutMs` applies.
   */
  private resetIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.closed) return;
    const { idleTimeoutMs, preAuthTimeoutMs } = this.options;
    const [timeoutMs, reason] =
      this.state === 'not-authenticated' && preAuthTimeoutMs < idleTimeoutMs
        ? [preAuthTimeoutMs, `Autologout; no login within ${formatSeconds(preAuthTimeoutMs)}`]
        : [idleTimeoutMs, 'Autologout; idle for too long'];
    this.idleTimer = setTimeout(() => void this.shutdown(reason), timeoutMs);
    this.idleTimer.unref();
  }

  logBug(error: unknown, message: string): void {
    this.options.logger.error({ session: this.id, err: error }, message);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.notifications.stop();
    this.unselect();
    this.state = 'logout';
    const waiter = this.lineWaiter;
    this.lineWaiter = null;
    waiter?.(null);
    this.wakeInputWaiter(false);
    this.inflater?.destroy();
    // under COMPRESS the last responses may still be in the deflate stream: it ends the socket
    if (this.deflater) this.deflater.endConnection();
    else {
      this.socket.end();
      this.socket.destroySoon?.();
    }
    this.emit('close');
  }
}

/** `60 seconds`, `1 second`, `0.5 seconds`: a timeout as the BYE text gives it. */
function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  if (seconds === 1) return '1 second';
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} seconds`;
}

const STATE_NAMES: Readonly<Record<SessionState, string>> = {
  'not-authenticated': 'before login',
  authenticated: 'without a selected mailbox',
  selected: 'in this state',
  logout: 'after logout',
};
