/** The syntax tree of a Sieve script (RFC 5228 section 8.2); every node knows where it starts. */
import type { SourcePosition } from './errors.js';

export interface SieveString {
  value: string;
  /** Written as `text:` … `.` rather than in quotes. */
  multiline: boolean;
  position: SourcePosition;
}

/** A string list; a lone string is a list of one with `bracketed: false`. */
export interface StringListArgument {
  type: 'stringList';
  values: SieveString[];
  bracketed: boolean;
  position: SourcePosition;
}

export interface NumberArgument {
  type: 'number';
  /** With the K/M/G quantifier applied. */
  value: number;
  raw: string;
  position: SourcePosition;
}

export interface TagArgument {
  type: 'tag';
  /** Lower case, without the colon. */
  name: string;
  position: SourcePosition;
}

export type Argument = StringListArgument | NumberArgument | TagArgument;

export interface Test {
  type: 'test';
  /** Lower case: identifiers are case-insensitive. */
  name: string;
  arguments: Argument[];
  /** Tests given as arguments (`not`, `allof`, `anyof`). */
  tests: Test[];
  /** The tests were written as a parenthesised test list. */
  testList: boolean;
  position: SourcePosition;
}

export interface Command {
  type: 'command';
  /** Lower case: identifiers are case-insensitive. */
  name: string;
  arguments: Argument[];
  tests: Test[];
  testList: boolean;
  /** The commands in braces, or null when the command ended with ";". */
  block: Command[] | null;
  position: SourcePosition;
}

export interface Script {
  type: 'script';
  commands: Command[];
}
