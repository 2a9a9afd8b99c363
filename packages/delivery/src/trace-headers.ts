/** Who handed us a message, for the Received: header (RFC 5321 4.4). */
export interface TraceInfo {
  /** Name the client gave in HELO/EHLO/LHLO. */
  heloName: string;
  /** The client's IP address. */
  remoteAddress: string;
  /** Reverse DNS name of the client, when smtp-server found one. */
  clientHostname?: string;
  /** Our own name. */
  serverName: string;
  /** RFC 3848 protocol: LMTP, ESMTP, ESMTPS (TLS), ESMTPA/ESMTPSA (authenticated); HTTP for mail sent through the API. */
  protocol: 'LMTP' | 'LMTPS' | 'ESMTP' | 'ESMTPS' | 'ESMTPA' | 'ESMTPSA' | 'HTTP';
  /** The transaction id (also in our logs). */
  id: string;
}

/** A header value must stay on its line and inside its comment: no CR, LF or parentheses from the client. */
function clean(text: string): string {
  return text.replace(/[\r\n()\\]/g, ' ').slice(0, 200);
}

/** RFC 5322 date-time in UTC: `Sun, 29 Nov 2026 09:33:01 +0000`. */
export function formatMailDate(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/** `Received: from helo (host [ip]) by us with PROTO id ID for <rcpt>; date`, folded onto two lines. */
export function receivedHeader(trace: TraceInfo, recipient: string | undefined, date: Date): string {
  const host =
    trace.clientHostname && !trace.clientHostname.startsWith('[') ? `${clean(trace.clientHostname)} ` : '';
  const forClause = recipient ? ` for <${clean(recipient)}>` : '';
  return (
    `Received: from ${clean(trace.heloName) || 'unknown'} (${host}[${clean(trace.remoteAddress)}])\r\n` +
    `\tby ${clean(trace.serverName)} with ${trace.protocol} id ${clean(trace.id)}${forClause};\r\n` +
    `\t${formatMailDate(date)}\r\n`
  );
}

/**
 * The headers a final delivery puts on top of the message: Return-Path (the envelope sender,
 * `<>` for bounces), Delivered-To (the recipient, which loop detection and filters rely on) and
 * Received.
 */
export function deliveryHeaders(
  trace: TraceInfo,
  envelopeSender: string,
  recipient: string,
  date = new Date(),
): Buffer {
  return Buffer.from(
    `Return-Path: <${clean(envelopeSender)}>\r\n` +
      `Delivered-To: ${clean(recipient)}\r\n` +
      receivedHeader(trace, recipient, date),
    'utf8',
  );
}
