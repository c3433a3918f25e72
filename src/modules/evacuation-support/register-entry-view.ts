import { subject } from '@casl/ability';
import { acceptedEvents } from '../../platform/workflow/workflow';
import type { RequestAuth } from '../access/request-auth';
import type { EvacuationPlan, RegisterEntry } from './domain/register.entity';
import { REGISTER_ACTIONS, registerMachine, type RegisterAction } from './domain/register.machine';

/** A plan may be made or changed only for a registered entry (save-evacuation-plan refuses the rest). */
const PLANNED_STATES: ReadonlySet<string> = new Set(['registered', 'renewal_notice_sent']);

/**
 * What the caller may do with an entry now: the machine's actions the entry's state accepts (probed
 * with a valid answer and reason) and the caller's ability allows, plus save-plan. The console draws
 * its buttons from this, so it never offers what the server would refuse.
 */
export function allowedEntryActions(auth: RequestAuth, entry: RegisterEntry): (RegisterAction | 'save-plan')[] {
  const record = subject('RegisterEntry', { ...entry });
  const actions: (RegisterAction | 'save-plan')[] = [];
  if (auth.ability.can('update', record)) actions.push(...machineActions(entry.state));
  if (PLANNED_STATES.has(entry.state) && auth.ability.can('update', subject('EvacuationPlan', { ...entry }))) actions.push('save-plan');
  return actions;
}

const actionsByState = new Map<string, RegisterAction[]>();

/** The machine's actions a state accepts: the machine is pure, so each state is probed once, not once per entry of every list. */
function machineActions(state: string): RegisterAction[] {
  let actions = actionsByState.get(state);
  if (!actions) {
    const accepted = acceptedEvents(registerMachine, state, {}, (type) => ({ type, provision: 'consent', reason: 'own_request' }) as never);
    actions = (Object.entries(REGISTER_ACTIONS) as [RegisterAction, string][]).filter(([, event]) => accepted.includes(event)).map(([action]) => action);
    actionsByState.set(state, actions);
  }
  return actions;
}

/** The plan as its editor reads it back. */
export function planDetails(plan: EvacuationPlan) {
  return {
    helper: plan.helper,
    helperConsent: plan.helperConsent,
    shelter: plan.shelter,
    route: plan.route,
    careNotes: plan.careNotes ?? undefined,
    medicalDevices: plan.medicalDevices ?? undefined,
    medication: plan.medication ?? undefined,
    emergencyContacts: plan.emergencyContacts,
  };
}
