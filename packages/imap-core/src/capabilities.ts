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
  /** IMAP4rev2 (RFC 9051) is offered beside IMAP4rev1. */
  readonly imap4rev2: boolean;
  /** The backend keeps access lists (RFC 4314): ACL and RIGHTS=texk are offered; absent is false. */
  readonly acl?: boolean;
  /** The backend reports mailbox events (`watchMailboxes`), so NOTIFY (RFC 5465) is offered. */
  readonly notify?: boolean;
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
  'CATENATE',
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
  if (context.imap4rev2) capabilities.splice(capabilities.indexOf('IMAP4rev1') + 1, 0, 'IMAP4rev2');
  // RFC 4314 5.1.1: RIGHTS= names the rights beyond RFC 2086's, which must include t, e, x, k
  if (context.acl) capabilities.push('ACL', 'RIGHTS=texk');
  if (context.notify) capabilities.push('NOTIFY');
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
export const ENABLEABLE = ['CONDSTORE', 'QRESYNC', 'UTF8=ACCEPT', 'IMAP4rev2'] as const;

/**
 * What IMAP4rev2 includes of the extensions to IMAP4rev1 (RFC 9051 Appendix E), as capability
 * names; LITERAL+ stands for LITERAL-, which it implies (RFC 7888). STATUS DELETED is part of it
 * too (RFC 9051 6.3.11), checked apart since it is no capability of its own.
 */
export const IMAP4REV2_INCLUDES = [
  'LITERAL+',
  'NAMESPACE',
  'UNSELECT',
  'UIDPLUS',
  'ESEARCH',
  'SEARCHRES',
  'ENABLE',
  'IDLE',
  'SASL-IR',
  'LIST-EXTENDED',
  'LIST-STATUS',
  'MOVE',
  'BINARY',
  'SPECIAL-USE',
  'STATUS=SIZE',
] as const;

/** True when every extension IMAP4rev2 includes is offered, and STATUS answers DELETED. */
export function imap4rev2Complete(statusItems: ReadonlySet<string>): boolean {
  return IMAP4REV2_INCLUDES.every((name) => ALWAYS.includes(name)) && statusItems.has('DELETED');
}
