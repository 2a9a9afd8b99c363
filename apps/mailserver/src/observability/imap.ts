import type { ImapObserver } from '@wildduck/imap-core';
import type { MailMetrics, MailProtocol } from '@wildduck/observability';

/** Counts one IMAP listener's connections and commands (`UID FETCH`, `SELECT`, …) in `metrics`. */
export function imapObserver(
  metrics: MailMetrics,
  protocol: Extract<MailProtocol, 'imap' | 'imaps'>,
): ImapObserver {
  metrics.connections.set({ protocol }, 0);
  return {
    connection: (delta) => metrics.connections.inc({ protocol }, delta),
    command: (command, ms) => {
      metrics.commands.inc({ protocol, command });
      metrics.commandDuration.observe({ protocol, command }, ms / 1000);
    },
  };
}
