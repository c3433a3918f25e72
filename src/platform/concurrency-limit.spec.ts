import { ConcurrencyLimit, FairQueue } from './concurrency-limit';

/** A task that runs until told to finish, recording when it started. */
function gate(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { task: () => (log.push(name), done.then(() => name)), finish };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ConcurrencyLimit', () => {
  it('runs at most the limit at once and queues the rest in order, refusing none', async () => {
    const log: string[] = [];
    const limit = new ConcurrencyLimit(2);
    const gates = ['a', 'b', 'c', 'd'].map((name) => gate(log, name));
    const results = gates.map((g) => limit.run(g.task));
    await settle();
    expect(log).toEqual(['a', 'b']);
    expect(limit.size).toBe(4);
    gates[1].finish();
    await settle();
    expect(log).toEqual(['a', 'b', 'c']);
    gates[0].finish();
    gates[2].finish();
    gates[3].finish();
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c', 'd']);
    expect(limit.size).toBe(0);
  });

  it('frees the slot of a task that failed', async () => {
    const limit = new ConcurrencyLimit(1);
    await expect(limit.run(() => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(limit.run(() => Promise.resolve(1))).resolves.toBe(1);
  });
});

describe('FairQueue', () => {
  it('lets a tenant with one task waiting go before the rest of a busy tenant queue, and refuses none', async () => {
    const log: string[] = [];
    const queue = new FairQueue(2, 2);
    const busy = [1, 2, 3, 4].map((n) => gate(log, `busy-${n}`));
    const runs = busy.map((g) => queue.run('busy', g.task));
    await settle();
    const quiet = gate(log, 'quiet-1');
    runs.push(queue.run('quiet', quiet.task));
    await settle();
    expect(log).toEqual(['busy-1', 'busy-2']);
    busy[0].finish();
    await settle();
    // The quiet tenant came after busy-3 and busy-4, but it is its turn.
    expect(log).toEqual(['busy-1', 'busy-2', 'quiet-1']);
    busy[1].finish();
    await settle();
    expect(log).toEqual(['busy-1', 'busy-2', 'quiet-1', 'busy-3']);
    quiet.finish();
    busy[2].finish();
    busy[3].finish();
    await expect(Promise.all(runs)).resolves.toEqual(['busy-1', 'busy-2', 'busy-3', 'busy-4', 'quiet-1']);
  });

  it('never runs more of one key than its share, even with slots free', async () => {
    const log: string[] = [];
    const queue = new FairQueue(4, 1);
    const gates = [gate(log, 'a-1'), gate(log, 'a-2')];
    const runs = gates.map((g) => queue.run('a', g.task));
    await settle();
    expect(log).toEqual(['a-1']);
    gates[0].finish();
    await settle();
    expect(log).toEqual(['a-1', 'a-2']);
    gates[1].finish();
    await Promise.all(runs);
  });
});

describe('FairQueue shares', () => {
  it('gives a second tenant its even share: the busy one starts no more until it is back under it', async () => {
    const log: string[] = [];
    const queue = new FairQueue(4, 4);
    const busy = [1, 2, 3, 4, 5].map((n) => gate(log, `busy-${n}`));
    const runs = busy.map((g) => queue.run('busy', g.task));
    await settle();
    expect(log).toEqual(['busy-1', 'busy-2', 'busy-3', 'busy-4']);
    const quiet = [gate(log, 'quiet-1'), gate(log, 'quiet-2')];
    runs.push(...quiet.map((g) => queue.run('quiet', g.task)));
    busy[0].finish();
    busy[1].finish();
    await settle();
    // Two slots freed: both go to the quiet tenant, whose share of four is two.
    expect(log.slice(4)).toEqual(['quiet-1', 'quiet-2']);
    busy[2].finish();
    await settle();
    // The busy tenant has one running now, under its share: its next starts.
    expect(log.slice(6)).toEqual(['busy-5']);
    [busy[3], busy[4], ...quiet].forEach((g) => g.finish());
    await Promise.all(runs);
  });
});

describe('FairQueue: a tenant active a moment ago', () => {
  /** A clock the test moves by hand. */
  const clock = () => {
    let at = 0;
    return { now: () => at, advance: (ms: number) => (at += ms) };
  };

  it('keeps its share free, so its next request starts at once while the busy tenant waits at its own share', async () => {
    const log: string[] = [];
    const time = clock();
    const queue = new FairQueue(4, 4, 1_000, time.now);
    const first = gate(log, 'quiet-1');
    const firstRun = queue.run('quiet', first.task);
    await settle();
    first.finish();
    await firstRun;
    time.advance(10);
    const busy = [1, 2, 3, 4, 5].map((n) => gate(log, `busy-${n}`));
    const runs = busy.map((g) => queue.run('busy', g.task));
    await settle();
    // The quiet tenant has nothing running, yet it was served 10 ms ago: two of the four slots stay its.
    expect(log).toEqual(['quiet-1', 'busy-1', 'busy-2']);
    const next = gate(log, 'quiet-2');
    runs.push(queue.run('quiet', next.task));
    await settle();
    expect(log).toEqual(['quiet-1', 'busy-1', 'busy-2', 'quiet-2']);
    [...busy, next].forEach((g) => g.finish());
    await Promise.all(runs);
  });

  it('gives its share back once it has been idle for idleMs: the busy tenant then uses every slot', async () => {
    const log: string[] = [];
    const time = clock();
    const queue = new FairQueue(4, 4, 1_000, time.now);
    const quiet = gate(log, 'quiet-1');
    const quietRun = queue.run('quiet', quiet.task);
    await settle();
    quiet.finish();
    await quietRun;
    const busy = [1, 2, 3, 4, 5].map((n) => gate(log, `busy-${n}`));
    const runs = busy.map((g) => queue.run('busy', g.task));
    await settle();
    expect(log.slice(1)).toEqual(['busy-1', 'busy-2']);
    time.advance(999);
    busy[0].finish();
    await settle();
    // Still within the second: the busy tenant stays at its share of two.
    expect(log.slice(1)).toEqual(['busy-1', 'busy-2', 'busy-3']);
    time.advance(2);
    busy[1].finish();
    await settle();
    expect(log.slice(1)).toEqual(['busy-1', 'busy-2', 'busy-3', 'busy-4', 'busy-5']);
    busy.forEach((g) => g.finish());
    await Promise.all(runs);
  });
});

describe('FairQueue: work a tenant caused', () => {
  it('runs ahead of the same tenant waiting tasks, within its share: other tenants do not wait for it', async () => {
    const log: string[] = [];
    const queue = new FairQueue(4, 4);
    const busy = [1, 2, 3, 4].map((n) => gate(log, `busy-${n}`));
    const quiet = [gate(log, 'quiet-1'), gate(log, 'quiet-2')];
    const runs = [...quiet.map((g) => queue.run('quiet', g.task)), ...busy.map((g) => queue.run('busy', g.task))];
    await settle();
    // Two tenants: two slots each.
    expect(log).toEqual(['quiet-1', 'quiet-2', 'busy-1', 'busy-2']);
    const caused = gate(log, 'busy-evaluation');
    runs.push(queue.run('busy', caused.task, { ahead: true }));
    quiet[0].finish();
    await settle();
    // A quiet slot freed: it stays the quiet tenant's (nothing of it waits), the evaluation waits for a busy one.
    expect(log).toEqual(['quiet-1', 'quiet-2', 'busy-1', 'busy-2']);
    busy[0].finish();
    await settle();
    // The busy tenant's slot goes to the work its writes caused, before its waiting requests.
    expect(log.slice(4)).toEqual(['busy-evaluation']);
    busy[1].finish();
    await settle();
    expect(log.slice(5)).toEqual(['busy-3']);
    [...busy, ...quiet, caused].forEach((g) => g.finish());
    await Promise.all(runs);
  });
});
