import { covers, isLive, namesTarget } from './consent-rule';
import type { ConsentRecipient } from './person-consent.entity';

const consent = (over: Partial<Parameters<typeof covers>[0]> = {}) => ({
  recipients: [{ type: 'department', departmentId: 'd1' }, { type: 'department', departmentId: 'd2' }] as ConsentRecipient[],
  fieldGroups: ['basic', 'contact'] as ('basic' | 'contact')[],
  givenOn: '2026-11-01',
  endsOn: null as string | null,
  withdrawnOn: null as string | null,
  ...over,
});

describe('per-person consent rule', () => {
  it('is live from the day given until its end, and never after a withdrawal', () => {
    expect(isLive(consent(), '2026-10-31')).toBe(false);
    expect(isLive(consent(), '2026-11-01')).toBe(true);
    expect(isLive(consent({ endsOn: '2026-11-30' }), '2026-11-30')).toBe(true);
    expect(isLive(consent({ endsOn: '2026-11-30' }), '2026-12-01')).toBe(false);
    // Withdrawn with a later date still stops disclosures now.
    expect(isLive(consent({ withdrawnOn: '2026-12-31' }), '2026-11-15')).toBe(false);
  });

  it('names departments only when every one is listed', () => {
    expect(namesTarget(consent().recipients, { type: 'departments', departmentIds: ['d1', 'd2'] })).toBe(true);
    expect(namesTarget(consent().recipients, { type: 'departments', departmentIds: ['d1', 'd3'] })).toBe(false);
  });

  it('names a meeting by its kind, or by every member department', () => {
    const byKind: ConsentRecipient[] = [{ type: 'meeting', meetingKind: 'juso_kaigi' }];
    expect(namesTarget(byKind, { type: 'meeting', meetingKind: 'juso_kaigi', departmentIds: ['d9'] })).toBe(true);
    expect(namesTarget(byKind, { type: 'meeting', meetingKind: 'shien_kaigi', departmentIds: ['d9'] })).toBe(false);
    expect(namesTarget(consent().recipients, { type: 'meeting', meetingKind: 'juso_kaigi', departmentIds: ['d1'] })).toBe(true);
    expect(namesTarget(consent().recipients, { type: 'meeting', meetingKind: 'juso_kaigi', departmentIds: [] })).toBe(false);
  });

  it('names supporters of one 地区 or of all', () => {
    expect(namesTarget([{ type: 'supporters', districtCode: null }], { type: 'supporters', districtCode: 'A' })).toBe(true);
    expect(namesTarget([{ type: 'supporters', districtCode: 'B' }], { type: 'supporters', districtCode: 'A' })).toBe(false);
  });

  it('names the host of that very 参加支援 resource only', () => {
    const host: ConsentRecipient[] = [{ type: 'participationHost', resourceId: 'r1' }];
    expect(namesTarget(host, { type: 'participationHost', resourceId: 'r1' })).toBe(true);
    expect(namesTarget(host, { type: 'participationHost', resourceId: 'r2' })).toBe(false);
    expect(namesTarget(consent().recipients, { type: 'participationHost', resourceId: 'r1' })).toBe(false);
  });

  it('covers only the field groups it lists', () => {
    const target = { type: 'departments', departmentIds: ['d1'] } as const;
    expect(covers(consent(), target, ['basic'], '2026-11-10')).toBe(true);
    expect(covers(consent(), target, ['basic', 'sensitive'], '2026-11-10')).toBe(false);
  });
});
