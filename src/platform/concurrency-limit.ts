/**
 * Runs at most `limit` tasks at once; the others wait their turn in the order they came. Nothing is
 * refused: a task that has to wait simply starts later.
 */
export class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  /** Tasks running or waiting. */
  get size(): number {
    return this.running + this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next in line, so a newcomer cannot overtake it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/**
 * A fair queue of tasks by key (a tenant): at most `total` run at once, at most `perKey` of one key, and
 * while several keys have work, no key starts more than its even share of `total`.
 * When a slot frees, it goes to the waiting key with the fewest tasks running (the longest waiting
 * among equals), so a key with many tasks queued cannot keep one with a few waiting behind it. Nothing is refused: a task that has to wait starts later.
 */
export class FairQueue {
  private running = 0;
  private readonly runningBy = new Map<string, number>();
  /** Waiting tasks by key, in turn order: a key that was served moves to the back. */
  private readonly waiting = new Map<string, Array<() => void>>();

  constructor(
    private readonly total: number,
    private readonly perKey: number,
  ) {}

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    if (this.waiting.size === 0 && this.mayStart(key)) this.start(key);
    else await new Promise<void>((resolve) => this.waiting.set(key, [...(this.waiting.get(key) ?? []), resolve]));
    try {
      return await task();
    } finally {
      this.running--;
      const left = this.runningBy.get(key)! - 1;
      if (left === 0) this.runningBy.delete(key);
      else this.runningBy.set(key, left);
      this.dispatch();
    }
  }

  /** A key's share: `perKey`, but no more than an even split of `total` between the keys at work or waiting. */
  private mayStart(key: string): boolean {
    const keys = new Set([...this.runningBy.keys(), ...this.waiting.keys(), key]).size;
    const share = Math.min(this.perKey, Math.max(1, Math.ceil(this.total / keys)));
    return this.running < this.total && (this.runningBy.get(key) ?? 0) < share;
  }

  private start(key: string): void {
    this.running++;
    this.runningBy.set(key, (this.runningBy.get(key) ?? 0) + 1);
  }

  /** The next to start is of the waiting key with the fewest running (the longest waiting among equals). */
  private dispatch(): void {
    while (this.running < this.total) {
      let chosen: string | undefined;
      for (const key of this.waiting.keys()) {
        if (this.mayStart(key) && (chosen === undefined || (this.runningBy.get(key) ?? 0) < (this.runningBy.get(chosen) ?? 0))) chosen = key;
      }
      if (chosen === undefined) return;
      const queue = this.waiting.get(chosen)!;
      const next = queue.shift()!;
      // Served: to the back of the line, or out of it.
      this.waiting.delete(chosen);
      if (queue.length > 0) this.waiting.set(chosen, queue);
      this.start(chosen);
      next();
    }
  }
}
