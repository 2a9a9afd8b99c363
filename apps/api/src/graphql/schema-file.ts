import { fileURLToPath } from 'node:url';
import { printSdl } from './build-schema.js';

/** apps/api/schema.graphql (from src/graphql or dist/graphql alike). */
export const SCHEMA_FILE = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

/**
 * The text of apps/api/schema.graphql: printSdl() as Prettier formats it, so a Prettier run over
 * the tree leaves the file alone. (Prettier is a tool of the repository, loaded only here.)
 */
export async function schemaFileText(): Promise<string> {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(SCHEMA_FILE)) ?? {};
  return prettier.format(printSdl(), { ...options, filepath: SCHEMA_FILE });
}
