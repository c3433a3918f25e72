import { vocabulary } from '../../../platform/vocabulary/vocabulary';
import type { LegalBasis } from './legal-basis';

export const AUDIT_OUTCOME_LABELS = vocabulary('auditOutcome', {
  allowed: { ja: '許可', en: 'Allowed' },
  denied: { ja: '拒否', en: 'Denied' },
});
export type AuditOutcome = (typeof AUDIT_OUTCOME_LABELS.codes)[number];

export const ACTOR_TYPE_LABELS = vocabulary('actorType', {
  staff: { ja: '職員', en: 'Staff' },
  supporter: { ja: '避難支援等関係者', en: 'Supporter' },
  system: { ja: 'システム', en: 'System' },
});

/** Who acted, as the audit log records it: never trusted from the token, always from the directory. */
export interface AuditActor {
  type: (typeof ACTOR_TYPE_LABELS.codes)[number];
  id: string | null;
  roles: string[];
  departmentId: string | null;
}

/** What every audit row of one request shares. */
export interface AuditContext {
  tenantId: string;
  requestId: string | null;
  actor: AuditActor;
}

export interface AuditEntry {
  action: string;
  subjectType: string;
  subjectId?: string | null;
  /** For personal data: the person it is about, so "who saw this person" can be answered. */
  personId?: string | null;
  legalBasis?: LegalBasis | null;
  outcome: AuditOutcome;
  detail?: Record<string, unknown>;
}
