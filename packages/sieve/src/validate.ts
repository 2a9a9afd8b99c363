/**
 * Checks a parsed script against the command and test table: names, argument shapes, tags,
 * `require` before use, and where `require`, `elsif` and `else` may stand. It reports every
 * mistake it finds (sorted by position) rather than stopping at the first.
 */
import type { Argument, Command, Script, Test } from './ast.js';
import { SieveError, type SourcePosition } from './errors.js';
import {
  COMMANDS,
  COMPARATORS,
  SIEVE_EXTENSIONS,
  TESTS,
  type CallSpec,
  type SieveExtension,
  type ValueKind,
} from './extensions.js';
import { isStringList, splitArguments } from './runtime/arguments.js';

/** The envelope parts RFC 5228 5.4 defines. */
const ENVELOPE_PARTS = ['from', 'to'];

/** RFC 5229 section 3: the names `set` may assign (no namespaces, no match variables). */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const KIND_NAMES: Record<ValueKind, string> = {
  string: 'a string',
  stringList: 'a string list',
  number: 'a number',
};

function isKnownExtension(name: string): name is SieveExtension {
  return (SIEVE_EXTENSIONS as readonly string[]).includes(name);
}

function argumentMatches(argument: Argument, kind: ValueKind): boolean {
  if (kind === 'number') return argument.type === 'number';
  if (argument.type !== 'stringList') return false;
  return kind === 'stringList' || (!argument.bracketed && argument.values.length === 1);
}

function describeArgument(argument: Argument): string {
  if (argument.type === 'number') return 'a number';
  if (argument.type === 'tag') return `the tag ":${argument.name}"`;
  return argument.bracketed ? 'a string list' : 'a string';
}

class Validator {
  readonly errors: SieveError[] = [];
  private readonly required = new Set<string>();

  constructor(private readonly script: Script) {}

  run(): SieveError[] {
    this.block(this.script.commands, true);
    return this.errors.sort((a, b) => a.line - b.line || a.column - b.column);
  }

  private error(reason: string, position: SourcePosition): void {
    this.errors.push(new SieveError(reason, position));
  }

  private needs(extension: SieveExtension | undefined, what: string, position: SourcePosition): void {
    if (extension && !this.required.has(extension)) {
      this.error(`${what} needs require "${extension}"`, position);
    }
  }

  private block(commands: Command[], topLevel: boolean): void {
    let seenOtherCommand = false;
    let previous: Command | undefined;
    for (const command of commands) {
      if (command.name === 'require') {
        if (!topLevel)
          this.error('"require" is only allowed at the top level of the script', command.position);
        else if (seenOtherCommand) {
          this.error('"require" must come before any other command', command.position);
        }
      } else {
        seenOtherCommand = true;
      }
      if (
        (command.name === 'elsif' || command.name === 'else') &&
        previous?.name !== 'if' &&
        previous?.name !== 'elsif'
      ) {
        this.error(`"${command.name}" must follow "if" or "elsif"`, command.position);
      }
      this.command(command);
      previous = command;
    }
  }

  private command(command: Command): void {
    const spec = COMMANDS[command.name];
    if (!spec) {
      const hint = TESTS[command.name] ? ` ("${command.name}" is a test)` : '';
      this.error(`unknown command "${command.name}"${hint}`, command.position);
      return;
    }
    this.needs(spec.extension, `"${command.name}"`, command.position);
    this.call(command.name, spec, command.arguments, command.position);
    this.tests(command.name, spec, command.tests, command.testList, command.position);
    if (spec.block && !command.block) {
      this.error(`"${command.name}" needs a block`, command.position);
    } else if (!spec.block && command.block) {
      this.error(`"${command.name}" takes no block; end it with ";"`, command.position);
    }
    if (command.block) this.block(command.block, false);
    if (command.name === 'require') this.require(command);
    if (command.name === 'set') this.setName(command);
  }

  private require(command: Command): void {
    const list = command.arguments[0];
    if (list?.type !== 'stringList') return;
    for (const extension of list.values) {
      if (isKnownExtension(extension.value)) this.required.add(extension.value);
      else this.error(`unsupported extension "${extension.value}"`, extension.position);
    }
  }

  private setName(command: Command): void {
    const name = command.arguments.find((argument) => argument.type === 'stringList');
    const value = name?.type === 'stringList' ? name.values[0] : undefined;
    if (value && !VARIABLE_NAME.test(value.value)) {
      this.error(`"${value.value}" is not a variable name that can be set`, value.position);
    }
  }

  private test(test: Test): void {
    const spec = TESTS[test.name];
    if (!spec) {
      const hint = COMMANDS[test.name] ? ` ("${test.name}" is a command)` : '';
      this.error(`unknown test "${test.name}"${hint}`, test.position);
      return;
    }
    this.needs(spec.extension, `the test "${test.name}"`, test.position);
    this.call(test.name, spec, test.arguments, test.position);
    this.tests(test.name, spec, test.tests, test.testList, test.position);
    this.testMeaning(test, spec);
  }

  /** Checks that need what the arguments mean, not only their shape. */
  private testMeaning(test: Test, spec: CallSpec): void {
    const { tags, positional } = splitArguments(spec, test.arguments);
    const comparator = tags.get('comparator');
    const substring = test.arguments.find(
      (argument) => argument.type === 'tag' && (argument.name === 'contains' || argument.name === 'matches'),
    );
    if (
      substring?.type === 'tag' &&
      isStringList(comparator) &&
      comparator.values[0]?.value.toLowerCase() === 'i;ascii-numeric'
    ) {
      // RFC 5228 2.7.3: i;ascii-numeric has no substring operation.
      this.error(
        `the comparator "i;ascii-numeric" cannot be used with :${substring.name}`,
        substring.position,
      );
    }
    const parts = positional[0];
    if (test.name === 'envelope' && isStringList(parts)) {
      // RFC 5228 5.4: unknown envelope parts should be errors (unless a variable makes them).
      for (const part of parts.values) {
        if (!ENVELOPE_PARTS.includes(part.value.toLowerCase()) && !part.value.includes('${')) {
          this.error(`unknown envelope part "${part.value}" (only "from" and "to")`, part.position);
        }
      }
    }
  }

  private tests(
    name: string,
    spec: CallSpec,
    tests: Test[],
    testList: boolean,
    position: SourcePosition,
  ): void {
    const first = tests[0];
    if (spec.tests === 'none' && first && !testList && COMMANDS[first.name]) {
      // `keep\nstop;` parses as keep with the test "stop": say what was really meant.
      const reason = COMMANDS[name] ? `expected ";" after "${name}"` : `unexpected command "${first.name}"`;
      this.error(reason, first.position);
      return;
    }
    if (spec.tests === 'none' && first) {
      this.error(`"${name}" takes no test`, first.position);
    } else if (spec.tests === 'one' && (tests.length !== 1 || testList)) {
      this.error(`"${name}" needs exactly one test, not in parentheses`, tests[0]?.position ?? position);
    } else if (spec.tests === 'list' && !tests.length) {
      // A lone test without parentheses is taken as a list of one, as other servers do.
      this.error(`"${name}" needs a test list in parentheses`, position);
    }
    for (const test of tests) this.test(test);
  }

  /** Tags (with their values), then the positional arguments, against the spec. */
  private call(name: string, spec: CallSpec, args: Argument[], position: SourcePosition): void {
    const positional: Argument[] = [];
    const seenTags = new Set<string>();
    const seenGroups = new Map<string, string>();
    for (let index = 0; index < args.length; index++) {
      const argument = args[index]!;
      if (argument.type !== 'tag') {
        positional.push(argument);
        continue;
      }
      const tag = spec.tags[argument.name];
      if (!tag) {
        this.error(`"${name}" has no tag ":${argument.name}"`, argument.position);
        continue;
      }
      this.needs(tag.extension, `the tag ":${argument.name}"`, argument.position);
      if (seenTags.has(argument.name)) {
        this.error(`":${argument.name}" is given twice`, argument.position);
      }
      seenTags.add(argument.name);
      if (tag.group) {
        const other = seenGroups.get(tag.group);
        if (other)
          this.error(
            `":${argument.name}" conflicts with ":${other}" (both a ${tag.group})`,
            argument.position,
          );
        else seenGroups.set(tag.group, argument.name);
      }
      if (!tag.value) continue;
      const value = args[index + 1];
      if (!value || !argumentMatches(value, tag.value)) {
        this.error(
          `":${argument.name}" must be followed by ${KIND_NAMES[tag.value]}`,
          value?.position ?? argument.position,
        );
        continue;
      }
      index++;
      if (value.type === 'stringList') this.tagValue(argument.name, tag.allowed, value);
    }
    if (spec.requiredGroup && !seenGroups.has(spec.requiredGroup)) {
      const choices = Object.entries(spec.tags)
        .filter(([, tag]) => tag.group === spec.requiredGroup)
        .map(([tagName]) => `:${tagName}`)
        .join(' or ');
      this.error(`"${name}" needs ${choices}`, position);
    }
    this.positional(name, spec, positional, position);
  }

  private tagValue(tagName: string, allowed: readonly string[] | undefined, value: Argument): void {
    if (value.type !== 'stringList') return;
    const text = value.values[0]!;
    if (tagName === 'comparator') {
      const name = text.value.toLowerCase();
      if (!(name in COMPARATORS)) this.error(`unknown comparator "${text.value}"`, text.position);
      else this.needs(COMPARATORS[name] ?? undefined, `the comparator "${text.value}"`, text.position);
    } else if (allowed && !allowed.includes(text.value.toLowerCase())) {
      this.error(`":${tagName}" takes one of ${allowed.map((v) => `"${v}"`).join(', ')}`, text.position);
    }
  }

  private positional(name: string, spec: CallSpec, given: Argument[], position: SourcePosition): void {
    const most = spec.positional.length;
    const least = most - (spec.optionalLeading ?? 0);
    if (given.length < least || given.length > most) {
      const expected = least === most ? `${most}` : `${least} or ${most}`;
      const plural = most === 1 ? '' : 's';
      const at = given.length > most ? given[most]!.position : position;
      this.error(`"${name}" takes ${expected} positional argument${plural}, not ${given.length}`, at);
      return;
    }
    // Left-out arguments are the leading optional ones, so match from the end.
    const kinds = spec.positional.slice(most - given.length);
    given.forEach((argument, index) => {
      const kind = kinds[index]!;
      if (!argumentMatches(argument, kind)) {
        this.error(
          `argument ${index + 1} of "${name}" must be ${KIND_NAMES[kind]}, not ${describeArgument(argument)}`,
          argument.position,
        );
      }
    });
  }
}

/** Every validation error in a parsed script; empty when it is valid. */
export function validateScript(script: Script): SieveError[] {
  return new Validator(script).run();
}
