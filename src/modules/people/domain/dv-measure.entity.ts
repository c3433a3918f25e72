import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { vocabulary } from '../../../platform/vocabulary/vocabulary';

/**
 * THE rule of who is protected today and by whom, as SQL (the function is defined in migration
 * …171000_dv_measures): the protectors of every measure in force naming the person or covering their
 * household; null when none is. Everything that decides on DV protection calls this.
 */
export const dvProtectorsSql = (personId: string) => `person_dv_protectors(${personId})`;

/** What a pending request asks for: to set the measure, to extend it, or to lift it. */
export const DV_MEASURE_REQUEST_LABELS = vocabulary('dvMeasureRequest', {
  set: { ja: '設定', en: 'Set' },
  extension: { ja: '延長', en: 'Extension' },
  lift: { ja: '解除', en: 'Lift' },
});
export const DV_MEASURE_REQUESTS = DV_MEASURE_REQUEST_LABELS.codes;
export type DvMeasureRequestKind = (typeof DV_MEASURE_REQUESTS)[number];

/**
 * DV等支援措置 — one support measure for a person, held by the department that asked for it. Whether
 * a person is protected today is decided in SQL (person_dv_protectors), never from this row alone.
 */
export const DvMeasureSchema = defineEntity({
  name: 'DvMeasure',
  tableName: 'dv_measures',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    personId: p.uuid(),
    /** The department that asked for it: its counselors request, its manager approves. */
    departmentId: p.uuid(),
    state: p.string(),
    machine: p.string(),
    startsOn: p.string().columnType('date'),
    endsOn: p.string().columnType('date'),
    /** An extension asked for and not yet decided: it protects until then meanwhile. */
    pendingEndsOn: p.string().columnType('date').nullable(),
    /** 世帯全員: the household's other members (children…) are withheld too. */
    coversHousehold: p.boolean().default(false),
    /** Staff who may still read the protected fields; the requester is always one. */
    protectorIds: p.array(),
    reason: p.text(),
    requestedBy: p.uuid(),
    pendingRequest: p.string().$type<DvMeasureRequestKind>().nullable(),
    pendingRequestedBy: p.uuid().nullable(),
    pendingReason: p.text().nullable(),
    decidedBy: p.uuid().nullable(),
    declineReason: p.text().nullable(),
    /** The day the sweep raised the renewal task (更新の確認), cleared when it is extended. */
    renewalDueOn: p.string().columnType('date').nullable(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type DvMeasure = InferEntity<typeof DvMeasureSchema>;
