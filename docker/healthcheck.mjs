// The image's HEALTHCHECK: exits 0 when this container's process (ROLE) answers its health endpoint,
// 1 otherwise. Node only (the slim image has no curl). Checked on 127.0.0.1, which a listener bound to
// BIND_HOST=0.0.0.0 answers.
//
//   ROLE=api         GET http://127.0.0.1:$API_PORT/healthz      (8080)
//   ROLE=web         GET http://127.0.0.1:$WEB_PORT/api/health   (3000)
//   ROLE=mailserver  GET http://127.0.0.1:$HEALTH_PORT/healthz   (9025; the health listener, which
//                    also serves /readyz and /metrics; 503 while the server drains after SIGTERM).
//                    When it has no health listener (HEALTH_ENABLED=false, or the port was taken:
//                    connection refused), a TCP connect to its first enabled protocol port stands in.
/* global fetch, AbortSignal */
import { connect } from 'node:net';

const TIMEOUT_MS = 4000;
const env = process.env;
const role = env.ROLE ?? '';

/** A port from the environment, else the contract's default. */
function portOf(name, fallback) {
  const value = env[name]?.trim();
  return value && /^\d+$/.test(value) ? Number(value) : fallback;
}

/** True when an HTTP GET answers 2xx; a refused connection is reported as 'refused'. */
async function httpOk(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'manual' });
    if (response.ok) return true;
    console.error(`${url} answered ${response.status}`);
    return false;
  } catch (error) {
    if (error?.cause?.code === 'ECONNREFUSED') return 'refused';
    console.error(`${url}: ${error?.cause?.message ?? error?.message ?? String(error)}`);
    return false;
  }
}

/** True when a TCP connection to 127.0.0.1:port opens. */
function tcpOpens(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: TIMEOUT_MS });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** The first protocol port a mail server with this environment listens on. */
function firstMailPort() {
  const off = (name) => /^(false|0|no|off)$/i.test(env[name]?.trim() ?? '');
  if (!off('IMAP_ENABLED')) return portOf('IMAP_PORT', 1143);
  if (!off('LMTP_ENABLED')) return portOf('LMTP_PORT', 2424);
  if (!off('SMTP_ENABLED')) return portOf('SMTP_PORT', 2525);
  return portOf('SUBMISSION_PORT', 1587);
}

async function healthy() {
  switch (role) {
    case 'api':
      return (await httpOk(`http://127.0.0.1:${portOf('API_PORT', 8080)}/healthz`)) === true;
    case 'web':
      return (await httpOk(`http://127.0.0.1:${portOf('WEB_PORT', 3000)}/api/health`)) === true;
    case 'mailserver': {
      const answer = await httpOk(`http://127.0.0.1:${portOf('HEALTH_PORT', 9025)}/healthz`);
      if (answer !== 'refused') return answer;
      const port = firstMailPort();
      const open = await tcpOpens(port);
      if (!open) console.error(`no health listener and nothing listening on port ${port}`);
      return open;
    }
    default:
      console.error(`ROLE must be mailserver, api or web (got "${role}")`);
      return false;
  }
}

process.exit((await healthy()) ? 0 : 1);
