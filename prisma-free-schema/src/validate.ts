import type { BsonType, JsonSchema } from './types.js';

/**
 * Checks a document against a `$jsonSchema` validator in the application.
 * MongoDB enforces validators itself; FerretDB 1.24 does not implement them, so the store runs the
 * same schema here before every insert, and a bad document never reaches either server.
 * Returns the list of problems, empty when the document is valid.
 */
export function validateDocument(schema: JsonSchema, value: unknown, path = ''): string[] {
  const problems: string[] = [];
  const at = path || 'document';
  if (schema.bsonType !== undefined) {
    const allowed = Array.isArray(schema.bsonType) ? schema.bsonType : [schema.bsonType];
    if (!allowed.some((type) => hasBsonType(value, type))) {
      problems.push(`${at} must be of type ${allowed.join(' or ')}`);
      return problems;
    }
  }
  if (schema.enum && !schema.enum.some((option) => option === value)) {
    problems.push(`${at} must be one of ${schema.enum.map((option) => JSON.stringify(option)).join(', ')}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum)
      problems.push(`${at} must be at least ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum)
      problems.push(`${at} must be at most ${schema.maximum}`);
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength)
      problems.push(`${at} must be at least ${schema.minLength} characters long`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      problems.push(`${at} must be at most ${schema.maxLength} characters long`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value))
      problems.push(`${at} does not match ${schema.pattern}`);
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, index) =>
      problems.push(...validateDocument(schema.items!, item, `${at}[${index}]`)),
    );
  }
  if (isPlainObject(value)) {
    for (const key of schema.required ?? []) {
      if (!(key in value) || value[key] === undefined)
        problems.push(`${path ? `${path}.` : ''}${key} is required`);
    }
    for (const [key, child] of Object.entries(value)) {
      const childSchema = schema.properties?.[key];
      if (childSchema) problems.push(...validateDocument(childSchema, child, path ? `${path}.${key}` : key));
      else if (schema.additionalProperties === false && key !== '_id')
        problems.push(`${path ? `${path}.` : ''}${key} is not allowed`);
    }
  }
  return problems;
}

function hasBsonType(value: unknown, type: BsonType): boolean {
  switch (type) {
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'bool':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'date':
      return value instanceof Date;
    case 'number':
    case 'double':
      return typeof value === 'number' || bsonTypeName(value) === 'Double' || bsonTypeName(value) === 'Long';
    case 'int':
      return (typeof value === 'number' && Number.isInteger(value)) || bsonTypeName(value) === 'Int32';
    case 'long':
      return (typeof value === 'number' && Number.isInteger(value)) || bsonTypeName(value) === 'Long';
    case 'objectId':
      return bsonTypeName(value) === 'ObjectId';
    case 'binData':
      return bsonTypeName(value) === 'Binary' || value instanceof Uint8Array;
  }
}

/** The `_bsontype` tag the MongoDB driver puts on its value classes (ObjectId, Long, Double…). */
function bsonTypeName(value: unknown): string | undefined {
  return value && typeof value === 'object' ? (value as { _bsontype?: string })._bsontype : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    bsonTypeName(value) === undefined &&
    !(value instanceof Uint8Array)
  );
}
