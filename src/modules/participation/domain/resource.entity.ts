import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { ISSUE_TAGS } from '../../cases/domain/issue-tags';
import { vocabulary } from '../../../platform/vocabulary/vocabulary';

/** 社会資源の種別 — what kind of place, activity or host a directory entry is. */
export const RESOURCE_KIND_LABELS = vocabulary('participationResourceKind', {
  salon: { ja: 'サロン', en: 'Salon' },
  kodomo_shokudo: { ja: '子ども食堂', en: "Children's cafeteria" },
  kayoi_no_ba: { ja: '通いの場', en: 'Community gathering place' },
  dementia_cafe: { ja: '認知症カフェ', en: 'Dementia café' },
  community_station: { ja: '地域共生ステーション', en: 'Community station' },
  community_center: { ja: 'コミュニティセンター', en: 'Community centre' },
  course: { ja: '公民館の講座', en: 'Community course' },
  volunteer_group: { ja: 'ボランティア団体', en: 'Volunteer group' },
  employer: { ja: '仕事の受け入れ先', en: 'Employer' },
  farm_welfare: { ja: '農福連携', en: 'Farm–welfare work' },
  transport: { ja: '移動支援', en: 'Transport support' },
});
export type ResourceKind = (typeof RESOURCE_KIND_LABELS.codes)[number];

/** What a wish or resource offers: work (仕事), volunteering (ボランティア) or a place to go (居場所). */
export const PARTICIPATION_WISH_LABELS = vocabulary('participationWish', {
  work: { ja: '仕事', en: 'Work' },
  volunteering: { ja: 'ボランティア', en: 'Volunteering' },
  place: { ja: '居場所・活動', en: 'Place or activity' },
});
export type ParticipationWish = (typeof PARTICIPATION_WISH_LABELS.codes)[number];

/** The wish each kind answers, for matching and the figures. */
export const KIND_WISH: Record<ResourceKind, ParticipationWish> = {
  salon: 'place',
  kodomo_shokudo: 'place',
  kayoi_no_ba: 'place',
  dementia_cafe: 'place',
  community_station: 'place',
  community_center: 'place',
  course: 'place',
  volunteer_group: 'volunteering',
  employer: 'work',
  farm_welfare: 'work',
  transport: 'volunteering',
};

/**
 * The needs a resource serves: the case issue tags (so a case's issues match a resource directly),
 * plus what only the directory needs.
 */
export const RESOURCE_TAG_LABELS = vocabulary('participationTag', {
  ...Object.fromEntries(Object.entries(ISSUE_TAGS).map(([code, { ja, en }]) => [code, { ja, en }])),
  part_time: { ja: '短時間勤務', en: 'Part-time' },
  volunteering: { ja: 'ボランティア', en: 'Volunteering' },
  learning: { ja: '学び', en: 'Learning' },
  exercise: { ja: '介護予防・運動', en: 'Exercise and prevention' },
  meals: { ja: '食事', en: 'Meals' },
  older_people: { ja: '高齢者', en: 'Older people' },
} as Record<string, { ja: string; en: string }>);

/** Days a resource is open, Monday first. */
export const WEEKDAY_LABELS = vocabulary('weekday', {
  mon: { ja: '月', en: 'Mon' },
  tue: { ja: '火', en: 'Tue' },
  wed: { ja: '水', en: 'Wed' },
  thu: { ja: '木', en: 'Thu' },
  fri: { ja: '金', en: 'Fri' },
  sat: { ja: '土', en: 'Sat' },
  sun: { ja: '日', en: 'Sun' },
});

export const RESOURCE_STATE_LABELS = vocabulary('participationResourceState', {
  open: { ja: '受付中', en: 'Open' },
  closed: { ja: '終了', en: 'Closed' },
});

/** What the caller may do with an entry (`allowedActions`). */
export const RESOURCE_ACTION_LABELS = vocabulary('participationResourceAction', {
  update: { ja: '更新・確認', en: 'Update or confirm' },
  close: { ja: '終了', en: 'Close' },
});

/** A 社会資源 entry: a place, activity, employer or host, kept by its owner department. */
export const ParticipationResourceSchema = defineEntity({
  name: 'ParticipationResource',
  tableName: 'participation_resources',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    name: p.string(),
    kind: p.enum(RESOURCE_KIND_LABELS.codes),
    ownerDepartmentId: p.uuid(),
    districtCode: p.string(),
    address: p.string().nullable(),
    days: p.array(),
    hours: p.string().nullable(),
    capacity: p.integer().nullable(),
    freePlaces: p.integer().nullable(),
    costs: p.string().nullable(),
    accessibility: p.string().nullable(),
    languages: p.array(),
    runBy: p.string().nullable(),
    contact: p.string().nullable(),
    tags: p.array(),
    conditions: p.text().nullable(),
    state: p.enum(RESOURCE_STATE_LABELS.codes),
    closedReason: p.string().nullable(),
    /** The day the entry was last confirmed true; older than STALE_AFTER_MONTHS asks for a review. */
    asOf: p.string().columnType('date'),
    version: p.integer().version(),
    createdBy: p.uuid(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type ParticipationResource = InferEntity<typeof ParticipationResourceSchema>;

/** An entry not confirmed for this long is listed for review (`stale=true`). */
export const STALE_AFTER_MONTHS = 6;

/** The day before which an `asOf` is stale, for `today`. */
export function staleBefore(today: string): string {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - STALE_AFTER_MONTHS);
  return d.toISOString().slice(0, 10);
}

/** Full: it has a capacity and no free place left. */
export const isFull = (r: Pick<ParticipationResource, 'freePlaces'>) => r.freePlaces !== null && r.freePlaces !== undefined && r.freePlaces <= 0;
