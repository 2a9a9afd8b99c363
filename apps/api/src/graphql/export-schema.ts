/**
 * `npm run schema -w apps/api`: writes the SDL to apps/api/schema.graphql, the checked-in contract
 * that clients (the web app's generated types) are built from. test/schema-file.test.ts fails when
 * the file and the schema differ.
 */
import { writeFileSync } from 'node:fs';
import { SCHEMA_FILE, schemaFileText } from './schema-file.js';

writeFileSync(SCHEMA_FILE, await schemaFileText());
console.log(`wrote ${SCHEMA_FILE}`);
