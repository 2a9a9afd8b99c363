/**
 * Journal reads in flight, shared by the sessions that ask for the same one: a delivery to a user
 * with 50 idling sessions on this instance costs one read, not 50. A read may be shared only
 * within one epoch of its mailbox: every change announced (a view moving to a new position, or a
 * write by this process) starts a new epoch, so nobody joins a read that began before a change it
 * must see.
 */
export class SharedJournalReads<T> {
  private readonly inFlight = new Map<string, Promise<T>>();
  /** One small entry per mailbox that ever changed while selected. */
  private readonly epochs = new Map<string, { epoch: number; mark: number | null }>();

  /** The read of the mailbox's journal after `modseq`, joined while one is in flight this epoch. */
  read(user: string, mailbox: string, modseq: number, load: () => Promise<T>): Promise<T> {
    const epoch = this.epochs.get(mailbox)?.epoch ?? 0;
    const key = `${user}:${mailbox}:${modseq}:${epoch}`;
    const inFlight = this.inFlight.get(key);
    if (inFlight) return inFlight;
    const read = load();
    this.inFlight.set(key, read);
    // only reads in flight are shared; a settled one is never reused
    const forget = () => this.inFlight.delete(key);
    void read.then(forget, forget);
    return read;
  }

  /**
   * The mailbox changed (a view moved to `position`, or this process wrote: null): reads begun
   * before must not be shared any more. Every session told of one view position starts the same
   * epoch once, so they still share the read that follows.
   */
  newEpoch(mailbox: string, position: number | null): void {
    const state = this.epochs.get(mailbox);
    if (position !== null && state?.mark === position) return;
    this.epochs.set(mailbox, { epoch: (state?.epoch ?? 0) + 1, mark: position });
  }
}
