/**
 * The names and addresses a user sends as, with their signatures (issue 18). There are no
 * aliases yet, so every identity carries the account's own address; they differ by display name
 * and signature. The list lives in the store (`identities`, one document per user); a user who
 * never had one gets the account's address as the default identity on first read. Exactly one
 * identity is the default at any time, and there is always at least one.
 */
import { ObjectId } from 'mongodb';
import {
  identitiesLock,
  MAX_IDENTITIES,
  normalizeAddress,
  readIdentities,
  writeIdentities,
  type StoredIdentity,
} from '@wildduck/store';
import { invalidInput, notFoundFailure } from '../failures.js';
import type { ApiServices } from '../services.js';
import type { MailAccount } from './mail-account.js';
import { sanitizeUserHtml } from './rich-html.js';

/** IdentityInput of the schema. */
export interface IdentityInput {
  name?: string | null;
  address: string;
  signatureHtml?: string | null;
  isDefault?: boolean | null;
}

const MAX_NAME = 200;
const MAX_SIGNATURE = 20_000;

/** The Identity the schema answers. */
export interface IdentityView {
  id: string;
  name: string | null;
  address: string;
  signatureHtml: string | null;
  isDefault: boolean;
}

function toView(identity: StoredIdentity): IdentityView {
  return {
    id: identity.id,
    name: identity.name || null,
    address: identity.address,
    signatureHtml: identity.signatureHtml || null,
    isDefault: identity.isDefault,
  };
}

function accountIdentity(user: MailAccount): StoredIdentity {
  return {
    id: new ObjectId().toHexString(),
    name: '',
    address: user.address,
    signatureHtml: '',
    isDefault: true,
    created: new Date(),
  };
}

/** The user's identities as stored, made (the account's address) when there are none. */
async function storedIdentities(services: ApiServices, user: MailAccount): Promise<StoredIdentity[]> {
  const list = await readIdentities(services.db, user.userId);
  if (list?.length) return list;
  return services.store.locks.run(identitiesLock(user.userId), async () => {
    const again = await readIdentities(services.db, user.userId);
    if (again?.length) return again;
    const made = [accountIdentity(user)];
    await writeIdentities(services.db, user.userId, made);
    return made;
  });
}

/** Changes the list under the user's lock and writes it back; answers what `change` answers. */
async function changeIdentities<T>(
  services: ApiServices,
  user: MailAccount,
  change: (list: StoredIdentity[]) => T,
): Promise<T> {
  await storedIdentities(services, user);
  return services.store.locks.run(identitiesLock(user.userId), async () => {
    const list = [...((await readIdentities(services.db, user.userId)) ?? [accountIdentity(user)])];
    const result = change(list);
    await writeIdentities(services.db, user.userId, list);
    return result;
  });
}

/** Exactly one default: `chosen` when given, else the one marked, else the oldest. */
function settleDefault(list: StoredIdentity[], chosen?: StoredIdentity): void {
  const keep = chosen ?? list.find((identity) => identity.isDefault) ?? oldest(list);
  for (const identity of list) identity.isDefault = identity === keep;
}

function oldest(list: StoredIdentity[]): StoredIdentity | undefined {
  return [...list].sort((a, b) => a.created.getTime() - b.created.getTime())[0];
}

export async function listIdentities(services: ApiServices, user: MailAccount): Promise<IdentityView[]> {
  return (await storedIdentities(services, user)).map(toView);
}

/** The identity to send as: `id`, or the default (NOT_FOUND `identityId` for an unknown id). */
export async function sendingIdentity(
  services: ApiServices,
  user: MailAccount,
  id: string | null | undefined,
): Promise<{ name: string; address: string }> {
  const list = await storedIdentities(services, user);
  const identity =
    id === null || id === undefined
      ? (list.find((entry) => entry.isDefault) ?? list[0])
      : list.find((entry) => entry.id === id);
  if (!identity) throw notFoundFailure(`No such identity: ${id ?? ''}`, 'identityId');
  // the account's address is the only one a message may be sent from, whatever was stored
  return { name: identity.name, address: user.address };
}

/** Checks an IdentityInput: the account's own address, a name on one line, a sanitised signature. */
function checkInput(
  user: MailAccount,
  input: IdentityInput,
): Omit<StoredIdentity, 'id' | 'created' | 'isDefault'> {
  const address = normalizeAddress(input.address ?? '');
  if (address !== user.address)
    throw invalidInput(
      `You can send only as your own address <${user.address}>, not "${input.address}"`,
      'input.address',
    );
  const name = (input.name ?? '').replace(/[\r\n]+/g, ' ').trim();
  if (name.length > MAX_NAME)
    throw invalidInput(`A name can have at most ${MAX_NAME} characters`, 'input.name');
  const signatureHtml = sanitizeUserHtml(input.signatureHtml ?? '').html.trim();
  if (signatureHtml.length > MAX_SIGNATURE)
    throw invalidInput(
      `A signature can have at most ${MAX_SIGNATURE} characters of HTML`,
      'input.signatureHtml',
    );
  return { name, address, signatureHtml };
}

/** Adds an identity (no id) or changes one; answers it as saved. */
export async function saveIdentity(
  services: ApiServices,
  user: MailAccount,
  id: string | null | undefined,
  input: IdentityInput,
): Promise<IdentityView> {
  const checked = checkInput(user, input);
  return changeIdentities(services, user, (list) => {
    let identity: StoredIdentity;
    if (id === null || id === undefined) {
      if (list.length >= MAX_IDENTITIES)
        throw invalidInput(`You can have at most ${MAX_IDENTITIES} identities`, 'input');
      identity = { id: new ObjectId().toHexString(), ...checked, isDefault: false, created: new Date() };
      list.push(identity);
    } else {
      const found = list.find((entry) => entry.id === id);
      if (!found) throw notFoundFailure(`No such identity: ${id}`, 'id');
      identity = Object.assign(found, checked);
    }
    if (input.isDefault === true) settleDefault(list, identity);
    else if (input.isDefault === false && identity.isDefault && list.length > 1) {
      // the default is given up: the oldest other identity takes it
      settleDefault(list, oldest(list.filter((entry) => entry !== identity)));
    } else settleDefault(list);
    return toView(identity);
  });
}

/** Deletes an identity; the last cannot be deleted, and the oldest left becomes the default. */
export async function deleteIdentity(services: ApiServices, user: MailAccount, id: string): Promise<boolean> {
  return changeIdentities(services, user, (list) => {
    const index = list.findIndex((entry) => entry.id === id);
    if (index < 0) throw notFoundFailure(`No such identity: ${id}`, 'id');
    if (list.length === 1) throw invalidInput('Your last identity cannot be deleted', 'id');
    const [removed] = list.splice(index, 1);
    settleDefault(list, removed?.isDefault ? oldest(list) : undefined);
    return true;
  });
}
