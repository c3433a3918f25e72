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
 * while several keys are active, no key starts more than its even share of `total`.
 * A key is active while it has tasks running or waiting, and for `idleMs` after its last one ended: a
 * tenant with a few clients sends its next request a moment after its last answer, and its share must
 * still be free then, not taken by a busy tenant's queue in the meantime (it would wait for a slot on
 * every request). A key alone uses every slot.
 * When a slot frees, it goes to the waiting key with the fewest tasks running (the longest waiting
 * among equals), so a key with many tasks queued cannot keep one with a few waiting behind it. Nothing is refused: a task that has to wait starts later.
 * A task run `ahead` (work the key's earlier tasks caused, such as evaluating the cases its requests
 * changed) goes before the key's other waiting tasks, within the key's share: a tenant pays for what its
 * writes cause out of its own share, and its next requests wait for it, not other tenants.
 */
export class FairQueue {
  private running = 0;
  private readonly runningBy = new Map<string, number>();
  /** Waiting tasks by key, in turn order: a key that was served moves to the back. */
  private readonly waiting = new Map<string, Array<() => void>>();
  /** When each key with nothing running last had a task end (kept for `idleMs`). */
  private readonly idleSince = new Map<string, number>();

  constructor(
    private readonly total: number,
    private readonly perKey: number,
    private readonly idleMs = 1_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async run<T>(key: string, task: () => Promise<T>, { ahead = false } = {}): Promise<T> {
    // In line, then straight to the dispatcher: a key under its share starts at once even while other
    // keys wait (at their share), and one that is not waits its turn.
    await new Promise<void>((resolve) => {
      const line = this.waiting.get(key) ?? [];
      this.waiting.set(key, ahead ? [resolve, ...line] : [...line, resolve]);
      this.dispatch();
    });
    try {
      return await task();
    } finally {
      this.running--;
      const left = this.runningBy.get(key)! - 1;
      if (left === 0) {
        this.runningBy.delete(key);
        this.idleSince.set(key, this.now());
      } else this.runningBy.set(key, left);
      this.dispatch();
    }
  }

  /** Whether `key` has tasks waiting (it wants more than its share) while another key is active. */
  contended(key: string): boolean {
    return this.waiting.has(key) && this.activeKeys(key) > 1;
  }

  /** A key's share: `perKey`, but no more than an even split of `total` between the active keys. */
  private mayStart(key: string): boolean {
    const share = Math.min(this.perKey, Math.max(1, Math.ceil(this.total / this.activeKeys(key))));
    return this.running < this.total && (this.runningBy.get(key) ?? 0) < share;
  }

  /** Keys running, waiting or idle for less than `idleMs`, `key` among them; forgets the ones idle longer. */
  private activeKeys(key: string): number {
    const active = new Set([...this.runningBy.keys(), ...this.waiting.keys(), key]);
    const since = this.now() - this.idleMs;
    for (const [idle, at] of this.idleSince) {
      if (at < since || this.runningBy.has(idle)) this.idleSince.delete(idle);
      else active.add(idle);
    }
    return active.size;
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
