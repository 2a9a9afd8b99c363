// The API types the web app uses are generated from the API's checked-in SDL; this fails when
// apps/api/schema.graphql changed and src/api/schema-types.ts was not generated again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../scripts/generate-api-types.mjs', import.meta.url));

test('src/api/schema-types.ts is generated from apps/api/schema.graphql', () => {
  const run = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  assert.equal(
    run.status,
    0,
    run.stderr || 'src/api/schema-types.ts is stale: run npm run generate -w apps/web',
  );
});

test('the generated types name the change feed as the API defines it', () => {
  const run = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { generateApiTypes } from ${JSON.stringify(script)};
       process.stdout.write(generateApiTypes(
         'type Query { a(x: Int!, y: [String]): Thing } ' +
         '"A thing." type Thing { id: ID! when: DateTime kind: Kind! } enum Kind { ONE TWO } scalar DateTime'));`,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /export type Kind = 'ONE' \| 'TWO';/);
  assert.match(
    run.stdout,
    /\/\*\* A thing\. \*\/\nexport interface Thing \{\n {2}id: Scalars\['ID'\];\n {2}when\?: Maybe<Scalars\['DateTime'\]>;\n {2}kind: Kind;\n\}/,
  );
  assert.match(
    run.stdout,
    /export interface QueryAArgs \{\n {2}x: Scalars\['Int'\];\n {2}y\?: Maybe<Array<Maybe<Scalars\['String'\]>>>;\n\}/,
  );
  assert.match(run.stdout, /DateTime: string;/);
});
