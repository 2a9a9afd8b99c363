/**
 * The responses a server sends (RFC 3501 7): untagged data, status responses (tagged or
 * untagged OK/NO/BAD/PREAUTH/BYE, with an optional response code) and continuation requests,
 * and their encoding into bytes.
 */
import { OutputBuilder, encodeValues, type EncodeOptions, type OutputPiece } from './encode.js';
import type { ImapValue } from './values.js';

/** The condition of a status response. */
export type StatusCondition = 'OK' | 'NO' | 'BAD' | 'PREAUTH' | 'BYE';

/** A response code in brackets, e.g. `[UIDNEXT 5]`; build them with the helpers in `response-codes.ts`. */
export interface ResponseCode {
  /** The code's atom, e.g. `UIDNEXT`, `TOOBIG`. */
  name: string;
  /** Arguments after the name (numbers, atoms, lists). */
  args?: readonly ImapValue[];
}

/** Any server response. */
export type ImapResponse =
  /** `* <values>`, e.g. `* 3 EXISTS` is `[3, atom('EXISTS')]`. */
  | { type: 'untagged'; values: readonly ImapValue[] }
  /** `<tag|*> OK|NO|BAD|PREAUTH|BYE [code] text`; `tag: null` for an untagged status. */
  | { type: 'status'; tag: string | null; condition: StatusCondition; code?: ResponseCode; text: string }
  /** `+ text` (or `+ base64` for a SASL challenge). */
  | { type: 'continuation'; text: string };

/** Keeps status text on one line: CR and LF become spaces; empty text becomes the condition's default. */
function sanitizeText(text: string, fallback: string): string {
  const cleaned = text.replace(/[\r\n\0]+/g, ' ').trim();
  return cleaned.length > 0 ? cleaned : fallback;
}

/** Encodes one response into bytes and streamed literal bodies, CRLF included. */
export function encodeResponse(response: ImapResponse, options: EncodeOptions): OutputPiece[] {
  const out = new OutputBuilder();
  switch (response.type) {
    case 'untagged':
      out.write('* ');
      encodeValues(response.values, options, out);
      break;
    case 'status':
      out.write(`${response.tag ?? '*'} ${response.condition} `);
      if (response.code) {
        out.write(`[${response.code.name}`);
        if (response.code.args && response.code.args.length > 0) {
          out.write(' ');
          encodeValues(response.code.args, options, out);
        }
        out.write('] ');
      }
      out.write(sanitizeText(response.text, response.condition === 'OK' ? 'completed' : 'failed'));
      break;
    case 'continuation':
      out.write(`+ ${response.text.replace(/[\r\n]+/g, ' ')}`);
      break;
  }
  out.write('\r\n');
  return out.finish();
}
