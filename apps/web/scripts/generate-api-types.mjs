// `npm run generate -w apps/web`: TypeScript types of the GraphQL API, from the SDL the API checks
// in (apps/api/schema.graphql), written to src/api/schema-types.ts. Object, input and interface
// types become interfaces, enums string unions, unions type unions; DateTime is an ISO string.
// Nullable fields are optional and `Maybe<T>`, as graphql-codegen's typescript plugin writes them,
// and each field with arguments gets a `<Type><Field>Args` interface. test/api-types.test.ts fails
// when the checked-in file is stale (it runs this script with --check).
import { readFileSync, writeFileSync } from 'node:fs';
import { URL, fileURLToPath, pathToFileURL } from 'node:url';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
} from 'graphql';

export const SCHEMA_FILE = fileURLToPath(new URL('../../api/schema.graphql', import.meta.url));
export const TYPES_FILE = fileURLToPath(new URL('../src/api/schema-types.ts', import.meta.url));

/** How each scalar looks in TypeScript (a custom scalar not listed here is `unknown`). */
const SCALARS = {
  ID: 'string',
  String: 'string',
  Boolean: 'boolean',
  Int: 'number',
  Float: 'number',
  DateTime: 'string',
};

/** The TypeScript source of the types of an SDL document. */
export function generateApiTypes(sdl) {
  const schema = buildSchema(sdl);
  const out = [
    '// Generated from apps/api/schema.graphql by scripts/generate-api-types.mjs: do not edit.',
    '// Run `npm run generate -w apps/web` after `npm run schema -w apps/api`.',
    '',
    '/** A nullable GraphQL value. */',
    'export type Maybe<T> = T | null;',
    '',
    '/** The scalars of the API as TypeScript sees them (DateTime: ISO 8601 text). */',
    'export interface Scalars {',
    ...Object.entries(SCALARS).map(([name, type]) => `  ${name}: ${type};`),
    '}',
  ];
  const types = Object.values(schema.getTypeMap())
    .filter((type) => !type.name.startsWith('__'))
    .sort((a, b) => a.name.localeCompare(b.name, 'en'));
  for (const type of types) {
    if (isScalarType(type)) {
      if (!(type.name in SCALARS)) {
        out.push('', ...doc(type.description, ''), `export type ${type.name} = unknown;`);
      }
      continue;
    }
    out.push('');
    out.push(...doc(type.description, ''));
    if (isEnumType(type)) {
      const values = type.getValues().map((value) => `'${value.name}'`);
      out.push(`export type ${type.name} = ${values.join(' | ') || 'never'};`);
    } else if (isUnionType(type)) {
      const members = type.getTypes().map((member) => member.name);
      out.push(`export type ${type.name} = ${members.join(' | ') || 'never'};`);
    } else if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      const input = isInputObjectType(type);
      const fields = Object.values(type.getFields());
      const parents = input ? [] : type.getInterfaces().map((parent) => parent.name);
      out.push(`export interface ${type.name}${parents.length ? ` extends ${parents.join(', ')}` : ''} {`);
      for (const field of fields) {
        out.push(...doc(field.description ?? field.deprecationReason, '  '));
        out.push(`  ${field.name}${optional(field.type)}: ${typeOf(field.type)};`);
      }
      out.push('}');
      if (!input) {
        for (const field of fields) {
          if (!field.args?.length) continue;
          out.push('');
          out.push(`/** Arguments of ${type.name}.${field.name}. */`);
          out.push(`export interface ${type.name}${capitalize(field.name)}Args {`);
          for (const arg of field.args) {
            out.push(...doc(arg.description, '  '));
            out.push(`  ${arg.name}${optional(arg.type)}: ${typeOf(arg.type)};`);
          }
          out.push('}');
        }
      }
    }
  }
  return `${out.join('\n')}\n`;
}

/** `?` when the field may be left out (nullable). */
function optional(type) {
  return isNonNullType(type) ? '' : '?';
}

function typeOf(type) {
  if (isNonNullType(type)) return bare(type.ofType);
  return `Maybe<${bare(type)}>`;
}

function bare(type) {
  if (isListType(type)) return `Array<${typeOf(type.ofType)}>`;
  if (isScalarType(type)) return type.name in SCALARS ? `Scalars['${type.name}']` : type.name;
  return type.name;
}

function capitalize(name) {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** A description as a JSDoc comment. */
function doc(text, indent) {
  if (!text) return [];
  const lines = text.replace(/\*\//g, '*\\/').split('\n');
  if (lines.length === 1) return [`${indent}/** ${lines[0]} */`];
  return [`${indent}/**`, ...lines.map((line) => `${indent} *${line ? ` ${line}` : ''}`), `${indent} */`];
}

/** The file as written: formatted by Prettier, so a Prettier run over the tree leaves it alone. */
export async function formatApiTypes(source) {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(TYPES_FILE)) ?? {};
  return prettier.format(source, { ...options, filepath: TYPES_FILE });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const source = await formatApiTypes(generateApiTypes(readFileSync(SCHEMA_FILE, 'utf8')));
  if (process.argv.includes('--check')) {
    // exit 1 when the checked-in file is not what the SDL gives
    let current = '';
    try {
      current = readFileSync(TYPES_FILE, 'utf8');
    } catch {
      // missing: stale too
    }
    if (current !== source) {
      console.error('apps/web/src/api/schema-types.ts is stale: run npm run generate -w apps/web');
      process.exit(1);
    }
    console.log('apps/web/src/api/schema-types.ts is up to date');
  } else {
    writeFileSync(TYPES_FILE, source);
    console.log(`wrote ${TYPES_FILE}`);
  }
}
