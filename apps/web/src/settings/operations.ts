// The GraphQL operations of the Settings screen (apps/api/src/graphql/schema/settings.ts), with
// typed wrappers. Every call goes through gql(), i.e. POST /api/graphql on this site.
import type * as Api from '@/api/schema-types';
import { gql } from '@/client/graphql';

export type AppPassword = Api.AppPassword;
export type AppPasswordScope = Api.AppPasswordScope;
export type FilterActionType = Api.FilterActionType;
export type FilterField = Api.FilterField;
export type FilterMatch = Api.FilterMatch;
export type FilterRule = Api.FilterRule;
export type FilterRuleInput = Api.FilterRuleInput;
export type FilterAction = Api.FilterAction;
export type ForwardingSettings = Api.ForwardingSettings;
export type VacationSettings = Api.VacationSettings;
export type VacationInput = Api.VacationInput;
export type SieveProblem = Api.SieveProblem;
export type SieveScript = Api.SieveScript;
export type TwoFactorSetup = Api.TwoFactorSetup;
export type TwoFactorStatus = Api.TwoFactorStatus;
export type MailSettings = Api.MailSettings;

const APP_PASSWORD_FIELDS = 'id name scopes created lastUsed lastAddress';
const VACATION_FIELDS = 'enabled subject text start end days';
const FORWARDING_FIELDS = 'enabled addresses keepCopy';
const RULE_FIELDS = 'id name enabled field match value stop actions { type mailbox address }';
const SCRIPT_FIELDS = 'name active size updated content';

// Account

export async function changePassword(currentPassword: string, newPassword: string): Promise<boolean> {
  const data = await gql<{ changePassword: boolean }>(
    `mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
      changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
    }`,
    { currentPassword, newPassword },
  );
  return data.changePassword;
}

// App passwords

export async function fetchAppPasswords(): Promise<AppPassword[]> {
  return (
    await gql<{ appPasswords: AppPassword[] }>(
      `query AppPasswords { appPasswords { ${APP_PASSWORD_FIELDS} } }`,
    )
  ).appPasswords;
}

export async function createAppPassword(
  name: string,
  scopes: AppPasswordScope[],
): Promise<{ password: string; appPassword: AppPassword }> {
  const data = await gql<{ createAppPassword: { password: string; appPassword: AppPassword } }>(
    `mutation CreateAppPassword($name: String!, $scopes: [AppPasswordScope!]) {
      createAppPassword(name: $name, scopes: $scopes) { password appPassword { ${APP_PASSWORD_FIELDS} } }
    }`,
    { name, scopes },
  );
  return data.createAppPassword;
}

export async function revokeAppPassword(id: string): Promise<boolean> {
  return (
    await gql<{ revokeAppPassword: boolean }>(
      `mutation RevokeAppPassword($id: ID!) { revokeAppPassword(id: $id) }`,
      {
        id,
      },
    )
  ).revokeAppPassword;
}

// Two-factor sign-in

export async function fetchTwoFactor(): Promise<TwoFactorStatus> {
  return (
    await gql<{ twoFactor: TwoFactorStatus }>(`query TwoFactor { twoFactor { enabled recoveryCodesLeft } }`)
  ).twoFactor;
}

export async function beginTwoFactorSetup(): Promise<TwoFactorSetup> {
  return (
    await gql<{ beginTwoFactorSetup: TwoFactorSetup }>(
      `mutation BeginTwoFactorSetup { beginTwoFactorSetup { secret otpauthUrl qrCodeSvg } }`,
    )
  ).beginTwoFactorSetup;
}

export async function confirmTwoFactor(code: string): Promise<string[]> {
  return (
    await gql<{ confirmTwoFactor: { codes: string[] } }>(
      `mutation ConfirmTwoFactor($code: String!) { confirmTwoFactor(code: $code) { codes } }`,
      { code },
    )
  ).confirmTwoFactor.codes;
}

export async function disableTwoFactor(code: string): Promise<boolean> {
  return (
    await gql<{ disableTwoFactor: boolean }>(
      `mutation DisableTwoFactor($code: String!) { disableTwoFactor(code: $code) }`,
      {
        code,
      },
    )
  ).disableTwoFactor;
}

export async function regenerateRecoveryCodes(code: string): Promise<string[]> {
  return (
    await gql<{ regenerateRecoveryCodes: { codes: string[] } }>(
      `mutation RegenerateRecoveryCodes($code: String!) { regenerateRecoveryCodes(code: $code) { codes } }`,
      { code },
    )
  ).regenerateRecoveryCodes.codes;
}

// Mail settings: filter rules, vacation, forwarding

export async function fetchMailSettings(): Promise<MailSettings> {
  return (
    await gql<{ mailSettings: MailSettings }>(
      `query MailSettings { mailSettings {
        vacation { ${VACATION_FIELDS} }
        forwarding { ${FORWARDING_FIELDS} }
        filterRules { ${RULE_FIELDS} }
        generatedSieve
        lastFilterError { at script message }
      } }`,
    )
  ).mailSettings;
}

/** Replaces every rule, in this order; answers the stored rules and the Sieve they now make. */
export async function saveFilterRules(
  rules: FilterRuleInput[],
): Promise<{ rules: FilterRule[]; generatedSieve: string }> {
  const saved = await gql<{ setFilterRules: FilterRule[] }>(
    `mutation SetFilterRules($rules: [FilterRuleInput!]!) { setFilterRules(rules: $rules) { ${RULE_FIELDS} } }`,
    { rules },
  );
  const settings = await gql<{ mailSettings: { generatedSieve: string } }>(
    `query GeneratedSieve { mailSettings { generatedSieve } }`,
  );
  return { rules: saved.setFilterRules, generatedSieve: settings.mailSettings.generatedSieve };
}

export async function setVacation(input: VacationInput): Promise<VacationSettings> {
  return (
    await gql<{ setVacation: VacationSettings }>(
      `mutation SetVacation($input: VacationInput!) { setVacation(input: $input) { ${VACATION_FIELDS} } }`,
      { input },
    )
  ).setVacation;
}

export async function setForwarding(input: Api.ForwardingInput): Promise<ForwardingSettings> {
  return (
    await gql<{ setForwarding: ForwardingSettings }>(
      `mutation SetForwarding($input: ForwardingInput!) { setForwarding(input: $input) { ${FORWARDING_FIELDS} } }`,
      { input },
    )
  ).setForwarding;
}

/** The user's mailbox paths, for the "move to" picker. */
export async function fetchMailboxPaths(): Promise<string[]> {
  const data = await gql<{ mailboxes: { path: string }[] }>(`query MailboxPaths { mailboxes { path } }`);
  return data.mailboxes.map((mailbox) => mailbox.path);
}

// Sieve scripts

export async function fetchSieveScripts(): Promise<SieveScript[]> {
  return (
    await gql<{ sieveScripts: SieveScript[] }>(`query SieveScripts { sieveScripts { ${SCRIPT_FIELDS} } }`)
  ).sieveScripts;
}

export async function checkSieve(content: string): Promise<{ ok: boolean; problems: SieveProblem[] }> {
  return (
    await gql<{ checkSieve: { ok: boolean; problems: SieveProblem[] } }>(
      `query CheckSieve($content: String!) { checkSieve(content: $content) { ok problems { line column message } } }`,
      { content },
    )
  ).checkSieve;
}

export async function putSieveScript(
  name: string,
  content: string,
  activate?: boolean,
): Promise<SieveScript> {
  return (
    await gql<{ putSieveScript: SieveScript }>(
      `mutation PutSieveScript($name: String!, $content: String!, $activate: Boolean) {
        putSieveScript(name: $name, content: $content, activate: $activate) { ${SCRIPT_FIELDS} }
      }`,
      { name, content, activate: activate ?? null },
    )
  ).putSieveScript;
}

/** Makes this script the active one; null: none is active. */
export async function activateSieveScript(name: string | null): Promise<boolean> {
  return (
    await gql<{ activateSieveScript: boolean }>(
      `mutation ActivateSieveScript($name: String) { activateSieveScript(name: $name) }`,
      { name },
    )
  ).activateSieveScript;
}

export async function deleteSieveScript(name: string): Promise<boolean> {
  return (
    await gql<{ deleteSieveScript: boolean }>(
      `mutation DeleteSieveScript($name: String!) { deleteSieveScript(name: $name) }`,
      {
        name,
      },
    )
  ).deleteSieveScript;
}

export async function renameSieveScript(name: string, newName: string): Promise<SieveScript> {
  return (
    await gql<{ renameSieveScript: SieveScript }>(
      `mutation RenameSieveScript($name: String!, $newName: String!) {
        renameSieveScript(name: $name, newName: $newName) { ${SCRIPT_FIELDS} }
      }`,
      { name, newName },
    )
  ).renameSieveScript;
}
