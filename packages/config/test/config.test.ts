import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError, databaseNameFor } from '@wildduck/config';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'wd-config-'));

test('defaults are the contract of DESIGN.md', () => {
  const cwd = emptyDir();
  const config = loadConfig({ env: {}, cwd });
  assert.equal(config.bindHost, '127.0.0.1');
  assert.equal(config.imap.port, 1143);
  assert.equal(config.imap.tlsPort, 1993);
  assert.equal(config.lmtp.port, 2424);
  assert.equal(config.smtp.port, 2525);
  assert.equal(config.submission.port, 1587);
  assert.equal(config.managesieve.port, 4190);
  assert.equal(config.managesieve.enabled, true);
  assert.equal(config.managesieve.allowPlaintextLogin, false);
  assert.equal(config.api.port, 8080);
  assert.equal(config.web.port, 3000);
  assert.equal(config.dataDir, join(cwd, 'data'));
  assert.equal(config.mongodb.uri, undefined);
  assert.equal(config.redis.url, undefined);
  assert.equal(config.api.token, undefined);
});

test('environment variables override the defaults', () => {
  const config = loadConfig({
    cwd: emptyDir(),
    env: {
      IMAP_PORT: '2143',
      API_PORT: '9090',
      BIND_HOST: '0.0.0.0',
      API_TOKEN: 'secret',
      MONGODB_URI: 'mongodb://db:27017/mail',
      IMAP_ENABLED: 'off',
    },
  });
  assert.equal(config.imap.port, 2143);
  assert.equal(config.api.port, 9090);
  assert.equal(config.bindHost, '0.0.0.0');
  assert.equal(config.api.token, 'secret');
  assert.equal(config.imap.enabled, false);
  assert.equal(databaseNameFor(config), 'mail');
});

test('an empty environment variable counts as unset', () => {
  const config = loadConfig({ cwd: emptyDir(), env: { API_TOKEN: '', MONGODB_URI: '' } });
  assert.equal(config.api.token, undefined);
  assert.equal(config.mongodb.uri, undefined);
});

test('the TOML file is read and the environment wins over it', () => {
  const cwd = emptyDir();
  writeFileSync(join(cwd, 'wd.toml'), '[imap]\nport = 3143\ntlsPort = 3993\n[api]\nport = 7070\n');
  const config = loadConfig({ cwd, env: { CONFIG_FILE: 'wd.toml', API_PORT: '7171' } });
  assert.equal(config.imap.port, 3143);
  assert.equal(config.imap.tlsPort, 3993);
  assert.equal(config.api.port, 7171);
});

test('config/local.toml is read when present', () => {
  const cwd = emptyDir();
  mkdirSync(join(cwd, 'config'));
  writeFileSync(join(cwd, 'config', 'local.toml'), 'logLevel = "debug"\n');
  assert.equal(loadConfig({ cwd, env: {} }).logLevel, 'debug');
});

test('an invalid port stops start-up with a message naming the variable and the value', () => {
  assert.throws(
    () => loadConfig({ cwd: emptyDir(), env: { IMAP_PORT: 'abc' } }),
    (error: unknown) =>
      error instanceof ConfigError &&
      /IMAP_PORT \(imap\.port\) must be a port number/.test(error.message) &&
      /"abc"/.test(error.message),
  );
  assert.throws(
    () => loadConfig({ cwd: emptyDir(), env: { LMTP_PORT: '70000' } }),
    /LMTP_PORT \(lmtp\.port\) must be a port number/,
  );
});

test('every bad setting is named in the one message', () => {
  assert.throws(
    () =>
      loadConfig({ cwd: emptyDir(), env: { SMTP_PORT: '0', LOG_LEVEL: 'loud', IMAP_ENABLED: 'perhaps' } }),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.message.includes('SMTP_PORT') &&
      error.message.includes('LOG_LEVEL (logLevel) must be one of') &&
      error.message.includes('IMAP_ENABLED (imap.enabled) must be true or false'),
  );
});

test('an unknown setting in the file is refused by name', () => {
  const cwd = emptyDir();
  writeFileSync(join(cwd, 'wd.toml'), '[imap]\nprot = 1\n');
  assert.throws(
    () => loadConfig({ cwd, env: { CONFIG_FILE: 'wd.toml' } }),
    /unknown setting imap\.prot in .*wd\.toml/,
  );
});

test('a file that is not TOML, or a missing CONFIG_FILE, is a clear error', () => {
  const cwd = emptyDir();
  writeFileSync(join(cwd, 'bad.toml'), '[imap\nport = ');
  assert.throws(() => loadConfig({ cwd, env: { CONFIG_FILE: 'bad.toml' } }), /bad\.toml is not valid TOML/);
  assert.throws(
    () => loadConfig({ cwd, env: { CONFIG_FILE: 'missing.toml' } }),
    /CONFIG_FILE names .*missing\.toml, which does not exist/,
  );
});

test('delivery settings: smarthost URL, webhooks as a comma-separated list that needs a secret', () => {
  const config = loadConfig({
    cwd: emptyDir(),
    env: {
      SMARTHOST_URL: 'smtp://relay.example.net:25',
      WEBHOOK_URLS: 'https://a.example/hook, http://127.0.0.1:9000/spam',
      WEBHOOK_SECRET: 'k',
      SERVER_NAME: 'mx.example.com',
      SUBMISSION_ALLOW_INSECURE_AUTH: 'yes',
    },
  });
  assert.equal(config.submission.smarthost, 'smtp://relay.example.net:25');
  assert.deepEqual(config.webhooks.urls, ['https://a.example/hook', 'http://127.0.0.1:9000/spam']);
  assert.equal(config.serverName, 'mx.example.com');
  assert.equal(config.submission.allowInsecureAuth, true);

  assert.throws(
    () => loadConfig({ cwd: emptyDir(), env: { SMARTHOST_URL: 'relay.example.net' } }),
    (error: unknown) =>
      error instanceof ConfigError &&
      /SMARTHOST_URL \(submission\.smarthost\) must be a URL starting with smtp:\/\/ or smtps:\/\//.test(
        error.message,
      ),
  );
  assert.throws(
    () => loadConfig({ cwd: emptyDir(), env: { WEBHOOK_URLS: 'https://a.example/hook' } }),
    (error: unknown) => error instanceof ConfigError && /WEBHOOK_SECRET/.test(error.message),
  );
});

test('health listener and shutdown grace: defaults, environment, and a bad value named', () => {
  const defaults = loadConfig({ cwd: emptyDir(), env: {} });
  assert.deepEqual(defaults.health, { enabled: true, port: 9025 });
  assert.equal(defaults.shutdownGraceMs, 20_000);
  const set = loadConfig({
    cwd: emptyDir(),
    env: { HEALTH_ENABLED: 'off', HEALTH_PORT: '19025', SHUTDOWN_GRACE_MS: '5000' },
  });
  assert.deepEqual(set.health, { enabled: false, port: 19025 });
  assert.equal(set.shutdownGraceMs, 5000);
  assert.throws(
    () => loadConfig({ cwd: emptyDir(), env: { HEALTH_PORT: '99999', SHUTDOWN_GRACE_MS: '-1' } }),
    (error: unknown) =>
      error instanceof ConfigError &&
      /HEALTH_PORT \(health\.port\) must be a port number/.test(error.message) &&
      /SHUTDOWN_GRACE_MS \(shutdownGraceMs\) must be a duration in milliseconds/.test(error.message),
  );
});

test('PROXY protocol peers: off by default, a comma-separated list of addresses and CIDR blocks, a bad entry named', () => {
  assert.deepEqual(loadConfig({ cwd: emptyDir(), env: {} }).proxyProtocolFrom, []);
  assert.deepEqual(loadConfig({ cwd: emptyDir(), env: { PROXY_PROTOCOL_FROM: '' } }).proxyProtocolFrom, []);
  const set = loadConfig({
    cwd: emptyDir(),
    env: { PROXY_PROTOCOL_FROM: '10.0.0.5, 172.16.0.0/12,fd00::/8' },
  });
  assert.deepEqual(set.proxyProtocolFrom, ['10.0.0.5', '172.16.0.0/12', 'fd00::/8']);
  for (const bad of ['haproxy', '10.0.0.0/33', '10.0.0.1/8/1', 'fd00::/129'])
    assert.throws(
      () => loadConfig({ cwd: emptyDir(), env: { PROXY_PROTOCOL_FROM: bad } }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /PROXY_PROTOCOL_FROM \(proxyProtocolFrom\) must be IP addresses or CIDR blocks/.test(error.message),
      bad,
    );
});

test('the password hash cost is RFC 9106 by default, set by PASSWORD_HASH_*, and bounded', () => {
  assert.deepEqual(loadConfig({ cwd: emptyDir(), env: {} }).passwordHash, {
    memoryKiB: 65536,
    timeCost: 3,
    parallelism: 4,
  });
  const owasp = loadConfig({
    cwd: emptyDir(),
    env: { PASSWORD_HASH_MEMORY_KIB: '19456', PASSWORD_HASH_TIME_COST: '2', PASSWORD_HASH_PARALLELISM: '1' },
  });
  assert.deepEqual(owasp.passwordHash, { memoryKiB: 19456, timeCost: 2, parallelism: 1 });
  // a cost too low to protect anything is refused by name, not quietly used
  assert.throws(
    () => loadConfig({ cwd: emptyDir(), env: { PASSWORD_HASH_MEMORY_KIB: '64' } }),
    (error: unknown) =>
      error instanceof ConfigError &&
      /PASSWORD_HASH_MEMORY_KIB/.test(error.message) &&
      /8192/.test(error.message),
  );
});

test('connection limits and IMAP timeouts have generous defaults, are set by their variables, and are bounded', () => {
  const defaults = loadConfig({ cwd: emptyDir(), env: {} });
  assert.equal(defaults.imap.maxConnections, 10_000);
  assert.equal(defaults.imap.maxConnectionsPerAddress, 2000);
  assert.equal(defaults.imap.preAuthTimeoutMs, 60_000);
  assert.equal(defaults.imap.outputStallTimeoutMs, 60_000);
  assert.equal(defaults.lmtp.maxConnections, 1000);
  assert.deepEqual([defaults.smtp.maxConnections, defaults.smtp.maxConnectionsPerAddress], [1000, 100]);
  assert.deepEqual(
    [defaults.submission.maxConnections, defaults.submission.maxConnectionsPerAddress],
    [1000, 100],
  );
  const set = loadConfig({
    cwd: emptyDir(),
    env: {
      IMAP_MAX_CONNECTIONS: '50',
      IMAP_MAX_CONNECTIONS_PER_ADDRESS: '5',
      IMAP_PREAUTH_TIMEOUT_MS: '10000',
      IMAP_OUTPUT_STALL_TIMEOUT_MS: '30000',
      LMTP_MAX_CONNECTIONS: '20',
      SMTP_MAX_CONNECTIONS: '30',
      SMTP_MAX_CONNECTIONS_PER_ADDRESS: '3',
      SUBMISSION_MAX_CONNECTIONS: '40',
      SUBMISSION_MAX_CONNECTIONS_PER_ADDRESS: '4',
    },
  });
  assert.deepEqual(
    [set.imap.maxConnections, set.imap.maxConnectionsPerAddress, set.imap.preAuthTimeoutMs],
    [50, 5, 10_000],
  );
  assert.equal(set.imap.outputStallTimeoutMs, 30_000);
  assert.equal(set.lmtp.maxConnections, 20);
  assert.deepEqual([set.smtp.maxConnections, set.smtp.maxConnectionsPerAddress], [30, 3]);
  assert.deepEqual([set.submission.maxConnections, set.submission.maxConnectionsPerAddress], [40, 4]);
  // no limit of 0 (that would refuse everyone) and no timeout too short to log in within
  for (const env of [{ IMAP_MAX_CONNECTIONS_PER_ADDRESS: '0' }, { IMAP_PREAUTH_TIMEOUT_MS: '10' }])
    assert.throws(
      () => loadConfig({ cwd: emptyDir(), env }),
      (error: unknown) => error instanceof ConfigError && error.message.includes(Object.keys(env)[0]!),
    );
});

test('ManageSieve: MANAGESIEVE_PORT, MANAGESIEVE_ENABLED, MANAGESIEVE_ALLOW_PLAINTEXT_LOGIN', () => {
  const config = loadConfig({
    cwd: emptyDir(),
    env: { MANAGESIEVE_PORT: '14190', MANAGESIEVE_ENABLED: 'off', MANAGESIEVE_ALLOW_PLAINTEXT_LOGIN: 'yes' },
  });
  assert.equal(config.managesieve.port, 14190);
  assert.equal(config.managesieve.enabled, false);
  assert.equal(config.managesieve.allowPlaintextLogin, true);
  assert.throws(
    () => loadConfig({ cwd: emptyDir(), env: { MANAGESIEVE_PORT: 'sieve' } }),
    /MANAGESIEVE_PORT \(managesieve\.port\) must be a port number/,
  );
});
