import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceFiles } from '../../../../test/support/source-files';
import { ACCESS_ACTION_LABELS } from '../../access/access-action-labels';
import { CASE_ACTIONS } from '../../cases/domain/case.schemas';
import { CASE_LABELS } from '../../cases/domain/case.machine';
import { COORDINATION_ACTIONS, COORDINATION_LABELS } from '../../coordination/domain/coordination.machine';
import { decideEscalationParam } from '../../coordination/domain/coordination.schemas';
import { ROLE_CHANGE_ACTIONS } from '../../directory/domain/role-change.schemas';
import { ROLE_CHANGE_LABELS } from '../../directory/domain/role-change.machine';
import { PROVISION_KIND_LABELS } from '../../evacuation-support/domain/register.entity';
import { REGISTER_EVENTS, REGISTER_LABELS } from '../../evacuation-support/domain/register.machine';
import { INFORMATION_REQUEST_ACTIONS } from '../../information-requests/domain/information-request.schemas';
import { INFORMATION_REQUEST_LABELS } from '../../information-requests/domain/information-request.machine';
import { DV_MEASURE_ACTIONS } from '../../people/domain/dv-measure.schemas';
import { DV_MEASURE_LABELS } from '../../people/domain/dv-measure.machine';
import { REFERRAL_ACTIONS } from '../../referrals/domain/referral.schemas';
import { REFERRAL_LABELS } from '../../referrals/domain/referral.machine';
import { ACCESS_GRANT_ACTIONS, ACCESS_GRANT_EVENTS } from './access-grant.schemas';
import { ACCESS_GRANT_LABELS } from './access-grant.machine';
import { AUDIT_ACTION_LABELS, AUDIT_ACTION_SUBJECT_LABELS, auditActionLabel } from './audit-actions';
import type { WorkflowLabels } from '../../../platform/vocabulary/workflow-labels';

/**
 * Every action the service can write to the audit log has a label. The literal actions are found in
 * the source, not listed; each action built from a value (`case.${action}`) is found too, and must be
 * one of the families below, which say the values it takes.
 */

/** The source, less the labels' own file (its keys are labelled, and it names the step lists). */
const SOURCE = sourceFiles(join(__dirname, '../../..'))
  .filter((file) => file !== join(__dirname, 'audit-actions.ts'))
  .map((file) => ({ file, text: readFileSync(file, 'utf8') }));

/** `'x.y'` literals that are not actions: request fields, SQL aliases and settings, file names (a worker thread's too). */
const NOT_AN_ACTION = /^(body|query|header|path|app|a|d|p|v)\.|\.(csv|json|jsonl|log|pid|new|html)$|\.worker\b/;

/** Literal `'<subject>.<verb>'` strings anywhere in the source: the log's actions among them. */
const literalActions = () => [...new Set(SOURCE.flatMap(({ text }) => [...text.matchAll(/'([a-z][a-z-]*\.[a-z][a-z_-]*)'/g)].map(([, code]) => code)))].filter((code) => !NOT_AN_ACTION.test(code)).sort();

/** Template literals that build an action (`case.${action}`), as written. */
const builtActions = () => [...new Set(SOURCE.flatMap(({ text }) => [...text.matchAll(/`([a-z][a-z-]*\.[a-z-]*)\$\{([^}]*)\}`/g)].map(([, head, value]) => `${head}\${${value}}`)))].filter((t) => !NOT_AN_ACTION.test(t)).sort();

const kebab = (keys: object) => Object.keys(keys);
const lower = (keys: object) => Object.keys(keys).map((k) => k.toLowerCase());

/** Each built action, with the values it is built from and the machine whose events label them. */
const FAMILIES: Record<string, { values: string[]; machine?: WorkflowLabels }> = {
  'case.${action}': { values: kebab(CASE_ACTIONS), machine: CASE_LABELS },
  'referral.${action}': { values: kebab(REFERRAL_ACTIONS), machine: REFERRAL_LABELS },
  'information-request.${action}': { values: kebab(INFORMATION_REQUEST_ACTIONS), machine: INFORMATION_REQUEST_LABELS },
  'coordination.${action}': { values: kebab(COORDINATION_ACTIONS), machine: COORDINATION_LABELS },
  'dv-measure.${action}': { values: kebab(DV_MEASURE_ACTIONS), machine: DV_MEASURE_LABELS },
  'coordination.escalation-${decision}': { values: decideEscalationParam.options },
  'register.${event.type.toLowerCase()}': { values: lower(REGISTER_EVENTS), machine: REGISTER_LABELS },
  'role-change.${action}': { values: kebab(ROLE_CHANGE_ACTIONS), machine: ROLE_CHANGE_LABELS },
  'role-change.${step}': { values: ['request', ...kebab(ROLE_CHANGE_ACTIONS)] },
  'access-grant.${action}': { values: kebab(ACCESS_GRANT_ACTIONS), machine: ACCESS_GRANT_LABELS },
  'access-grant.${step.toLowerCase()}': { values: lower(ACCESS_GRANT_EVENTS) },
  'roster.${request.kind}': { values: PROVISION_KIND_LABELS.codes },
  'person.${action}': { values: ACCESS_ACTION_LABELS.codes },
};

const expand = (template: string, values: string[]) => values.map((value) => template.replace(/\$\{[^}]*\}/, value));

describe('audit action labels', () => {
  it('finds the literal actions in the source, and labels each in both languages', () => {
    const found = literalActions();
    expect(found).toEqual(expect.arrayContaining(['case.read', 'audit.export', 'referral.overdue', 'disaster.declare']));
    expect(found.filter((code) => !auditActionLabel(code)?.ja || !auditActionLabel(code)?.en)).toEqual([]);
  });

  it('knows every action the source builds from a value, and labels each value', () => {
    expect(builtActions().filter((template) => !FAMILIES[template])).toEqual([]);
    const unlabelled = Object.entries(FAMILIES).flatMap(([template, { values }]) => expand(template, values).filter((code) => !auditActionLabel(code)));
    expect(unlabelled).toEqual([]);
  });

  it('labels a machine step by composing the subject with the machine’s own event label', () => {
    expect(auditActionLabel('case.resume-support')).toEqual({ ja: 'ケースの支援再開', en: 'Case: resume support' });
    expect(auditActionLabel('register.send_notice')?.ja).toBe('名簿の登録案内の送付');
    for (const [template, { values, machine }] of Object.entries(FAMILIES)) {
      if (!machine) continue;
      const subject = AUDIT_ACTION_SUBJECT_LABELS.labels[template.slice(0, template.indexOf('.')) as keyof typeof AUDIT_ACTION_SUBJECT_LABELS.labels];
      for (const value of values) {
        const event = machine.events.labels[value.replaceAll('-', '_').toUpperCase()];
        const code = expand(template, [value])[0];
        // A step labelled whole (a literal too) may say more; every other one composes.
        if (!AUDIT_ACTION_LABELS.has(code)) expect([code, auditActionLabel(code)?.ja]).toEqual([code, `${subject.ja}の${event.ja}`]);
      }
    }
  });

  it('labels a bare permission check (a refusal), and leaves an unknown code unlabelled', () => {
    expect(auditActionLabel('read')?.ja).toBe('閲覧');
    expect(auditActionLabel('undeclared')?.ja).toBeTruthy();
    expect(auditActionLabel('person.readContact')?.ja).toBe('個人の連絡先の閲覧');
    expect(auditActionLabel('case.nonsense')).toBeUndefined();
    expect(auditActionLabel('nonsense.read')).toBeUndefined();
  });

  it('gives every literal action a subject that is labelled, and no two actions the same Japanese label', () => {
    expect(AUDIT_ACTION_LABELS.codes.filter((code) => !AUDIT_ACTION_SUBJECT_LABELS.has(code.slice(0, code.indexOf('.'))))).toEqual([]);
    const all = [...new Set([...literalActions(), ...Object.entries(FAMILIES).flatMap(([t, { values }]) => expand(t, values))])];
    const byLabel = new Map<string, string[]>();
    for (const code of all) byLabel.set(auditActionLabel(code)!.ja, [...(byLabel.get(auditActionLabel(code)!.ja) ?? []), code]);
    expect([...byLabel.values()].filter((codes) => codes.length > 1)).toEqual([]);
  });
});
