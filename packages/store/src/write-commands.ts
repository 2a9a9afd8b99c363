/**
 * Multi-statement write commands (bulkWrite of updates, replaces and deletes), sized and gated for
 * FerretDB 1.24 on PostgreSQL.
 *
 * Why: its update command keeps the query of each statement open, and with it a connection of its
 * pool of 50, until the whole command ends (internal/handler/msg_update.go closes each iterator in
 * a `defer` inside the statement loop), and the write of each statement takes one more connection.
 * So one command of 50 update statements, or three of 25 at once, hold the whole pool and wait for
 * a connection forever, and every other command of the store queues behind them (seen: 48
 * statements answered in 0.2 s, 50 never; three concurrent commands of 25 never, two did). Here a
 * command carries at most STATEMENTS_PER_COMMAND statements, and this process has at most
 * STATEMENTS_IN_FLIGHT of them open at once, so the three processes of a deployment stay well
 * inside the pool whatever their sessions do. On MongoDB it costs a few more round trips for
 * batches of hundreds of messages, and nothing otherwise.
 */

/** Statements in one write command. */
export const STATEMENTS_PER_COMMAND = 8;
/** Statements of multi-statement write commands this process has open at once. */
export const STATEMENTS_IN_FLIGHT = 12;

/** A counting semaphore, first come first served: a large waiter is not overtaken by small ones. */
class StatementGate {
  private available: number;
  private readonly waiting: { count: number; wake: () => void }[] = [];

  constructor(private readonly capacity: number) {
    this.available = capacity;
  }

  async run<T>(count: number, work: () => Promise<T>): Promise<T> {
    const taken = Math.min(count, this.capacity);
    if (this.waiting.length || this.available < taken)
      await new Promise<void>((wake) => this.waiting.push({ count: taken, wake }));
    else this.available -= taken;
    try {
      return await work();
    } finally {
      this.available += taken;
      this.wakeWaiters();
    }
  }

  private wakeWaiters(): void {
    while (this.waiting.length && this.waiting[0]!.count <= this.available) {
      const next = this.waiting.shift()!;
      this.available -= next.count;
      next.wake();
    }
  }

  /** Statements open now (for tests). */
  get inFlight(): number {
    return this.capacity - this.available;
  }
}

const gate = new StatementGate(STATEMENTS_IN_FLIGHT);

/**
 * Sends `operations` in commands of at most STATEMENTS_PER_COMMAND, one after another (so an
 * ordered batch stays ordered), each once the process has room for its statements.
 */
export async function sendInCommands<T>(
  operations: readonly T[],
  send: (chunk: T[]) => Promise<unknown>,
): Promise<void> {
  for (let start = 0; start < operations.length; start += STATEMENTS_PER_COMMAND) {
    const chunk = operations.slice(start, start + STATEMENTS_PER_COMMAND);
    await gate.run(chunk.length, () => send(chunk));
  }
}

/** Statements of gated commands open in this process right now. */
export function statementsInFlight(): number {
  return gate.inFlight;
}
