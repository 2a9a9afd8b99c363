/**
 * The mail settings as clients send them (GraphQL VacationInput, ForwardingInput,
 * FilterRuleInput), checked and turned into what the store keeps. Every refusal is an
 * invalidInput naming the field at fault (`input.days`, `rules[2].actions[0].mailbox`), and a
 * refused input changes nothing: the callers store only what came back from here.
 */
import {
  MAIL_SETTINGS_LIMITS as LIMITS,
  normalizeAddress,
  validateMailboxPath,
  type FilterAction,
  type FilterActionType,
  type FilterField,
  type FilterMatch,
  type FilterRuleInput as StoredRuleInput,
  type ForwardingSettings,
  type VacationSettings,
} from '@wildduck/store';
import { invalidInput } from '../failures.js';

export interface VacationInput {
  enabled: boolean;
  subject?: string | null;
  text?: string | null;
  start?: Date | null;
  end?: Date | null;
  days?: number | null;
}

export interface ForwardingInput {
  enabled: boolean;
  addresses: string[];
  keepCopy: boolean;
}

export interface FilterActionInput {
  type: FilterActionType;
  mailbox?: string | null;
  address?: string | null;
}

export interface FilterRuleInput {
  id?: string | null;
  name: string;
  enabled: boolean;
  field: FilterField;
  match: FilterMatch;
  value: string;
  actions: FilterActionInput[];
  stop?: boolean | null;
}

const LINE_BREAK = /[\r\n]/;
const DEFAULT_VACATION_DAYS = 7;

/**
 * The vacation reply to store. A field left out keeps its current value; null puts it back to its
 * default (start and end: open).
 */
export function vacationFromInput(input: VacationInput, current: VacationSettings): VacationSettings {
  const pick = <Key extends keyof VacationInput>(key: Key, fallback: NonNullable<VacationInput[Key]>) =>
    input[key] === undefined ? undefined : (input[key] ?? fallback);
  const vacation: VacationSettings = {
    enabled: input.enabled,
    subject: pick('subject', '') ?? current.subject,
    text: pick('text', '') ?? current.text,
    start: input.start === undefined ? current.start : input.start,
    end: input.end === undefined ? current.end : input.end,
    days: pick('days', DEFAULT_VACATION_DAYS) ?? current.days,
  };
  if (vacation.subject.length > LIMITS.vacationSubjectLength)
    throw invalidInput(
      `The subject may have at most ${LIMITS.vacationSubjectLength} characters`,
      'input.subject',
    );
  if (LINE_BREAK.test(vacation.subject)) throw invalidInput('The subject must be one line', 'input.subject');
  if (vacation.text.length > LIMITS.vacationTextLength)
    throw invalidInput(`The text may have at most ${LIMITS.vacationTextLength} characters`, 'input.text');
  if (vacation.enabled && !vacation.text.trim())
    throw invalidInput('A vacation reply needs a text', 'input.text');
  if (
    !Number.isInteger(vacation.days) ||
    vacation.days < LIMITS.vacationDaysMin ||
    vacation.days > LIMITS.vacationDaysMax
  )
    throw invalidInput(
      `days must be a whole number from ${LIMITS.vacationDaysMin} to ${LIMITS.vacationDaysMax}`,
      'input.days',
    );
  if (vacation.start && vacation.end && vacation.end.getTime() <= vacation.start.getTime())
    throw invalidInput('The end must be after the start', 'input.end');
  return vacation;
}

/** Forwarding to store: valid addresses (lower-cased, each once), at most five, never the user's own. */
export function forwardingFromInput(input: ForwardingInput, ownAddress: string): ForwardingSettings {
  if (input.addresses.length > LIMITS.forwardingAddresses)
    throw invalidInput(`Forward to at most ${LIMITS.forwardingAddresses} addresses`, 'input.addresses');
  const addresses: string[] = [];
  input.addresses.forEach((given, index) => {
    const address = forwardAddress(given, ownAddress, `input.addresses[${index}]`);
    if (!addresses.includes(address)) addresses.push(address);
  });
  if (input.enabled && !addresses.length)
    throw invalidInput('Forwarding needs at least one address', 'input.addresses');
  return { enabled: input.enabled, addresses, keepCopy: input.keepCopy };
}

/** The rules to store, in order; ids given are kept (each at most once), the others made by the store. */
export function rulesFromInput(rules: readonly FilterRuleInput[], ownAddress: string): StoredRuleInput[] {
  if (rules.length > LIMITS.filterRules)
    throw invalidInput(`At most ${LIMITS.filterRules} rules are allowed`, 'rules');
  const ids = new Set<string>();
  return rules.map((rule, index) => {
    const at = `rules[${index}]`;
    if (rule.id !== undefined && rule.id !== null) {
      if (!rule.id || rule.id.length > 64) throw invalidInput('A rule id has 1 to 64 characters', `${at}.id`);
      if (ids.has(rule.id)) throw invalidInput('Two rules have the same id', `${at}.id`);
      ids.add(rule.id);
    }
    const name = rule.name.trim();
    if (name.length > LIMITS.filterRuleNameLength)
      throw invalidInput(
        `A rule name may have at most ${LIMITS.filterRuleNameLength} characters`,
        `${at}.name`,
      );
    if (LINE_BREAK.test(name)) throw invalidInput('A rule name must be one line', `${at}.name`);
    if (!rule.value.trim()) throw invalidInput('The value to match must not be empty', `${at}.value`);
    if (rule.value.length > LIMITS.filterValueLength)
      throw invalidInput(`The value may have at most ${LIMITS.filterValueLength} characters`, `${at}.value`);
    if (LINE_BREAK.test(rule.value)) throw invalidInput('The value must be one line', `${at}.value`);
    const stop = rule.stop ?? false;
    if (!rule.actions.length && !stop)
      throw invalidInput('A rule needs at least one action (or to stop)', `${at}.actions`);
    if (rule.actions.length > LIMITS.filterActions)
      throw invalidInput(`A rule may have at most ${LIMITS.filterActions} actions`, `${at}.actions`);
    return {
      ...(rule.id ? { id: rule.id } : {}),
      name,
      enabled: rule.enabled,
      field: rule.field,
      match: rule.match,
      value: rule.value,
      actions: rule.actions.map((action, place) =>
        actionFromInput(action, ownAddress, `${at}.actions[${place}]`),
      ),
      stop,
    };
  });
}

function actionFromInput(action: FilterActionInput, ownAddress: string, at: string): FilterAction {
  switch (action.type) {
    case 'move': {
      const mailbox = action.mailbox ?? '';
      const problem = validateMailboxPath(mailbox);
      if (problem) throw invalidInput(`Move needs a valid mailbox: ${problem}`, `${at}.mailbox`);
      return { type: 'move', mailbox };
    }
    case 'forward':
      return { type: 'forward', address: forwardAddress(action.address ?? '', ownAddress, `${at}.address`) };
    default:
      return { type: action.type };
  }
}

function forwardAddress(given: string, ownAddress: string, field: string): string {
  const address = normalizeAddress(given);
  if (!address) throw invalidInput(`Not a valid address: ${JSON.stringify(given.slice(0, 100))}`, field);
  if (address === normalizeAddress(ownAddress))
    throw invalidInput('Mail cannot be forwarded to your own address', field);
  return address;
}
