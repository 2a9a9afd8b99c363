import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { runReadinessChecks, type ReadinessCheck } from './readiness.js';

/** What the health endpoints report on. */
export interface HealthOptions {
  /** What /readyz checks (MongoDB, Redis, schema). */
  readiness: readonly ReadinessCheck[];
  /** Served at /metrics; without one /metrics answers 404. */
  registry?: Registry;
  /** True once the process is shutting down: /healthz and /readyz then answer 503. */
  draining?: () => boolean;
}

/** An HTTP answer: status, content type and body. */
export interface HealthAnswer {
  status: number;
  contentType: string;
  body: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const json = (status: number, value: unknown): HealthAnswer => ({
  status,
  contentType: JSON_TYPE,
  body: JSON.stringify(value),
});

/** /healthz: 200 `{"ok":true}` while the process runs, 503 `{"ok":false,"draining":true}` while it drains. */
export function livenessAnswer(options: Pick<HealthOptions, 'draining'>): HealthAnswer {
  return options.draining?.() ? json(503, { ok: false, draining: true }) : json(200, { ok: true });
}

/**
 * /readyz: 200 `{"ok":true,"checks":{...}}` when every check passes; else 503 with `failed` naming
 * the checks that did not (and `checks` saying why); 503 `draining` while shutting down.
 */
export async function readinessAnswer(options: HealthOptions): Promise<HealthAnswer> {
  if (options.draining?.()) return json(503, { ok: false, draining: true, failed: ['draining'] });
  const report = await runReadinessChecks(options.readiness);
  return json(report.ok ? 200 : 503, report.ok ? { ok: true, checks: report.checks } : report);
}

/** /metrics: Prometheus text format. */
export async function metricsAnswer(registry: Registry): Promise<HealthAnswer> {
  return { status: 200, contentType: registry.contentType, body: await registry.metrics() };
}

/** A request handler for GET /healthz, /readyz and /metrics (anything else 404, other methods 405). */
export function healthHandler(options: HealthOptions): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const answer = async (): Promise<HealthAnswer> => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'only GET' });
      if (path === '/healthz') return livenessAnswer(options);
      if (path === '/readyz') return readinessAnswer(options);
      if (path === '/metrics' && options.registry) return metricsAnswer(options.registry);
      return json(404, { error: 'not found: /healthz, /readyz, /metrics' });
    };
    answer()
      .catch((error: unknown) => json(500, { error: error instanceof Error ? error.message : String(error) }))
      .then(({ status, contentType, body }) => {
        res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      })
      .catch(() => res.destroy());
  };
}

/** A running health listener. */
export interface HealthServer {
  /** The bound port (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

/** Serves `healthHandler(options)` on host:port. */
export async function startHealthServer(
  options: HealthOptions & { port: number; host: string },
): Promise<HealthServer> {
  const server = createServer(healthHandler(options));
  // probes open a connection every few seconds; keep-alive would only hold sockets
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
