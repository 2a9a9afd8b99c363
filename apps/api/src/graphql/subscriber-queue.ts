/**
 * The async iterator graphql-ws reads one subscription from, fed by a producer that reads the
 * store: values wait here while the client reads slowly. The producer asks `full` to stop reading
 * when the client is far behind and is told through `onRoom` when it has caught up halfway; a
 * failure reaches the client once, after which the subscription ends. Both live feeds
 * (`mailboxChanges`, `adminEvents`) are such producers.
 */
export interface SubscriberQueueHooks {
  /** Values queued before the producer should stop. */
  highWater: number;
  /** The queue fell below half of `highWater` as the client read. */
  onRoom?: () => void;
  /** The subscription ended (the client left, the producer finished or failed): stop producing. */
  onEnd?: () => void;
}

export class SubscriberQueue<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private consumer: { resolve(result: IteratorResult<T>): void; reject(error: Error): void } | null = null;
  private failure: Error | null = null;
  private finished = false;

  constructor(private readonly hooks: SubscriberQueueHooks) {}

  /** True once the subscription ended: nothing more is delivered. */
  get ended(): boolean {
    return this.finished;
  }

  /** The client is `highWater` values behind. */
  get full(): boolean {
    return this.queue.length >= this.hooks.highWater;
  }

  /** Hands a value to a waiting client, or queues it. */
  push(value: T): void {
    if (this.finished) return;
    if (this.consumer) {
      const consumer = this.consumer;
      this.consumer = null;
      consumer.resolve({ value, done: false });
    } else this.queue.push(value);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length) {
      const value = this.queue.shift()!;
      if (this.queue.length < this.hooks.highWater / 2) this.hooks.onRoom?.();
      return Promise.resolve({ value, done: false });
    }
    if (this.failure) {
      const failure = this.failure;
      this.failure = null;
      return Promise.reject(failure);
    }
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.consumer = { resolve, reject }));
  }

  /** The client unsubscribed or went away. */
  return(): Promise<IteratorResult<T>> {
    this.queue.length = 0;
    this.failure = null;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(): Promise<IteratorResult<T>> {
    return this.return();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** No more values: the client gets what is queued, then the end. */
  end(): void {
    if (this.finished) return;
    this.finished = true;
    this.hooks.onEnd?.();
    const consumer = this.consumer;
    this.consumer = null;
    consumer?.resolve({ value: undefined, done: true });
  }

  /** The producer failed: the client gets `failure` (now if it waits, else on its next read), then the end. */
  fail(failure: Error): void {
    if (this.finished) return;
    const consumer = this.consumer;
    this.consumer = null;
    if (consumer) consumer.reject(failure);
    else this.failure = failure;
    this.end();
  }
}
