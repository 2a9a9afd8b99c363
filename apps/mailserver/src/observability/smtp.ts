import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { SMTPServer, SMTPServerDataResult, SMTPServerSession } from 'smtp-server';
import { failureReason, type MailMetrics, type MailProtocol } from '@wildduck/observability';

/** One client connection of smtp-server (the class is not exported by name). */
type Connection = SMTPServer['connections'] extends Set<infer C> ? C : never;

/** After the grace period, how long a message already received may still take to be stored and answered. */
export const FINISH_STORING_MS = 5000;
/** How often the drain looks for connections that became idle. */
const SWEEP_MS = 50;

/** The reply to a client between transactions, or whose message is cut off, when the server stops. */
export const SHUTDOWN_REPLY = '4.3.2 Server shutting down; try again later';

/** A message in DATA: whether all of it has arrived, and whether the drain cut it off. */
interface Transaction {
  received: boolean;
  aborted: boolean;
}

/** An LMTP or SMTP server under watch: counted, and stoppable without losing a message. */
export interface TrackedSmtpServer {
  /**
   * Stops accepting connections and closes idle ones at once (`421 4.3.2`); a message in DATA may
   * finish and is answered as usual for up to `graceMs`. Then a message still arriving is cut off
   * (421, connection dropped; nothing of it is stored, the client retries) and one already received
   * gets `finishMs` (default FINISH_STORING_MS) more to be stored and answered (250, or 4xx with
   * nothing stored). What is left after that is dropped without a reply (the client retries).
   */
  drain(graceMs: number, finishMs?: number): Promise<void>;
}

/**
 * Wraps the handlers of an smtp-server instance (LMTP, maildrop or submission) to count
 * connections, commands (MAIL, RCPT, DATA, AUTH, with their time), deliveries and refusals by
 * reason, and to know which connections carry a message, for `drain`. Call before `listen`.
 */
export function trackSmtpServer(
  server: SMTPServer,
  protocol: MailProtocol,
  options: { metrics?: MailMetrics; logger: Logger },
): TrackedSmtpServer {
  const { metrics, logger } = options;
  const lmtp = Boolean(server.options.lmtp);
  const transactions = new WeakMap<SMTPServerSession, Transaction>();

  metrics?.connections.set({ protocol }, 0);
  server.server.on('connection', (socket: Socket) => {
    metrics?.connections.inc({ protocol });
    socket.once('close', () => metrics?.connections.dec({ protocol }));
  });

  const timed = <A extends unknown[]>(command: string, done: (...args: A) => void) => {
    const started = performance.now();
    return (...args: A) => {
      metrics?.commands.inc({ protocol, command });
      metrics?.commandDuration.observe({ protocol, command }, (performance.now() - started) / 1000);
      done(...args);
    };
  };
  const refused = (error: { responseCode?: number; message: string }, times = 1) =>
    metrics?.deliveryFailures.inc(
      { protocol, reason: failureReason(error.responseCode ?? 450, error.message) },
      times,
    );

  const onAuth = server.onAuth.bind(server);
  server.onAuth = (auth, session, callback) => onAuth(auth, session, timed('AUTH', callback));
  const onMailFrom = server.onMailFrom.bind(server);
  server.onMailFrom = (address, session, callback) => onMailFrom(address, session, timed('MAIL', callback));
  const onRcptTo = server.onRcptTo.bind(server);
  server.onRcptTo = (address, session, callback) =>
    onRcptTo(
      address,
      session,
      timed('RCPT', (error?: Error | null) => {
        if (error) refused(error);
        callback(error);
      }),
    );
  const onData = server.onData.bind(server);
  server.onData = (stream, session, callback) => {
    const transaction: Transaction = { received: false, aborted: false };
    transactions.set(session, transaction);
    stream.once('end', () => (transaction.received = true));
    const recipients = Math.max(1, session.envelope.rcptTo.length);
    onData(
      stream,
      session,
      timed('DATA', (error?: Error | null, message?: string | SMTPServerDataResult[]) => {
        if (!transaction.aborted) {
          const replies = lmtp ? recipients : 1;
          if (stream.sizeExceeded) metrics?.deliveryFailures.inc({ protocol, reason: 'too_big' }, replies);
          else if (error) refused(error, replies);
          else if (Array.isArray(message))
            for (const result of message) {
              if (result instanceof Error) refused(result);
              else metrics?.deliveries.inc({ protocol });
            }
          else metrics?.deliveries.inc({ protocol }, replies);
        }
        callback(error, message);
      }),
    );
  };

  /** Neither in a transaction's DATA nor waiting for one of our handlers: nothing to lose. */
  const idle = (connection: Connection) => !connection._dataStream && !connection._handlerPending;
  const goodbye = (connection: Connection) => connection.send(421, SHUTDOWN_REPLY, false);

  return {
    async drain(graceMs, finishMs = FINISH_STORING_MS) {
      // leave the ending to us: the library's own timeout would answer 421 to messages being stored
      server.options.closeTimeout = graceMs + finishMs + 60_000;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const sweepUntil = async (deadline: number) => {
        for (;;) {
          for (const connection of server.connections) if (idle(connection)) goodbye(connection);
          if (!server.connections.size || Date.now() >= deadline) return;
          await new Promise((resolve) => setTimeout(resolve, SWEEP_MS));
        }
      };
      await sweepUntil(Date.now() + graceMs);

      if (server.connections.size) {
        let cut = 0;
        for (const connection of server.connections) {
          const transaction = transactions.get(connection.session);
          if (transaction?.received) continue;
          // still arriving: cut off; the store keeps nothing of a message whose stream fails
          if (transaction) {
            transaction.aborted = true;
            refused(
              { responseCode: 421, message: SHUTDOWN_REPLY },
              lmtp ? connection.session.envelope.rcptTo.length : 1,
            );
          }
          cut++;
          const socket = connection._socket;
          goodbye(connection);
          setTimeout(() => socket.destroy(), 200).unref();
        }
        const storing = server.connections.size;
        logger.warn(
          { protocol, cut, storing },
          'shutdown grace over: messages still arriving were cut off (421); waiting for those being stored',
        );
        await sweepUntil(Date.now() + finishMs);
        for (const connection of server.connections) {
          logger.warn(
            { protocol, session: connection.session.id },
            'dropping a connection whose message is not stored yet',
          );
          connection._socket.destroy();
        }
      }
      // let the last replies reach the clients before the process goes
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    },
  };
}
