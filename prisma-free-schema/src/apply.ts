import type { Db, Document, IndexDescription } from 'mongodb';
import { collections as allCollections } from './collections/index.js';
import type { CollectionSpec, IndexSpec } from './types.js';

/** What one application of the schema changed; all lists empty means the database already matched. */
export interface SchemaReport {
  collectionsCreated: string[];
  validatorsUpdated: string[];
  indexesCreated: string[];
  indexesMigrated: string[];
  /** Features the server refused, each with the server's own error, and how we cope instead. */
  unsupported: { feature: string; error: string; fallback: string }[];
}

/** MongoDB's error code for "not implemented" (FerretDB uses it for features it lacks). */
const NOT_IMPLEMENTED = 238;
/** MongoDB's error code for "namespace exists" (a concurrent start created the collection first). */
const NAMESPACE_EXISTS = 48;

/**
 * Brings the database to the schema: creates missing collections with their validators, updates
 * validators that changed, creates missing indexes and migrates changed ones (drop, then create).
 * Safe to run at every start and from several processes at once; a second run changes nothing.
 */
export async function applySchema(
  db: Db,
  specs: readonly CollectionSpec[] = allCollections,
): Promise<SchemaReport> {
  const report: SchemaReport = {
    collectionsCreated: [],
    validatorsUpdated: [],
    indexesCreated: [],
    indexesMigrated: [],
    unsupported: [],
  };
  const existing = new Map<string, Document>();
  for (const info of await db.listCollections({}, { nameOnly: false }).toArray()) {
    existing.set(info.name, info);
  }
  for (const spec of specs) {
    await applyCollection(db, spec, existing.get(spec.name), report);
    await applyIndexes(db, spec, report);
  }
  return report;
}

async function applyCollection(
  db: Db,
  spec: CollectionSpec,
  info: Document | undefined,
  report: SchemaReport,
) {
  const validator = spec.validator ? { $jsonSchema: spec.validator } : undefined;
  if (!info) {
    try {
      await db.createCollection(spec.name, validator ? { validator } : {});
      report.collectionsCreated.push(spec.name);
    } catch (error) {
      if (isCode(error, NAMESPACE_EXISTS)) return;
      if (!validator || !isCode(error, NOT_IMPLEMENTED)) throw error;
      noteUnsupported(
        report,
        'collection validators ($jsonSchema)',
        error,
        'validateDocument() runs the same schema in the store before every insert',
      );
      try {
        await db.createCollection(spec.name);
        report.collectionsCreated.push(spec.name);
      } catch (retryError) {
        if (!isCode(retryError, NAMESPACE_EXISTS)) throw retryError;
      }
    }
    return;
  }
  if (!validator) return;
  const current = (info.options as Document | undefined)?.validator;
  if (current && sameJson(current, validator)) return;
  try {
    await db.command({ collMod: spec.name, validator });
    report.validatorsUpdated.push(spec.name);
  } catch (error) {
    if (!isCode(error, NOT_IMPLEMENTED)) throw error;
    noteUnsupported(
      report,
      'collection validators ($jsonSchema)',
      error,
      'validateDocument() runs the same schema in the store before every insert',
    );
  }
}

async function applyIndexes(db: Db, spec: CollectionSpec, report: SchemaReport) {
  const collection = db.collection(spec.name);
  const current = await collection.listIndexes().toArray();
  for (const index of spec.indexes) {
    const sameName = current.find((existing) => existing.name === index.name);
    if (sameName && indexMatches(sameName, index)) continue;
    if (sameName && onlyTtlDiffers(sameName, index) && (await changeTtl(db, spec.name, index, report)))
      continue;
    // an index with another name on the same key would make createIndex fail: it is an old version of this one
    const sameKey = current.find(
      (existing) =>
        existing.name !== '_id_' && existing.name !== index.name && sameJson(existing.key, index.key),
    );
    for (const old of [sameName, sameKey]) {
      if (old) await collection.dropIndex(old.name as string);
    }
    await createIndex(db, spec.name, index, report);
    (sameName || sameKey ? report.indexesMigrated : report.indexesCreated).push(`${spec.name}.${index.name}`);
  }
}

async function createIndex(db: Db, collectionName: string, index: IndexSpec, report: SchemaReport) {
  const description: IndexDescription = { name: index.name, key: index.key };
  if (index.unique) description.unique = true;
  if (index.expireAfterSeconds !== undefined) description.expireAfterSeconds = index.expireAfterSeconds;
  try {
    await db.collection(collectionName).createIndexes([description]);
  } catch (error) {
    if (index.expireAfterSeconds === undefined || !isCode(error, NOT_IMPLEMENTED)) throw error;
    noteUnsupported(
      report,
      'TTL indexes (expireAfterSeconds)',
      error,
      'the owning module deletes expired documents itself',
    );
    delete description.expireAfterSeconds;
    await db.collection(collectionName).createIndexes([description]);
  }
}

/** True when an existing index already is the wanted one. */
function indexMatches(existing: Document, wanted: IndexSpec): boolean {
  return (
    sameJson(existing.key, wanted.key) &&
    Boolean(existing.unique) === Boolean(wanted.unique) &&
    existing.expireAfterSeconds === wanted.expireAfterSeconds
  );
}

function onlyTtlDiffers(existing: Document, wanted: IndexSpec): boolean {
  return (
    sameJson(existing.key, wanted.key) &&
    Boolean(existing.unique) === Boolean(wanted.unique) &&
    wanted.expireAfterSeconds !== undefined
  );
}

/**
 * Sets a TTL on an existing index in place (collMod). Returns true when nothing more is to be done:
 * either it worked, or the server cannot do TTL at all (then the index stays as it is, without TTL).
 */
async function changeTtl(
  db: Db,
  collectionName: string,
  index: IndexSpec,
  report: SchemaReport,
): Promise<boolean> {
  try {
    await db.command({
      collMod: collectionName,
      index: { name: index.name, expireAfterSeconds: index.expireAfterSeconds },
    });
    report.indexesMigrated.push(`${collectionName}.${index.name}`);
    return true;
  } catch (error) {
    if (!isCode(error, NOT_IMPLEMENTED)) return false;
    noteUnsupported(
      report,
      'TTL indexes (expireAfterSeconds)',
      error,
      'the owning module deletes expired documents itself',
    );
    return true;
  }
}

function noteUnsupported(report: SchemaReport, feature: string, error: unknown, fallback: string) {
  if (report.unsupported.some((entry) => entry.feature === feature)) return;
  report.unsupported.push({ feature, error: (error as Error).message, fallback });
}

function isCode(error: unknown, code: number): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
