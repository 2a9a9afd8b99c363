import type { Logger } from 'pino';
import type { SMTPServer } from 'smtp-server';
import type { Config } from '@wildduck/config';
import { acceptProxyProtocol, trustedPeers, type ProxyProtocolOptions } from '@wildduck/imap-core';

/**
 * The PROXY protocol settings of every listener (IMAP, IMAPS, LMTP, SMTP, submission), or
 * undefined when `PROXY_PROTOCOL_FROM` is empty: then no listener reads anything ahead.
 */
export function proxyProtocolFor(config: Config, logger: Logger): ProxyProtocolOptions | undefined {
  if (!config.proxyProtocolFrom.length) return undefined;
  return {
    trusted: trustedPeers(config.proxyProtocolFrom),
    // a load balancer that does not send the header is misconfigured: say so, once per connection
    onRefused: (peer, reason) => logger.warn({ peer, reason }, 'connection from a proxy refused'),
  };
}

/**
 * smtp-server's own PROXY support (`useProxy`) knows only version 1, so the header is read on
 * its listener before smtp-server sees the connection; it then takes the client's address as the
 * socket's (Received: headers, logs, AUTH limits). Call after every 'connection' listener of
 * the server is attached (socket tuning, metrics), so they too see the client.
 */
export function acceptProxiedConnections(
  server: SMTPServer,
  options: ProxyProtocolOptions | undefined,
): SMTPServer {
  if (options) acceptProxyProtocol(server.server, options);
  return server;
}
