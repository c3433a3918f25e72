import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestAuth } from '../access/request-auth';
import { liveCaseGrants, type CaseGrant } from '../directory/domain/principal';
import { AuditLog } from './audit-log.service';

export type GrantedRead = 'case.read' | 'case.timeline' | 'case.list';

/** The live grant, if any, that lets this caller read the case. */
export function grantFor(auth: RequestAuth, caseId: string): CaseGrant | undefined {
  return liveCaseGrants(auth.principal).find((g) => g.caseId === caseId);
}

/** Every read made under an access grant names the grant in the audit log, so it can be justified later. */
@Injectable()
export class GrantedReads {
  constructor(private readonly audit: AuditLog) {}

  async record(em: EntityManager, auth: RequestAuth, caseIds: string[], via: GrantedRead): Promise<void> {
    for (const grant of liveCaseGrants(auth.principal).filter((g) => caseIds.includes(g.caseId))) {
      await this.audit.append(em, auth.audit, {
        action: 'access-grant.use',
        subjectType: 'Case',
        subjectId: grant.caseId,
        outcome: 'allowed',
        detail: { grantId: grant.grantId, via, includeSensitive: grant.includeSensitive },
      });
    }
  }
}
