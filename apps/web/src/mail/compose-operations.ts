// The GraphQL operations of rich compose and of the Identities settings: the user's identities
// (with their signatures) and suggestions of addresses the user has written to.
import { gql } from '@/client/graphql';
import type * as Api from '@/api/schema-types';
import type { Address } from '@/client/api-types';

export type Identity = Pick<Api.Identity, 'id' | 'name' | 'address' | 'signatureHtml' | 'isDefault'>;
export type IdentityInput = Api.IdentityInput;

const IDENTITY_FIELDS = 'id name address signatureHtml isDefault';

export async function fetchIdentities(): Promise<Identity[]> {
  return (await gql<{ identities: Identity[] }>(`query Identities { identities { ${IDENTITY_FIELDS} } }`))
    .identities;
}

export async function saveIdentity(id: string | null, input: IdentityInput): Promise<Identity> {
  const data = await gql<{ saveIdentity: Identity }>(
    `mutation SaveIdentity($id: ID, $input: IdentityInput!) { saveIdentity(id: $id, input: $input) { ${IDENTITY_FIELDS} } }`,
    { id, input },
  );
  return data.saveIdentity;
}

export async function deleteIdentity(id: string): Promise<boolean> {
  const data = await gql<{ deleteIdentity: boolean }>(
    `mutation DeleteIdentity($id: ID!) { deleteIdentity(id: $id) }`,
    { id },
  );
  return data.deleteIdentity;
}

export async function fetchAddressSuggestions(prefix: string, first = 8): Promise<Address[]> {
  const data = await gql<{ addressSuggestions: Address[] }>(
    `query Suggestions($prefix: String!, $first: Int) { addressSuggestions(prefix: $prefix, first: $first) { name address } }`,
    { prefix, first },
  );
  return data.addressSuggestions;
}
