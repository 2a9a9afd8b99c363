/**
 * What the validator knows: the extensions it accepts in `require`, and the argument shapes of
 * every command and test (RFC 5228 and the extensions listed here).
 */

/** The capability strings this package accepts in `require`. */
export const SIEVE_EXTENSIONS = [
  'fileinto',
  'envelope',
  'imap4flags',
  'copy',
  'body',
  'variables',
  'reject',
  'ereject',
  'vacation',
  'mailbox',
  'relational',
  'comparator-i;ascii-numeric',
  'comparator-i;octet',
  'comparator-i;ascii-casemap',
] as const;

export type SieveExtension = (typeof SIEVE_EXTENSIONS)[number];

/** `string` is a single string (quoted or multi-line); a string list may also be a lone string. */
export type ValueKind = 'string' | 'stringList' | 'number';

export interface TagSpec {
  /** The extension that must be required before the tag may be used. */
  extension?: SieveExtension;
  /** The tag takes the argument after it as its value. */
  value?: ValueKind;
  /** At most one tag of a group per command or test (match types, address parts, …). */
  group?: string;
  /** The values the tag's string may take, lower case. */
  allowed?: readonly string[];
}

export interface CallSpec {
  extension?: SieveExtension;
  tags: Record<string, TagSpec>;
  /** The positional arguments in order. */
  positional: ValueKind[];
  /** How many of the first positional arguments may be left out (setflag's variable name). */
  optionalLeading?: number;
  /** A tag group of which exactly one tag must be given (size's :over / :under). */
  requiredGroup?: string;
  /** `one`: a single test; `list`: a parenthesised test list. */
  tests: 'none' | 'one' | 'list';
}

export interface CommandSpec extends CallSpec {
  block: boolean;
}

/** Comparators (RFC 4790) and the capability that makes each usable; null: always there. */
export const COMPARATORS: Record<string, SieveExtension | null> = {
  'i;octet': null,
  'i;ascii-casemap': null,
  'i;ascii-numeric': 'comparator-i;ascii-numeric',
};

/** RFC 5231 relational operators, the value of :count and :value. */
const RELATIONAL_OPERATORS = ['gt', 'ge', 'lt', 'le', 'eq', 'ne'];

const COMPARATOR_TAG: Record<string, TagSpec> = { comparator: { value: 'string' } };

const MATCH_TYPE_TAGS: Record<string, TagSpec> = {
  is: { group: 'match type' },
  contains: { group: 'match type' },
  matches: { group: 'match type' },
  count: { group: 'match type', extension: 'relational', value: 'string', allowed: RELATIONAL_OPERATORS },
  value: { group: 'match type', extension: 'relational', value: 'string', allowed: RELATIONAL_OPERATORS },
};

const ADDRESS_PART_TAGS: Record<string, TagSpec> = {
  all: { group: 'address part' },
  localpart: { group: 'address part' },
  domain: { group: 'address part' },
};

const MATCHING_TAGS = { ...COMPARATOR_TAG, ...MATCH_TYPE_TAGS };

const COPY_TAG: Record<string, TagSpec> = { copy: { extension: 'copy' } };
const FLAGS_TAG: Record<string, TagSpec> = { flags: { extension: 'imap4flags', value: 'stringList' } };

function action(spec: Partial<CommandSpec>): CommandSpec {
  return { tags: {}, positional: [], tests: 'none', block: false, ...spec };
}

function test(spec: Partial<CallSpec>): CallSpec {
  return { tags: {}, positional: [], tests: 'none', ...spec };
}

const FLAG_ACTION = action({
  extension: 'imap4flags',
  positional: ['string', 'stringList'],
  optionalLeading: 1,
});

export const COMMANDS: Record<string, CommandSpec> = {
  require: action({ positional: ['stringList'] }),
  if: action({ tests: 'one', block: true }),
  elsif: action({ tests: 'one', block: true }),
  else: action({ block: true }),
  stop: action({}),
  keep: action({ tags: { ...FLAGS_TAG } }),
  discard: action({}),
  redirect: action({ tags: { ...COPY_TAG }, positional: ['string'] }),
  fileinto: action({
    extension: 'fileinto',
    tags: { ...COPY_TAG, ...FLAGS_TAG, create: { extension: 'mailbox' } },
    positional: ['string'],
  }),
  reject: action({ extension: 'reject', positional: ['string'] }),
  ereject: action({ extension: 'ereject', positional: ['string'] }),
  vacation: action({
    extension: 'vacation',
    tags: {
      days: { value: 'number' },
      subject: { value: 'string' },
      from: { value: 'string' },
      addresses: { value: 'stringList' },
      mime: {},
      handle: { value: 'string' },
    },
    positional: ['string'],
  }),
  setflag: FLAG_ACTION,
  addflag: FLAG_ACTION,
  removeflag: FLAG_ACTION,
  set: action({
    extension: 'variables',
    // RFC 5229 4: two modifiers of the same precedence may not be combined.
    tags: {
      lower: { group: 'precedence 40 modifier' },
      upper: { group: 'precedence 40 modifier' },
      lowerfirst: { group: 'precedence 30 modifier' },
      upperfirst: { group: 'precedence 30 modifier' },
      quotewildcard: { group: 'precedence 20 modifier' },
      length: { group: 'precedence 10 modifier' },
    },
    positional: ['string', 'string'],
  }),
};

export const TESTS: Record<string, CallSpec> = {
  address: test({
    tags: { ...MATCHING_TAGS, ...ADDRESS_PART_TAGS },
    positional: ['stringList', 'stringList'],
  }),
  envelope: test({
    extension: 'envelope',
    tags: { ...MATCHING_TAGS, ...ADDRESS_PART_TAGS },
    positional: ['stringList', 'stringList'],
  }),
  header: test({ tags: MATCHING_TAGS, positional: ['stringList', 'stringList'] }),
  exists: test({ positional: ['stringList'] }),
  size: test({
    tags: { over: { group: 'size' }, under: { group: 'size' } },
    requiredGroup: 'size',
    positional: ['number'],
  }),
  allof: test({ tests: 'list' }),
  anyof: test({ tests: 'list' }),
  not: test({ tests: 'one' }),
  true: test({}),
  false: test({}),
  hasflag: test({
    extension: 'imap4flags',
    tags: MATCHING_TAGS,
    positional: ['stringList', 'stringList'],
    optionalLeading: 1,
  }),
  body: test({
    extension: 'body',
    tags: {
      ...MATCHING_TAGS,
      raw: { group: 'body transform' },
      content: { group: 'body transform', value: 'stringList' },
      text: { group: 'body transform' },
    },
    positional: ['stringList'],
  }),
  string: test({ extension: 'variables', tags: MATCHING_TAGS, positional: ['stringList', 'stringList'] }),
  mailboxexists: test({ extension: 'mailbox', positional: ['stringList'] }),
};
