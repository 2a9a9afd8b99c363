/**
 * The change bus says "look now": which mailbox of which user changed, up to which MODSEQ. The
 * journal in MongoDB is the truth; a subscriber that missed a message catches up from it.
 */
export type ChangeEvent =
  /** Messages of a mailbox changed (EXISTS, EXPUNGE, FLAGS) up to `modseq`. */
  | {
      type: 'mailbox';
      user: string;
      mailbox: string;
      modseq: number;
      /**
       * What kind of change it was, for listeners that only care about some (IMAP NOTIFY); absent
       * when it may be any. The journal still says exactly what changed.
       */
      change?: MailboxChangeKind;
    }
  /** The user's folder list or account changed (mailbox created, renamed, deleted; SPAM reports; quota). */
  | {
      type: 'account';
      user: string;
      kind: string;
      mailbox?: string;
      path?: string;
      oldPath?: string;
      uid?: number;
      /** The message concerned (SPAM, NOT_SPAM), by id. */
      message?: string;
    };

/** The kind of a mailbox change: messages arrived, messages were expunged, flags changed. */
export type MailboxChangeKind = 'new' | 'expunge' | 'flags';

/** Receives the events of one user. */
export type ChangeListener = (event: ChangeEvent) => void;

/** Told when the bus lost its connection and got it back: every subscriber must resynchronise. */
export type ReconnectListener = () => void;

/** Publish/subscribe of change events, per user. */
export interface ChangeBus {
  /** Announces a change to every subscriber of `event.user`, on every instance. */
  publish(event: ChangeEvent): Promise<void>;
  /** Listens to one user's events; returns the function that stops listening. */
  subscribe(user: string, listener: ChangeListener): () => void;
  /** Listens for reconnects (after which events may have been missed); returns the unsubscribe function. */
  onReconnect(listener: ReconnectListener): () => void;
  /** Closes connections. */
  close(): Promise<void>;
}
