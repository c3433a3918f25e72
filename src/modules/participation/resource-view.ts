import { subject } from '@casl/ability';
import type { EntityManager } from '@mikro-orm/postgresql';
import { todayInJapan } from '../../platform/calendar/today';
import { fieldError, notFound } from '../../platform/http/app-error';
import type { Action } from '../access/ability.factory';
import { assertCanOrHide } from '../access/assert-can';
import type { RequestAuth } from '../access/request-auth';
import { DepartmentSchema, DistrictSchema } from '../directory/domain/department.entity';
import { isFull, ParticipationResourceSchema, staleBefore, type ParticipationResource } from './domain/resource.entity';

const NO_SUCH_RESOURCE = { ja: '社会資源が見つかりません。', en: 'No such resource.' };

/** A resource the caller may act on; another tenant's answers 404 like an unknown id. */
export async function loadResource(em: EntityManager, auth: RequestAuth, id: string, action: Action): Promise<ParticipationResource> {
  const found = await em.findOne(ParticipationResourceSchema, { id });
  if (!found) throw notFound(NO_SUCH_RESOURCE);
  assertCanOrHide(auth, action, 'ParticipationResource', found);
  return found;
}

/** The owner must be a department and the 地区 one of the municipality's: 422 naming the field otherwise. */
export async function assertKnownPlaces(em: EntityManager, input: { ownerDepartmentId?: string; districtCode?: string }): Promise<void> {
  if (input.ownerDepartmentId && !(await em.count(DepartmentSchema, { id: input.ownerDepartmentId }))) {
    throw fieldError('body.ownerDepartmentId', 'unknown_department', { ja: '担当課が見つかりません。', en: 'No such department.' });
  }
  if (input.districtCode && !(await em.count(DistrictSchema, { code: input.districtCode }))) {
    throw fieldError('body.districtCode', 'unknown_district', { ja: 'この地区はありません。', en: 'No such 地区.' });
  }
}

export function resourceView(auth: RequestAuth, r: ParticipationResource, today = todayInJapan()) {
  const canUpdate = auth.ability.can('update', subject('ParticipationResource', { ...r }));
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    ownerDepartmentId: r.ownerDepartmentId,
    districtCode: r.districtCode,
    address: r.address ?? null,
    days: r.days,
    hours: r.hours ?? null,
    capacity: r.capacity ?? null,
    freePlaces: r.freePlaces ?? null,
    costs: r.costs ?? null,
    accessibility: r.accessibility ?? null,
    languages: r.languages,
    runBy: r.runBy ?? null,
    contact: r.contact ?? null,
    tags: r.tags,
    conditions: r.conditions ?? null,
    state: r.state,
    closedReason: r.closedReason ?? null,
    full: isFull(r),
    asOf: r.asOf,
    stale: r.asOf < staleBefore(today),
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    allowedActions: canUpdate ? (r.state === 'open' ? ['update', 'close'] : ['update']) : [],
  };
}
export type ResourceView = ReturnType<typeof resourceView>;
