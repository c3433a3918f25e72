import { z } from 'zod';
import { DV_MEASURE_REQUESTS } from '../domain/dv-measure.entity';
import { DV_MEASURE_STATES } from '../domain/dv-measure.machine';
import { dvMeasureActionParam } from '../domain/dv-measure.schemas';

const nullableText = z.string().nullable();

/** A DV等支援措置 as its department sees it (dvMeasureView): no person data. */
export const DvMeasureSchema = z
  .object({
    id: z.uuid(),
    personId: z.uuid(),
    departmentId: z.uuid(),
    state: z.enum(DV_MEASURE_STATES),
    startsOn: z.iso.date(),
    endsOn: z.iso.date().describe('Protects through this day, unless lifted'),
    coversHousehold: z.boolean().describe('The household’s other members are withheld too'),
    protectorIds: z.array(z.uuid()).describe('Staff who may still read the protected fields'),
    reason: z.string(),
    requestedBy: z.uuid(),
    pendingRequest: z.enum(DV_MEASURE_REQUESTS).nullable().describe('The request waiting for the manager’s decision'),
    pendingRequestedBy: z.uuid().nullable(),
    pendingEndsOn: z.iso.date().nullable().describe('The end an extension asks for; protects until then meanwhile'),
    pendingReason: nullableText,
    decidedBy: z.uuid().nullable(),
    declineReason: nullableText,
    renewalDueOn: z.iso.date().nullable().describe('When the renewal task was raised (更新の確認), until extended'),
    version: z.int().min(1),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    allowedActions: z.array(dvMeasureActionParam).describe('What the caller may do now (POST …/actions/:action)'),
  })
  .meta({ id: 'DvMeasure' });
