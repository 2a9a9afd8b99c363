import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';

/** Numbers from the environment arrive as text: digits become a number, anything else stays and fails. */
const numberFromText = (value: unknown) =>
  typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;

/** A TCP port number. */
const port = z.preprocess(
  numberFromText,
  z
    .number({ error: 'must be a port number (a whole number from 1 to 65535)' })
    .int({ error: 'must be a port number (a whole number from 1 to 65535)' })
    .min(1, { error: 'must be a port number (a whole number from 1 to 65535)' })
    .max(65535, { error: 'must be a port number (a whole number from 1 to 65535)' }),
);

/** A duration in milliseconds: a whole number, 0 or more. */
const milliseconds = z.preprocess(
  numberFromText,
  z
    .number({ error: 'must be a duration in milliseconds (a whole number, 0 or more)' })
    .int({ error: 'must be a duration in milliseconds (a whole number, 0 or more)' })
    .min(0, { error: 'must be a duration in milliseconds (a whole number, 0 or more)' }),
);

/** A whole number from `min` to `max`. */
const wholeNumber = (min: number, max: number) =>
  z.preprocess(
    numberFromText,
    z
      .number({ error: `must be a whole number from ${min} to ${max}` })
      .int({ error: `must be a whole number from ${min} to ${max}` })
      .min(min, { error: `must be a whole number from ${min} to ${max}` })
      .max(max, { error: `must be a whole number from ${min} to ${max}` }),
  );

/** A number of connections: a whole number from 1 to a million. */
const connectionCount = wholeNumber(1, 1_000_000);

/** An on/off switch; the environment's words (true/false, yes/no, on/off, 1/0) are turned into booleans by the loader. */
const flag = z.boolean({ error: 'must be true or false' });

/** Optional non-empty string: an empty value counts as unset, so `FOO=` in a shell does not mean "". */
const optionalString = z
  .string()
  .transform((value) => (value.trim() === '' ? undefined : value))
  .optional();

/** A URL with one of the given schemes. */
const urlWithScheme = (schemes: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return schemes.includes(new URL(value).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    { error: `must be a URL starting with ${schemes.map((scheme) => `${scheme}://`).join(' or ')}` },
  );

/** A list written as comma-separated text in the environment, or as an array in the file. */
const listFromText = (value: unknown) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : value;

/** An IP address or a CIDR block (`10.0.0.0/8`, `fd00::/8`). */
function isAddressOrBlock(value: string): boolean {
  const [address = '', bits, ...rest] = value.split('/');
  const width = isIPv4(address) ? 32 : isIPv6(address) ? 128 : 0;
  if (!width || rest.length) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= width);
}

/** Checked as a whole, so the message names the setting (and its variable), not an item of it. */
const addressesOrBlocks = z.array(z.string()).refine((list) => list.every(isAddressOrBlock), {
  error: 'must be IP addresses or CIDR blocks, comma-separated (e.g. 10.0.0.5,10.1.0.0/16)',
});

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
  error: 'must be one of fatal, error, warn, info, debug, trace, silent',
});

/** The whole configuration of every process, with the contract's defaults (shared/DESIGN.md). */
export const configSchema = z
  .object({
    bindHost: z.string().min(1).default('127.0.0.1'),
    dataDir: z.string().min(1).default('./data'),
    logLevel: logLevel.default('info'),
    /**
     * Load balancers whose connections to the IMAP, IMAPS, LMTP, SMTP, submission and ManageSieve listeners
     * start with a PROXY protocol header (v1 or v2) naming the client; empty: off.
     */
    proxyProtocolFrom: z.preprocess(listFromText, addressesOrBlocks).default([]),
    imap: z
      .object({
        enabled: flag.default(true),
        port: port.default(1143),
        tlsPort: port.default(1993),
        /** LOGIN and AUTHENTICATE PLAIN over an unencrypted connection (RFC 3501 LOGINDISABLED). */
        allowPlaintextLogin: flag.default(false),
        /** Connections each IMAP listener (plain, TLS) serves at once; one more gets `* BYE`. */
        maxConnections: connectionCount.default(10_000),
        /** Connections from one client address per IMAP listener (NAT puts many users behind one). */
        maxConnectionsPerAddress: connectionCount.default(2000),
        /** A connection that has not logged in is closed after this long without input (RFC 3501 5.4). */
        preAuthTimeoutMs: wholeNumber(1000, 30 * 60 * 1000).default(60_000),
        /** A client that reads none of its responses for this long is dropped (slow-reader protection). */
        outputStallTimeoutMs: wholeNumber(1000, 60 * 60 * 1000).default(60_000),
      })
      .strict()
      .prefault({}),
    lmtp: z
      .object({
        enabled: flag.default(true),
        port: port.default(2424),
        /** Connections served at once; one more gets `421`. No per-address limit: LMTP comes from the MTAs. */
        maxConnections: connectionCount.default(1000),
      })
      .strict()
      .prefault({}),
    managesieve: z
      .object({
        enabled: flag.default(true),
        port: port.default(4190),
        /** AUTHENTICATE PLAIN over an unencrypted connection (else SASL is empty until STARTTLS). */
        allowPlaintextLogin: flag.default(false),
      })
      .strict()
      .prefault({}),
    smtp: z
      .object({
        enabled: flag.default(true),
        port: port.default(2525),
        /** Connections served at once, and from one client address; one more gets `421`. */
        maxConnections: connectionCount.default(1000),
        maxConnectionsPerAddress: connectionCount.default(100),
      })
      .strict()
      .prefault({}),
    submission: z
      .object({
        enabled: flag.default(true),
        port: port.default(1587),
        /**
         * Where mail for other domains goes: `smtp://[user:pass@]host[:port]` (STARTTLS when offered)
         * or `smtps://...`. Unset: submission to outside addresses is refused.
         */
        smarthost: urlWithScheme(['smtp', 'smtps']).optional(),
        /** AUTH before STARTTLS; off by default (for tests and loopback-only setups). */
        allowInsecureAuth: flag.default(false),
        /** Connections served at once, and from one client address; one more gets `421`. */
        maxConnections: connectionCount.default(1000),
        maxConnectionsPerAddress: connectionCount.default(100),
      })
      .strict()
      .prefault({}),
    /** Name this server gives itself in greetings and Received: headers; unset: the host name. */
    serverName: optionalString,
    webhooks: z
      .object({
        /** Each URL receives every mail event (SPAM, NOT_SPAM) as a signed POST. */
        urls: z.preprocess(listFromText, z.array(urlWithScheme(['http', 'https']))).default([]),
        /** Key of the HMAC-SHA256 signature header; required when URLs are set. */
        secret: optionalString,
      })
      .strict()
      .prefault({})
      .refine((hooks) => hooks.urls.length === 0 || !!hooks.secret, {
        error: 'WEBHOOK_SECRET must be set when WEBHOOK_URLS is',
        path: ['secret'],
      }),
    api: z
      .object({
        port: port.default(8080),
        /** Required on every REST/admin call when set; when unset the API answers loopback clients only. */
        token: optionalString,
        /** How mail events tell a receiver to fetch a message; unset: http://<bind host>:<port>. */
        publicUrl: urlWithScheme(['http', 'https']).optional(),
      })
      .strict()
      .prefault({}),
    web: z
      .object({ port: port.default(3000) })
      .strict()
      .prefault({}),
    mongodb: z
      .object({
        /** Unset: `npm start` runs the embedded store and fills this in. */
        uri: optionalString,
        /** Database name; unset: the one named in the URI, else "wildduck". */
        database: optionalString,
      })
      .strict()
      .prefault({}),
    redis: z
      .object({
        /** Unset: 127.0.0.1:6379 if it answers, else a local redis-server, else the in-process bus. */
        url: optionalString,
      })
      .strict()
      .prefault({}),
    tls: z.object({ keyFile: optionalString, certFile: optionalString }).strict().prefault({}),
    /** The mail server's HTTP listener for /healthz, /readyz and /metrics (on bindHost). */
    health: z
      .object({ enabled: flag.default(true), port: port.default(9025) })
      .strict()
      .prefault({}),
    /**
     * The argon2id cost of password hashes (sign-in, new and changed passwords). The default is
     * RFC 9106's second recommended option; OWASP's lowest safe one is 19456 KiB, 2 passes, 1 lane.
     * Hashes made at another cost are made again at this one when their user next signs in.
     */
    passwordHash: z
      .object({
        memoryKiB: wholeNumber(8192, 4_194_304).default(65_536),
        timeCost: wholeNumber(1, 100).default(3),
        parallelism: wholeNumber(1, 64).default(4),
      })
      .strict()
      .prefault({}),
    /**
     * On SIGTERM, how long the mail server lets LMTP/SMTP transactions in flight finish before
     * answering the rest 421 and exiting.
     */
    shutdownGraceMs: milliseconds.default(20_000),
  })
  .strict();

/** Validated configuration. */
export type Config = z.output<typeof configSchema>;
/** Configuration as written in a file or assembled from the environment, before defaults. */
export type ConfigInput = z.input<typeof configSchema>;
