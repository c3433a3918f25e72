import { caseMachine } from './modules/cases/domain/case.machine';
import { dvMeasureMachine } from './modules/people/domain/dv-measure.machine';
import { informationRequestMachine } from './modules/information-requests/domain/information-request.machine';
import { referralMachine } from './modules/referrals/domain/referral.machine';
import { coordinationMachine } from './modules/coordination/domain/coordination.machine';
import { registerMachine } from './modules/evacuation-support/domain/register.machine';
import { accessGrantMachine } from './modules/audit/domain/access-grant.machine';
import { connectionMachine } from './modules/participation/domain/connection.machine';
import { roleChangeMachine } from './modules/directory/domain/role-change.machine';

/** Every workflow machine, by the name clients use; charts are served from here. */
export const WORKFLOWS = { case: caseMachine, referral: referralMachine, 'information-request': informationRequestMachine, 'dv-measure': dvMeasureMachine, coordination: coordinationMachine, register: registerMachine, 'access-grant': accessGrantMachine, 'role-change': roleChangeMachine, 'participation-connection': connectionMachine } as const;
