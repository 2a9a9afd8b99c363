import type { Logger } from 'pino';
import type { SMTPServer } from 'smtp-server';

/** How many connections an LMTP, SMTP or submission listener serves at once. */
export interface ConnectionLimits {
  /** In total on the listener; one more is answered `421` and closed. */
  maxConnections: number;
  /** From one client address (after the PROXY protocol); 0: no limit of its own. */
  maxConnectionsPerAddress: number;
}

/** Reply to a connection over the per-address limit; `421` tells an MTA to try again later. */
export const TOO_MANY_FROM_ADDRESS = 'Too many connections from your address, try again later';

/**
 * Limits the connections of an smtp-server listener. The total is smtp-server's own `maxClients`
 * (it answers `421 <name> Too many connected clients` before the greeting). The per-address
 * count is kept around `onConnect`, which sees the client's address (after the PROXY protocol):
 * over the limit the connection is refused with `421` instead of the greeting. A connection is
 * counted when it is let in and uncounted at its `onClose`, once; one refused (by either limit)
 * or gone before `onConnect` was never counted. Call before `listen`.
 */
export function limitConnections(server: SMTPServer, limits: ConnectionLimits, logger: Logger): SMTPServer {
  // smtp-server reads it on every new connection
  server.options.maxClients = limits.maxConnections;
  if (!limits.maxConnectionsPerAddress) return server;
  const perAddress = new Map<string, number>();
  const admitted = new Map<string, string>();

  const onConnect = server.onConnect.bind(server);
  server.onConnect = (session, callback) => {
    const address = session.remoteAddress;
    const open = perAddress.get(address) ?? 0;
    if (open >= limits.maxConnectionsPerAddress) {
      logger.info({ remoteAddress: address, open }, 'connection refused: too many from one address');
      const error = Object.assign(new Error(TOO_MANY_FROM_ADDRESS), { responseCode: 421 });
      return callback(error);
    }
    perAddress.set(address, open + 1);
    admitted.set(session.id, address);
    onConnect(session, callback);
  };

  const onClose = server.onClose.bind(server);
  server.onClose = (session, callback) => {
    const address = admitted.get(session.id);
    if (address !== undefined) {
      admitted.delete(session.id);
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    }
    onClose(session, callback);
  };
  return server;
}
