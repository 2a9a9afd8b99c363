export { configSchema, type Config, type ConfigInput } from './schema.js';
export { loadConfig, ConfigError, type LoadConfigOptions } from './load.js';
export { environmentVariables, environmentVariableFor } from './environment.js';
export { databaseNameFor } from './database-name.js';
