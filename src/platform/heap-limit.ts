import { maxOldSpaceMb } from '../config/config';

const OLD_SPACE_FLAG = /^--max[-_]old[-_]space[-_]size\b/;

/**
 * The node flag that bounds the service's heap: `--max-old-space-size` from MAX_OLD_SPACE_MB, unless
 * node was already given one (on its command line or in NODE_OPTIONS) or the variable says 0. The one
 * place that decides it: the service relaunches itself with it (bounded-heap.ts), the benches fork
 * their service processes with it. V8 applies it to the worker threads' heaps too.
 */
export function heapLimitArgs(execArgv: readonly string[], env: Record<string, string | undefined>): string[] {
  const given = [...execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)].some((arg) => OLD_SPACE_FLAG.test(arg));
  const mb = maxOldSpaceMb(env);
  return given || !mb ? [] : [`--max-old-space-size=${mb}`];
}
