import { z } from 'zod';
import { pageParams } from '../../../platform/http/api-contract/paging';
import { bilingual, isoDate, text } from '../../../platform/http/input';
import { PARTICIPATION_WISH_LABELS } from './resource.entity';
import { WINDOW_VISIT_OUTCOME_LABELS } from './window-visit.entity';

const wishes = z
  .array(z.enum(PARTICIPATION_WISH_LABELS.codes))
  .max(PARTICIPATION_WISH_LABELS.codes.length)
  .refine((w) => new Set(w).size === w.length, bilingual({ ja: '希望が重複しています。', en: 'A wish is named twice.' }));

/** A visit names the resident (with the case they are worked in) or counts anonymous visitors, not both. */
export const recordWindowVisitSchema = z
  .strictObject({
    departmentId: z.uuid().describe('The department whose window received the visit (e.g. 長寿課 for the 生涯現役応援窓口)'),
    visitedOn: isoDate.optional().describe('Default today; never in the future'),
    districtCode: text(20).describe('The 地区 the visitor lives in (or asks about)'),
    personId: z.uuid().optional().describe('The resident, a person of `caseId`; omit for anonymous visitors'),
    caseId: z.uuid().optional().describe('The case the resident is worked in: required with personId'),
    visitors: z.int().min(1).max(100).optional().describe('Anonymous visitors counted by this record (default 1); 1 with a person'),
    wishes: wishes.describe('What the visitor wished: work, volunteering, a place (none for a general question)'),
    outcome: z.enum(WINDOW_VISIT_OUTCOME_LABELS.codes),
    note: text(2000).optional(),
  })
  .refine((v) => !v.personId || v.caseId, bilingual({ ja: '本人を記録するにはケースを指定してください。', en: 'A named resident needs the case they are worked in.' }, ['caseId']))
  .refine((v) => !v.personId || (v.visitors ?? 1) === 1, bilingual({ ja: '本人を記録する場合、人数は1です。', en: 'A named resident counts as one visitor.' }, ['visitors']))
  .refine((v) => !v.caseId || v.personId, bilingual({ ja: 'ケースを指定する場合は本人も指定してください。', en: 'With a case, name the resident too.' }, ['personId']));
export type RecordWindowVisitInput = z.infer<typeof recordWindowVisitSchema>;

export const windowVisitListQuery = z
  .strictObject({
    from: isoDate.optional(),
    to: isoDate.optional(),
    districtCode: text(20).optional(),
    personId: z.uuid().optional(),
    outcome: z.enum(WINDOW_VISIT_OUTCOME_LABELS.codes).optional(),
    ...pageParams,
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, bilingual({ ja: '開始日は終了日以前にしてください。', en: 'from must not be after to.' }, ['to']));
export type WindowVisitListQuery = z.infer<typeof windowVisitListQuery>;
