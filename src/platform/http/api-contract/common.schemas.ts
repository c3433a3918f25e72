import { z } from 'zod';

/** Text in both languages: a code's label, a sentence of the timeline, a refusal's reason. */
export const LabelSchema = z.object({ ja: z.string(), en: z.string() }).meta({ id: 'Label' });

/** A code beside what people read for it. */
export const LabelledCodeSchema = z.object({ code: z.string(), label: LabelSchema }).meta({ id: 'LabelledCode' });
