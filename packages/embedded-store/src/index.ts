export { startEmbeddedMongo, pingMongo, type EmbeddedMongo, type EmbeddedMongoOptions } from './mongo.js';
export { ensureFerretDbBinary, FERRETDB_VERSION } from './ferretdb-binary.js';
export { resolveRedis, pingRedis, type ResolvedRedis } from './redis.js';
export { writeEnvFile, readEnvFile } from './env-file.js';
export { findFreePort, startProcess, waitUntil, type ManagedProcess } from './processes.js';
export { openTestDatabase, type TestDatabase } from './test-database.js';
export { ensureGinIndexes, GIN_INDEXED_KEYS, GIN_INDEXED_PAIRS } from './postgres-indexes.js';
export { CuttableRelay } from './cuttable-relay.js';
