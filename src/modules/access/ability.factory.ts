import { Injectable } from '@nestjs/common';
import { AbilityBuilder, createMongoAbility, type ForcedSubject, type MongoAbility, type MongoQuery } from '@casl/ability';
import { coordinatesCollaboration, departmentsResponsibleFor, departmentsWhere, hasRole, liveCaseGrants, staffDepartments, type Principal, type RoleInDepartment } from '../directory/domain/principal';
import { todayInJapan } from '../../platform/calendar/today';
import { VISIBLE_TO_RECEIVER_STATES } from '../referrals/domain/referral.machine';

export type Action =
  | 'read'
  | 'create'
  | 'update'
  | 'verify'
  | 'refer'
  | 'respond'
  | 'withdraw'
  | 'readSensitive'
  | 'readContact'
  | 'shareSpecial'
  | 'escalate'
  | 'decide'
  | 'readShared'
  | 'report'
  | 'configure'
  | 'revoke'
  | 'merge';
export type SubjectType =
  | 'Me'
  | 'Department'
  | 'Staff'
  | 'TenantSettings'
  | 'AuditLog'
  | 'AccessGrant'
  | 'RoleChange'
  | 'Case'
  | 'Referral'
  | 'InformationRequest'
  | 'DvMeasure'
  | 'Person'
  | 'PersonConsent'
  | 'PersonDisclosure'
  | 'IntakeCheck'
  | 'Workflow'
  | 'Vocabulary'
  | 'CoordinationCase'
  | 'Escalation'
  | 'EscalationCriteria'
  | 'Meeting'
  | 'PlanTask'
  | 'RegisterEntry'
  | 'EvacuationSettings'
  | 'EvacuationPlan'
  | 'Roster'
  | 'Disaster'
  | 'ReturnTask'
  | 'ParticipationResource'
  | 'ParticipationConnection'
  | 'ParticipationFigures'
  | 'WindowVisit'
  | 'Volunteer'
  | 'Dashboard';
export type SubjectRecord = ForcedSubject<SubjectType>;
export type AppAbility = MongoAbility<[Action, SubjectType | SubjectRecord], MongoQuery>;

type RuleMaker = (action: Action | Action[], subject: SubjectType | SubjectType[], fieldsOrConditions?: string[] | MongoQuery, conditions?: MongoQuery) => void;

/** What the lead department sees of the coordination of its case (see collaboration()). */
export const LEAD_DEPARTMENT_COORDINATION_FIELDS = ['id', 'caseId', 'leadDepartmentId', 'state', 'version', 'allowedActions', 'coordinatorId', 'closureReason', 'plan', 'tasks', 'updatedAt'];

/** What a department manager may see of a colleague: enough to route work, no account details. */
export const STAFF_DIRECTORY_FIELDS = ['id', 'displayName', 'roles'];

/**
 * What reaches residents' personal data, directly or by deciding who may: a role that adds a rule on
 * one of these to a staff member opens personal data, so giving it needs a second person (see opens).
 */
const PERSONAL_DATA: Partial<Record<SubjectType, readonly Action[] | 'any'>> = {
  Case: 'any',
  Person: 'any',
  PersonConsent: 'any',
  PersonDisclosure: 'any',
  IntakeCheck: 'any',
  Referral: 'any',
  InformationRequest: 'any',
  DvMeasure: 'any',
  CoordinationCase: 'any',
  Escalation: 'any',
  Meeting: 'any',
  PlanTask: 'any',
  RegisterEntry: 'any',
  EvacuationPlan: 'any',
  Roster: 'any',
  ParticipationConnection: 'any',
  WindowVisit: 'any',
  Volunteer: ['readContact'],
  AuditLog: ['read'],
  AccessGrant: ['decide'],
  RoleChange: ['decide'],
};

/**
 * The single place where authorization is decided. Routes declare the action they need, handlers
 * check the exact record, and list queries turn the same rules into SQL (see accessibleWhere).
 */
@Injectable()
export class AbilityFactory {
  for(principal: Principal): AppAbility {
    const builder = new AbilityBuilder<AppAbility>(createMongoAbility);
    // Subjects are named by string, so CASL cannot infer their fields: conditions are plain Mongo queries.
    const can = builder.can as unknown as RuleMaker;
    const cannot = builder.cannot as unknown as RuleMaker;
    const build = () => builder.build();
    const ownTenant = { tenantId: principal.tenantId };
    can('read', 'Me');
    // DV等支援措置: contact details reach only the named protectors, whoever reads. No override here, by design.
    // `dvProtected`/`dvProtectorIds` are the protection in force, decided in SQL (people/dv-protection.ts).
    can('readContact', 'Person', ownTenant);
    cannot('readContact', 'Person', { dvProtected: true });
    can('readContact', 'Person', { ...ownTenant, dvProtected: true, dvProtectorIds: principal.id });
    if (principal.kind === 'supporter') {
      // 避難支援等関係者: their own 地区 only; whether a basis exists is decided per person by the roster.
      can('read', 'Roster', { ...ownTenant, districtCode: { $in: principal.districtCodes } });
      can('read', 'Disaster', ownTenant);
      can(['read', 'update'], 'ReturnTask', { ...ownTenant, supporterId: principal.id });
      // Supporters read codes too (the roster's basis and sex): the words for them are no secret.
      can('read', 'Vocabulary');
      // 社会福祉協議会 staff keep the directory of places and activities with the departments.
      if (principal.organizationType === 'shakyo') {
        can(['read', 'create', 'update'], ['ParticipationResource', 'Volunteer'], ownTenant);
        can('readContact', 'Volunteer', { ...ownTenant, contactConsent: true });
      }
      return build();
    }

    can('read', 'Department', ownTenant);
    if (hasRole(principal, 'admin')) {
      can(['read', 'create', 'update'], 'Staff', ownTenant);
      can(['read', 'update'], 'TenantSettings', ownTenant);
      can('update', 'Dashboard', ownTenant);
    }
    if (hasRole(principal, 'manager') || hasRole(principal, 'coordinator')) can('read', 'Dashboard', ownTenant);
    // Managers see who works where; coordinators choose the staff members of a 支援会議 (names and roles only).
    if (hasRole(principal, 'manager') || hasRole(principal, 'coordinator')) {
      can('read', 'Staff', STAFF_DIRECTORY_FIELDS, ownTenant);
    }
    if (hasRole(principal, 'auditor')) {
      can(['read', 'verify'], 'AuditLog', ownTenant);
    }
    this.accessGrants(principal, can);
    can('read', 'Workflow');
    can('read', 'Vocabulary');

    // Cases belong to their lead department: its counselors and coordinators work them, its manager reads them.
    const working = [...departmentsWhere(principal, 'counselor'), ...departmentsWhere(principal, 'coordinator')];
    const managing = departmentsWhere(principal, 'manager');
    const any = [...new Set([...working, ...managing])];
    if (working.length) {
      can(['create', 'read', 'update', 'refer', 'readSensitive'], 'Case', { ...ownTenant, leadDepartmentId: { $in: working } });
      can('withdraw', 'Referral', { ...ownTenant, fromDepartmentId: { $in: working } });
    }
    if (managing.length) {
      can('read', 'Case', { ...ownTenant, leadDepartmentId: { $in: managing } });
      // 目的外提供 on special grounds (個保法69条②4) needs a manager of the sending department: a counselor
      // prepares the share, the manager approves or returns it (never their own: the machine refuses that).
      can('shareSpecial', 'Referral', { ...ownTenant, fromDepartmentId: { $in: managing } });
    }
    if (any.length) {
      can('read', 'Referral', { ...ownTenant, fromDepartmentId: { $in: any } });
      // The receiver sees a referral only while it stands: declined, withdrawn or expired ends it.
      // Its manager can act for an absent counselor.
      const receiving = { ...ownTenant, toDepartmentId: { $in: any }, state: { $in: [...VISIBLE_TO_RECEIVER_STATES] } };
      can(['read', 'respond'], 'Referral', receiving);
    }

    this.people(principal, can, working, managing);
    this.informationRequests(principal, can, cannot, working, managing);
    this.collaboration(principal, can, working, any);
    this.evacuationRegister(principal, can, working);
    this.roleChanges(principal, can, cannot, managing);
    this.participation(principal, can, working, any, managing);
    return build();
  }

  /**
   * 監査のための閲覧特例: auditors see metadata, not case contents, unless a grant someone else approved
   * lets them read one case, read-only, until it expires. An auditor without a live grant still has
   * the rule (matching no case), so every case answers them 404 alike. DV contacts stay blocked below.
   */
  private accessGrants(principal: Principal, can: RuleMaker): void {
    const ownTenant = { tenantId: principal.tenantId };
    if (hasRole(principal, 'auditor')) {
      can(['read', 'create'], 'AccessGrant', ownTenant);
      can('revoke', 'AccessGrant', { ...ownTenant, requestedBy: principal.id });
      const grants = liveCaseGrants(principal);
      can('read', 'Case', { ...ownTenant, id: { $in: grants.map((g) => g.caseId) } });
      const sensitive = grants.filter((g) => g.includeSensitive).map((g) => g.caseId);
      if (sensitive.length) can('readSensitive', 'Case', { ...ownTenant, id: { $in: sensitive } });
    }
    if (hasRole(principal, 'admin')) {
      // 総括保護管理者: decides others' requests, never their own.
      can('read', 'AccessGrant', ownTenant);
      // Ending a live grant early needs no reason; turning a pending request down does: that is a decline.
      can('revoke', 'AccessGrant', { ...ownTenant, state: 'granted' });
      can('decide', 'AccessGrant', { ...ownTenant, requestedBy: { $ne: principal.id } });
    }
  }

  /**
   * What one role in one department opens beyond what every staff member has, as `action Subject`
   * pairs read from the rules above; empty when it reaches no personal data. The one answer to
   * "does giving this role need a second person's approval?".
   */
  opens(tenantId: string, role: RoleInDepartment): string[] {
    const holding = (roles: RoleInDepartment[]): Principal => ({ kind: 'staff', id: '', tenantId, displayName: '', roles, caseGrants: [] });
    const everyone = new Set(this.for(holding([])).rules.map((rule) => JSON.stringify(rule)));
    const pairs = this.for(holding([role]))
      .rules.filter((rule) => !rule.inverted && !everyone.has(JSON.stringify(rule)))
      .flatMap((rule) => [rule.subject].flat().flatMap((subject) => [rule.action].flat().map((action) => [action, subject] as const)))
      .filter(([action, subject]) => {
        const reach = PERSONAL_DATA[subject as SubjectType];
        return reach === 'any' || !!reach?.includes(action as Action);
      });
    return [...new Set(pairs.map(([action, subject]) => `${action} ${subject}`))];
  }

  /**
   * 権限付与申請: roles that open personal data wait for a second person. An administrator asks; another
   * administrator, or the manager of the department the roles are in, decides. Nobody asks for their own
   * access, and nobody decides a request they made or one that would give them access.
   */
  private roleChanges(principal: Principal, can: RuleMaker, cannot: RuleMaker, managing: string[]): void {
    const ownTenant = { tenantId: principal.tenantId };
    if (hasRole(principal, 'admin')) {
      can(['read', 'create', 'decide'], 'RoleChange', ownTenant);
      can('withdraw', 'RoleChange', { ...ownTenant, requestedBy: principal.id });
    }
    if (managing.length) can(['read', 'decide'], 'RoleChange', { ...ownTenant, decidingDepartmentId: { $in: managing } });
    cannot('create', 'RoleChange', { staffId: principal.id });
    cannot('decide', 'RoleChange', { requestedBy: principal.id });
    cannot('decide', 'RoleChange', { staffId: principal.id });
  }

  /**
   * The person record, as one department holds it (`departmentId`: the department acting; PersonHoldings
   * decides which people and fields it holds). Its counselors find, read and correct; its manager reads,
   * and merges two records it holds that are one person (名寄せ) or undoes such a merge;
   * 要配慮個人情報 only to those who work cases. Any window may ask whether a person is already known
   * (断らない相談), which answers holding departments only. Consents and the disclosures made of a person
   * are their counselors' to record and read.
   */
  private people(principal: Principal, can: RuleMaker, working: string[], managing: string[]): void {
    const ownTenant = { tenantId: principal.tenantId };
    if (working.length) {
      can(['read', 'update', 'readSensitive'], 'Person', { ...ownTenant, departmentId: { $in: working } });
      can('create', 'IntakeCheck', ownTenant);
    }
    if (managing.length) can(['read', 'merge'], 'Person', { ...ownTenant, departmentId: { $in: managing } });
    // 本人同意 per person, and every disclosure made of them: the counselors of a department holding the person.
    const counseling = departmentsWhere(principal, 'counselor');
    if (counseling.length) {
      can(['read', 'create', 'withdraw'], 'PersonConsent', { ...ownTenant, departmentId: { $in: counseling } });
      can('read', 'PersonDisclosure', { ...ownTenant, departmentId: { $in: counseling } });
    }
    // DV等支援措置 (two people): a counselor of the department asks to set, extend or lift; its manager
    // decides. That the decider is not the requester is the measure's own rule (dv-measure.machine.ts).
    if (working.length) can(['create', 'update'], 'DvMeasure', { ...ownTenant, departmentId: { $in: working } });
    if (managing.length) can('decide', 'DvMeasure', { ...ownTenant, departmentId: { $in: managing } });
    const any = [...new Set([...working, ...managing])];
    if (any.length) can('read', 'DvMeasure', { ...ownTenant, departmentId: { $in: any } });
  }

  /**
   * 情報照会: a department's counselors and coordinators ask (and withdraw); both sides' staff read; the
   * holding department's counselors, coordinators or manager answer (only its manager approves on 69条②4). Nobody answers a request they made, and the requesting
   * department never answers its own (the holder is another department by construction).
   */
  private informationRequests(principal: Principal, can: RuleMaker, cannot: RuleMaker, working: string[], managing: string[]): void {
    const ownTenant = { tenantId: principal.tenantId };
    const any = [...new Set([...working, ...managing])];
    if (working.length) can(['create', 'withdraw'], 'InformationRequest', { ...ownTenant, fromDepartmentId: { $in: working } });
    if (any.length) {
      can('read', 'InformationRequest', { ...ownTenant, fromDepartmentId: { $in: any } });
      can(['read', 'respond'], 'InformationRequest', { ...ownTenant, toDepartmentId: { $in: any } });
    }
    // On 個保法69条②4 the disclosure is the holding department's manager's to approve, as a referral's special share.
    if (managing.length) can('shareSpecial', 'InformationRequest', { ...ownTenant, toDepartmentId: { $in: managing } });
    cannot(['respond', 'shareSpecial'], 'InformationRequest', { requestedBy: principal.id });
    cannot(['respond', 'shareSpecial'], 'InformationRequest', { fromDepartmentId: { $in: staffDepartments(principal) } });
  }

  /** 避難行動要支援者: 福祉課 keeps the register; any window can add a person; 安心安全課 declares disasters. */
  private evacuationRegister(principal: Principal, can: RuleMaker, working: string[]): void {
    const ownTenant = { tenantId: principal.tenantId };
    const keepers = departmentsResponsibleFor(principal, 'register');
    const disasterOffice = departmentsResponsibleFor(principal, 'disaster');
    can('read', 'Disaster', ownTenant);
    if (working.length) can('create', 'RegisterEntry', ownTenant);
    if (working.length) can(['create', 'update'], 'EvacuationPlan', ownTenant);
    if (keepers.length) {
      can(['read', 'create', 'update'], ['RegisterEntry', 'EvacuationPlan', 'EvacuationSettings'], ownTenant);
      can('read', 'Roster', ownTenant);
    }
    if (disasterOffice.length) can(['create', 'update'], 'Disaster', ownTenant);
  }

  /**
   * 参加支援: every department reads the directory of 社会資源 and keeps the entries it owns; connections
   * (a person's data told to a host) are the connecting department's: its counselors and coordinators
   * make and follow them, its manager reads them. Managers and coordinators read the figures.
   */
  private participation(principal: Principal, can: RuleMaker, working: string[], any: string[], managing: string[]): void {
    const ownTenant = { tenantId: principal.tenantId };
    if (!any.length) return;
    // The figures are counts, as the planning documents report them: managers and coordinators.
    if (managing.length || hasRole(principal, 'coordinator')) can('read', 'ParticipationFigures', ownTenant);
    can('read', 'ParticipationResource', ownTenant);
    can(['create', 'update'], 'ParticipationResource', { ...ownTenant, ownerDepartmentId: { $in: any } });
    can('read', 'ParticipationConnection', { ...ownTenant, departmentId: { $in: any } });
    if (working.length) can(['create', 'update'], 'ParticipationConnection', { ...ownTenant, departmentId: { $in: working } });
    // 相談窓口の利用 (window visits) are the receiving department's, like its connections.
    can('read', 'WindowVisit', { ...ownTenant, departmentId: { $in: any } });
    if (working.length) can('create', 'WindowVisit', { ...ownTenant, departmentId: { $in: working } });
    // 人財: listed people are read by every department; their contact only by those who work with people
    // (counselors, coordinators) and only with the person's consent to be contacted; the keeping department edits.
    can('read', 'Volunteer', ownTenant);
    can(['create', 'update'], 'Volunteer', { ...ownTenant, ownerDepartmentId: { $in: any } });
    if (working.length) can('readContact', 'Volunteer', { ...ownTenant, contactConsent: true });
  }

  /** 多機関協働: the coordinating department works escalated cases; every department reports on its tasks. */
  private collaboration(principal: Principal, can: RuleMaker, working: string[], any: string[]): void {
    const ownTenant = { tenantId: principal.tenantId };
    if (working.length) can('escalate', 'Case', { ...ownTenant, leadDepartmentId: { $in: working } });
    if (any.length) can(['read', 'report'], 'PlanTask', { ...ownTenant, departmentId: { $in: any } });
    // The department that escalated a case follows it: where it stands and the plan, not the
    // coordinator's working notes (reviews, evaluations) nor which meetings discussed it.
    if (any.length) can('read', 'CoordinationCase', LEAD_DEPARTMENT_COORDINATION_FIELDS, { ...ownTenant, leadDepartmentId: { $in: any } });
    // A meeting member reads what was shared with the meeting until its access lapses.
    can(['read', 'readShared'], 'Meeting', { ...ownTenant, memberStaffIds: principal.id, accessUntil: { $gte: todayInJapan() } });
    // Auditors see that a meeting was held, with whom and on which cases (the legal ground of what was
    // shared), not what was said or decided: minutes and decisions are case contents.
    if (hasRole(principal, 'auditor')) can('read', 'Meeting', ['id', 'kind', 'heldOn', 'accessUntil', 'members', 'cases'], ownTenant);
    if (hasRole(principal, 'admin')) can(['read', 'configure'], 'EscalationCriteria', ownTenant);
    if (!coordinatesCollaboration(principal)) return;
    const flagged = { ...ownTenant, coordinationStatus: { $in: ['candidate', 'pending', 'coordinating'] } };
    can('read', 'Case', flagged);
    can('read', 'EscalationCriteria', ownTenant);
    can('read', ['CoordinationCase', 'Escalation', 'Meeting', 'PlanTask'], ownTenant);
    if (!hasRole(principal, 'coordinator')) return;
    can('readSensitive', 'Case', { ...ownTenant, coordinationStatus: 'coordinating' });
    can(['create', 'update'], 'CoordinationCase', ownTenant);
    can('decide', 'Escalation', ownTenant);
    can(['create', 'update', 'readShared'], 'Meeting', ownTenant);
  }
}
