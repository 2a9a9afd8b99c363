import { Readable } from 'node:stream';
import { indexMessage, parseHeaderBlock, type PartSink } from '@wildduck/mime';
import type { SieveHeaderField, SieveMessage } from '@wildduck/mail-service';
import type { MessageSpool } from './message-spool.js';

/** Body bytes and decoded text a Sieve `body` test looks at; beyond these it sees nothing. */
const MAX_RAW_BODY = 1024 * 1024;
const MAX_BODY_TEXT = 256 * 1024;

/** The header fields of a header block, as Sieve sees them (unfolded raw values, names as written). */
export function sieveHeaders(block: Buffer): SieveHeaderField[] {
  return parseHeaderBlock(block)
    .filter((field) => field.key)
    .map((field) => {
      const colon = field.raw.indexOf(0x3a);
      const name = colon > 0 ? field.raw.subarray(0, colon).toString('latin1').trim() : field.key;
      return { name, value: field.value };
    });
}

/**
 * The message as a recipient's filters see it: the header block as it will be stored (our trace
 * headers on top), the envelope, and when the filters ask for them the size and the body (read
 * from the spool: the raw body, and the decoded text of its text parts as one text/plain part).
 */
export async function sieveMessage(input: {
  header: Buffer;
  envelope: { from: string; to: string };
  spool: MessageSpool | null;
  withBody: boolean;
}): Promise<SieveMessage> {
  const { header, envelope, spool } = input;
  const message: SieveMessage = {
    headers: sieveHeaders(header),
    size: header.length + (spool?.size ?? 0),
    envelope,
  };
  if (input.withBody && spool) {
    const raw = (await spool.head(MAX_RAW_BODY)).toString('utf8');
    const indexed = await indexMessage(
      Readable.from(
        (async function* () {
          yield header;
          yield* spool.open();
        })(),
      ),
      { sink: drainingSink, largeBodyThreshold: 0, maxBodyText: MAX_BODY_TEXT },
    );
    message.body = { raw, parts: [{ contentType: 'text/plain', text: indexed.bodyText.text }] };
  }
  return message;
}

/** Large bodies are only read for their text here, never kept. */
const drainingSink: PartSink = {
  async storeLargeBody(_info, content, digest) {
    content.resume();
    await digest;
    return 'unused';
  },
};
