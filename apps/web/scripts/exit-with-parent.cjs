// Preloaded into the Next.js server by start.mjs: when the parent's IPC channel closes (the
// parent exited or was killed), shut down like on SIGTERM, so the server never outlives it.
'use strict';
/* global setTimeout */

if (typeof process.send === 'function') {
  process.on('disconnect', () => {
    process.kill(process.pid, 'SIGTERM');
    // If nothing handles SIGTERM gracefully within five seconds, leave anyway.
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
