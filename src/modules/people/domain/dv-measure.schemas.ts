import { z } from 'zod';
import { pageParams } from '../../../platform/http/api-contract/paging';
import { bilingual, isoDate, text } from '../../../platform/http/input';

/** The request to set a measure on a person the department holds (the requester is always a protector). */
export const requestDvMeasureSchema = z
  .strictObject({
    reason: text(1000).describe('Why the measure is needed (kept with the record, shown to its holders)'),
    startsOn: isoDate.optional().describe('Default today (Japan); not in the future'),
    endsOn: isoDate.optional().describe('Default a year from the start, less a day (the 支援措置 runs a year)'),
    coversHousehold: z.boolean().default(false).describe('Withhold the household’s other members (children…) too'),
    protectorIds: z.array(z.uuid()).max(10).default([]).describe('Staff who may still read the protected fields, besides the requester'),
    /** Needed only when the caller works in more than one department holding the person. */
    departmentId: z.uuid().optional(),
  })
  .refine(
    (r) => !r.startsOn || !r.endsOn || r.endsOn > r.startsOn,
    bilingual({ ja: '終了日は開始日より後の日付にしてください。', en: 'The end date must be after the start date.' }, ['endsOn']),
  );
export type RequestDvMeasureInput = z.infer<typeof requestDvMeasureSchema>;

export const DV_MEASURE_ACTIONS = { 'request-extension': 'REQUEST_EXTENSION', 'request-lift': 'REQUEST_LIFT', approve: 'APPROVE', decline: 'DECLINE' } as const;
export type DvMeasureAction = keyof typeof DV_MEASURE_ACTIONS;
export const dvMeasureActionParam = z.enum(Object.keys(DV_MEASURE_ACTIONS) as [DvMeasureAction, ...DvMeasureAction[]]);

export const dvMeasureActionBodySchema = z.strictObject({
  version: z.int().min(1).optional(),
  reason: z.string().trim().max(1000).optional().describe('request-lift and decline: required'),
  endsOn: isoDate.optional().describe('request-extension: the new end date (default a year after the current one)'),
});
export type DvMeasureActionBody = z.infer<typeof dvMeasureActionBodySchema>;

export const dvMeasureListQuery = z.strictObject({ ...pageParams });
export type DvMeasureListQuery = z.infer<typeof dvMeasureListQuery>;

export const DV_MEASURE_EVENTS = {
  REQUEST: 'DvMeasureRequested',
  REQUEST_EXTENSION: 'DvMeasureExtensionRequested',
  REQUEST_LIFT: 'DvMeasureLiftRequested',
  APPROVE: 'DvMeasureApproved',
  DECLINE: 'DvMeasureDeclined',
  RENEWAL_DUE: 'DvMeasureRenewalDue',
  LAPSE: 'DvMeasureLapsed',
} as const;

/** Days before the end at which the sweep raises the renewal task for the department. */
export const DV_RENEWAL_NOTICE_DAYS = 30;

/** `YYYY-MM-DD` plus whole years and days, on the calendar (no time zone involved). */
export function addToDate(date: string, { years = 0, days = 0 }: { years?: number; days?: number }): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
