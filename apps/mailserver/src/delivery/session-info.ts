import type { Logger } from 'pino';
import type { SMTPServerSession } from 'smtp-server';
import type { TraceInfo } from '@wildduck/delivery';

/** The size the client announced with `MAIL FROM:<...> SIZE=n` (RFC 1870), or 0. */
export function declaredSize(session: SMTPServerSession): number {
  const args = session.envelope.mailFrom ? session.envelope.mailFrom.args : false;
  const size = args && typeof args.SIZE === 'string' ? Number(args.SIZE) : 0;
  return Number.isSafeInteger(size) ? size : 0;
}

/** Received: header facts of a session; `protocol` is upgraded to ...S / ...SA as RFC 3848 says. */
export function traceFor(session: SMTPServerSession, serverName: string, base: 'LMTP' | 'ESMTP'): TraceInfo {
  const suffix = (session.secure ? 'S' : '') + (base === 'ESMTP' && session.user ? 'A' : '');
  return {
    heloName: session.hostNameAppearsAs || '',
    remoteAddress: session.remoteAddress,
    clientHostname: session.clientHostname,
    serverName,
    protocol: `${base}${suffix}` as TraceInfo['protocol'],
    id: session.id,
  };
}

/**
 * smtp-server's own log lines (connections, every command at debug) go to our logger; they are
 * kept to warnings unless the process logs at debug, so a busy LMTP port does not flood the log.
 */
export function smtpLogger(logger: Logger): Logger {
  const verbose = logger.level === 'debug' || logger.level === 'trace';
  return logger.child({ component: 'smtp-server' }, { level: verbose ? logger.level : 'warn' });
}
