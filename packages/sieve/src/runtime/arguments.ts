/**
 * Splits a validated command's or test's arguments into its tags (with their values) and its
 * positional arguments, using the same table the validator checks them against.
 */
import type { Argument, NumberArgument, StringListArgument } from '../ast.js';
import type { CallSpec } from '../extensions.js';

export interface CallArguments {
  /** Tag name -> the argument after it, or true for a tag that takes none. */
  tags: Map<string, Argument | true>;
  positional: Argument[];
}

export function splitArguments(spec: CallSpec, args: readonly Argument[]): CallArguments {
  const tags = new Map<string, Argument | true>();
  const positional: Argument[] = [];
  for (let index = 0; index < args.length; index++) {
    const argument = args[index]!;
    if (argument.type !== 'tag') {
      positional.push(argument);
      continue;
    }
    const tag = spec.tags[argument.name];
    const value = tag?.value ? args[index + 1] : undefined;
    if (value) index++;
    tags.set(argument.name, value ?? true);
  }
  return { tags, positional };
}

export function isStringList(argument: Argument | true | undefined): argument is StringListArgument {
  return typeof argument === 'object' && argument.type === 'stringList';
}

export function isNumber(argument: Argument | true | undefined): argument is NumberArgument {
  return typeof argument === 'object' && argument.type === 'number';
}
