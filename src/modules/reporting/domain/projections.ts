import { caseActivityProjection } from './case-activity-projection';
import { coordinationProjection } from './coordination-projection';
import { criteriaTriggerProjection } from './criteria-trigger-projection';
import type { Projection } from './projection';
import { referralProjection } from './referral-projection';
import { taskProjection } from './task-projection';

/** Facts differ per read model; code that handles them all relies on the shared part only. */
export type AnyProjection = Projection<any>;

/** Every read model the managers' figures come from, in rebuild order. */
export const PROJECTIONS: readonly AnyProjection[] = [referralProjection, coordinationProjection, taskProjection, caseActivityProjection, criteriaTriggerProjection];
