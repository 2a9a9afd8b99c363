/**
 * A recursive-descent parser for the grammar of RFC 5228 section 8.2. It checks syntax only;
 * which commands exist and what they take is the validator's job.
 */
import type { Argument, Command, SieveString, Script, Test } from './ast.js';
import { SieveError } from './errors.js';
import { Lexer, type Token } from './lexer.js';

type PunctuationChar = Extract<Token, { kind: 'punctuation' }>['char'];

/**
 * How deep blocks and tests may nest. The parser and every walker of the tree recurse, so a script
 * of thousands of nested `if`s or `not`s would overflow the stack (a RangeError, not a SieveError);
 * real filters nest a handful of levels (Pigeonhole allows 32 blocks and 32 tests).
 */
export const MAX_NESTING = 64;

/** A name as an error message shows it: quoted, and cut short when it is long. */
function quote(name: string): string {
  return `"${name.length > 40 ? `${name.slice(0, 40)}…` : name}"`;
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'identifier':
      return quote(token.name);
    case 'tag':
      return quote(`:${token.name}`);
    case 'number':
      return `number ${token.raw}`;
    case 'string':
      return 'a string';
    case 'punctuation':
      return `"${token.char}"`;
    case 'end':
      return 'the end of the script';
  }
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  script(): Script {
    const commands = this.commands();
    const token = this.peek();
    if (token.kind !== 'end') throw new SieveError(`unexpected ${describe(token)}`, token.position);
    return { type: 'script', commands };
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private take(): Token {
    const token = this.tokens[this.index]!;
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private isPunctuation(char: PunctuationChar): boolean {
    const token = this.peek();
    return token.kind === 'punctuation' && token.char === char;
  }

  private expectPunctuation(char: PunctuationChar, context: string): void {
    const token = this.take();
    if (token.kind !== 'punctuation' || token.char !== char) {
      throw new SieveError(`expected "${char}" ${context} but found ${describe(token)}`, token.position);
    }
  }

  /** Parses what `opened` starts one level deeper, refusing more than MAX_NESTING levels. */
  private nested<T>(opened: Token, parse: () => T): T {
    if (this.depth >= MAX_NESTING)
      throw new SieveError(`blocks and tests nest deeper than ${MAX_NESTING} levels`, opened.position);
    this.depth++;
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private commands(): Command[] {
    const commands: Command[] = [];
    while (this.peek().kind === 'identifier') commands.push(this.command());
    return commands;
  }

  private command(): Command {
    const name = this.take() as Extract<Token, { kind: 'identifier' }>;
    const { args, tests, testList } = this.arguments();
    let block: Command[] | null = null;
    if (this.isPunctuation('{')) {
      const open = this.take();
      block = this.nested(open, () => this.commands());
      this.expectPunctuation('}', `to close the block of ${quote(name.name)}`);
    } else {
      const token = this.peek();
      if (token.kind !== 'punctuation' || token.char !== ';') {
        throw new SieveError(
          `expected ";" or a block after ${quote(name.name)} but found ${describe(token)}`,
          token.position,
        );
      }
      this.take();
    }
    return {
      type: 'command',
      name: name.name,
      arguments: args,
      tests,
      testList,
      block,
      position: name.position,
    };
  }

  /** `*argument [ test / test-list ]` */
  private arguments(): { args: Argument[]; tests: Test[]; testList: boolean } {
    const args: Argument[] = [];
    for (;;) {
      const token = this.peek();
      if (token.kind === 'tag') {
        this.take();
        args.push({ type: 'tag', name: token.name, position: token.position });
      } else if (token.kind === 'number') {
        this.take();
        args.push({ type: 'number', value: token.value, raw: token.raw, position: token.position });
      } else if (token.kind === 'string' || (token.kind === 'punctuation' && token.char === '[')) {
        args.push(this.stringList());
      } else {
        break;
      }
    }
    if (this.peek().kind === 'identifier') return { args, tests: [this.test()], testList: false };
    if (this.isPunctuation('(')) return { args, tests: this.testList(), testList: true };
    return { args, tests: [], testList: false };
  }

  private test(): Test {
    const token = this.take();
    if (token.kind !== 'identifier') {
      throw new SieveError(`expected a test but found ${describe(token)}`, token.position);
    }
    const { args, tests, testList } = this.nested(token, () => this.arguments());
    return { type: 'test', name: token.name, arguments: args, tests, testList, position: token.position };
  }

  private testList(): Test[] {
    this.take();
    const tests = [this.test()];
    while (this.isPunctuation(',')) {
      this.take();
      tests.push(this.test());
    }
    this.expectPunctuation(')', 'to close the test list');
    return tests;
  }

  private stringList(): Argument {
    const first = this.take();
    if (first.kind === 'string') {
      return {
        type: 'stringList',
        values: [this.stringFrom(first)],
        bracketed: false,
        position: first.position,
      };
    }
    const values = [this.string()];
    while (this.isPunctuation(',')) {
      this.take();
      values.push(this.string());
    }
    this.expectPunctuation(']', 'to close the string list');
    return { type: 'stringList', values, bracketed: true, position: first.position };
  }

  private string(): SieveString {
    const token = this.take();
    if (token.kind !== 'string') {
      throw new SieveError(`expected a string but found ${describe(token)}`, token.position);
    }
    return this.stringFrom(token);
  }

  private stringFrom(token: Extract<Token, { kind: 'string' }>): SieveString {
    return { value: token.value, multiline: token.multiline, position: token.position };
  }
}

/** Parses a script's syntax; throws a SieveError (with line and column) at the first mistake. */
export function parseScript(text: string): Script {
  return new Parser(Lexer.tokenize(text)).script();
}
