/**
 * The environment variables of the contract (shared/DESIGN.md) and the setting each one sets,
 * written as a dotted path into the configuration object.
 */
export const environmentVariables: Readonly<Record<string, string>> = {
  BIND_HOST: 'bindHost',
  PROXY_PROTOCOL_FROM: 'proxyProtocolFrom',
  DATA_DIR: 'dataDir',
  LOG_LEVEL: 'logLevel',
  IMAP_PORT: 'imap.port',
  IMAPS_PORT: 'imap.tlsPort',
  IMAP_ENABLED: 'imap.enabled',
  IMAP_ALLOW_PLAINTEXT_LOGIN: 'imap.allowPlaintextLogin',
  IMAP_MAX_CONNECTIONS: 'imap.maxConnections',
  IMAP_MAX_CONNECTIONS_PER_ADDRESS: 'imap.maxConnectionsPerAddress',
  IMAP_PREAUTH_TIMEOUT_MS: 'imap.preAuthTimeoutMs',
  IMAP_OUTPUT_STALL_TIMEOUT_MS: 'imap.outputStallTimeoutMs',
  LMTP_PORT: 'lmtp.port',
  LMTP_ENABLED: 'lmtp.enabled',
  LMTP_MAX_CONNECTIONS: 'lmtp.maxConnections',
  SMTP_PORT: 'smtp.port',
  SMTP_ENABLED: 'smtp.enabled',
  SMTP_MAX_CONNECTIONS: 'smtp.maxConnections',
  SMTP_MAX_CONNECTIONS_PER_ADDRESS: 'smtp.maxConnectionsPerAddress',
  MANAGESIEVE_PORT: 'managesieve.port',
  MANAGESIEVE_ENABLED: 'managesieve.enabled',
  MANAGESIEVE_ALLOW_PLAINTEXT_LOGIN: 'managesieve.allowPlaintextLogin',
  SUBMISSION_PORT: 'submission.port',
  SUBMISSION_ENABLED: 'submission.enabled',
  SMARTHOST_URL: 'submission.smarthost',
  SUBMISSION_ALLOW_INSECURE_AUTH: 'submission.allowInsecureAuth',
  SUBMISSION_MAX_CONNECTIONS: 'submission.maxConnections',
  SUBMISSION_MAX_CONNECTIONS_PER_ADDRESS: 'submission.maxConnectionsPerAddress',
  SERVER_NAME: 'serverName',
  WEBHOOK_URLS: 'webhooks.urls',
  WEBHOOK_SECRET: 'webhooks.secret',
  API_PUBLIC_URL: 'api.publicUrl',
  API_PORT: 'api.port',
  API_TOKEN: 'api.token',
  WEB_PORT: 'web.port',
  MONGODB_URI: 'mongodb.uri',
  MONGODB_DB: 'mongodb.database',
  REDIS_URL: 'redis.url',
  TLS_KEY_FILE: 'tls.keyFile',
  TLS_CERT_FILE: 'tls.certFile',
  HEALTH_ENABLED: 'health.enabled',
  HEALTH_PORT: 'health.port',
  SHUTDOWN_GRACE_MS: 'shutdownGraceMs',
  PASSWORD_HASH_MEMORY_KIB: 'passwordHash.memoryKiB',
  PASSWORD_HASH_TIME_COST: 'passwordHash.timeCost',
  PASSWORD_HASH_PARALLELISM: 'passwordHash.parallelism',
};

/** The environment variable that sets a dotted setting path, for error messages. */
export function environmentVariableFor(path: string): string | undefined {
  return Object.entries(environmentVariables).find(([, setting]) => setting === path)?.[0];
}

const booleanWords: Record<string, boolean> = {
  true: true,
  '1': true,
  yes: true,
  on: true,
  false: false,
  '0': false,
  no: false,
  off: false,
};

/** Turns "true"/"off"/... into a boolean; anything else is passed through for the schema to reject. */
export function parseBooleanWord(value: string): boolean | string {
  const word = booleanWords[value.trim().toLowerCase()];
  return word ?? value;
}
