import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSdl } from '../src/graphql/build-schema.js';

const SCHEMA_FILE = fileURLToPath(new URL('../schema.graphql', import.meta.url));

test('apps/api/schema.graphql is the SDL of the schema (clients build from it)', () => {
  const checkedIn = readFileSync(SCHEMA_FILE, 'utf8');
  assert.ok(
    checkedIn === printSdl(),
    'apps/api/schema.graphql differs from the schema: run npm run schema -w apps/api and commit the file',
  );
});
