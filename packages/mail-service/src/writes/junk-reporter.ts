import type { ObjectId } from 'mongodb';
import type { Logger } from 'pino';
import {
  junkVerdict,
  recordChanges,
  reportedMessages,
  type ReportedMessage,
  type StoreContext,
} from '@wildduck/store';
import type { ChangeBus } from '@wildduck/change-bus';
import type { WebhookEvent, WebhookOutbox } from '@wildduck/webhooks';
import { announceAccountChange } from './announce.js';

/** A mailbox as the reporter needs it. */
export interface ReportMailbox {
  _id: ObjectId;
  path: string;
  specialUse: string | null;
  uidValidity: number;
}

/** What the reporter needs. */
export interface JunkReporterOptions {
  ctx: StoreContext;
  bus: ChangeBus;
  /** The outbox SPAM and NOT_SPAM are posted from (configured webhooks); none: the change bus only. */
  webhooks?: WebhookOutbox;
  /** Base URL of the API, for the link that fetches a reported message. */
  apiUrl: string;
  logger: Logger;
}

/**
 * Turns "the user moved these messages into (or out of) Junk" into SPAM / NOT_SPAM events, on the
 * change bus (GraphQL subscribers, other instances) and to the configured webhooks (spam filters
 * that learn from users). Each event says whose message it is, where it is now, and how to fetch
 * it: by the API (`fetch.url`, with the API token) or by IMAP (`fetch.imap`).
 */
export class JunkReporter {
  constructor(private readonly options: JunkReporterOptions) {}

  /**
   * Reports a COPY or MOVE, in the background: the IMAP command that caused it never waits for
   * it, and a failure to report is logged, never answered to the client.
   */
  afterTransfer(
    user: { id: ObjectId; address: string },
    source: ReportMailbox,
    target: ReportMailbox,
    targetUids: readonly number[],
  ): void {
    const verdict = junkVerdict(source.specialUse, target.specialUse);
    if (!verdict || !targetUids.length) return;
    this.report(verdict, user, source, target, targetUids).catch((error: unknown) =>
      this.options.logger.warn({ err: error, verdict }, 'could not report a Junk move'),
    );
  }

  private async report(
    verdict: 'SPAM' | 'NOT_SPAM',
    user: { id: ObjectId; address: string },
    source: ReportMailbox,
    target: ReportMailbox,
    targetUids: readonly number[],
  ): Promise<void> {
    const messages = await reportedMessages(this.options.ctx.db, target._id, targetUids);
    // the journal entries (account entries have MODSEQ 0, so a GraphQL subscriber resuming with a
    // cursor replays the report it missed) and the webhook outbox rows are written together, before
    // anything is announced: once this step is done, a restart loses neither
    await Promise.all([
      recordChanges(
        this.options.ctx.db,
        messages.map((message) => ({
          mailbox: target._id,
          user: user.id,
          modseq: 0,
          kind: verdict,
          uid: message.uid,
          flags: null,
        })),
      ).catch((error: unknown) =>
        this.options.logger.warn({ err: error, verdict }, 'could not journal a Junk report'),
      ),
      this.options.webhooks
        ?.enqueue(messages.map((message) => this.webhookEvent(verdict, user, source, target, message)))
        .catch((error: unknown) =>
          this.options.logger.warn({ err: error, verdict }, 'could not queue the webhooks of a Junk report'),
        ),
    ]);
    // the bus event only says "look now"
    for (const message of messages) {
      await announceAccountChange(this.options, user.id, {
        kind: verdict,
        mailbox: target._id.toHexString(),
        path: target.path,
        uid: message.uid,
        message: message.id.toHexString(),
      });
    }
  }

  /** The webhook event of one reported message: whose it is, where it is now, how to fetch it. */
  private webhookEvent(
    verdict: 'SPAM' | 'NOT_SPAM',
    user: { id: ObjectId; address: string },
    source: ReportMailbox,
    target: ReportMailbox,
    message: ReportedMessage,
  ): WebhookEvent {
    const userId = user.id.toHexString();
    const messageId = message.id.toHexString();
    return {
      type: verdict,
      user: userId,
      address: user.address,
      mailbox: { id: target._id.toHexString(), path: target.path },
      from: { id: source._id.toHexString(), path: source.path },
      message: {
        id: messageId,
        uid: message.uid,
        size: message.size,
        messageId: message.messageId,
        from: message.from,
        subject: message.subject,
      },
      fetch: {
        url: `${this.options.apiUrl}/users/${userId}/messages/${messageId}/raw`,
        imap: { mailbox: target.path, uidValidity: target.uidValidity, uid: message.uid },
      },
    };
  }
}
