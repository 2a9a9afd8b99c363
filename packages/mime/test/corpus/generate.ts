// Writes the test corpus: run `node --import tsx packages/mime/test/corpus/generate.ts` from the
// repository root. Messages are built here byte by byte so that line endings (CRLF, LF, none),
// 8-bit and binary bytes are exactly what each case needs. The 25 MB message is not written
// here: the tests generate it at run time.

import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Joins lines with CRLF and ends with CRLF. */
const crlf = (...lines: string[]): string => lines.join('\r\n') + '\r\n';
/** Joins lines with LF and ends with LF. */
const lf = (...lines: string[]): string => lines.join('\n') + '\n';

/** Deterministic pseudo-random bytes, so the corpus is the same on every run. */
function randomBytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

function base64Lines(data: Buffer, width = 76): string[] {
  const text = data.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += width) lines.push(text.slice(i, i + width));
  return lines;
}

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');
const corpus: Record<string, string | Buffer> = {};

corpus['01-simple-plain.eml'] = crlf(
  'Return-Path: <alice@example.com>',
  'From: Alice Example <alice@example.com>',
  'To: Bob <bob@example.org>',
  'Subject: Lunch tomorrow?',
  'Date: Tue, 02 Jan 2024 09:15:00 +0000',
  'Message-ID: <simple-1@example.com>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=us-ascii',
  'Content-Transfer-Encoding: 7bit',
  '',
  'Hi Bob,',
  '',
  'Lunch at noon tomorrow?',
  '',
  'Alice',
);

corpus['02-no-final-crlf.eml'] =
  crlf(
    'From: a@example.com',
    'To: b@example.com',
    'Subject: no final line break',
    'Date: Wed, 03 Jan 2024 10:00:00 +0100',
    '',
  ) + 'First line\r\nlast line without a line break';

corpus['03-lf-only-multipart.eml'] = lf(
  'From: Unix User <unix@example.net>',
  'To: someone@example.com',
  'Subject: LF only line endings',
  'Date: Thu, 04 Jan 2024 11:00:00 -0500',
  'MIME-Version: 1.0',
  'Content-Type: multipart/alternative; boundary="lf-boundary"',
  '',
  '--lf-boundary',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'plain text',
  'two lines',
  '--lf-boundary',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<p>plain text</p>',
  '--lf-boundary--',
);

corpus['04-headers-only-no-blank-line.eml'] = crlf(
  'From: headers@example.com',
  'To: only@example.com',
  'Subject: just headers',
  'Message-ID: <headers-only@example.com>',
);

corpus['05-empty-body.eml'] = crlf(
  'From: empty@example.com',
  'To: body@example.com',
  'Subject: empty body',
  'Date: Fri, 05 Jan 2024 08:00:00 +0000',
  '',
);

corpus['06-empty-message.eml'] = '';

const pngBytes = randomBytes(600, 6);
corpus['07-nested-mixed-alternative-related.eml'] = crlf(
  'From: "Newsletter Team" <news@shop.example>',
  'To: customer@example.com',
  'Subject: Your order has shipped',
  'Date: Sat, 06 Jan 2024 12:00:00 +0000',
  'Message-ID: <nested-7@shop.example>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="outer"',
  '',
  'This is a multi-part message in MIME format.',
  '',
  '--outer',
  'Content-Type: multipart/alternative; boundary="alt"',
  '',
  '--alt',
  'Content-Type: text/plain; charset="utf-8"',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Your order has shipped. Tracking: ABC123 =E2=80=93 thanks!',
  '--alt',
  'Content-Type: multipart/related; boundary="rel"; type="text/html"',
  '',
  '--rel',
  'Content-Type: text/html; charset="utf-8"',
  'Content-Transfer-Encoding: 7bit',
  '',
  '<html><body><img src="cid:logo@shop"><p>Your order has shipped.</p></body></html>',
  '--rel',
  'Content-Type: image/png; name="logo.png"',
  'Content-Transfer-Encoding: base64',
  'Content-ID: <logo@shop>',
  'Content-Disposition: inline; filename="logo.png"',
  '',
  ...base64Lines(pngBytes),
  '--rel--',
  '',
  '--alt--',
  '',
  '--outer',
  'Content-Type: application/pdf; name="invoice.pdf"',
  'Content-Transfer-Encoding: base64',
  'Content-Disposition: attachment; filename="invoice.pdf"',
  '',
  ...base64Lines(randomBytes(3000, 7)),
  '--outer--',
  '',
);

corpus['08-8bit-utf8.eml'] = Buffer.from(
  crlf(
    'From: =?utf-8?Q?J=C3=BCrgen?= <juergen@example.de>',
    'To: anna@example.de',
    'Subject: =?utf-8?Q?Gr=C3=BC=C3=9Fe?=',
    'Date: Sun, 07 Jan 2024 13:00:00 +0100',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Grüße aus München! Ünïcödé ✓ 日本語',
  ),
  'utf8',
);

const binaryPayload = Buffer.concat([
  randomBytes(4000, 9),
  Buffer.from('\r\n--notaboundary\r\n\0\r\r\n\n'),
  randomBytes(3000, 10),
]);
corpus['09-binary-part.eml'] = Buffer.concat([
  Buffer.from(
    crlf(
      'From: bin@example.com',
      'To: recv@example.com',
      'Subject: binary transfer encoding',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="bin-bound"',
      '',
      '--bin-bound',
      'Content-Type: text/plain',
      '',
      'see attached',
      '--bin-bound',
      'Content-Type: application/octet-stream',
      'Content-Transfer-Encoding: binary',
      '',
    ),
  ),
  binaryPayload,
  Buffer.from('\r\n--bin-bound--\r\n'),
]);

corpus['10-long-lines.eml'] = crlf(
  'From: long@example.com',
  'To: lines@example.com',
  'Subject: very long lines',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="long"',
  '',
  '--long',
  'Content-Type: text/plain; charset=us-ascii',
  '',
  'x'.repeat(10_000),
  'short line',
  '-'.repeat(5000),
  '--long',
  'Content-Type: text/plain; charset=us-ascii',
  '',
  'abcdefghij'.repeat(25_000),
  '--long--',
);

corpus['11-folded-headers.eml'] = crlf(
  'From: Folded Sender',
  '  <folded@example.com>',
  'To: first@example.com,',
  '\tsecond@example.com,',
  '   "Third, Person" <third@example.com>',
  'Subject: This subject is folded',
  '  over several lines',
  '\tand keeps going',
  'Date: Mon, 08 Jan 2024',
  ' 14:00:00 +0000',
  'Content-Type: text/plain;',
  '\tcharset="us-ascii";',
  '\tformat=flowed',
  '',
  'Body after folded headers.',
);

corpus['12-malformed-headers.eml'] = crlf(
  ' leading continuation line',
  'From: broken@example.com',
  'This line has no colon',
  'Subject : space before colon',
  'To: <unclosed@example.com',
  'Cc: ,,, , lonely@example.com,,',
  'Date: not a date at all',
  'Content-Type: text/plain; charset=',
  'Content-Type: text/html',
  'X-Empty:',
  'X-Tab:\tvalue',
  '',
  'Body of a message with broken headers.',
);

corpus['13-iso-8859-1.eml'] = Buffer.concat([
  Buffer.from(
    crlf(
      'From: =?ISO-8859-1?Q?Fran=E7ois_Ch=E2teau?= <francois@example.fr>',
      'To: marie@example.fr',
      'Subject: =?iso-8859-1?q?R=E9union_de_l=27=E9quipe?=',
      'Date: Tue, 09 Jan 2024 15:00:00 +0100',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="latin"',
      '',
      '--latin',
      'Content-Type: text/plain; charset=ISO-8859-1',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'La r=E9union aura lieu =E0 10h. Caf=E9 et cr=EApes =3D offerts.=',
      ' Soft break above.',
      '--latin',
      'Content-Type: text/plain; charset=ISO-8859-1',
      'Content-Transfer-Encoding: 8bit',
      '',
    ),
  ),
  latin1('Texte 8 bits: éàçüß\r\n'),
  Buffer.from('--latin--\r\n'),
]);

corpus['14-windows-1252.eml'] = Buffer.concat([
  latin1('From: "Ren\xe9 M\xfcller" <rene@example.com>\r\n'),
  Buffer.from(
    crlf(
      'To: shop@example.com',
      'Subject: =?windows-1252?Q?Price_=80_100_=93quoted=94?=',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=windows-1252',
      'Content-Transfer-Encoding: 8bit',
      '',
    ),
  ),
  latin1('Price: \x80 100 \x93quoted\x94 \x85 and \x96 dash\r\n'),
]);

corpus['15-iso-2022-jp.eml'] = crlf(
  'From: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <yamada@example.jp>',
  'To: tanaka@example.jp',
  'Subject: =?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=',
  'Date: Wed, 10 Jan 2024 09:00:00 +0900',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=ISO-2022-JP',
  'Content-Transfer-Encoding: 7bit',
  '',
  '\x1b$B$3$s$K$A$O\x1b(B',
);

corpus['16-koi8-r.eml'] = Buffer.concat([
  Buffer.from(
    crlf(
      'From: =?koi8-r?B?6dfBzg==?= <ivan@example.ru>',
      'To: olga@example.ru',
      'Subject: =?KOI8-R?Q?=F0=D2=C9=D7=C5=D4?=',
      'Date: Thu, 11 Jan 2024 10:00:00 +0300',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=koi8-r',
      'Content-Transfer-Encoding: 8bit',
      '',
    ),
  ),
  Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4, 0x2c, 0x20, 0xcd, 0xc9, 0xd2, 0x21, 0x0d, 0x0a]),
]);

corpus['17-rfc2231-filenames.eml'] = crlf(
  'From: files@example.com',
  'To: you@example.com',
  'Subject: RFC 2231 parameters',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="2231"',
  '',
  '--2231',
  'Content-Type: text/plain',
  '',
  'Attachments follow.',
  '--2231',
  "Content-Type: application/pdf; name*=utf-8''%E2%82%AC%20report.pdf",
  'Content-Transfer-Encoding: base64',
  'Content-Disposition: attachment;',
  " filename*0*=utf-8''%E2%82%AC%20rep;",
  ' filename*1="ort.pdf"',
  '',
  'JVBERi0xLjQK',
  '--2231',
  'Content-Type: text/plain; name*0="a very long name that is ";',
  ' name*1="split in two.txt"',
  "Content-Disposition: attachment; filename*=iso-8859-1'fr'caf%E9.txt",
  '',
  'caf\u00e9',
  '--2231--',
);

corpus['18-encoded-word-subjects.eml'] = crlf(
  'From: =?UTF-8?B?8J+YgCBFbW9qaQ==?= <emoji@example.com>',
  'To: =?utf-8?q?Z=C3=BCrich_Office?= <zurich@example.ch>',
  'Subject: =?UTF-8?Q?Hello_=F0=9F=91=8B?= =?UTF-8?B?IHdvcmxk?= and plain',
  'Date: Fri, 12 Jan 2024 16:00:00 +0000',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Encoded word subject.',
);

const innerMessage = crlf(
  'From: Inner Sender <inner@example.com>',
  'To: inner-rcpt@example.com',
  'Subject: The forwarded message',
  'Date: Sat, 13 Jan 2024 08:00:00 +0000',
  'Message-ID: <inner-19@example.com>',
  'Content-Type: text/plain; charset=us-ascii',
  '',
  'Original text.',
  'Second line.',
);
corpus['19-rfc822-attachment.eml'] = crlf(
  'From: Forwarder <fwd@example.com>',
  'To: target@example.com',
  'Subject: Fwd: The forwarded message',
  'Date: Sat, 13 Jan 2024 09:00:00 +0000',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="fwd"',
  '',
  '--fwd',
  'Content-Type: text/plain',
  '',
  'See the forwarded message.',
  '--fwd',
  'Content-Type: message/rfc822',
  'Content-Disposition: attachment; filename="forwarded.eml"',
  '',
  innerMessage.slice(0, -2),
  '--fwd--',
);

corpus['20-rfc822-nested-twice.eml'] = crlf(
  'From: outer@example.com',
  'To: rcpt@example.com',
  'Subject: Fwd: Fwd: deep',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="L1"',
  '',
  '--L1',
  'Content-Type: text/plain',
  '',
  'Level one text.',
  '--L1',
  'Content-Type: message/rfc822',
  '',
  'From: middle@example.com',
  'To: rcpt@example.com',
  'Subject: Fwd: deep',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="L2"',
  '',
  '--L2',
  'Content-Type: text/plain',
  '',
  'Level two text.',
  '--L2',
  'Content-Type: message/rfc822',
  '',
  'From: deepest@example.com',
  'To: rcpt@example.com',
  'Subject: deep',
  'Content-Type: multipart/alternative; boundary="L3"',
  '',
  '--L3',
  'Content-Type: text/plain',
  '',
  'Deepest plain.',
  '--L3',
  'Content-Type: text/html',
  '',
  '<b>Deepest html.</b>',
  '--L3--',
  '',
  '--L2--',
  '',
  '--L1--',
);

corpus['21-missing-end-boundary.eml'] = crlf(
  'From: truncated@example.com',
  'To: rcpt@example.com',
  'Subject: no closing boundary',
  'Content-Type: multipart/mixed; boundary="open"',
  '',
  '--open',
  'Content-Type: text/plain',
  '',
  'first part',
  '--open',
  'Content-Type: text/plain',
  '',
  'second part, and then the message just ends',
);

corpus['22-preamble-epilogue.eml'] = crlf(
  'From: pre@example.com',
  'To: post@example.com',
  'Subject: preamble and epilogue',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="pe"',
  '',
  'This is the preamble.',
  'It has two lines.',
  '--pe',
  'Content-Type: text/plain',
  '',
  'The only part.',
  '--pe--',
  'This is the epilogue.',
  'Also two lines.',
);

corpus['23-qp-and-base64.eml'] = crlf(
  'From: enc@example.com',
  'To: dec@example.com',
  'Subject: transfer encodings',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="enc"',
  '',
  '--enc',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'A long line that is wrapped with a soft line break because it is longer than=',
  ' seventy-six characters. Equals sign: =3D. Trailing blanks vanish.   ',
  'Caf=C3=A9',
  '--enc',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: base64',
  '',
  ...base64Lines(Buffer.from('Base64 text body\r\nwith two lines\r\n')),
  '--enc',
  'Content-Type: image/gif',
  'Content-Transfer-Encoding: BASE64',
  'Content-Description: a tiny gif',
  '',
  'R0lGODlhAQABAAAAACw=',
  '--enc--',
);

corpus['24-address-groups.eml'] = crlf(
  'From: "Smith, John (Sales)" <john.smith@example.com>',
  'Sender: secretary@example.com (The Secretary)',
  'Reply-To: replies@example.com',
  'To: Team: alice@example.com, "Bob B." <bob@example.com>;, carol@example.com',
  'Cc: undisclosed-recipients:;',
  'Bcc: <@relay.example:route@example.com>',
  'Subject: groups',
  'Date: Sun, 14 Jan 2024 10:00:00 +0000',
  'In-Reply-To: <parent@example.com>',
  'References: <root@example.com> <parent@example.com>',
  'Message-ID: <groups-24@example.com>',
  '',
  'Group addresses.',
);

corpus['25-multipart-digest.eml'] = crlf(
  'From: digest@lists.example',
  'To: member@example.com',
  'Subject: Digest, Vol 1',
  'MIME-Version: 1.0',
  'Content-Type: multipart/digest; boundary="dig"',
  '',
  '--dig',
  '',
  'From: first@example.com',
  'Subject: first post',
  '',
  'First post body.',
  '--dig',
  '',
  'From: second@example.com',
  'Subject: second post',
  '',
  'Second post body.',
  '--dig--',
);

corpus['26-boundary-never-appears.eml'] = crlf(
  'From: lost@example.com',
  'To: rcpt@example.com',
  'Subject: declared boundary never used',
  'Content-Type: multipart/mixed; boundary="ghost"',
  '',
  '--not-the-ghost',
  'Content-Type: text/plain',
  '',
  'All of this is preamble.',
);

corpus['27-boundary-lookalikes.eml'] = crlf(
  'From: look@example.com',
  'To: alike@example.com',
  'Subject: boundary lookalikes',
  'Content-Type: multipart/mixed; boundary="b"',
  '',
  '--b  ',
  'Content-Type: text/plain',
  '',
  '--bx is not a delimiter',
  '--b- is not one either',
  '-- b neither',
  '--b\t',
  'Content-Type: multipart/alternative; boundary="b2"',
  '',
  '--b2',
  'Content-Type: text/plain',
  '',
  'inner',
  '--b',
  'Content-Type: text/plain',
  '',
  'outer boundary closed the inner multipart early',
  '--b-- ',
  '',
);

corpus['28-empty-parts.eml'] = crlf(
  'From: empty@example.com',
  'To: parts@example.com',
  'Subject: empty parts',
  'Content-Type: multipart/mixed; boundary="e"',
  '',
  '--e',
  'Content-Type: text/plain',
  '',
  '--e',
  'Content-Type: text/plain',
  '--e',
  '',
  '',
  '--e',
  'Content-Type: multipart/alternative; boundary="none"',
  '',
  '--e--',
);

corpus['29-no-content-type.eml'] = crlf(
  'From: default@example.com',
  'To: types@example.com',
  'Subject: no MIME headers at all',
  '',
  'Defaults to text/plain; charset=us-ascii.',
);

corpus['30-mbox-from-line.eml'] = crlf(
  'From sender@example.com Mon Jan 15 10:00:00 2024',
  'From: sender@example.com',
  'To: rcpt@example.com',
  'Subject: starts with an mbox From line',
  '',
  '>From the body, escaped.',
);

corpus['31-headers-language-location-md5.eml'] = crlf(
  'From: meta@example.com',
  'To: rcpt@example.com',
  'Subject: extension fields',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="ext"',
  'Content-Language: en',
  '',
  '--ext',
  'Content-Type: text/plain; charset=us-ascii',
  'Content-ID: <part1@example.com>',
  'Content-Description: =?utf-8?Q?Beschreibung_=C3=BC?=',
  'Content-Language: en, de',
  'Content-Location: http://example.com/part1.txt',
  'Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==',
  'Content-Disposition: inline',
  '',
  'Text with every extension field.',
  '--ext',
  'Content-Type: application/octet-stream (a comment)',
  'Content-Transfer-Encoding: x-uuencode',
  'Content-Disposition: attachment; filename=data.bin; size=3',
  '',
  'begin 644 data.bin',
  '#86)C',
  '`',
  'end',
  '--ext--',
);

corpus['32-mixed-line-endings.eml'] = Buffer.from(
  'From: mixed@example.com\r\nTo: rcpt@example.com\nSubject: mixed line endings\r\n' +
    'Content-Type: multipart/mixed; boundary="m"\r\n\n--m\nContent-Type: text/plain\r\n\r\n' +
    'line with CRLF\r\nline with LF\nline with lone CR\rstill same line\r\n--m--\n',
);

const depth = 12;
const deepLines: string[] = ['From: deep@example.com', 'To: rcpt@example.com', 'Subject: deep nesting'];
for (let level = 0; level < depth; level++) {
  deepLines.push(`Content-Type: multipart/mixed; boundary="d${level}"`, '', `--d${level}`);
}
deepLines.push('Content-Type: text/plain', '', 'bottom');
for (let level = depth - 1; level >= 0; level--) deepLines.push(`--d${level}--`);
corpus['33-deep-nesting.eml'] = crlf(...deepLines);

corpus['34-raw-utf8-headers.eml'] = Buffer.from(
  crlf(
    'From: "Zoë Ærøskøbing" <zoe@example.dk>',
    'To: Ødegård <odegard@example.no>',
    'Subject: Raw UTF-8 header (RFC 6532): ¿Qué tal?',
    'Date: Tue, 16 Jan 2024 10:00:00 +0100',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Body: ¡Hola!',
  ),
  'utf8',
);

corpus['35-multipart-signed.eml'] = crlf(
  'From: signer@example.com',
  'To: rcpt@example.com',
  'Subject: signed',
  'MIME-Version: 1.0',
  'Content-Type: multipart/signed; micalg=pgp-sha256;',
  ' protocol="application/pgp-signature"; boundary="sig"',
  '',
  '--sig',
  'Content-Type: text/plain; charset=us-ascii',
  'Content-Transfer-Encoding: 7bit',
  '',
  'Signed text.',
  '',
  '--sig',
  'Content-Type: application/pgp-signature; name="signature.asc"',
  'Content-Description: OpenPGP digital signature',
  'Content-Disposition: attachment; filename="signature.asc"',
  '',
  '-----BEGIN PGP SIGNATURE-----',
  '',
  'iQEzBAEBCAAdFiEE',
  '-----END PGP SIGNATURE-----',
  '',
  '--sig--',
  '',
);

corpus['36-top-level-rfc822.eml'] = crlf(
  'From: bounce@example.com',
  'To: rcpt@example.com',
  'Subject: message/rfc822 at the top',
  'Content-Type: message/rfc822',
  '',
  'From: wrapped@example.com',
  'Subject: wrapped',
  'Content-Type: multipart/mixed; boundary="w"',
  '',
  '--w',
  'Content-Type: text/plain',
  '',
  'wrapped part one',
  '--w',
  'Content-Type: text/plain',
  '',
  'wrapped part two',
  '--w--',
);

corpus['37-base64-rfc822.eml'] = crlf(
  'From: encoded@example.com',
  'To: rcpt@example.com',
  'Subject: base64 encoded message/rfc822',
  'Content-Type: multipart/mixed; boundary="x"',
  '',
  '--x',
  'Content-Type: message/rfc822',
  'Content-Transfer-Encoding: base64',
  '',
  ...base64Lines(Buffer.from(crlf('Subject: hidden', '', 'hidden body'))),
  '--x--',
);

corpus['38-rfc822-in-rfc822.eml'] = crlf(
  'From: outer@example.com',
  'Subject: a message in a message in a message',
  'Content-Type: message/rfc822',
  '',
  'From: middle@example.com',
  'Subject: middle',
  'Content-Type: message/rfc822',
  '',
  'From: inner@example.com',
  'Subject: inner',
  '',
  'innermost body',
);

for (const [name, content] of Object.entries(corpus)) {
  writeFileSync(join(here, name), typeof content === 'string' ? Buffer.from(content, 'latin1') : content);
}
console.log(`wrote ${Object.keys(corpus).length} messages to ${here}`);
