// Public surface of @wildduck/observability: Prometheus metrics and the health endpoints shared by
// the mail server and the API.
export {
  createRegistry,
  mailMetrics,
  countBusReconnects,
  httpMetrics,
  type HttpMetrics,
  failureReason,
  type MailMetrics,
  type MailProtocol,
  type DeliveryFailureReason,
  type ReconnectSource,
  webhookMetrics,
  type WebhookMetrics,
  type WebhookOutboxCounts,
} from './metrics.js';
export {
  runReadinessChecks,
  mongoCheck,
  schemaCheck,
  redisCheck,
  CHECK_TIMEOUT_MS,
  type ReadinessCheck,
  type ReadinessReport,
  type ClosableCheck,
} from './readiness.js';
export {
  healthHandler,
  startHealthServer,
  livenessAnswer,
  readinessAnswer,
  metricsAnswer,
  type HealthOptions,
  type HealthAnswer,
  type HealthServer,
} from './health.js';
export type { Registry } from 'prom-client';
