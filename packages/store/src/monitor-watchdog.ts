import type { MongoClient } from 'mongodb';

/**
 * A check still running after this long on a socket that is already destroyed is stuck (a check on
 * a live socket is never touched, whatever its length).
 */
const STUCK_AFTER_MS = 2_000;
const LOOK_EVERY_MS = 1_000;

/**
 * Keeps the driver's server monitor from hanging for good after the store's connections are cut.
 *
 * The driver (mongodb 6.22 and 7.9 alike) can start a server check on its monitoring connection in
 * the same tick as that connection's socket is destroyed: the check's write returns false and
 * waits for a 'drain' that a destroyed socket never emits, no timeout covers that wait, and the
 * monitor stays "checking" forever. The server then stays Unknown and every operation fails
 * server selection, while the store itself answers new connections. Seen by the soak
 * (`npm run soak`) and pinned by test/monitor-watchdog.test.ts.
 *
 * The watchdog follows the public heartbeat events; a check that started more than 2 s ago and
 * has not ended, on a monitoring socket that is destroyed, gets the 'drain' it waits for, so the
 * check goes on, fails as a closed connection, and the monitor starts over. It reaches into the
 * driver's internals for that one socket and does nothing when they are not shaped as expected.
 */
export function watchServerMonitors(client: MongoClient): () => void {
  const checksStarted = new Map<string, number>();
  const started = (event: { connectionId: string }) => checksStarted.set(event.connectionId, Date.now());
  const ended = (event: { connectionId: string }) => checksStarted.delete(event.connectionId);
  client.on('serverHeartbeatStarted', started);
  client.on('serverHeartbeatSucceeded', ended);
  client.on('serverHeartbeatFailed', ended);
  const timer = setInterval(() => {
    for (const [address, since] of checksStarted) {
      if (Date.now() - since < STUCK_AFTER_MS) continue;
      const socket = monitoringSocket(client, address);
      if (socket?.destroyed) socket.emit('drain');
    }
  }, LOOK_EVERY_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    client.off('serverHeartbeatStarted', started);
    client.off('serverHeartbeatSucceeded', ended);
    client.off('serverHeartbeatFailed', ended);
  };
}

interface DriverInternals {
  topology?: {
    s?: {
      servers?: Map<
        string,
        { monitor?: { connection?: { socket?: NodeJS.EventEmitter & { destroyed?: boolean } } } }
      >;
    };
  };
}

function monitoringSocket(client: MongoClient, address: string) {
  return (client as unknown as DriverInternals).topology?.s?.servers?.get(address)?.monitor?.connection
    ?.socket;
}
