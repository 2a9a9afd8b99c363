import type { Config } from './schema.js';

/** The database to use: the configured name, else the one in the URI's path, else "wildduck". */
export function databaseNameFor(config: Pick<Config, 'mongodb'>): string {
  if (config.mongodb.database) return config.mongodb.database;
  const uri = config.mongodb.uri;
  if (uri) {
    const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri);
    if (match?.[1]) return decodeURIComponent(match[1]);
  }
  return 'wildduck';
}
