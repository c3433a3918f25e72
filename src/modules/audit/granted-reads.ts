import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestAuth } from '../access/request-auth';
import { liveCaseGrants, type CaseGrant } from '../directory/domain/principal';
import { notFound } from '../../platform/http/app-error';
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
    const used = liveCaseGrants(auth.principal).filter((g) => caseIds.includes(g.caseId));
    if (used.length === 0) return;
    // The grants were read when the request began; one revoked or lapsed since then must not serve
    // this read. FOR SHARE holds a revoke back until this read has committed.
    const live = await em.execute<{ id: string }[]>(
      `select id from access_grants where id in (${used.map(() => '?').join(', ')}) and state = 'granted' and expires_at > now() for share`,
      used.map((g) => g.grantId),
    );
    if (live.length < used.length) throw notFound({ ja: 'ケースが見つかりません。', en: 'No such case.' });
    for (const grant of used) {
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
