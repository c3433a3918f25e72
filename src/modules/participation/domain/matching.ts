import type { Localized } from '../../../platform/http/app-error';
import { isFull, KIND_WISH, PARTICIPATION_WISH_LABELS, RESOURCE_KIND_LABELS, RESOURCE_TAG_LABELS, WEEKDAY_LABELS, type ParticipationResource, type ParticipationWish } from './resource.entity';

/** What the person wishes and can do, from the window or from the plan task and its case. */
export interface Wish {
  wish?: ParticipationWish;
  districtCode?: string;
  /** 隣接地区: the 地区 next to `districtCode`, near enough to count, after the 地区 itself. */
  neighbourDistrictCodes?: readonly string[];
  tags: readonly string[];
  days: readonly string[];
}

export interface Match {
  score: number;
  reasons: Localized[];
}

const list = (codes: readonly string[], labels: { label(code: unknown, lang: 'ja' | 'en'): string }, lang: 'ja' | 'en') => codes.map((c) => labels.label(c, lang)).join(lang === 'ja' ? '・' : ', ');

/**
 * How well a resource fits a wish, with the reasons a counselor reads. Never proposed: a closed or
 * full resource, or one that answers neither the kind of wish nor any of the needs. The 地区 counts
 * most after the need itself: a place the person can reach is the one that holds; a neighbouring 地区
 * counts a little less, so for the same fit the person's own 地区 comes first, then its neighbours.
 */
export function match(resource: ParticipationResource, wish: Wish): Match | null {
  if (resource.state !== 'open' || isFull(resource)) return null;
  const reasons: Localized[] = [];
  let score = 0;
  const kindFits = wish.wish !== undefined && KIND_WISH[resource.kind] === wish.wish;
  if (kindFits) {
    score += 4;
    const kind = RESOURCE_KIND_LABELS;
    reasons.push({
      ja: `希望（${PARTICIPATION_WISH_LABELS.label(wish.wish, 'ja')}）に合う${kind.label(resource.kind, 'ja')}です`,
      en: `A ${kind.label(resource.kind, 'en').toLowerCase()}, as wished (${PARTICIPATION_WISH_LABELS.label(wish.wish, 'en').toLowerCase()})`,
    });
  }
  const needs = wish.tags.filter((t) => resource.tags.includes(t));
  if (needs.length) {
    score += 3 * needs.length;
    reasons.push({ ja: `ニーズ（${list(needs, RESOURCE_TAG_LABELS, 'ja')}）に対応しています`, en: `Serves the needs: ${list(needs, RESOURCE_TAG_LABELS, 'en')}` });
  }
  if (!kindFits && !needs.length) return null;
  if (wish.districtCode && resource.districtCode === wish.districtCode) {
    score += 3;
    reasons.push({ ja: `同じ地区（${resource.districtCode}）にあります`, en: `In the same 地区 (${resource.districtCode})` });
  } else if (wish.neighbourDistrictCodes?.includes(resource.districtCode)) {
    score += 2;
    reasons.push({ ja: `隣接地区（${resource.districtCode}）にあります`, en: `In a neighbouring 地区 (${resource.districtCode})` });
  }
  const days = wish.days.filter((d) => resource.days.includes(d));
  if (days.length) {
    score += days.length;
    reasons.push({ ja: `参加できる曜日（${list(days, WEEKDAY_LABELS, 'ja')}）に開いています`, en: `Open on days the person can: ${list(days, WEEKDAY_LABELS, 'en')}` });
  }
  if (resource.freePlaces != null && resource.freePlaces > 0) {
    score += 1;
    reasons.push({ ja: `空きがあります（${resource.freePlaces}）`, en: `Has free places (${resource.freePlaces})` });
  }
  if (resource.conditions) reasons.push({ ja: `条件: ${resource.conditions}`, en: `Conditions: ${resource.conditions}` });
  return { score, reasons };
}
