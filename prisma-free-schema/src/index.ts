export { applySchema, type SchemaReport } from './apply.js';
export { missingSchema } from './check.js';
export { validateDocument } from './validate.js';
export * from './collections/index.js';
export type { CollectionSpec, IndexSpec, JsonSchema, BsonType } from './types.js';
