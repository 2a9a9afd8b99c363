// The ManageSieve listener of the mail server (RFC 5804, port 4190 by default): STARTTLS with the
// server's certificate, sign-in through signIn, scripts in the store.
import type { Logger } from 'pino';
import type { Config } from '@wildduck/config';
import { SIEVE_SCRIPT_LIMITS, isTemporaryFailure, type LockManager } from '@wildduck/store';
import { SIEVE_EXTENSIONS } from '@wildduck/sieve';
import type { Db } from 'mongodb';
import { acceptProxyProtocol, type ProxyProtocolOptions } from '@wildduck/imap-core';
import type { SignInLimiters } from '@wildduck/mail-service';
import { ManageSieveServer } from '@wildduck/managesieve';
import type { MailRuntime } from '../runtime.js';
import type { TlsFiles } from '../tls.js';
import { proxyProtocolFor } from '../proxy-protocol.js';
import { StoreSieveBackend } from './store-backend.js';

/** Redirects a script may run at delivery: the Sieve interpreter's default (DEFAULT_MAX_REDIRECTS). */
const MAX_REDIRECTS = 5;

export interface ManageSieveSetup {
  db: Db;
  limiters: SignInLimiters;
  /** The user lock the store's writes take (see StoreSieveBackendOptions). */
  locks?: LockManager;
  tls: TlsFiles;
  allowPlaintextLogin: boolean;
  logger: Logger;
  proxyProtocol?: ProxyProtocolOptions | undefined;
}

/** The server as the mail server runs it (tests build theirs with this too). */
export function createManageSieveServer(setup: ManageSieveSetup): ManageSieveServer {
  const proxyProtocol = setup.proxyProtocol;
  return new ManageSieveServer({
    backend: new StoreSieveBackend({
      db: setup.db,
      limiters: setup.limiters,
      ...(setup.locks ? { locks: setup.locks } : {}),
    }),
    tls: setup.tls,
    allowPlaintextLogin: setup.allowPlaintextLogin,
    sieveExtensions: SIEVE_EXTENSIONS,
    maxRedirects: MAX_REDIRECTS,
    maxScriptSize: SIEVE_SCRIPT_LIMITS.maxScriptBytes,
    // the store out of reach answers NO (TRYLATER)
    isUnavailable: isTemporaryFailure,
    ...(proxyProtocol ? { prepareListener: (listener) => acceptProxyProtocol(listener, proxyProtocol) } : {}),
    logger: setup.logger.child({ protocol: 'managesieve' }),
  });
}

/** Starts ManageSieve when it is on; returns its closer (nothing when it is off). */
export async function startManageSieve(
  config: Config,
  runtime: MailRuntime,
  tls: TlsFiles,
  logger: Logger,
): Promise<(() => Promise<void>)[]> {
  if (!config.managesieve.enabled) return [];
  const server = createManageSieveServer({
    db: runtime.ctx.db,
    limiters: { user: runtime.userLimiter, address: runtime.addressLimiter, events: runtime.adminEvents },
    locks: runtime.ctx.locks,
    tls,
    allowPlaintextLogin: config.managesieve.allowPlaintextLogin,
    logger,
    proxyProtocol: proxyProtocolFor(config, logger),
  });
  await server.listen(config.managesieve.port, config.bindHost);
  logger.info(`ManageSieve listening on ${config.bindHost}:${config.managesieve.port} (STARTTLS)`);
  return [() => server.close()];
}
