import { match } from './matching';
import type { ParticipationResource } from './resource.entity';

const resource = (over: Partial<ParticipationResource>): ParticipationResource =>
  ({ state: 'open', kind: 'employer', tags: ['employment', 'part_time'], districtCode: 'B', days: ['mon', 'wed'], freePlaces: 2, conditions: null, ...over }) as ParticipationResource;

describe('matching a wish to resources', () => {
  it('scores the kind, the needs, the 地区, the days and free places, each with a reason', () => {
    const found = match(resource({}), { wish: 'work', districtCode: 'B', tags: ['employment'], days: ['wed', 'fri'] })!;
    expect(found.score).toBe(4 + 3 + 3 + 1 + 1);
    expect(found.reasons.map((r) => r.ja)).toEqual([
      '希望（仕事）に合う仕事の受け入れ先です',
      'ニーズ（就労）に対応しています',
      '同じ地区（B）にあります',
      '参加できる曜日（水）に開いています',
      '空きがあります（2）',
    ]);
  });

  it('a place in another 地区 still fits, lower', () => {
    const near = match(resource({}), { wish: 'work', districtCode: 'B', tags: [], days: [] })!;
    const far = match(resource({ districtCode: 'C' }), { wish: 'work', districtCode: 'B', tags: [], days: [] })!;
    expect(near.score).toBeGreaterThan(far.score);
  });

  it('near 地区B: for the same fit, 地区B first, then a neighbouring 地区 (隣接地区), then the others', () => {
    const wish = { wish: 'work' as const, districtCode: 'B', neighbourDistrictCodes: ['A'], tags: [], days: [] };
    const [own, neighbour, far] = ['B', 'A', 'C'].map((districtCode) => match(resource({ districtCode }), wish)!);
    expect(own.score).toBeGreaterThan(neighbour.score);
    expect(neighbour.score).toBeGreaterThan(far.score);
    expect(neighbour.reasons.map((r) => r.ja)).toContain('隣接地区（A）にあります');
    expect(neighbour.reasons.map((r) => r.en)).toContain('In a neighbouring 地区 (A)');
    expect(far.reasons.map((r) => r.ja).join()).not.toMatch(/地区（C）/);
  });

  it('never proposes a closed or full resource, or one answering neither the wish nor a need', () => {
    const wish = { wish: 'work' as const, districtCode: 'B', tags: ['employment'], days: [] };
    expect(match(resource({ state: 'closed' }), wish)).toBeNull();
    expect(match(resource({ freePlaces: 0 }), wish)).toBeNull();
    expect(match(resource({ kind: 'salon', tags: ['isolation'] }), wish)).toBeNull();
    expect(match(resource({ freePlaces: null }), wish)).not.toBeNull();
  });
});
