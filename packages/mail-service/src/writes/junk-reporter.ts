import type { ObjectId } from 'mongodb';
import type { Logger } from 'pino';
import {
  finishWrite,
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
   * Reports a COPY or MOVE: resolves once the report is stored (journal entries and webhook outbox
   * rows), so the command that caused it is answered only after that, and an acknowledged move into
   * Junk is reported even if this process dies right after (the soak saw one lost to a store cut).
   * Both writes are finished through a store outage; a report that still cannot be stored is
   * logged, never answered to the client: the move itself happened. Announcing runs on after.
   */
  async afterTransfer(
    user: { id: ObjectId; address: string },
    source: ReportMailbox,
    target: ReportMailbox,
    targetUids: readonly number[],
  ): Promise<void> {
    const verdict = junkVerdict(source.specialUse, target.specialUse);
    if (!verdict || !targetUids.length) return;
    const messages = await this.record(verdict, user, source, target, targetUids).catch((error: unknown) => {
      this.options.logger.warn({ err: error, verdict }, 'could not store a Junk report');
      return null;
    });
    if (messages)
      this.announce(verdict, user, target, messages).catch((error: unknown) =>
        this.options.logger.warn({ err: error, verdict }, 'could not announce a Junk report'),
      );
  }

  /** Writes the journal entries and the webhook outbox rows of a report; the messages it is about. */
  private async record(
    verdict: 'SPAM' | 'NOT_SPAM',
    user: { id: ObjectId; address: string },
    source: ReportMailbox,
    target: ReportMailbox,
    targetUids: readonly number[],
  ): Promise<ReportedMessage[]> {
    const { db } = this.options.ctx;
    const messages = await finishWrite(() => reportedMessages(db, target._id, targetUids));
    // account entries have MODSEQ 0, so a GraphQL subscriber resuming with a cursor replays the
    // report it missed; both writes retry through an outage (recordChanges, the store's enqueue)
    await Promise.all([
      recordChanges(
        db,
        messages.map((message) => ({
          mailbox: target._id,
          user: user.id,
          modseq: 0,
          kind: verdict,
          uid: message.uid,
          flags: null,
        })),
      ),
      this.options.webhooks?.enqueue(
        messages.map((message) => this.webhookEvent(verdict, user, source, target, message)),
      ),
    ]);
    return messages;
  }

  /** The bus event only says "look now". */
  private async announce(
    verdict: 'SPAM' | 'NOT_SPAM',
    user: { id: ObjectId; address: string },
    target: ReportMailbox,
    messages: readonly ReportedMessage[],
  ): Promise<void> {
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
