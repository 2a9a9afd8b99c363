/**
 * Sign-in rate: how many IMAP sessions a second the server can open when every one of them checks
 * a password (connect, greeting, LOGIN, LOGOUT), with several clients at once. A password check
 * costs tens of milliseconds of CPU by design (argon2id), so this, not the commands, bounds how
 * fast clients can reconnect after a restart.
 */
import { ImapConnection } from './imap-client.js';
import type { Target } from './environment.js';
import { percentile } from './report.js';

export interface LoginRateResult {
  clients: number;
  durationMs: number;
  sessions: number;
  perSecond: number;
  /** LOGIN alone, from sending it to its tagged OK. */
  loginP50Ms: number;
  loginP99Ms: number;
  failed: number;
}

export async function loginRate(
  target: Target,
  options: { clients: number; durationMs: number; log: (line: string) => void },
): Promise<LoginRateResult> {
  options.log(`login: ${options.clients} clients sign in and out for ${options.durationMs / 1000} s`);
  const loginTimes: number[] = [];
  let failed = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;
  await Promise.all(
    Array.from({ length: options.clients }, async (_, index) => {
      // each client signs in as a bench user of its own, so per-account limits never interfere
      const user = target.user((index % target.users) + 1);
      while (performance.now() < deadline) {
        let connection: ImapConnection | undefined;
        try {
          connection = await ImapConnection.open(target.endpoint, 30_000);
          const sent = performance.now();
          await connection.login(user, target.password);
          loginTimes.push(performance.now() - sent);
          await connection.logout();
        } catch {
          failed++;
        } finally {
          connection?.close();
        }
      }
    }),
  );
  const durationMs = performance.now() - started;
  return {
    clients: options.clients,
    durationMs,
    sessions: loginTimes.length,
    perSecond: loginTimes.length / (durationMs / 1000),
    loginP50Ms: percentile(loginTimes, 50),
    loginP99Ms: percentile(loginTimes, 99),
    failed,
  };
}
