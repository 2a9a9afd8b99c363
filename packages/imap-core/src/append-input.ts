// The messages of a streamed APPEND as they arrive: each message literal is a Readable fed from the
// parser while the client sends it, so the store indexes and stores it chunk by chunk instead of
// after the whole command was buffered (as LMTP streams DATA into the store). Back-pressure: while
// the store reads slower than the client sends, the literal is not drained from the parser, whose
// full buffer pauses the socket. A synchronising literal's `+` is sent only when the store starts
// reading it, so a message refused on its announced size (TOOBIG) is never sent at all.
import { Readable } from 'node:stream';
import type { TaggedResult } from './command-handler.js';
import type { CommandParser } from './parser/index.js';
import type { AppendMessage, AppendStreamEvent, ParseError } from './parser/types.js';
import { simpleCode } from './writer/index.js';

/** One message of an APPEND: its bytes are in `content` (a buffered message) or stream from `stream`. */
export type IncomingAppendMessage =
  | (AppendMessage & { stream?: undefined })
  | (Omit<AppendMessage, 'content' | 'catenate'> & { size: number; stream: Readable; catenate?: undefined });

/** A client error in the rest of the command: the APPEND fails with this result, storing nothing. */
export class AppendRefusal extends Error {
  constructor(readonly result: TaggedResult) {
    super(result.text);
  }
}

/** What the input needs from the session. */
export interface AppendInputHost {
  readonly parser: CommandParser;
  /** Resolves true once more input was received, false when the connection closed. */
  waitForInput(): Promise<boolean>;
  /** The parser has room again: read the socket on. */
  resumeInput(): void;
  continuation(text: string): Promise<void>;
  /** APPENDLIMIT: a CATENATE TEXT literal larger than this is refused before it is sent. */
  readonly appendLimit: number;
  /** A fatal input error (the session says BYE). */
  fatal(error: ParseError): void;
}

/** Bytes taken from the parser per push into a message stream. */
const PIECE_BYTES = 64 * 1024;

/** The messages of one streamed APPEND, in order; iterate once, reading each stream to its end. */
export class StreamedAppendInput implements AsyncIterable<IncomingAppendMessage> {
  /** True once the command's last step was read: nothing of it is left on the wire. */
  ended = false;
  private current: Readable | null = null;

  constructor(
    private readonly host: AppendInputHost,
    private readonly first: AppendStreamEvent,
  ) {}

  get tag(): string {
    return this.first.tag;
  }

  get mailbox(): string {
    return this.first.mailbox;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<IncomingAppendMessage> {
    let event: AppendStreamEvent = this.first;
    for (;;) {
      for (const message of event.messages) yield message;
      if (!event.streamed) {
        this.ended = true;
        return;
      }
      const stream = this.literalStream(event.synchronizing);
      this.current = stream;
      yield { ...event.streamed, stream };
      if (this.host.parser.literalRemaining > 0 || this.host.parser.awaitingLiteralDecision)
        throw new Error('the previous APPEND message was not read to its end');
      event = await this.nextStep();
    }
  }

  /** Stops reading the command: what the client still sends of it is thrown away. */
  abandon(): void {
    if (this.ended) return;
    this.ended = true;
    this.current?.destroy();
    if (this.host.parser.awaitingLiteralDecision) this.host.parser.rejectLiteral();
    else this.host.parser.abandonAppend();
  }

  /** The next step of the command, waiting for the client's bytes. */
  private async nextStep(): Promise<AppendStreamEvent> {
    const parser = this.host.parser;
    for (;;) {
      const event = parser.read();
      if (event?.type === 'append') return event;
      if (event?.type === 'continuation') {
        // a CATENATE TEXT literal is framed whole: asked for like any other literal
        if (event.request.size > this.host.appendLimit) {
          parser.rejectLiteral();
          this.ended = true;
          throw new AppendRefusal({ status: 'NO', text: 'Literal too large', code: simpleCode('TOOBIG') });
        }
        parser.acceptLiteral();
        await this.host.continuation('Ready for literal data');
        continue;
      }
      if (event?.type === 'error') {
        // the parser already skipped to the next command
        this.ended = true;
        if (event.error.fatal) {
          this.host.fatal(event.error);
          throw new AppendRefusal({ status: 'BAD', text: event.error.message });
        }
        if (event.error.kind === 'literal-too-large')
          throw new AppendRefusal({
            status: 'NO',
            text: event.error.message,
            code: simpleCode('TOOBIG'),
          });
        throw new AppendRefusal({ status: 'BAD', text: event.error.message });
      }
      if (event) throw new Error(`unexpected ${event.type} inside a streamed APPEND`);
      this.host.resumeInput();
      if (!(await this.host.waitForInput())) throw new Error('the connection closed during APPEND');
    }
  }

  /** The literal's bytes as a stream that drains the parser only as fast as it is read. */
  private literalStream(synchronizing: boolean): Readable {
    const host = this.host;
    let accepted = !synchronizing;
    let pumping = false;
    const stream = new Readable({
      read() {
        if (!pumping) void pump();
      },
    });
    // a dropped connection fails the store's read; a store that only piped the stream must not
    // bring the process down with an unhandled 'error'
    stream.on('error', () => undefined);
    const pump = async (): Promise<void> => {
      pumping = true;
      try {
        if (!accepted) {
          accepted = true;
          host.parser.acceptLiteral();
          await host.continuation('Ready for literal data');
        }
        for (;;) {
          if (stream.destroyed) return;
          if (host.parser.literalRemaining === 0) {
            stream.push(null);
            return;
          }
          const piece = host.parser.readLiteralData(PIECE_BYTES);
          if (piece) {
            host.resumeInput();
            if (!stream.push(piece)) return;
            continue;
          }
          host.resumeInput();
          if (!(await host.waitForInput())) {
            stream.destroy(new Error('the connection closed during APPEND'));
            return;
          }
        }
      } finally {
        pumping = false;
      }
    };
    return stream;
  }
}
