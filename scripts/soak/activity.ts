/**
 * Every client operation of the soak with when it ran and how it ended, so each fault can be
 * reported with what the clients saw while it lasted: answers by code and the longest stall.
 */
export interface Operation {
  /** imap, lmtp, submission, graphql, idle. */
  client: string;
  startedAt: number;
  endedAt: number;
  /** `ok`, or what went wrong: a response code (`NO [OVERQUOTA]`, `452`), or `connection`. */
  outcome: string;
}

export class Activity {
  private readonly operations: Operation[] = [];

  /** Runs `work`, recording it; the outcome is `ok` unless `work` throws (then `describe` says what). */
  async track<T>(client: string, work: () => Promise<T>, describe: (error: unknown) => string): Promise<T> {
    const startedAt = Date.now();
    try {
      const result = await work();
      this.operations.push({ client, startedAt, endedAt: Date.now(), outcome: 'ok' });
      return result;
    } catch (error) {
      this.operations.push({ client, startedAt, endedAt: Date.now(), outcome: describe(error) });
      throw error;
    }
  }

  record(operation: Operation): void {
    this.operations.push(operation);
  }

  /** Operations that were running at some time in [from, to]. */
  during(from: number, to: number): Operation[] {
    return this.operations.filter((operation) => operation.startedAt <= to && operation.endedAt >= from);
  }

  get count(): number {
    return this.operations.length;
  }

  /** `imap 120 ok, 3 connection; lmtp 40 ok, 2 451; longest stall 4.1 s (imap)` */
  static summary(operations: readonly Operation[]): string {
    const byClient = new Map<string, Map<string, number>>();
    let longest: Operation | undefined;
    for (const operation of operations) {
      const outcomes = byClient.get(operation.client) ?? new Map<string, number>();
      outcomes.set(operation.outcome, (outcomes.get(operation.outcome) ?? 0) + 1);
      byClient.set(operation.client, outcomes);
      if (!longest || duration(operation) > duration(longest)) longest = operation;
    }
    const parts = [...byClient].map(
      ([client, outcomes]) =>
        `${client} ${[...outcomes]
          .sort((a, b) => b[1] - a[1])
          .map(([outcome, count]) => `${count} ${outcome}`)
          .join(', ')}`,
    );
    const stall = longest
      ? `longest stall ${(duration(longest) / 1000).toFixed(1)} s (${longest.client})`
      : 'no operations';
    return `${parts.join('; ')}; ${stall}`;
  }
}

function duration(operation: Operation): number {
  return operation.endedAt - operation.startedAt;
}
