/**
 * The worker loop of a durable outbox whose rows are claimed with a lease (the webhook outbox in
 * `@wildduck/webhooks`, the outgoing-mail outbox in `@wildduck/delivery`): it claims as many due
 * items as it has free slots, hands each to `handle`, and otherwise naps until the poll interval
 * passes, a local enqueue wakes it, or a slot frees up. Written once so that both outboxes poll,
 * wake and fill their slots the same way.
 *
 * How to stop is left to the owner (`stop`, `settled`, `abortAll`): the webhook outbox aborts the
 * requests still running after its drain time, the mail outbox leaves them to finish or to be
 * taken up again when their lease ends.
 */
export interface ClaimLoopOptions<T> {
  /** Items handled at once. */
  concurrency: number;
  /** How often the loop looks for due items when nothing wakes it. */
  pollIntervalMs: number;
  /** Claims up to `limit` due items for this worker. */
  claim(limit: number): Promise<T[]>;
  /** Names one claim of an item (an item that outlived its lease may meet its next claim). */
  key(item: T): string;
  /** Works on one item; `controller` is aborted by `abortAll`. */
  handle(item: T, controller: AbortController): Promise<void>;
  /** Claiming failed (the store away): the loop tries again at the next poll. */
  onClaimError(error: unknown): void;
  /** `handle` threw: its outcome may not be recorded, so its lease runs out and it is tried again. */
  onHandleError(error: unknown, item: T): void;
  /** Housekeeping run every `intervalMs` from `start` to `stop` (and at once with `atStart`); it reports its own errors. */
  sweep?: { intervalMs: number; atStart?: boolean; run(): Promise<void> };
}

export class ClaimLoop<T> {
  private readonly options: ClaimLoopOptions<T>;
  /** Items being handled, by claim. */
  private readonly active = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private running?: Promise<void>;
  private stopped = false;
  private woken = false;
  private wakeNap?: () => void;
  private sweepTimer?: NodeJS.Timeout;

  constructor(options: ClaimLoopOptions<T>) {
    this.options = options;
  }

  /** Items being handled right now. */
  get inFlight(): number {
    return this.active.size;
  }

  /**
   * Starts claiming (and sweeping) until `stop`; `onCrash` hears of an error of the loop itself.
   * Does nothing when it was already started or stopped.
   */
  start(onCrash: (error: unknown) => void): void {
    if (this.running || this.stopped) return;
    this.running = this.run().catch(onCrash);
    const { sweep } = this.options;
    if (!sweep) return;
    this.sweepTimer = setInterval(() => void sweep.run(), sweep.intervalMs);
    this.sweepTimer.unref();
    if (sweep.atStart) void sweep.run();
  }

  /** Looks for due items now instead of at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeNap?.();
  }

  /** Stops claiming; resolves when a claim in progress has finished (its items begun). */
  stop(): Promise<void> | undefined {
    this.stopped = true;
    clearInterval(this.sweepTimer);
    this.wake();
    return this.running;
  }

  /** Resolves when every item being handled now has finished. */
  settled(): Promise<unknown> {
    return Promise.allSettled([...this.active.values()].map((item) => item.done));
  }

  /** Aborts every item being handled now; answers how many there were. */
  abortAll(reason: Error): number {
    const left = [...this.active.values()];
    for (const { controller } of left) controller.abort(reason);
    return left.length;
  }

  private async run(): Promise<void> {
    const { concurrency } = this.options;
    while (!this.stopped) {
      this.woken = false;
      const room = concurrency - this.active.size;
      let claimed: T[] = [];
      if (room > 0) {
        try {
          claimed = await this.options.claim(room);
        } catch (error) {
          this.options.onClaimError(error);
        }
        for (const item of claimed) this.begin(item);
      }
      if (this.stopped) return;
      // a full batch: more may be due; otherwise wait for a poll, a local enqueue or a free slot
      if (room > 0 && claimed.length === room) continue;
      if (!this.woken) await this.nap();
    }
  }

  private nap(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.options.pollIntervalMs);
      timer.unref();
      this.wakeNap = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    }).finally(() => {
      this.wakeNap = undefined;
    });
  }

  private begin(item: T): void {
    const key = this.options.key(item);
    const controller = new AbortController();
    const done = this.options
      .handle(item, controller)
      .catch((error: unknown) => this.options.onHandleError(error, item))
      .finally(() => {
        const wasFull = this.active.size >= this.options.concurrency;
        this.active.delete(key);
        if (wasFull) this.wake(); // a slot is free for the loop that waits for one
      });
    this.active.set(key, { controller, done });
  }
}
