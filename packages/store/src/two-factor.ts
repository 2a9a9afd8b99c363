import { ObjectId, type Db } from 'mongodb';
import { twoFactor as twoFactorSpec, validateDocument } from '@wildduck/schema';
import { StoreError } from './errors.js';

/**
 * A user's two-factor sign-in state. `secret` is the TOTP secret in use (base32), `pendingSecret`
 * the one of a set-up not confirmed yet; `recoveryCodes` are hashes of the codes not used yet;
 * `lastStep` is the last TOTP time step accepted (a code is never accepted twice).
 */
export interface TwoFactorDocument {
  _id: ObjectId;
  user: ObjectId;
  enabled: boolean;
  secret: string | null;
  pendingSecret: string | null;
  recoveryCodes: string[];
  lastStep: number;
  enabledAt: Date | null;
  updated: Date;
}

const twoFactorOf = (db: Db) => db.collection<TwoFactorDocument>('twoFactor');

/** The user's two-factor document, or null (never set up). */
export async function findTwoFactor(db: Db, user: ObjectId): Promise<TwoFactorDocument | null> {
  return twoFactorOf(db).findOne({ user });
}

/** Stores a pending set-up secret (two-factor stays as it was until confirmed). */
export async function savePendingTwoFactorSecret(
  db: Db,
  user: ObjectId,
  pendingSecret: string,
  now: Date,
): Promise<void> {
  const existing = await findTwoFactor(db, user);
  if (existing) {
    await twoFactorOf(db).updateOne({ _id: existing._id }, { $set: { pendingSecret, updated: now } });
    return;
  }
  const document: TwoFactorDocument = {
    _id: new ObjectId(),
    user,
    enabled: false,
    secret: null,
    pendingSecret,
    recoveryCodes: [],
    lastStep: 0,
    enabledAt: null,
    updated: now,
  };
  validate(document);
  await twoFactorOf(db).insertOne(document);
}

/**
 * Turns two-factor on with the pending secret, if it is still `pendingSecret` (a set-up restarted
 * meanwhile wins); false otherwise.
 */
export async function enableTwoFactor(
  db: Db,
  user: ObjectId,
  pendingSecret: string,
  change: { recoveryCodes: string[]; lastStep: number; now: Date },
): Promise<boolean> {
  const result = await twoFactorOf(db).updateOne(
    { user, pendingSecret },
    {
      $set: {
        enabled: true,
        secret: pendingSecret,
        pendingSecret: null,
        recoveryCodes: change.recoveryCodes,
        lastStep: change.lastStep,
        enabledAt: change.now,
        updated: change.now,
      },
    },
  );
  return result.modifiedCount === 1;
}

/**
 * Moves `lastStep` from `previous` to `step`; false when another sign-in moved it first (the code
 * was just used). Only a later step is ever written.
 */
export async function advanceTwoFactorStep(
  db: Db,
  user: ObjectId,
  previous: number,
  step: number,
): Promise<boolean> {
  if (step <= previous) return false;
  const result = await twoFactorOf(db).updateOne({ user, lastStep: previous }, { $set: { lastStep: step } });
  return result.modifiedCount === 1;
}

/** Removes one recovery code hash; false when it was not there (unknown or used already). */
export async function useRecoveryCode(db: Db, user: ObjectId, codeHash: string): Promise<boolean> {
  // `recoveryCodes: hash` is array containment, which FerretDB pushes down with `user`
  const result = await twoFactorOf(db).updateOne(
    { user, enabled: true, recoveryCodes: codeHash },
    { $pull: { recoveryCodes: codeHash } },
  );
  return result.modifiedCount === 1;
}

/** Replaces the recovery codes (the old ones stop working). */
export async function replaceRecoveryCodes(
  db: Db,
  user: ObjectId,
  codeHashes: string[],
  now: Date,
): Promise<void> {
  await twoFactorOf(db).updateOne({ user }, { $set: { recoveryCodes: codeHashes, updated: now } });
}

/** Turns two-factor off and forgets its secrets; false when it was not set up at all. */
export async function deleteTwoFactor(db: Db, user: ObjectId): Promise<boolean> {
  return (await twoFactorOf(db).deleteMany({ user })).deletedCount > 0;
}

function validate(document: TwoFactorDocument): void {
  const problems = validateDocument(twoFactorSpec.validator!, document);
  if (problems.length)
    throw new StoreError('INVALID_DOCUMENT', `Invalid two-factor document: ${problems.join('; ')}`);
}
