/** A `$jsonSchema` document as MongoDB's validator understands it (the subset we use). */
export interface JsonSchema {
  bsonType?: BsonType | BsonType[];
  required?: string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  items?: JsonSchema;
  description?: string;
}

/** BSON type aliases accepted by `$jsonSchema` (the ones we use). */
export type BsonType =
  | 'object'
  | 'array'
  | 'string'
  | 'objectId'
  | 'bool'
  | 'date'
  | 'null'
  | 'int'
  | 'long'
  | 'double'
  | 'number'
  | 'binData';

/** One index as code: its name is its identity, so a changed key or option is migrated, not duplicated. */
export interface IndexSpec {
  name: string;
  key: Record<string, 1 | -1>;
  unique?: boolean;
  /**
   * TTL in seconds. Where the server cannot build TTL indexes (FerretDB 1.24 answers NotImplemented),
   * the index is created without it and the owning module deletes expired documents itself.
   */
  expireAfterSeconds?: number;
}

/** One collection as code: its validator and its indexes. */
export interface CollectionSpec {
  name: string;
  /** One line: what the collection holds. */
  description: string;
  validator?: JsonSchema;
  indexes: IndexSpec[];
}
