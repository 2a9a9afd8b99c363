// The CAPABILITY list: every extension listed here is implemented and tested; the list depends
// on whether the connection is encrypted and whether the client has logged in.

/** What the capability list depends on. */
export interface CapabilityContext {
  readonly authenticated: boolean;
  /** The connection runs over TLS. */
  readonly secure: boolean;
  /** The server has a certificate, so STARTTLS can be offered. */
  readonly tlsAvailable: boolean;
  readonly allowPlaintextLogin: boolean;
  readonly appendLimit: number;
}

/** Extensions offered in every state. */
const ALWAYS = [
  'IMAP4rev1',
  'LITERAL+',
  'SASL-IR',
  'ID',
  'ENABLE',
  'IDLE',
  'NAMESPACE',
  'UNSELECT',
  'UIDPLUS',
  'MOVE',
  'CONDSTORE',
  'QRESYNC',
  'SPECIAL-USE',
  'CREATE-SPECIAL-USE',
  'CHILDREN',
  'ESEARCH',
  'SEARCHRES',
  'WITHIN',
  'SORT',
  'SORT=DISPLAY',
  'ESORT',
  'THREAD=ORDEREDSUBJECT',
  'THREAD=REFERENCES',
  'LIST-EXTENDED',
  'LIST-STATUS',
  'STATUS=SIZE',
  'OBJECTID',
  'SAVEDATE',
  'QUOTA',
  'QUOTA=RES-STORAGE',
  'MULTIAPPEND',
  'BINARY',
  'UTF8=ACCEPT',
  'PREVIEW',
];

/** True when LOGIN and AUTHENTICATE are allowed on this connection. */
export function loginAllowed(context: Pick<CapabilityContext, 'secure' | 'allowPlaintextLogin'>): boolean {
  return context.secure || context.allowPlaintextLogin;
}

/** The capability atoms for the CAPABILITY response and the greeting's code. */
export function listCapabilities(context: CapabilityContext): string[] {
  const capabilities = [...ALWAYS, `APPENDLIMIT=${context.appendLimit}`];
  // RFC 4978 and RFC 8437: offered once logged in, as Dovecot does
  if (context.authenticated) capabilities.push('COMPRESS=DEFLATE', 'UNAUTHENTICATE');
  if (!context.authenticated) {
    if (!context.secure && context.tlsAvailable) capabilities.push('STARTTLS');
    if (loginAllowed(context)) capabilities.push('AUTH=PLAIN');
    else capabilities.push('LOGINDISABLED');
  }
  return capabilities;
}

/** Extensions a client may turn on with ENABLE (RFC 5161). */
export const ENABLEABLE = ['CONDSTORE', 'QRESYNC', 'UTF8=ACCEPT'] as const;
