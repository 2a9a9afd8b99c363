/**
 * `npm run schema -w apps/api`: writes the SDL to apps/api/schema.graphql, the checked-in contract
 * that clients (the web app's generated types) are built from. test/schema-file.test.ts fails when
 * the file and the schema differ.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSdl } from './build-schema.js';

/** apps/api/schema.graphql (from src/graphql or dist/graphql alike). */
export const SCHEMA_FILE = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

writeFileSync(SCHEMA_FILE, printSdl());
console.log(`wrote ${SCHEMA_FILE}`);
