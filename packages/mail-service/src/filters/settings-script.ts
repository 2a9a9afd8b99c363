/**
 * The Sieve a user's settings are run as at delivery, before the user's active script: the form's
 * filter rules in order, then forwarding, then the vacation reply. Writing the settings as Sieve
 * means one interpreter runs everything, and the user can read exactly what will happen
 * (MailSettings.generatedSieve in the API).
 *
 * Order and its meaning:
 * - a rule's actions put flags first (imap4flags: `fileinto` files with the flags set so far, so
 *   "move and mark read" must add \Seen before filing), then file, redirect or discard;
 * - a rule with `stop` ends the run for that message: no later rule, no forwarding, no vacation
 *   and no user script (a way to leave, say, newsletters unforwarded and unanswered);
 * - forwarding redirects with `:copy` when the user keeps a copy, else a plain `redirect`, which
 *   cancels the implicit keep (a rule that filed the message somewhere still filed it);
 * - the vacation reply is written only while it is enabled and `now` is within start..end; the
 *   caller re-generates when that window opens or closes (at start, and at end, which is outside).
 *
 * Pure: no I/O, the same settings and time give the same text.
 */
import type { FilterAction, FilterRule, MailSettings } from '@wildduck/store';

/** The Sieve text of the settings at `now`; '' when nothing is set to run. */
export function settingsToSieve(settings: MailSettings, now: Date): string {
  const needs = new Set<Extension>();
  const blocks: string[] = [];

  for (const rule of settings.filterRules) {
    if (!rule.enabled) continue;
    const block = ruleBlock(rule, needs);
    if (block) blocks.push(block);
  }

  const forwarding = settings.forwarding;
  if (forwarding.enabled && forwarding.addresses.length) {
    if (forwarding.keepCopy) needs.add('copy');
    const lines = forwarding.addresses.map(
      (address) => `redirect ${forwarding.keepCopy ? ':copy ' : ''}${quote(singleLine(address))};`,
    );
    blocks.push(`# forwarding${forwarding.keepCopy ? ' (a copy is kept)' : ''}\n${lines.join('\n')}`);
  }

  if (vacationActive(settings, now)) {
    const { vacation } = settings;
    needs.add('vacation');
    const days = Math.min(30, Math.max(1, Math.round(vacation.days)));
    const subject = singleLine(vacation.subject);
    blocks.push(
      `# vacation reply\nvacation :days ${days}${subject ? ` :subject ${quote(subject)}` : ''} ${quote(crlf(vacation.text))};`,
    );
  }

  if (!blocks.length) return '';
  const required = EXTENSION_ORDER.filter((extension) => needs.has(extension));
  const head = ['# Written from the mail settings (filter rules, forwarding, vacation); change them there.'];
  if (required.length) head.push(`require [${required.map(quote).join(', ')}];`);
  return `${head.join('\n')}\n\n${blocks.join('\n\n')}\n`;
}

/** True when the vacation reply is on at `now`: enabled, start <= now < end (either may be open). */
export function vacationActive(settings: MailSettings, now: Date): boolean {
  const { vacation } = settings;
  if (!vacation.enabled) return false;
  const time = now.getTime();
  if (vacation.start && time < vacation.start.getTime()) return false;
  // the end itself is outside: at that instant delivery reloads its cached filters (user-filters.ts)
  if (vacation.end && time >= vacation.end.getTime()) return false;
  return true;
}

type Extension = 'fileinto' | 'mailbox' | 'imap4flags' | 'copy' | 'vacation';
const EXTENSION_ORDER: readonly Extension[] = ['fileinto', 'mailbox', 'imap4flags', 'copy', 'vacation'];

/** Flags go before the actions that file the message, so the message is filed with them. */
const ACTION_RANK: Record<FilterAction['type'], number> = {
  markRead: 0,
  flag: 0,
  move: 1,
  forward: 1,
  discard: 2,
};

/** `if <test> { <actions> [stop;] }` for one rule, or null when it would do nothing. */
function ruleBlock(rule: FilterRule, needs: Set<Extension>): string | null {
  const actions = [...rule.actions]
    .sort((a, b) => ACTION_RANK[a.type] - ACTION_RANK[b.type])
    .map((action) => actionLine(action, needs))
    .filter((line): line is string => line !== null);
  if (rule.stop) actions.push('stop;');
  if (!actions.length) return null;
  const title = singleLine(rule.name) || `${rule.field} ${rule.match} ${singleLine(rule.value)}`;
  return `# rule: ${title}\nif ${ruleTest(rule)} {\n${actions.map((line) => `  ${line}`).join('\n')}\n}`;
}

/**
 * The test of a rule. "contains" reads the whole header (a sender's display name as well as the
 * address); "is" on an address field compares the address alone, as people mean "from is
 * alice@example.com" whether or not the message names her.
 */
function ruleTest(rule: FilterRule): string {
  const value = quote(singleLine(rule.value));
  const header = quote(rule.field);
  if (rule.field !== 'subject' && rule.match === 'is') return `address :all :is ${header} ${value}`;
  return `header :${rule.match} ${header} ${value}`;
}

function actionLine(action: FilterAction, needs: Set<Extension>): string | null {
  switch (action.type) {
    case 'move':
      if (!action.mailbox) return null;
      needs.add('fileinto').add('mailbox');
      return `fileinto :create ${quote(singleLine(action.mailbox))};`;
    case 'markRead':
      needs.add('imap4flags');
      return `addflag ${quote('\\Seen')};`;
    case 'flag':
      needs.add('imap4flags');
      return `addflag ${quote('\\Flagged')};`;
    case 'forward':
      if (!action.address) return null;
      needs.add('copy');
      return `redirect :copy ${quote(singleLine(action.address))};`;
    case 'discard':
      return 'discard;';
  }
}

/** A Sieve quoted string (RFC 5228 2.4.2): backslash and double quote escaped, the rest as is. */
export function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

/** A value that must be one line (a header value, subject, address, mailbox): breaks become spaces. */
function singleLine(text: string): string {
  return text.replace(/\r\n|[\r\n]/g, ' ');
}

/** Line breaks as CRLF, as a Sieve string with breaks is defined and a reply body is sent. */
function crlf(text: string): string {
  return text.replace(/\r\n|[\r\n]/g, '\r\n');
}
