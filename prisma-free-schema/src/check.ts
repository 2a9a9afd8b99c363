import type { Db } from 'mongodb';
import { collections as allCollections } from './collections/index.js';
import type { CollectionSpec } from './types.js';

/**
 * What of the schema the database lacks: `<collection>` for a missing collection and
 * `<collection>.<index>` for a missing index or one with another key or uniqueness. Empty when the
 * schema is applied. Read-only (for readiness checks); a TTL that the server could not set
 * (FerretDB) does not count as missing, since `applySchema` falls back to an index without it.
 */
export async function missingSchema(
  db: Db,
  specs: readonly CollectionSpec[] = allCollections,
): Promise<string[]> {
  const existing = new Set(
    (await db.listCollections({}, { nameOnly: true }).toArray()).map((info) => info.name),
  );
  const missing: string[] = [];
  for (const spec of specs) {
    if (!existing.has(spec.name)) {
      missing.push(spec.name);
      continue;
    }
    const current = await db.collection(spec.name).listIndexes().toArray();
    for (const index of spec.indexes) {
      const found = current.find((candidate) => candidate.name === index.name);
      if (
        !found ||
        JSON.stringify(found.key) !== JSON.stringify(index.key) ||
        Boolean(found.unique) !== Boolean(index.unique)
      )
        missing.push(`${spec.name}.${index.name}`);
    }
  }
  return missing;
}
