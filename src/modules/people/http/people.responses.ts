import { z } from 'zod';
import { pageOf } from '../../../platform/http/api-contract/paging';
import { CORRECTABLE_FIELDS } from '../commands/correct-person/correct-person';
import { HeldPersonSchema } from '../person-view.schema';
import { MERGE_STATES } from '../domain/person-merge.entity';

/** A department by its id, code and name (who holds a record, who leads a case). */
export const DepartmentRefSchema = z.object({ id: z.uuid(), code: z.string(), name: z.string() }).meta({ id: 'DepartmentRef' });

/** 断らない相談: whether a record matches and which departments hold it — nothing about the person (CheckIntakeHandler). */
export const IntakeCheckAnswerSchema = z
  .object({
    known: z.boolean(),
    departments: z.array(DepartmentRefSchema).describe('The departments holding a matching record, by code'),
  })
  .meta({ id: 'IntakeCheckAnswer' });

export const PersonSearchPageSchema = pageOf(HeldPersonSchema);

/** A field's value before or after a correction, as personValues writes it. */
const correctedValue = z.union([z.string().nullable(), z.object({ family: z.string().nullable(), given: z.string().nullable() }).nullable()]);

/** One corrected field (PersonHistoryHandler): who, when, from which department, old → new, why. */
export const PersonCorrectionSchema = z
  .object({
    field: z.enum(CORRECTABLE_FIELDS),
    old: correctedValue,
    new: correctedValue,
    reason: z.string(),
    version: z.int().min(1).describe('The person version the correction produced'),
    changedBy: z.uuid(),
    departmentId: z.uuid(),
    changedAt: z.iso.datetime(),
  })
  .meta({ id: 'PersonCorrection' });

/** What a correction answers (CorrectPersonHandler): the new version and the fields it changed (none when nothing differed). */
export const PersonCorrectedSchema = z
  .object({ id: z.uuid(), version: z.int().min(1), changed: z.array(z.enum(CORRECTABLE_FIELDS)) })
  .meta({ id: 'PersonCorrected' });

/** A merge (名寄せ) as its decider sees it: who became whom, what moved, until when it can be undone. */
export const PersonMergeViewSchema = z
  .object({
    id: z.uuid(),
    survivingPersonId: z.uuid(),
    mergedPersonId: z.uuid(),
    departmentId: z.uuid(),
    mergedBy: z.uuid(),
    reason: z.string(),
    state: z.enum(MERGE_STATES),
    undoUntil: z.iso.datetime(),
    undoneBy: z.uuid().nullable(),
    undoReason: z.string().nullable(),
    undoneAt: z.iso.datetime().nullable(),
    version: z.int().min(1),
    moved: z.record(z.string(), z.int().min(0)).describe('How many references of each kind moved (case_persons, disclosures, register_entries, …)'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'PersonMerge' });
