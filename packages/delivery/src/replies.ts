/**
 * An SMTP/LMTP reply that smtp-server sends as it is (`responseCode`, then the text). The text
 * starts with the enhanced status code (RFC 3463): our servers write their own, because the
 * library's automatic ones follow the reply code alone and would call a refused sender
 * "5.1.1 bad destination mailbox".
 */
export class SmtpReply extends Error {
  constructor(
    readonly responseCode: number,
    text: string,
  ) {
    super(text);
    this.name = 'SmtpReply';
  }

  /** 4xx: the client should try again later. */
  get temporary(): boolean {
    return this.responseCode >= 400 && this.responseCode < 500;
  }
}

/** The replies every delivery path gives, in one place so LMTP, SMTP and submission agree. */
export const replies = {
  unknownUser: (address: string) => new SmtpReply(550, `5.1.1 <${address}>: no such user here`),
  disabledUser: (address: string) => new SmtpReply(550, `5.2.1 <${address}>: mailbox disabled`),
  overQuota: (address: string) => new SmtpReply(552, `5.2.2 <${address}>: mailbox full`),
  tooBig: (limit: number) => new SmtpReply(552, `5.3.4 message too big (the limit is ${limit} bytes)`),
  invalidMessage: (why: string) => new SmtpReply(554, `5.6.0 message refused: ${why}`),
  storeUnavailable: () =>
    new SmtpReply(451, '4.3.0 temporary failure storing the message; nothing was stored, try again later'),
} as const;

/** Of several failed replies, the one to give when only one reply is possible: a temporary one first. */
export function worstReply(failures: readonly SmtpReply[]): SmtpReply {
  return failures.find((reply) => reply.temporary) ?? failures[0] ?? replies.storeUnavailable();
}
