import { heapLimitArgs } from './heap-limit';

describe('heapLimitArgs: the heap limit the service runs with', () => {
  it('bounds the old space by default, and by MAX_OLD_SPACE_MB when set', () => {
    expect(heapLimitArgs([], {})).toEqual(['--max-old-space-size=256']);
    expect(heapLimitArgs(['--require', './hooks.cjs'], { MAX_OLD_SPACE_MB: '384' })).toEqual(['--max-old-space-size=384']);
  });

  it("leaves V8's default with 0, and a limit node was already given (command line or NODE_OPTIONS) as it is", () => {
    expect(heapLimitArgs([], { MAX_OLD_SPACE_MB: '0' })).toEqual([]);
    expect(heapLimitArgs(['--max-old-space-size=1024'], {})).toEqual([]);
    expect(heapLimitArgs([], { NODE_OPTIONS: '--enable-source-maps --max_old_space_size=6144' })).toEqual([]);
  });

  it('adds nothing for an invalid value, which the configuration then names', () => {
    expect(heapLimitArgs([], { MAX_OLD_SPACE_MB: 'lots' })).toEqual([]);
  });
});
