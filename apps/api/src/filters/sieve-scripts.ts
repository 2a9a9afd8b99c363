/**
 * The user's Sieve scripts through the API, as ManageSieve keeps them: a script is stored only when
 * it parses, and the store's refusals (name, size, count, unknown name, the active script) come
 * back as failures naming the argument at fault.
 */
import type { ObjectId } from 'mongodb';
import { parseSieve } from '@wildduck/sieve';
import {
  SIEVE_SCRIPT_LIMITS,
  StoreError,
  activateSieveScript,
  deleteSieveScript,
  getSieveScript,
  listSieveScripts,
  putSieveScript,
  renameSieveScript,
  sieveScriptNameProblem,
  type LockManager,
  type SieveScriptDocument,
} from '@wildduck/store';
import type { Db } from 'mongodb';
import { invalidInput, notFoundFailure } from '../failures.js';

/** A mistake in a script, where it is (line and column from 1). */
export interface SieveProblem {
  line: number;
  column: number;
  message: string;
}

/** A script as the API shows it. */
export interface SieveScriptView {
  name: string;
  active: boolean;
  size: number;
  updated: Date;
  content: string;
}

/** A script that does not parse: what is wrong and where. */
export class SieveSyntaxFailure extends Error {
  override name = 'SieveSyntaxFailure';
  constructor(readonly problems: SieveProblem[]) {
    const [first] = problems;
    super(
      `The script has ${problems.length === 1 ? 'an error' : `${problems.length} errors`}: line ${first!.line}, column ${first!.column}: ${first!.message}`,
    );
  }
}

/** The problems of a script; empty when it parses and validates. */
export function checkSieve(content: string): SieveProblem[] {
  checkSize(content);
  const parsed = parseSieve(content);
  if (parsed.ok) return [];
  return parsed.errors.map((error) => ({ line: error.line, column: error.column, message: error.reason }));
}

export async function listScripts(db: Db, user: ObjectId): Promise<SieveScriptView[]> {
  return (await listSieveScripts(db, user)).map(view);
}

export async function findScript(db: Db, user: ObjectId, name: string): Promise<SieveScriptView | null> {
  const script = await getSieveScript(db, user, name);
  return script && view(script);
}

/** Stores the script after a syntax check (SieveSyntaxFailure when it fails); `activate` makes it the active one. */
export async function storeScript(
  db: Db,
  user: ObjectId,
  name: string,
  content: string,
  activate: boolean,
  locks?: LockManager,
): Promise<SieveScriptView> {
  checkName(name, 'name');
  const problems = checkSieve(content);
  if (problems.length) throw new SieveSyntaxFailure(problems);
  const stored = await storeCall(() => putSieveScript(db, user, name, content, locks), 'name');
  if (activate && !stored.active) {
    await storeCall(() => activateSieveScript(db, user, name, locks), 'name');
    return view({ ...stored, active: true });
  }
  return view(stored);
}

/** Makes `name` the active script; null: none. */
export async function activateScript(
  db: Db,
  user: ObjectId,
  name: string | null,
  locks?: LockManager,
): Promise<void> {
  await storeCall(() => activateSieveScript(db, user, name, locks), 'name');
}

export async function deleteScript(db: Db, user: ObjectId, name: string, locks?: LockManager): Promise<void> {
  await storeCall(() => deleteSieveScript(db, user, name, locks), 'name');
}

export async function renameScript(
  db: Db,
  user: ObjectId,
  name: string,
  newName: string,
  locks?: LockManager,
): Promise<SieveScriptView> {
  checkName(newName, 'newName');
  return view(await storeCall(() => renameSieveScript(db, user, name, newName, locks), 'newName'));
}

function checkName(name: string, field: string): void {
  const problem = sieveScriptNameProblem(name);
  if (problem) throw invalidInput(problem, field);
}

function checkSize(content: string): void {
  const size = Buffer.byteLength(content, 'utf8');
  if (size > SIEVE_SCRIPT_LIMITS.maxScriptBytes)
    throw invalidInput(
      `The script is ${size} bytes; at most ${SIEVE_SCRIPT_LIMITS.maxScriptBytes} bytes are allowed`,
      'content',
    );
}

/** A store call with its refusals as failures; `nameField` is the argument a name refusal is about. */
async function storeCall<T>(call: () => Promise<T>, nameField: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    switch (error.code) {
      case 'NOT_FOUND':
        throw notFoundFailure(error.message, 'name');
      case 'ACTIVE':
        throw invalidInput(error.message, 'name');
      case 'ALREADY_EXISTS':
      case 'INVALID_NAME':
        throw invalidInput(error.message, nameField);
      case 'SIEVE_QUOTA':
        // the size was checked before: only the count is left
        throw invalidInput(error.message, 'name');
      default:
        throw error;
    }
  }
}

function view(script: SieveScriptDocument): SieveScriptView {
  return {
    name: script.name,
    active: script.active,
    size: script.size,
    updated: script.updated,
    content: script.content,
  };
}
