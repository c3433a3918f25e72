import { DepartmentSchema, DistrictSchema } from './modules/directory/domain/department.entity';
import { RoleAssignmentSchema, StaffSchema } from './modules/directory/domain/staff.entity';
import { SupporterSchema } from './modules/directory/domain/supporter.entity';
import { TenantSchema } from './modules/directory/domain/tenant.entity';
import { RoleChangeSchema } from './modules/directory/domain/role-change.entity';
import { TenantSettingsSchema } from './modules/directory/domain/tenant-settings.entity';
import { CaseNoteSchema, CasePersonSchema, CaseSchema } from './modules/cases/domain/case.entity';
import { HouseholdSchema, PersonSchema } from './modules/people/domain/person.entity';
import { PersonChangeSchema } from './modules/people/domain/person-change.entity';
import { PersonMergeSchema } from './modules/people/domain/person-merge.entity';
import { PersonConsentSchema } from './modules/people/consents/person-consent.entity';
import { InformationRequestSchema } from './modules/information-requests/domain/information-request.entity';
import { DvMeasureSchema } from './modules/people/domain/dv-measure.entity';
import { DisclosureSchema, ReferralSchema } from './modules/referrals/domain/referral.entity';
import { DomainEventSchema } from './platform/events/domain-event.entity';
import { CoordinationCaseSchema, EscalationEvaluationSchema, EscalationRuleSetSchema, EscalationSchema } from './modules/coordination/domain/coordination.entity';
import { MeetingCaseSchema, MeetingMemberSchema, MeetingSchema } from './modules/coordination/domain/meeting.entity';
import {
  DisasterSchema,
  EvacuationPlanSchema,
  EvacuationSettingsSchema,
  ProvisionSchema,
  RegisterEntrySchema,
  RegisterImportSchema,
  RenewalCampaignSchema,
  ReturnTaskSchema,
} from './modules/evacuation-support/domain/register.entity';
import { AuditVerificationSchema } from './modules/audit/domain/audit-verification.entity';
import { AccessGrantSchema } from './modules/audit/domain/access-grant.entity';
import { ParticipationResourceSchema } from './modules/participation/domain/resource.entity';
import { ParticipationConnectionSchema } from './modules/participation/domain/connection.entity';
import { VolunteerSchema } from './modules/participation/domain/volunteer.entity';
import { WindowVisitSchema } from './modules/participation/domain/window-visit.entity';
import { GoalEvaluationSchema, MonitoringReviewSchema, PlanTaskSchema, SupportPlanSchema } from './modules/coordination/domain/plan.entity';

/** Every entity of the service, for the ORM, the migrator and the seeder alike. */
export const ENTITIES = [
  TenantSchema,
  TenantSettingsSchema,
  DepartmentSchema,
  DistrictSchema,
  StaffSchema,
  RoleAssignmentSchema,
  RoleChangeSchema,
  SupporterSchema,
  HouseholdSchema,
  PersonSchema,
  PersonChangeSchema,
  PersonMergeSchema,
  CaseSchema,
  CasePersonSchema,
  PersonConsentSchema,
  CaseNoteSchema,
  ReferralSchema,
  DisclosureSchema,
  InformationRequestSchema,
  DvMeasureSchema,
  DomainEventSchema,
  CoordinationCaseSchema,
  EscalationSchema,
  EscalationRuleSetSchema,
  EscalationEvaluationSchema,
  MeetingSchema,
  MeetingMemberSchema,
  MeetingCaseSchema,
  SupportPlanSchema,
  PlanTaskSchema,
  MonitoringReviewSchema,
  GoalEvaluationSchema,
  EvacuationSettingsSchema,
  RegisterEntrySchema,
  RegisterImportSchema,
  DisasterSchema,
  ProvisionSchema,
  EvacuationPlanSchema,
  RenewalCampaignSchema,
  ReturnTaskSchema,
  AuditVerificationSchema,
  AccessGrantSchema,
  ParticipationResourceSchema,
  ParticipationConnectionSchema,
  VolunteerSchema,
  WindowVisitSchema,
];
