import type { Db, ObjectId } from 'mongodb';
import { sieveScripts as sieveScriptSpec, validateDocument } from '@wildduck/schema';
import { StoreError, isDuplicateKeyError } from './errors.js';
import { touchFiltersStamp } from './filters-stamp.js';
import type { LockManager } from './locks.js';

/**
 * A user's Sieve scripts (RFC 5228), as ManageSieve (RFC 5804) and the API keep them. The store does
 * not parse scripts: callers check the syntax (`@wildduck/sieve`) before `putSieveScript`.
 */
export interface SieveScriptDocument {
  _id: ObjectId;
  user: ObjectId;
  name: string;
  content: string;
  /** UTF-8 bytes */
  size: number;
  active: boolean;
  created: Date;
  updated: Date;
}

/** Per-user limits: the size of one script in UTF-8 bytes, how many scripts, a name's length (UTF-16 units). */
export const SIEVE_SCRIPT_LIMITS = { maxScriptBytes: 64 * 1024, maxScripts: 16, maxNameLength: 128 };

const scriptsOf = (db: Db) => db.collection<SieveScriptDocument>('sieveScripts');

/**
 * Why a name is refused, or null. RFC 5804 1.6: a script name is non-empty UTF-8 without control
 * characters (U+0000-U+001F, U+007F-U+009F) or line/paragraph separators (U+2028, U+2029).
 */
export function sieveScriptNameProblem(name: string): string | null {
  if (typeof name !== 'string' || name.length === 0) return 'A script name must not be empty';
  if (name.length > SIEVE_SCRIPT_LIMITS.maxNameLength)
    return `A script name must be at most ${SIEVE_SCRIPT_LIMITS.maxNameLength} characters long`;
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u.test(name))
    return 'A script name must not contain control characters';
  // a lone surrogate half has no UTF-8 form
  if (/[\ud800-\udfff]/u.test(name)) return 'A script name must be valid UTF-8';
  return null;
}

function checkName(name: string): void {
  const problem = sieveScriptNameProblem(name);
  if (problem) throw new StoreError('INVALID_NAME', problem);
}

/** The user's scripts, by name. */
export async function listSieveScripts(db: Db, user: ObjectId): Promise<SieveScriptDocument[]> {
  const scripts = await scriptsOf(db).find({ user }).toArray();
  return scripts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** One of the user's scripts by its exact name, or null. */
export async function getSieveScript(
  db: Db,
  user: ObjectId,
  name: string,
): Promise<SieveScriptDocument | null> {
  return scriptsOf(db).findOne({ user, name });
}

/** The user's active script, or null when none is active. */
export async function getActiveSieveScript(db: Db, user: ObjectId): Promise<SieveScriptDocument | null> {
  return scriptsOf(db).findOne({ user, active: true });
}

/**
 * Whether a script of `size` UTF-8 bytes could be stored under `name` now (HAVESPACE): within the
 * size limit, and either replacing a script of that name or within the count limit.
 */
export async function sieveSpaceAvailable(
  db: Db,
  user: ObjectId,
  name: string,
  size: number,
): Promise<boolean> {
  if (!Number.isFinite(size) || size < 0 || size > SIEVE_SCRIPT_LIMITS.maxScriptBytes) return false;
  if (await scriptsOf(db).findOne({ user, name })) return true;
  return (await scriptsOf(db).countDocuments({ user })) < SIEVE_SCRIPT_LIMITS.maxScripts;
}

/**
 * Creates the script or replaces the content of the script of that name (keeping whether it is
 * active). Throws StoreError 'SIEVE_QUOTA' for a script over the size limit or a new script beyond
 * the count limit, 'INVALID_NAME' for a name RFC 5804 refuses.
 */
export async function putSieveScript(
  db: Db,
  user: ObjectId,
  name: string,
  content: string,
  locks?: LockManager,
): Promise<SieveScriptDocument> {
  const stored = await putScript(db, user, name, content);
  // delivery re-reads the user's filters when this stamp moves (filters-stamp.ts)
  await touchFiltersStamp(db, user, locks);
  return stored;
}

async function putScript(
  db: Db,
  user: ObjectId,
  name: string,
  content: string,
): Promise<SieveScriptDocument> {
  checkName(name);
  if (typeof content !== 'string') throw new StoreError('INVALID_DOCUMENT', 'A script must be text');
  const size = Buffer.byteLength(content, 'utf8');
  if (size > SIEVE_SCRIPT_LIMITS.maxScriptBytes)
    throw new StoreError(
      'SIEVE_QUOTA',
      `The script is ${size} bytes; at most ${SIEVE_SCRIPT_LIMITS.maxScriptBytes} bytes are allowed`,
    );
  const now = new Date();
  const replaced = await replaceContent(db, user, name, content, size, now);
  if (replaced) return replaced;
  if ((await scriptsOf(db).countDocuments({ user })) >= SIEVE_SCRIPT_LIMITS.maxScripts) throw tooMany();
  const document: Omit<SieveScriptDocument, '_id'> = {
    user,
    name,
    content,
    size,
    active: false,
    created: now,
    updated: now,
  };
  const problems = validateDocument(sieveScriptSpec.validator!, document);
  if (problems.length)
    throw new StoreError('INVALID_DOCUMENT', `Invalid Sieve script document: ${problems.join('; ')}`);
  let inserted: SieveScriptDocument;
  try {
    const result = await scriptsOf(db).insertOne(document as SieveScriptDocument);
    inserted = { ...document, _id: result.insertedId };
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    // another writer created the name between our look and our insert: theirs is replaced by ours
    const again = await replaceContent(db, user, name, content, size, now);
    if (again) return again;
    throw error;
  }
  // two writers may both have counted below the limit: the count after inserting decides, and the
  // one that finds too many takes its own script back (nothing else changed, so nothing else to undo)
  if ((await scriptsOf(db).countDocuments({ user })) > SIEVE_SCRIPT_LIMITS.maxScripts) {
    await scriptsOf(db).deleteOne({ _id: inserted._id });
    throw tooMany();
  }
  return inserted;
}

function tooMany(): StoreError {
  return new StoreError(
    'SIEVE_QUOTA',
    `At most ${SIEVE_SCRIPT_LIMITS.maxScripts} scripts are allowed; delete one first`,
  );
}

async function replaceContent(
  db: Db,
  user: ObjectId,
  name: string,
  content: string,
  size: number,
  now: Date,
): Promise<SieveScriptDocument | null> {
  const result = await scriptsOf(db).updateOne({ user, name }, { $set: { content, size, updated: now } });
  if (result.matchedCount === 0) return null;
  return scriptsOf(db).findOne({ user, name });
}

/**
 * Makes `name` the user's one active script, or (null) leaves none active. Throws StoreError
 * 'NOT_FOUND' for an unknown name, changing nothing.
 *
 * At most one active script, also with two writers: the chosen script is set active FIRST, and only
 * then every other active script of the user is set inactive. For two scripts to stay active, each
 * would have to be activated after the other writer's clean-up, which itself follows that writer's
 * activation, a cycle that cannot happen. Two racing SETACTIVEs can at worst leave none active.
 */
export async function activateSieveScript(
  db: Db,
  user: ObjectId,
  name: string | null,
  locks?: LockManager,
): Promise<void> {
  await activateScript(db, user, name);
  await touchFiltersStamp(db, user, locks);
}

async function activateScript(db: Db, user: ObjectId, name: string | null): Promise<void> {
  const scripts = scriptsOf(db);
  if (name === null) {
    await scripts.updateMany({ user, active: true }, { $set: { active: false } });
    return;
  }
  const chosen = await scripts.findOne({ user, name });
  if (!chosen) throw new StoreError('NOT_FOUND', `There is no script named ${JSON.stringify(name)}`);
  if (!chosen.active) await scripts.updateOne({ _id: chosen._id }, { $set: { active: true } });
  await scripts.updateMany({ user, active: true, _id: { $ne: chosen._id } }, { $set: { active: false } });
}

/**
 * Deletes one of the user's scripts. Throws StoreError 'NOT_FOUND' for an unknown name, 'ACTIVE' for
 * the active script (RFC 5804 2.10: the active script cannot be deleted; deactivate it first).
 */
export async function deleteSieveScript(
  db: Db,
  user: ObjectId,
  name: string,
  locks?: LockManager,
): Promise<void> {
  // the delete itself requires `active: false`, so a SETACTIVE that slipped in after our look wins
  const result = await scriptsOf(db).deleteOne({ user, name, active: false });
  if (result.deletedCount === 1) return touchFiltersStamp(db, user, locks);
  const script = await scriptsOf(db).findOne({ user, name });
  if (!script) throw new StoreError('NOT_FOUND', `There is no script named ${JSON.stringify(name)}`);
  throw new StoreError('ACTIVE', 'The active script cannot be deleted; deactivate it first');
}

/**
 * Renames one of the user's scripts (it stays active if it was). Throws StoreError 'NOT_FOUND' for an
 * unknown name, 'ALREADY_EXISTS' when the new name is taken, 'INVALID_NAME' for a bad new name.
 */
export async function renameSieveScript(
  db: Db,
  user: ObjectId,
  name: string,
  newName: string,
  locks?: LockManager,
): Promise<SieveScriptDocument> {
  const renamed = await renameScript(db, user, name, newName);
  // failures are recorded under the script's name: delivery reloads to know the new one
  await touchFiltersStamp(db, user, locks);
  return renamed;
}

async function renameScript(
  db: Db,
  user: ObjectId,
  name: string,
  newName: string,
): Promise<SieveScriptDocument> {
  checkName(newName);
  const script = await scriptsOf(db).findOne({ user, name });
  if (!script) throw new StoreError('NOT_FOUND', `There is no script named ${JSON.stringify(name)}`);
  if (newName === name) return script;
  if (await scriptsOf(db).findOne({ user, name: newName })) throw alreadyExists(newName);
  const updated = new Date();
  try {
    // the unique index on {user, name} refuses a name another writer took meanwhile
    const result = await scriptsOf(db).updateOne({ _id: script._id }, { $set: { name: newName, updated } });
    if (result.matchedCount === 0)
      throw new StoreError('NOT_FOUND', `There is no script named ${JSON.stringify(name)}`);
  } catch (error) {
    if (isDuplicateKeyError(error)) throw alreadyExists(newName);
    throw error;
  }
  return { ...script, name: newName, updated };
}

function alreadyExists(name: string): StoreError {
  return new StoreError('ALREADY_EXISTS', `A script named ${JSON.stringify(name)} already exists`);
}
