/** Helpers shared by the parser tests: feed text, collect every event. */
import { CommandParser } from '../src/parser/command-parser.js';
import type { ParserOptions } from '../src/parser/limits.js';
import type { ImapCommand, ParseError, ParserEvent } from '../src/parser/types.js';

/** Feeds `input` in one chunk and returns every event, accepting every synchronising literal. */
export function parseAll(input: string | Buffer, options: ParserOptions = {}): ParserEvent[] {
  const parser = new CommandParser(options);
  parser.push(typeof input === 'string' ? Buffer.from(input, 'latin1') : input);
  return drain(parser);
}

/** Reads every available event, accepting synchronising literals. */
export function drain(parser: CommandParser): ParserEvent[] {
  const events: ParserEvent[] = [];
  for (let event = parser.read(); event !== null; event = parser.read()) {
    events.push(event);
    if (event.type === 'continuation') parser.acceptLiteral();
  }
  return events;
}

/** Parses one command line (CRLF appended) and returns the command, failing on anything else. */
export function parseOne(line: string, options: ParserOptions = {}): ImapCommand {
  const events = parseAll(line + '\r\n', options).filter((event) => event.type !== 'continuation');
  const [event] = events;
  if (events.length !== 1 || event?.type !== 'command') {
    throw new Error(`expected one command from ${JSON.stringify(line)}, got ${JSON.stringify(events)}`);
  }
  return event.command;
}

/** Parses one command line and returns its error, failing if it parsed. */
export function parseError(line: string, options: ParserOptions = {}): ParseError {
  const events = parseAll(line + '\r\n', options).filter((event) => event.type !== 'continuation');
  const [event] = events;
  if (events.length !== 1 || event?.type !== 'error') {
    throw new Error(`expected one error from ${JSON.stringify(line)}, got ${JSON.stringify(events)}`);
  }
  return event.error;
}
