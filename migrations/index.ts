import { Migration20261123000000_foundation } from './Migration20261123000000_foundation';
import { Migration20261123010000_cases_referrals } from './Migration20261123010000_cases_referrals';
import { Migration20261123020000_coordination } from './Migration20261123020000_coordination';
import { Migration20261123030000_evacuation_support } from './Migration20261123030000_evacuation_support';
import { Migration20261123040000_reporting } from './Migration20261123040000_reporting';
import { Migration20261123050000_projections } from './Migration20261123050000_projections';
import { Migration20261123060000_audit_access_grants } from './Migration20261123060000_audit_access_grants';
import { Migration20261123070000_audit_verification } from './Migration20261123070000_audit_verification';
import { Migration20261123080000_referral_rollups } from './Migration20261123080000_referral_rollups';
import { Migration20261127020000_role_change_requests } from './Migration20261127020000_role_change_requests';
import { Migration20261127050000_person_holdings } from './Migration20261127050000_person_holdings';
import { Migration20261127060000_idempotency_lease } from './Migration20261127060000_idempotency_lease';
import { Migration20261127143000_people_record } from './Migration20261127143000_people_record';

/** Every migration in order. Listed explicitly so they load the same way under Node, tsx and Jest. */
export const migrationsList = [
  Migration20261123000000_foundation,
  Migration20261123010000_cases_referrals,
  Migration20261123020000_coordination,
  Migration20261123030000_evacuation_support,
  Migration20261123040000_reporting,
  Migration20261123050000_projections,
  Migration20261123060000_audit_access_grants,
  Migration20261123070000_audit_verification,
  Migration20261123080000_referral_rollups,
  Migration20261127020000_role_change_requests,
  Migration20261127050000_person_holdings,
  Migration20261127060000_idempotency_lease,
  Migration20261127143000_people_record,
];
