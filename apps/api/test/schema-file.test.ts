import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SCHEMA_FILE, schemaFileText } from '../src/graphql/schema-file.js';

test('apps/api/schema.graphql is the SDL of the schema (clients build from it)', async () => {
  const checkedIn = readFileSync(SCHEMA_FILE, 'utf8');
  assert.ok(
    checkedIn === (await schemaFileText()),
    'apps/api/schema.graphql differs from the schema: run npm run schema -w apps/api and commit the file',
  );
});
