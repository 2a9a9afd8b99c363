/**
 * Runs validated Sieve scripts against a message (RFC 5228 and the extensions in
 * SIEVE_EXTENSIONS). No I/O: the outcome is the final action list, which the delivery code carries
 * out. Several scripts run in order as RFC 6609 include runs them: their actions accumulate,
 * `stop` ends them all, each has its own variables, and the implicit keep is cancelled when any
 * of them cancels it.
 */
import type { Argument, Command, Script, Test } from './ast.js';
import { COMMANDS, TESTS } from './extensions.js';
import {
  SieveRuntimeError,
  type SieveMessage,
  type SieveOutcome,
  type SieveRunOptions,
} from './interpreter-types.js';
import { ActionList } from './runtime/actions.js';
import {
  ADDRESS_HEADERS,
  addressPart,
  parseAddressList,
  parseSieveAddress,
  stripSourceRoute,
  type AddressPart,
} from './runtime/addresses.js';
import { isNumber, isStringList, splitArguments, type CallArguments } from './runtime/arguments.js';
import {
  matchAny,
  unsupportedCombination,
  type ComparatorName,
  type MatchType,
  type RelationalOperator,
} from './runtime/comparators.js';
import { addFlags, formatFlags, parseFlags, removeFlags } from './runtime/flags.js';
import { MessageHeaders } from './runtime/headers.js';
import { defaultSubject, deriveHandle, vacationRefusal, vacationSeconds } from './runtime/vacation.js';
import { Variables, type SetModifier } from './runtime/variables.js';

export const DEFAULT_MAX_REDIRECTS = 5;
export const DEFAULT_MAX_ACTIONS = 64;

/** What every script of one run shares: the message, the options, the actions, the flags. */
class RunState {
  readonly headers: MessageHeaders;
  readonly actions: ActionList;
  /** The imap4flags internal variable (RFC 5232 3); it also flags the implicit keep. */
  internalFlags: string[] = [];
  vacationSkipped: string | undefined;

  constructor(
    readonly message: SieveMessage,
    readonly options: SieveRunOptions,
  ) {
    this.headers = new MessageHeaders(message.headers);
    this.actions = new ActionList({
      maxRedirects: options.maxRedirects ?? DEFAULT_MAX_REDIRECTS,
      maxActions: options.maxActions ?? DEFAULT_MAX_ACTIONS,
    });
  }
}

type Flow = 'continue' | 'stop';

class ScriptRun {
  private readonly required = new Set<string>();
  private readonly variables: Variables;

  constructor(
    private readonly script: Script,
    private readonly state: RunState,
  ) {
    for (const command of script.commands) {
      const list = command.name === 'require' ? command.arguments[0] : undefined;
      if (isStringList(list)) for (const capability of list.values) this.required.add(capability.value);
    }
    this.variables = new Variables(this.required.has('variables'));
  }

  run(): Flow {
    return this.block(this.script.commands);
  }

  private block(commands: readonly Command[]): Flow {
    // Whether the current if/elsif/else chain has already run a block (or there is no chain).
    let chainTaken = true;
    for (const command of commands) {
      switch (command.name) {
        case 'require':
          continue;
        case 'if':
        case 'elsif':
          if (command.name === 'if') chainTaken = false;
          if (chainTaken) continue;
          if (this.test(command.tests[0]!)) {
            chainTaken = true;
            if (this.block(command.block ?? []) === 'stop') return 'stop';
          }
          continue;
        case 'else':
          if (!chainTaken && this.block(command.block ?? []) === 'stop') return 'stop';
          chainTaken = true;
          continue;
        case 'stop':
          return 'stop';
        default:
          this.action(command);
      }
    }
    return 'continue';
  }

  // --- strings -------------------------------------------------------------------------------

  private strings(argument: Argument | true | undefined): string[] {
    return isStringList(argument) ? argument.values.map((value) => this.variables.expand(value.value)) : [];
  }

  private string(argument: Argument | true | undefined): string {
    return this.strings(argument)[0] ?? '';
  }

  /** The string as the script wrote it, before variable expansion (vacation's handle). */
  private literal(argument: Argument | true | undefined): string | null {
    return isStringList(argument) ? (argument.values[0]?.value ?? '') : null;
  }

  // --- actions -------------------------------------------------------------------------------

  private action(command: Command): void {
    const spec = COMMANDS[command.name];
    if (!spec) throw new SieveRuntimeError(`unknown command "${command.name}"`, command.position);
    const args = splitArguments(spec, command.arguments);
    const { actions } = this.state;
    const at = command.position;
    switch (command.name) {
      case 'keep':
        actions.keep(this.flagsFor(args), at);
        return;
      case 'discard':
        actions.discard(at);
        return;
      case 'fileinto': {
        const mailbox = this.string(args.positional[0]);
        if (!mailbox) throw new SieveRuntimeError('"fileinto" needs a mailbox name', at);
        actions.fileinto(mailbox, this.flagsFor(args), args.tags.has('create'), args.tags.has('copy'), at);
        return;
      }
      case 'redirect': {
        const written = this.string(args.positional[0]);
        const address = parseSieveAddress(written);
        if (!address) throw new SieveRuntimeError(`"${written}" is not an address to redirect to`, at);
        actions.redirect(address, args.tags.has('copy'), at);
        return;
      }
      case 'reject':
      case 'ereject':
        actions.reject(this.string(args.positional[0]), command.name === 'ereject', at);
        return;
      case 'vacation':
        this.vacation(args, command);
        return;
      case 'setflag':
      case 'addflag':
      case 'removeflag':
        this.flagAction(command, args);
        return;
      case 'set': {
        const modifiers = [...args.tags.keys()] as SetModifier[];
        const name = this.literal(args.positional[0]) ?? '';
        this.variables.set(name, this.string(args.positional[1]), modifiers);
        return;
      }
      default:
        throw new SieveRuntimeError(`"${command.name}" cannot run here`, at);
    }
  }

  /** :flags when given (RFC 5232 5), else the internal variable. */
  private flagsFor(args: CallArguments): string[] {
    const flags = args.tags.get('flags');
    return flags ? parseFlags(this.strings(flags)) : [...this.state.internalFlags];
  }

  private flagAction(command: Command, args: CallArguments): void {
    const [first, second] = args.positional;
    const variable = second ? this.literal(first) : null;
    if (variable !== null && !this.variables.enabled) {
      // RFC 5232 3: a variable name without the variables extension is a runtime error.
      throw new SieveRuntimeError(
        `"${command.name}" names a variable but "variables" is not required`,
        command.position,
      );
    }
    const given = parseFlags(this.strings(second ?? first));
    const current = variable === null ? this.state.internalFlags : parseFlags([this.variables.get(variable)]);
    const next =
      command.name === 'setflag'
        ? given
        : command.name === 'addflag'
          ? addFlags(current, given)
          : removeFlags(current, given);
    if (variable === null) this.state.internalFlags = next;
    else this.variables.set(variable, formatFlags(next));
  }

  private vacation(args: CallArguments, command: Command): void {
    const { message, options, headers } = this.state;
    const days = args.tags.get('days');
    const subject = args.tags.get('subject');
    const from = args.tags.get('from');
    const handle = args.tags.get('handle');
    const mime = args.tags.has('mime');
    const reason = args.positional[0];
    const own = [...options.userAddresses, message.envelope.to, ...this.strings(args.tags.get('addresses'))]
      .map((address) => parseSieveAddress(address) ?? address.trim())
      .filter(Boolean);
    const sender = from ? this.string(from) : null;
    if (sender !== null && !parseSieveAddress(sender)) {
      // RFC 5230 4.3: a syntactically invalid :from should be an error.
      throw new SieveRuntimeError(`":from" "${sender}" is not an address`, command.position);
    }
    const refusal = vacationRefusal(headers, message.envelope.from, own);
    if (refusal) this.state.vacationSkipped ??= refusal;
    const reply = refusal
      ? null
      : {
          to: stripSourceRoute(message.envelope.from),
          subject: oneLine(subject ? this.string(subject) : defaultSubject(headers)),
          from: sender,
          reason: this.string(reason),
          mime,
          handle: handle
            ? this.string(handle)
            : deriveHandle({
                subject: this.literal(subject),
                from: this.literal(from),
                mime,
                reason: this.literal(reason) ?? '',
              }),
          seconds: vacationSeconds(isNumber(days) ? days.value : undefined),
        };
    this.state.actions.vacation(reply, command.position);
  }

  // --- tests ---------------------------------------------------------------------------------

  private test(test: Test): boolean {
    switch (test.name) {
      case 'true':
        return true;
      case 'false':
        return false;
      case 'not':
        return !this.test(test.tests[0]!);
      case 'allof':
        return test.tests.every((inner) => this.test(inner));
      case 'anyof':
        return test.tests.some((inner) => this.test(inner));
    }
    const spec = TESTS[test.name];
    if (!spec) throw new SieveRuntimeError(`unknown test "${test.name}"`, test.position);
    const args = splitArguments(spec, test.arguments);
    switch (test.name) {
      case 'exists':
        return this.strings(args.positional[0]).every((name) => this.state.headers.has(name));
      case 'size': {
        const limit = isNumber(args.positional[0]) ? args.positional[0].value : 0;
        return args.tags.has('over') ? this.state.message.size > limit : this.state.message.size < limit;
      }
      case 'header':
        return this.match(
          test,
          args,
          this.strings(args.positional[0]).flatMap((name) => this.state.headers.decoded(name)),
        );
      case 'address':
        return this.match(test, args, this.addressValues(args));
      case 'envelope':
        return this.match(test, args, this.envelopeValues(args));
      case 'string': {
        const sources = this.strings(args.positional[0]);
        // RFC 5229 5: for :count, an empty string counts as no value.
        const counting = args.tags.has('count');
        return this.match(test, args, counting ? sources.filter(Boolean) : sources);
      }
      case 'hasflag':
        return this.hasflag(test, args);
      case 'body':
        return this.body(test, args);
      case 'mailboxexists':
        return this.strings(args.positional[0]).every((name) => this.mailboxExists(name));
      default:
        throw new SieveRuntimeError(`the test "${test.name}" cannot run here`, test.position);
    }
  }

  private comparator(args: CallArguments): ComparatorName {
    const name = this.string(args.tags.get('comparator')).toLowerCase();
    return (name || 'i;ascii-casemap') as ComparatorName;
  }

  private matchType(args: CallArguments): MatchType {
    for (const kind of ['count', 'value'] as const) {
      if (args.tags.has(kind)) {
        return { kind, operator: this.string(args.tags.get(kind)).toLowerCase() as RelationalOperator };
      }
    }
    if (args.tags.has('contains')) return { kind: 'contains' };
    if (args.tags.has('matches')) return { kind: 'matches' };
    return { kind: 'is' };
  }

  /**
   * Values against the key list (the last positional argument). A successful :matches sets the
   * match variables, except in the body test (RFC 5173 6).
   */
  private match(
    test: Test,
    args: CallArguments,
    values: string[],
    keys?: string[],
    setsMatches = true,
  ): boolean {
    const comparator = this.comparator(args);
    const matchType = this.matchType(args);
    const problem = unsupportedCombination(comparator, matchType);
    if (problem) throw new SieveRuntimeError(problem, test.position);
    const keyList = keys ?? this.strings(args.positional[args.positional.length - 1]);
    const result = matchAny(comparator, matchType, values, keyList);
    if (result.captures && setsMatches && this.variables.enabled) this.variables.setMatches(result.captures);
    return result.matched;
  }

  private addressPartOf(args: CallArguments): AddressPart {
    return args.tags.has('localpart') ? 'localpart' : args.tags.has('domain') ? 'domain' : 'all';
  }

  private addressValues(args: CallArguments): string[] {
    const part = this.addressPartOf(args);
    return this.strings(args.positional[0])
      .filter((name) => ADDRESS_HEADERS.has(name.trim().toLowerCase()))
      .flatMap((name) => this.state.headers.raw(name).flatMap(parseAddressList))
      .map((address) => addressPart(address, part))
      .filter((value): value is string => value !== null);
  }

  private envelopeValues(args: CallArguments): string[] {
    const part = this.addressPartOf(args);
    const { envelope } = this.state.message;
    const values: string[] = [];
    for (const name of this.strings(args.positional[0])) {
      const which = name.toLowerCase();
      if (which !== 'from' && which !== 'to') continue;
      const address = stripSourceRoute(envelope[which].replace(/^<|>$/g, ''));
      // RFC 5228 5.4: the null reverse-path is the empty string whatever the address part.
      if (!address) values.push('');
      else {
        const value = addressPart(address, part);
        if (value !== null) values.push(value);
      }
    }
    return values;
  }

  private hasflag(test: Test, args: CallArguments): boolean {
    const [first, second] = args.positional;
    const names = second ? this.strings(first) : null;
    if (names && !this.variables.enabled) {
      throw new SieveRuntimeError(
        '"hasflag" names a variable but "variables" is not required',
        test.position,
      );
    }
    // RFC 5232 4: the :count of several variables is the sum of their distinct flags.
    const values = names
      ? names.flatMap((name) => parseFlags([this.variables.get(name)]))
      : [...this.state.internalFlags];
    // RFC 5232 4: a key "b A" is the flags b and A.
    const keys = this.strings(second ?? first).flatMap((key) => key.split(/[ \t]+/).filter(Boolean));
    return this.match(test, args, values, keys);
  }

  private body(test: Test, args: CallArguments): boolean {
    const body = this.state.message.body;
    if (!body) {
      throw new SieveRuntimeError('the body test needs the message body (see scriptNeeds)', test.position);
    }
    let values: string[];
    if (args.tags.has('raw')) {
      values = [body.raw];
    } else {
      const types = args.tags.has('content') ? this.strings(args.tags.get('content')) : ['text'];
      values = body.parts
        .filter((part) => types.some((type) => contentTypeMatches(type, part.contentType)))
        .map((part) => part.text);
    }
    return this.match(test, args, values, undefined, false);
  }

  private mailboxExists(name: string): boolean {
    if (name.toUpperCase() === 'INBOX') return true;
    return this.state.options.existingMailboxes?.has(name) ?? false;
  }
}

/** The reply's Subject goes into a header: a line break in it must not start another header. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+[ \t]*/g, ' ');
}

/** RFC 5173 5.2: "" is every type, "text" any text/*, "text/plain" that type; "a/b/c" none. */
function contentTypeMatches(wanted: string, actual: string): boolean {
  const type = wanted.trim().toLowerCase();
  if (type === '') return true;
  if (type.startsWith('/') || type.endsWith('/') || type.split('/').length > 2) return false;
  return type.includes('/') ? actual.toLowerCase() === type : actual.toLowerCase().split('/')[0] === type;
}

/**
 * Runs the scripts in order against the message and answers the final action list. Throws a
 * SieveRuntimeError (with the line and column of the command) for a runtime error; RFC 5228
 * 2.10.6 then asks the caller to keep the message.
 */
export function runSieve(
  scripts: Script | readonly Script[],
  message: SieveMessage,
  options: SieveRunOptions,
): SieveOutcome {
  const list: readonly Script[] = Array.isArray(scripts) ? scripts : [scripts as Script];
  const state = new RunState(message, options);
  for (const [index, script] of list.entries()) {
    let flow: Flow;
    try {
      flow = new ScriptRun(script, state).run();
    } catch (error) {
      if (error instanceof SieveRuntimeError) error.scriptIndex ??= index;
      throw error;
    }
    if (flow === 'stop') break;
  }
  const outcome: SieveOutcome = state.actions.finish([...state.internalFlags]);
  if (state.vacationSkipped) outcome.vacationSkipped = state.vacationSkipped;
  return outcome;
}

function visitTests(tests: readonly Test[], seen: Set<string>): void {
  for (const test of tests) {
    seen.add(test.name);
    visitTests(test.tests, seen);
  }
}

function visitCommands(commands: readonly Command[], seen: Set<string>): void {
  for (const command of commands) {
    visitTests(command.tests, seen);
    if (command.block) visitCommands(command.block, seen);
  }
}

/**
 * What of the message and the account the scripts can look at, so the caller loads the body, or
 * the list of mailboxes (for `mailboxexists`), only when a script needs it.
 */
export function scriptNeeds(scripts: readonly Script[]): {
  body: boolean;
  size: boolean;
  mailboxes: boolean;
} {
  const seen = new Set<string>();
  for (const script of scripts) visitCommands(script.commands, seen);
  return { body: seen.has('body'), size: seen.has('size'), mailboxes: seen.has('mailboxexists') };
}
