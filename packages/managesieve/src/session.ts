// One ManageSieve connection (RFC 5804): owns the socket and the parser, the state
// (not authenticated / authenticated), the idle timer, STARTTLS, and runs commands one at a time
// in the order they arrived. The socket is paused while a command runs, so pipelined input waits
// in the kernel, not here.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type net from 'node:net';
import tls from 'node:tls';
import { ManageSieveError, type SieveUser } from './backend.js';
import type { ResolvedManageSieveOptions } from './options.js';
import { ManageSieveParser, type ParseEvent, type Token } from './parser.js';
import { encodeString, statusLine, type ResponseCode } from './responses.js';

export interface SessionSetup {
  options: ResolvedManageSieveOptions;
  /** For STARTTLS; null when the server has no certificate. */
  secureContext: tls.SecureContext | null;
}

/** Literals before authentication: AUTHENTICATE's data only. */
const PRE_AUTH_LITERAL = 8 * 1024;

/** A refusal inside a command handler: answered `NO (code) "text"`, the session goes on. */
class Refusal extends Error {
  constructor(
    readonly code: ResponseCode | null,
    message: string,
    /** Counts toward maxPreAuthErrors (a malformed or unknown command). */
    readonly malformed = false,
  ) {
    super(message);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

type Handler = (session: ManageSieveSession, args: Token[]) => Promise<void>;

export class ManageSieveSession extends EventEmitter {
  readonly id = randomBytes(6).toString('hex');
  readonly remoteAddress: string;
  user: SieveUser | null = null;
  secure = false;

  private socket: net.Socket;
  private readonly parser: ManageSieveParser;
  private readonly queue: ParseEvent[] = [];
  private waiter: ((event: ParseEvent | null) => void) | null = null;
  private closed = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private authFailures = 0;
  private preAuthErrors = 0;

  constructor(
    socket: net.Socket,
    private readonly setup: SessionSetup,
  ) {
    super();
    this.socket = socket;
    // taken now: after STARTTLS the TLS socket would ask the kernel (the proxy's address)
    this.remoteAddress = socket.remoteAddress ?? 'unknown';
    this.parser = new ManageSieveParser((event) => this.queue.push(event), this.parserLimits());
  }

  get options(): ResolvedManageSieveOptions {
    return this.setup.options;
  }

  start(): void {
    this.attach(this.socket);
    this.options.logger.info({ session: this.id, remoteAddress: this.remoteAddress }, 'connection');
    this.write(this.capabilityLines() + statusLine('OK', `${this.options.implementation} ready`));
    void this.run();
  }

  /** Ends the session with BYE (server shutdown). */
  async shutdown(reason: string): Promise<void> {
    if (this.closed) return;
    await this.bye(reason, 'TRYLATER');
  }

  terminate(): void {
    this.socket.destroy();
    this.onClose();
  }

  // --- I/O ------------------------------------------------------------------------------------

  private attach(socket: net.Socket): void {
    socket.on('data', (chunk: Buffer) => {
      this.parser.push(chunk);
      if (this.queue.length) {
        socket.pause();
        this.wake();
      }
    });
    socket.on('error', (error) =>
      this.options.logger.debug({ session: this.id, err: error }, 'connection error'),
    );
    socket.on('close', () => this.onClose());
    socket.on('end', () => socket.end());
  }

  private wake(): void {
    const waiter = this.waiter;
    if (!waiter || !this.queue.length) return;
    this.waiter = null;
    waiter(this.queue.shift()!);
  }

  /** The next command line (or parse error) from the client; null when the connection is gone. */
  next(): Promise<ParseEvent | null> {
    if (this.closed) return Promise.resolve(null);
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    this.socket.resume();
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  write(text: string): void {
    if (!this.closed) this.socket.write(text);
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.(null);
    this.options.logger.info({ session: this.id, user: this.user?.username }, 'connection closed');
    this.emit('close');
  }

  private async bye(text: string, code?: ResponseCode): Promise<void> {
    if (this.closed) return;
    const socket = this.socket;
    await new Promise<void>((resolve) => {
      socket.end(statusLine('BYE', text, code), () => resolve());
      // a client that does not read its BYE is not waited for
      setTimeout(resolve, 5000).unref();
    });
    socket.destroy();
    this.onClose();
  }

  private resetIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const timeout = this.user ? this.options.idleTimeoutMs : this.options.preAuthTimeoutMs;
    this.idleTimer = setTimeout(() => void this.bye('Idle timeout, closing the connection'), timeout);
    this.idleTimer.unref();
  }

  private parserLimits() {
    return this.user
      ? { maxLiteralSize: this.options.maxScriptSize, maxSkippedLiteral: 16 * 1024 * 1024 }
      : { maxLiteralSize: PRE_AUTH_LITERAL, maxSkippedLiteral: 0 };
  }

  // --- the command loop -----------------------------------------------------------------------

  private async run(): Promise<void> {
    for (;;) {
      this.resetIdleTimer();
      const event = await this.next();
      if (!event) return;
      await this.answer(event);
      if (this.closed) return;
      // slow reader: the next command waits until what was answered has gone out
      if (this.socket.writableNeedDrain)
        await new Promise<void>((resolve) => {
          this.socket.once('drain', resolve);
          this.socket.once('close', resolve);
        });
    }
  }

  private async answer(event: ParseEvent): Promise<void> {
    if (event.kind === 'fatal') return this.bye(event.message);
    try {
      if (event.kind === 'error') {
        if (event.literalTooLarge && (event.command === 'PUTSCRIPT' || event.command === 'CHECKSCRIPT'))
          throw new Refusal(
            'QUOTA/MAXSIZE',
            `The script is too large (at most ${this.options.maxScriptSize} bytes)`,
          );
        throw new Refusal(null, event.message, true);
      }
      const [first, ...args] = event.tokens;
      if (!first) return; // an empty line: nothing to answer
      if (first.type !== 'atom') throw new Refusal(null, 'Expected a command name', true);
      const name = first.value.toUpperCase();
      const command = COMMANDS[name];
      if (!command) throw new Refusal(null, `Unknown command ${name.slice(0, 32)}`, true);
      if (command.authenticated && !this.user) throw new Refusal(null, 'Authenticate first');
      await command.handle(this, args);
    } catch (error) {
      await this.refuse(error);
    }
  }

  private async refuse(error: unknown): Promise<void> {
    if (error instanceof Refusal || error instanceof ManageSieveError) {
      this.write(statusLine('NO', error.message, error.code ?? undefined));
      if (error instanceof Refusal && error.malformed && !this.user) {
        if (++this.preAuthErrors >= this.options.maxPreAuthErrors)
          await this.bye('Too many invalid commands');
      }
      return;
    }
    if (this.options.isUnavailable(error)) {
      this.options.logger.warn({ session: this.id, err: error }, 'backend unavailable');
      this.write(statusLine('NO', 'The service is unavailable; try again later', 'TRYLATER'));
      return;
    }
    this.options.logger.error({ session: this.id, err: error }, 'command failed');
    this.write(statusLine('NO', 'Internal server error'));
  }

  // --- state used by the commands -------------------------------------------------------------

  capabilityLines(): string {
    const options = this.options;
    const canAuthenticate = this.secure || options.allowPlaintextLogin;
    const lines = [
      `"IMPLEMENTATION" ${encodeString(options.implementation)}`,
      // RFC 5804 1.7: empty only while STARTTLS is on offer
      `"SASL" ${encodeString(canAuthenticate ? 'PLAIN' : '')}`,
      `"SIEVE" ${encodeString(options.sieveExtensions.join(' '))}`,
      ...(this.setup.secureContext && !this.secure ? ['"STARTTLS"'] : []),
      `"MAXREDIRECTS" ${encodeString(String(options.maxRedirects))}`,
      ...(this.user ? [`"OWNER" ${encodeString(this.user.username)}`] : []),
      '"UNAUTHENTICATE"',
      '"VERSION" "1.0"',
    ];
    return lines.map((line) => `${line}\r\n`).join('');
  }

  canStartTls(): boolean {
    return this.setup.secureContext !== null && !this.secure;
  }

  authenticated(user: SieveUser | null): void {
    this.user = user;
    this.parser.limits = { ...this.parser.limits, ...this.parserLimits() };
  }

  /** One more failed AUTHENTICATE; true when it was one too many (the session said BYE). */
  async authenticationFailed(): Promise<boolean> {
    if (++this.authFailures < this.options.maxAuthFailures) return false;
    await this.bye('Too many failed authentications');
    return true;
  }

  async startTls(): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    plain.removeAllListeners('error');
    plain.removeAllListeners('end');
    // what the client pipelined after STARTTLS came in clear text: dropped
    this.queue.length = 0;
    this.parser.reset();
    const secureSocket = new tls.TLSSocket(plain, {
      isServer: true,
      secureContext: this.setup.secureContext!,
    });
    secureSocket.setNoDelay(true);
    this.socket = secureSocket;
    this.attach(secureSocket);
    const secured = await new Promise<boolean>((resolve) => {
      secureSocket.once('secure', () => resolve(true));
      secureSocket.once('close', () => resolve(false));
    });
    if (!secured) return;
    this.secure = true;
    // RFC 5804 2.2: the capabilities again, unasked, under TLS
    this.write(this.capabilityLines() + statusLine('OK', 'TLS negotiation successful'));
  }

  async logout(): Promise<void> {
    const socket = this.socket;
    await new Promise<void>((resolve) => {
      socket.end(statusLine('OK', 'Logout completed'), () => resolve());
      setTimeout(resolve, 5000).unref();
    });
    socket.destroy();
    this.onClose();
  }
}

// --- arguments ----------------------------------------------------------------------------------

/** A string argument (quoted, literal, or leniently an atom) as UTF-8 text. */
function text(token: Token | undefined, what: string): string {
  if (!token) throw new Refusal(null, `Missing ${what}`, true);
  if (token.type === 'atom') return token.value;
  try {
    return utf8.decode(token.value);
  } catch {
    throw new Refusal(null, `The ${what} is not valid UTF-8`, true);
  }
}

function arity(args: Token[], min: number, max: number, syntax: string): void {
  if (args.length < min || args.length > max) throw new Refusal(null, `Syntax: ${syntax}`, true);
}

/** The script argument of PUTSCRIPT and CHECKSCRIPT, within the size limit. */
function scriptText(session: ManageSieveSession, token: Token | undefined): string {
  if (token?.type === 'string' && token.value.length > session.options.maxScriptSize)
    throw new Refusal(
      'QUOTA/MAXSIZE',
      `The script is too large (at most ${session.options.maxScriptSize} bytes)`,
    );
  return text(token, 'script');
}

async function checked(session: ManageSieveSession, script: string): Promise<string[]> {
  const result = await session.options.backend.checkScript(session.user!, script);
  if (!result.ok) throw new Refusal(null, result.errors.slice(0, 5).join('; ') || 'Invalid script');
  return result.warnings ?? [];
}

function ok(session: ManageSieveSession, message: string, warnings: string[] = []): void {
  session.write(
    warnings.length ? statusLine('OK', warnings.join('; '), 'WARNINGS') : statusLine('OK', message),
  );
}

/** PLAIN's message (RFC 4616): authzid NUL authcid NUL password. */
function plainCredentials(encoded: string): { username: string; password: string } {
  const base64 = encoded.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0)
    throw new Refusal(null, 'Invalid base64 in the SASL response');
  let parts: string[];
  try {
    parts = utf8.decode(Buffer.from(base64, 'base64')).split('\0');
  } catch {
    throw new Refusal(null, 'The SASL PLAIN message is not valid UTF-8');
  }
  if (parts.length !== 3) throw new Refusal(null, 'Invalid SASL PLAIN message');
  const [authzid = '', username = '', password = ''] = parts;
  if (authzid && authzid !== username)
    throw new Refusal('AUTH-TOO-WEAK', 'Acting as another user is not allowed');
  return { username, password };
}

// --- commands -----------------------------------------------------------------------------------

const COMMANDS: Record<string, { authenticated: boolean; handle: Handler }> = {
  CAPABILITY: {
    authenticated: false,
    async handle(session, args) {
      arity(args, 0, 0, 'CAPABILITY');
      session.write(session.capabilityLines() + statusLine('OK', 'Capability completed'));
    },
  },
  NOOP: {
    authenticated: false,
    async handle(session, args) {
      arity(args, 0, 1, 'NOOP [tag]');
      if (args.length) session.write(statusLine('OK', 'Done', 'TAG', text(args[0], 'tag')));
      else session.write(statusLine('OK', 'Done'));
    },
  },
  LOGOUT: {
    authenticated: false,
    async handle(session, args) {
      arity(args, 0, 0, 'LOGOUT');
      await session.logout();
    },
  },
  STARTTLS: {
    authenticated: false,
    async handle(session, args) {
      arity(args, 0, 0, 'STARTTLS');
      if (session.secure) throw new Refusal(null, 'TLS is already active');
      if (!session.canStartTls()) throw new Refusal(null, 'STARTTLS is not available');
      if (session.user) throw new Refusal(null, 'STARTTLS is only possible before authentication');
      session.write(statusLine('OK', 'Begin TLS negotiation now'));
      await session.startTls();
    },
  },
  AUTHENTICATE: {
    authenticated: false,
    async handle(session, args) {
      arity(args, 1, 2, 'AUTHENTICATE <mechanism> [<initial response>]');
      if (session.user) throw new Refusal(null, 'Already authenticated');
      const mechanism = text(args[0], 'mechanism').toUpperCase();
      if (mechanism !== 'PLAIN')
        throw new Refusal(null, `Unsupported SASL mechanism ${mechanism.slice(0, 32)}`);
      if (!session.secure && !session.options.allowPlaintextLogin)
        throw new Refusal('ENCRYPT-NEEDED', 'Use STARTTLS before authenticating');
      let response: string;
      if (args.length === 2) response = text(args[1], 'initial response');
      else {
        // an empty challenge; the client answers with one string, or "*" to cancel
        session.write('""\r\n');
        const reply = await session.next();
        if (!reply) return;
        if (reply.kind === 'fatal') throw new Refusal(null, reply.message);
        if (reply.kind === 'error') throw new Refusal(null, reply.message);
        if (reply.tokens.length !== 1 || reply.tokens[0]!.type !== 'string')
          throw new Refusal(null, 'Expected one string as the SASL response');
        response = text(reply.tokens[0], 'SASL response');
      }
      if (response === '*') throw new Refusal(null, 'Authentication cancelled');
      const { username, password } = plainCredentials(response);
      const result = await session.options.backend.authenticate(username, password, session.remoteAddress);
      if (result.ok) {
        session.authenticated(result.user);
        session.options.logger.info({ session: session.id, user: result.user.username }, 'authenticated');
        session.write(statusLine('OK', 'Authenticated'));
        return;
      }
      if (await session.authenticationFailed()) return;
      if (result.rateLimited)
        throw new Refusal('TRYLATER', result.message ?? 'Too many failed authentications; try again later');
      throw new Refusal(
        null,
        result.message ? `Authentication failed: ${result.message}` : 'Authentication failed',
      );
    },
  },
  UNAUTHENTICATE: {
    authenticated: true,
    async handle(session, args) {
      arity(args, 0, 0, 'UNAUTHENTICATE');
      session.authenticated(null);
      session.write(statusLine('OK', 'Unauthenticated'));
    },
  },
  HAVESPACE: {
    authenticated: true,
    async handle(session, args) {
      arity(args, 2, 2, 'HAVESPACE <name> <size>');
      const name = text(args[0], 'script name');
      const sizeToken = args[1]!;
      if (sizeToken.type !== 'atom' || !/^\d{1,15}$/.test(sizeToken.value))
        throw new Refusal(null, 'Syntax: HAVESPACE <name> <size>: the size is a number', true);
      const size = Number(sizeToken.value);
      if (size > session.options.maxScriptSize)
        throw new Refusal(
          'QUOTA/MAXSIZE',
          `The script is too large (at most ${session.options.maxScriptSize} bytes)`,
        );
      await session.options.backend.haveSpace(session.user!, name, size);
      session.write(statusLine('OK', 'Putscript would succeed'));
    },
  },
  PUTSCRIPT: {
    authenticated: true,
    async handle(session, args) {
      arity(args, 2, 2, 'PUTSCRIPT <name> <script>');
      const name = text(args[0], 'script name');
      const script = scriptText(session, args[1]);
      const warnings = await checked(session, script);
      await session.options.backend.putScript(session.user!, name, script);
      ok(session, 'Script stored', warnings);
    },
  },
  CHECKSCRIPT: {
    authenticated: true,
    async handle(session, args) {
      arity(args, 1, 1, 'CHECKSCRIPT <script>');
      ok(session, 'Script is valid', await checked(session, scriptText(session, args[0])));
    },
  },
  LISTSCRIPTS: {
    authenticated: true,
    async handle(session, args) {
      arity(args, 0, 0, 'LISTSCRIPTS');
      const scripts = await session.options.backend.listScripts(session.user!);
      const lines = scripts.map(
        (script) => `${encodeString(script.name)}${script.active ? ' ACTIVE' : ''}\r\n`,
      );
      session.write(lines.join('') + statusLine('OK', 'Listscripts completed'));
    },
  },
  SETACTIVE: {
    authenticated: true,
    async handle(session, args) {
      arity(args, 1, 1, 'SETACTIVE <name>');
      const name = text(args[0], 'script name');
      await session.options.backend.setActive(session.user!, name === '' ? null : name);
      session.write(statusLine('OK', name === '' ? 'No script is active' : 'Script activated'));
    },
  },
  GETSCRIPT: {
    authenticated: true,
    async handle(session, args) {
      arity(args, 1, 1, 'GETSCRIPT <name>');
      const name = text(args[0], 'script name');
      const content = await session.options.backend.getScript(session.user!, name);
      if (content === null) throw new ManageSieveError('NONEXISTENT', 'There is no script of that name');
      session.write(
        `{${Buffer.byteLength(content, 'utf8')}}\r\n${content}\r\n` + statusLine('OK', 'Getscript completed'),
      );
    },
  },
  DELETESCRIPT: {
    authenticated: true,
    async handle(session, args) {
      arity(args, 1, 1, 'DELETESCRIPT <name>');
      await session.options.backend.deleteScript(session.user!, text(args[0], 'script name'));
      session.write(statusLine('OK', 'Script deleted'));
    },
  },
  RENAMESCRIPT: {
    authenticated: true,
    async handle(session, args) {
      arity(args, 2, 2, 'RENAMESCRIPT <old name> <new name>');
      const name = text(args[0], 'script name');
      const newName = text(args[1], 'new script name');
      await session.options.backend.renameScript(session.user!, name, newName);
      session.write(statusLine('OK', 'Script renamed'));
    },
  },
};

/** The commands this server knows (for documentation and tests). */
export const MANAGESIEVE_COMMANDS = Object.keys(COMMANDS);
