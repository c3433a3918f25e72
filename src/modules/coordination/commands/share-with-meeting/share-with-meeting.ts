import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { EventLog } from '../../../../platform/events/event-log';
import { AppError } from '../../../../platform/http/app-error';
import type { RequestAuth } from '../../../access/request-auth';
import { AuditLog } from '../../../audit/audit-log.service';
import { CaseSchema } from '../../../cases/domain/case.entity';
import { DisclosureSchema } from '../../../referrals/domain/referral.entity';
import { PersonHoldings } from '../../../people/person-holdings';
import { buildSharedPackage } from '../../../referrals/shared-package.builder';
import { coordinationContext, loadCoordination } from '../../coordination-access';
import type { ShareWithMeetingInput } from '../../domain/coordination.schemas';
import { MeetingCaseSchema } from '../../domain/meeting.entity';
import { loadMeeting } from '../../meeting-access';

/**
 * Puts a case before a meeting and shares chosen items with its members: at a 支援会議 on
 * 社会福祉法106条の6 (members bound by 守秘義務), at a 重層的支援会議 only with each person's own consent
 * naming every member's department.
 */
export class ShareWithMeetingCommand extends Command<{ id: string; legalBasis: string }> {
  constructor(
    readonly auth: RequestAuth,
    readonly meetingId: string,
    readonly input: ShareWithMeetingInput,
  ) {
    super();
  }
}

@CommandHandler(ShareWithMeetingCommand)
export class ShareWithMeetingHandler implements ICommandHandler<ShareWithMeetingCommand> {
  constructor(
    private readonly db: Db,
    private readonly events: EventLog,
    private readonly audit: AuditLog,
    private readonly holdings: PersonHoldings,
  ) {}

  execute({ auth, meetingId, input }: ShareWithMeetingCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const { meeting, members } = await loadMeeting(em, auth, meetingId, 'update');
      const coordination = await loadCoordination(em, auth, input.coordinationCaseId, 'update');
      const found = await em.findOneOrFail(CaseSchema, { id: coordination.caseId });
      if (meeting.kind === 'juso_kaigi' && !(await coordinationContext(em, coordination)).hasConsent) {
        throw refused('hasConsent', { ja: '重層的支援会議で扱えるのは本人の同意があるケースだけです。', en: 'A 重層的支援会議 may only discuss cases with the person’s consent.' });
      }
      const unacknowledged = members.filter((m) => !m.confidentialityAcknowledgedAt);
      if (members.length === 0 || (meeting.kind === 'shien_kaigi' && unacknowledged.length)) {
        throw refused('membersAcknowledgedConfidentiality', { ja: '守秘義務を確認した構成員がそろっていません。', en: 'Not every member has acknowledged confidentiality.' });
      }
      const legalBasis = meeting.kind === 'shien_kaigi' ? 'SWA_SHIEN_KAIGI' : 'SWA_JUSO_KAIGI';
      const recipientDepartmentIds = [...new Set(members.flatMap((m) => (m.departmentId ? [m.departmentId] : [])))];
      const { shared } = await buildSharedPackage(em, auth, found, { share: input.share, legalBasis, recipientDepartmentIds, meetingKind: meeting.kind }, this.holdings);
      const item = em.create(MeetingCaseSchema, { tenantId: found.tenantId, meetingId, coordinationCaseId: coordination.id, caseId: found.id, legalBasis, shared, sharedBy: auth.principal.id });
      const receipt = (subjectType: string, subjectId: string, subjectVersion: number, fields: string[], personId: string | null) =>
        em.create(DisclosureSchema, { tenantId: found.tenantId, referralId: null, personId, subjectType, subjectId, subjectVersion, fields, recipientType: 'Meeting', recipientId: meetingId, legalBasis, reason: meeting.title, disclosedBy: auth.principal.id });
      if (shared.case.fields.length) receipt('Case', found.id, shared.case.version, shared.case.fields, null);
      shared.persons.forEach((p) => receipt('Person', p.personId, p.version, p.fields, p.personId));
      await em.flush();
      this.events.append(em, auth.audit, { aggregateType: 'MeetingCase', aggregateId: item.id, aggregateVersion: 1, caseId: found.id, type: 'CaseSharedWithMeeting', payload: { meetingId, kind: meeting.kind, legalBasis, members: members.length } });
      await em.flush();
      for (const person of shared.persons.length ? shared.persons : [{ personId: null, fields: [] as string[] }]) {
        await this.audit.append(em, auth.audit, { action: 'meeting.share', subjectType: 'Meeting', subjectId: meetingId, personId: person.personId, legalBasis, outcome: 'allowed', detail: { caseId: found.id, fields: person.fields, caseFields: shared.case.fields } });
      }
      return { id: item.id, legalBasis };
    });
  }
}

function refused(guard: string, detail: { ja: string; en: string }) {
  return new AppError('guard_failed', { detail, meta: { guards: [guard] } });
}
