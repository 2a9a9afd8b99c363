// Reads the MIME fields of one entity's header: the decoded values for the tree and the raw
// values BODYSTRUCTURE needs, before the body's size and lines are known.

import type { BodyDisposition } from './bodystructure.js';
import { decodeEncodedWords } from './encoded-words.js';
import type { HeaderField } from './header-block.js';
import { firstValue } from './header-block.js';
import { decodedParameters, imapParameters, parseParameterizedValue } from './header-params.js';
import type { MimePart } from './model.js';

/** The MIME header facts of an entity: tree fields, BODYSTRUCTURE fields and the multipart boundary. */
export interface PartHeaderFacts {
  describe: Omit<MimePart, 'path' | 'kind' | 'header' | 'body' | 'lines' | 'children' | 'message'>;
  structure: {
    type: string;
    subtype: string;
    params: [string, string][] | null;
    id: string | null;
    description: string | null;
    encoding: string;
    md5: string | null;
    disposition: BodyDisposition | null;
    language: string[] | null;
    location: string | null;
  };
  /** The boundary of a multipart entity, when it has one. */
  boundary?: string;
}

const upperParams = (params: [string, string][]): [string, string][] | null =>
  params.length ? params.map(([name, value]) => [name.toUpperCase(), value]) : null;

/** Interprets the MIME header fields; `defaultType` is 'message/rfc822' inside multipart/digest. */
export function readPartHeader(fields: readonly HeaderField[], defaultType: string): PartHeaderFacts {
  const contentTypeText = firstValue(fields, 'content-type');
  let parsedType = parseParameterizedValue(contentTypeText ?? defaultType);
  let [type = '', subtype = ''] = parsedType.value.split('/').map((s) => s.trim());
  if (!type || !subtype || /\s/.test(type + subtype)) {
    // An unusable type falls back to RFC 2045's default, keeping the charset if one was given.
    parsedType = { value: 'text/plain', params: parsedType.params.filter((p) => p.name === 'charset') };
    type = 'text';
    subtype = 'plain';
  }
  const params = decodedParameters(parsedType.params);
  const imapParams = imapParameters(parsedType.params);
  // The default charset goes after the parameters given, which keep the header's order (as Dovecot).
  if (type === 'text' && !('charset' in params)) imapParams.push(['charset', 'us-ascii']);

  const dispositionText = firstValue(fields, 'content-disposition');
  const parsedDisposition = dispositionText ? parseParameterizedValue(dispositionText) : null;
  const dispositionParams = parsedDisposition ? decodedParameters(parsedDisposition.params) : {};

  const encodingText = firstValue(fields, 'content-transfer-encoding');
  const transferEncoding =
    (encodingText ?? '')
      .replace(/\([^)]*\)/g, '')
      .trim()
      .toLowerCase() || '7bit';
  const contentId = firstValue(fields, 'content-id');
  const rawDescription = firstValue(fields, 'content-description');
  const languageText = firstValue(fields, 'content-language');
  const language = languageText
    ?.split(',')
    .map((tag) => tag.replace(/\([^)]*\)/g, '').trim())
    .filter(Boolean);
  const location = firstValue(fields, 'content-location')?.replace(/\s+/g, '');
  const md5 = firstValue(fields, 'content-md5');
  const filename = dispositionParams.filename ?? params.name;

  const describe: PartHeaderFacts['describe'] = {
    type,
    subtype,
    params,
    transferEncoding,
    dispositionParams,
  };
  if (params.charset !== undefined) describe.charset = params.charset;
  if (parsedDisposition?.value) describe.disposition = parsedDisposition.value;
  if (filename !== undefined) describe.filename = filename;
  if (contentId !== undefined) describe.contentId = contentId;
  if (rawDescription !== undefined) describe.description = decodeEncodedWords(rawDescription);
  if (language?.length) describe.language = language;
  if (location !== undefined) describe.location = location;
  if (md5 !== undefined) describe.md5 = md5;

  const facts: PartHeaderFacts = {
    describe,
    structure: {
      type: type.toUpperCase(),
      subtype: subtype.toUpperCase(),
      params: upperParams(imapParams),
      id: contentId ?? null,
      description: rawDescription ?? null,
      encoding: transferEncoding.toUpperCase(),
      md5: md5 ?? null,
      disposition: parsedDisposition?.value
        ? {
            type: parsedDisposition.value.toUpperCase(),
            params: upperParams(imapParameters(parsedDisposition.params)),
          }
        : null,
      language: language?.length ? language : null,
      location: location ?? null,
    },
  };
  // The boundary is matched against raw bytes, so it is taken undecoded.
  const boundary = parsedType.params.find((p) => p.name === 'boundary')?.value;
  if (type === 'multipart' && boundary) facts.boundary = boundary;
  return facts;
}
