import type { LegalBasis } from './legal-basis';

export type AuditOutcome = 'allowed' | 'denied';

/** Who acted, as the audit log records it: never trusted from the token, always from the directory. */
export interface AuditActor {
  type: 'staff' | 'supporter' | 'system';
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
