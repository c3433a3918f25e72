import { z } from 'zod';
import { LabelSchema } from '../../platform/http/api-contract/common.schemas';

export const VocabularyCodeSchema = LabelSchema.extend({ code: z.string() }).meta({ id: 'VocabularyCode' });

/** Every labelled code list by its name (`role`, `sex`, `case.state`, …), each code in its defined order. */
export const VocabularySchema = z.record(z.string(), z.array(VocabularyCodeSchema)).meta({ id: 'Vocabulary' });
