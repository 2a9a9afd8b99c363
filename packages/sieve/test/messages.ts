/**
 * Builds SieveMessage values from message text for the interpreter tests: headers unfolded as
 * the delivery code hands them over (encoded-words left alone), the size in octets, the body.
 */
import type { SieveBodyPart, SieveEnvelope, SieveMessage } from '@wildduck/sieve';

export interface MessageOptions {
  envelope?: Partial<SieveEnvelope>;
  /** Leaf parts for the body test; by default the whole body as one part of the message's type. */
  parts?: SieveBodyPart[];
}

export function message(text: string, options: MessageOptions = {}): SieveMessage {
  const raw = text.replace(/\r?\n/g, '\r\n');
  const split = raw.indexOf('\r\n\r\n');
  const head = split >= 0 ? raw.slice(0, split) : raw;
  const body = split >= 0 ? raw.slice(split + 4) : '';
  const headers = head
    .replace(/\r\n(?=[ \t])/g, '')
    .split('\r\n')
    .filter(Boolean)
    .map((line) => {
      const colon = line.indexOf(':');
      return { name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() };
    });
  const contentType =
    headers
      .find((field) => field.name.toLowerCase() === 'content-type')
      ?.value.split(';')[0]!
      .trim()
      .toLowerCase() ?? 'text/plain';
  return {
    headers,
    size: Buffer.byteLength(raw),
    envelope: {
      from: options.envelope?.from ?? 'sender@example.org',
      to: options.envelope?.to ?? 'rcpt@example.com',
    },
    body: { raw: body, parts: options.parts ?? [{ contentType, text: body }] },
  };
}

/** RFC 5228 1.2, message A. */
export const MESSAGE_A = message(
  `Date: Tue, 1 Apr 1997 09:06:31 -0800 (PST)
From: coyote@desert.example.org
To: roadrunner@acme.example.com
Subject: I have a present for you

Look, I'm sorry about the whole anvil thing, and I really
didn't mean to try and drop it on you from the top of the
cliff.  I want to try to make it up to you.  I've got some
great birdseed over here at my place--top of the line
stuff--and if you come by, I'll have it all wrapped up
for you.  I'm really sorry for all the problems I've caused
for you over the years, but I know we can work this out.
--
Wile E. Coyote   "Super Genius"   coyote@desert.example.org
`,
  { envelope: { from: 'coyote@desert.example.org', to: 'roadrunner@acme.example.com' } },
);

/** RFC 5228 1.2, message B. */
export const MESSAGE_B = message(
  `From: youcouldberich!@reply-by-postal-mail.invalid
Sender: b1ff@de.res.example.com
To: rube@landru.example.com
Date:  Mon, 31 Mar 1997 18:26:10 -0800
Subject: $$$ YOU, TOO, CAN BE A MILLIONAIRE! $$$

YOU MAY HAVE ALREADY WON TEN MILLION DOLLARS, BUT I DOUBT
IT!  SO JUST POST THIS TO SIX HUNDRED NEWSGROUPS!  IT WILL
GUARANTEE THAT YOU GET AT LEAST FIVE RESPONSES WITH MONEY!
MONEY! MONEY! COLD HARD CASH!  YOU WILL RECEIVE OVER
$20,000 IN LESS THAN TWO MONTHS!  AND IT'S LEGAL!!!!!!!!!
!!!!!!!!!!!!!!!!!!111111111!!!!!!!11111111111!!1  JUST
SEND $5 IN SMALL, UNMARKED BILLS TO THE ADDRESSES BELOW!
`,
  { envelope: { from: 'b1ff@de.res.example.com', to: 'rube@landru.example.com' } },
);
