// ManageSieve's backend on the store: scripts in the sieveScripts collection (one user sees only
// their own: every query carries the signed-in user's id), syntax checked by @wildduck/sieve,
// sign-in through the same signIn (and its failure limits) as IMAP and SMTP.
import { ObjectId, type Db } from 'mongodb';
import {
  SIEVE_SCRIPT_LIMITS,
  StoreError,
  type LockManager,
  activateSieveScript,
  deleteSieveScript,
  getSieveScript,
  listSieveScripts,
  putSieveScript,
  renameSieveScript,
  sieveScriptNameProblem,
  sieveSpaceAvailable,
} from '@wildduck/store';
import { signIn, type SignInLimiters } from '@wildduck/mail-service';
import { parseSieve } from '@wildduck/sieve';
import {
  ManageSieveError,
  type ManageSieveBackend,
  type SieveAuthResult,
  type SieveCheckResult,
  type SieveScriptSummary,
  type SieveUser,
} from '@wildduck/managesieve';

export interface StoreSieveBackendOptions {
  db: Db;
  limiters: SignInLimiters;
  /** The user lock: a script change moves the user's filters stamp, which must not race a delivery's storage counter. */
  locks?: LockManager;
}

const tooBig = () =>
  new ManageSieveError(
    'QUOTA/MAXSIZE',
    `The script is too large (at most ${SIEVE_SCRIPT_LIMITS.maxScriptBytes} bytes)`,
  );
const tooMany = () =>
  new ManageSieveError(
    'QUOTA/MAXSCRIPTS',
    `Too many scripts (at most ${SIEVE_SCRIPT_LIMITS.maxScripts}); delete one first`,
  );

export class StoreSieveBackend implements ManageSieveBackend {
  constructor(private readonly options: StoreSieveBackendOptions) {}

  private get db(): Db {
    return this.options.db;
  }

  async authenticate(username: string, password: string, remoteAddress: string): Promise<SieveAuthResult> {
    const outcome = await signIn(this.db, this.options.limiters, username, password, remoteAddress, {
      protocol: 'managesieve',
    });
    if (outcome.ok)
      return { ok: true, user: { id: outcome.user._id.toHexString(), username: outcome.user.address } };
    // the hint (two-factor on: "use an app password") comes only when the password itself was right
    const hint = 'hint' in outcome ? outcome.hint : undefined;
    return { ok: false, rateLimited: outcome.rateLimited, ...(hint ? { message: hint } : {}) };
  }

  async listScripts(user: SieveUser): Promise<SieveScriptSummary[]> {
    const scripts = await listSieveScripts(this.db, userId(user));
    return scripts.map((script) => ({ name: script.name, active: script.active }));
  }

  async getScript(user: SieveUser, name: string): Promise<string | null> {
    return (await getSieveScript(this.db, userId(user), name))?.content ?? null;
  }

  checkScript(_user: SieveUser, content: string): SieveCheckResult {
    const parsed = parseSieve(content);
    // SieveError's message names the place: "line 3, column 7: unknown command ..."
    return parsed.ok ? { ok: true } : { ok: false, errors: parsed.errors.map((error) => error.message) };
  }

  async putScript(user: SieveUser, name: string, content: string): Promise<void> {
    try {
      await putSieveScript(this.db, userId(user), name, content, this.options.locks);
    } catch (error) {
      if (isStoreError(error, 'SIEVE_QUOTA'))
        throw Buffer.byteLength(content, 'utf8') > SIEVE_SCRIPT_LIMITS.maxScriptBytes ? tooBig() : tooMany();
      throw translate(error);
    }
  }

  async setActive(user: SieveUser, name: string | null): Promise<void> {
    await activateSieveScript(this.db, userId(user), name, this.options.locks).catch((error: unknown) => {
      throw translate(error);
    });
  }

  async deleteScript(user: SieveUser, name: string): Promise<void> {
    await deleteSieveScript(this.db, userId(user), name, this.options.locks).catch((error: unknown) => {
      throw translate(error);
    });
  }

  async renameScript(user: SieveUser, name: string, newName: string): Promise<void> {
    await renameSieveScript(this.db, userId(user), name, newName, this.options.locks).catch(
      (error: unknown) => {
        throw translate(error);
      },
    );
  }

  async haveSpace(user: SieveUser, name: string, size: number): Promise<void> {
    const problem = sieveScriptNameProblem(name);
    if (problem) throw new ManageSieveError(null, problem);
    if (size > SIEVE_SCRIPT_LIMITS.maxScriptBytes) throw tooBig();
    if (!(await sieveSpaceAvailable(this.db, userId(user), name, size))) throw tooMany();
  }
}

function userId(user: SieveUser): ObjectId {
  return new ObjectId(user.id);
}

function isStoreError(error: unknown, code: string): error is StoreError {
  return error instanceof StoreError && error.code === code;
}

/** The store's refusals as the response codes of RFC 5804; anything else stays a failure. */
function translate(error: unknown): unknown {
  if (!(error instanceof StoreError)) return error;
  switch (error.code) {
    case 'NOT_FOUND':
      return new ManageSieveError('NONEXISTENT', 'There is no script of that name');
    case 'ACTIVE':
      return new ManageSieveError('ACTIVE', 'The active script cannot be deleted; deactivate it first');
    case 'ALREADY_EXISTS':
      return new ManageSieveError('ALREADYEXISTS', 'A script of that name already exists');
    case 'INVALID_NAME':
      return new ManageSieveError(null, error.message);
    case 'SIEVE_QUOTA':
      return tooMany();
    default:
      return error;
  }
}
