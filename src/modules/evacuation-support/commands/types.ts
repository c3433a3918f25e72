import type { z } from 'zod';
import type { eligibilityRulesSchema } from '../domain/eligibility';

export type RuleSetInput = z.infer<typeof eligibilityRulesSchema>;
