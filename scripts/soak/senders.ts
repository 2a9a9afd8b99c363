/**
 * The soak's mail senders: an MTA handing mail over by LMTP, and users sending through
 * submission (which files the Sent copy and delivers to the local recipient). A 250 is recorded
 * as stored; a 4xx/5xx reply as refused (nothing may have been kept); a broken connection as
 * unknown (kept once, or not at all).
 */
import nodemailer from 'nodemailer';
import { newMessage } from './messages.js';
import type { Ledger, LedgerEntry } from './ledger.js';
import type { Activity } from './activity.js';
import type { SoakUser } from './imap-worker.js';
import { sleep } from './imap-worker.js';

const SENT = 'Sent Mail';

interface SmtpFailure {
  responseCode?: number;
  code?: string;
}

/** Delivers a message to a random user over LMTP, to a random instance, until stopped. */
export async function runLmtpSender(
  users: readonly SoakUser[],
  lmtpPorts: () => number[],
  ledger: Ledger,
  activity: Activity,
  stopped: () => boolean,
): Promise<void> {
  while (!stopped()) {
    const user = pick(users);
    const message = newMessage('lmtp', 'sender@outside.test', user.address);
    const entry = ledger.attempt(user.address, message.messageId, message.messageId, 'INBOX');
    const transport = nodemailer.createTransport({
      lmtp: true,
      host: '127.0.0.1',
      port: pick(lmtpPorts()),
      connectionTimeout: 10_000,
      socketTimeout: 90_000,
      greetingTimeout: 10_000,
    } as nodemailer.TransportOptions);
    await send(
      'lmtp',
      activity,
      () =>
        transport.sendMail({
          envelope: { from: 'sender@outside.test', to: [user.address] },
          raw: message.raw,
        }),
      (outcome) => settle(ledger, [[entry, 'INBOX']], outcome, 'lmtp'),
    );
    transport.close();
    await sleep(50);
  }
}

/** Sends from one user to another through submission, to a random instance, until stopped. */
export async function runSubmissionSender(
  users: readonly SoakUser[],
  submissionPorts: () => number[],
  ledger: Ledger,
  activity: Activity,
  stopped: () => boolean,
): Promise<void> {
  while (!stopped()) {
    const from = pick(users);
    const to = pick(users.filter((user) => user !== from));
    const message = newMessage('submission', from.address, to.address);
    const sent = ledger.attempt(from.address, message.messageId, message.messageId, SENT);
    const delivered = ledger.attempt(to.address, message.messageId, message.messageId, 'INBOX');
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: pick(submissionPorts()),
      secure: false,
      ignoreTLS: true,
      auth: { user: from.address, pass: from.password },
      connectionTimeout: 10_000,
      socketTimeout: 90_000,
      greetingTimeout: 10_000,
    });
    await send(
      'submission',
      activity,
      () => transport.sendMail({ envelope: { from: from.address, to: [to.address] }, raw: message.raw }),
      (outcome) =>
        settle(
          ledger,
          [
            [sent, SENT],
            [delivered, 'INBOX'],
          ],
          outcome,
          'submission',
        ),
    );
    transport.close();
    await sleep(150);
  }
}

type SendOutcome = 'stored' | 'refused' | 'unknown';

async function send(
  client: string,
  activity: Activity,
  run: () => Promise<{ accepted: unknown[]; rejected: unknown[] }>,
  after: (outcome: SendOutcome) => void,
): Promise<void> {
  const startedAt = Date.now();
  let outcome: SendOutcome;
  let label: string;
  try {
    const info = await run();
    outcome = info.accepted.length ? 'stored' : 'refused';
    label = outcome === 'stored' ? 'ok' : 'rejected';
  } catch (error) {
    const failure = error as SmtpFailure;
    // a reply code means the server answered "not taken"; no code means the answer was lost
    if (failure.responseCode && failure.responseCode >= 400) {
      outcome = 'refused';
      label = String(failure.responseCode);
    } else {
      outcome = 'unknown';
      label = 'connection';
    }
  }
  activity.record({ client, startedAt, endedAt: Date.now(), outcome: label });
  after(outcome);
}

function settle(
  ledger: Ledger,
  copies: [LedgerEntry, string][],
  outcome: SendOutcome,
  kind: 'lmtp' | 'submission',
): void {
  for (const [entry, place] of copies) {
    if (outcome === 'stored') ledger.stored(entry, place, kind);
    else if (outcome === 'refused') ledger.refused(entry);
  }
}

function pick<T>(values: readonly T[]): T {
  return values[Math.floor(Math.random() * values.length)]!;
}
