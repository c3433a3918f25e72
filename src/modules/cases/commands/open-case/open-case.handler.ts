import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { EventLog } from '../../../../platform/events/event-log';
import { fieldError } from '../../../../platform/http/app-error';
import { assertCan } from '../../../access/assert-can';
import type { RequestAuth } from '../../../access/request-auth';
import { AuditLog } from '../../../audit/audit-log.service';
import { departmentsWhere } from '../../../directory/domain/principal';
import { HouseholdSchema } from '../../../people/domain/person.entity';
import { CasePeople } from '../../case-people';
import { caseSummary } from '../../case-summary';
import { CasePersonSchema, CaseSchema } from '../../domain/case.entity';
import { CaseOpened } from '../../domain/case-events';
import { caseMachine } from '../../domain/case.machine';
import type { OpenCaseInput } from '../../domain/case.schemas';
import { OpenCaseCommand } from './open-case.command';

@CommandHandler(OpenCaseCommand)
export class OpenCaseHandler implements ICommandHandler<OpenCaseCommand> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
    private readonly people: CasePeople,
  ) {}

  async execute({ auth, input }: OpenCaseCommand) {
    const tenantId = auth.principal.tenantId;
    const requestedLead = leadDepartmentOf(auth, input.leadDepartmentId);
    assertCan(auth, 'create', 'Case', { tenantId, leadDepartmentId: requestedLead });
    const leadDepartmentId = requestedLead!; // assertCan refuses a missing department
    return this.db.inTenant(tenantId, async (em) => {
      const household = input.household ? em.create(HouseholdSchema, { tenantId, name: input.household.name }) : null;
      const persons = await this.people.resolve(em, auth, input.persons, household?.id ?? null, leadDepartmentId, (i) => `body.persons.${i}`);
      const [{ n }] = await em.execute<{ n: string }[]>(`select nextval('case_number_seq')::text as n`);
      const opened = em.create(CaseSchema, {
        tenantId,
        caseNumber: `${new Date().getFullYear()}-${n.padStart(6, '0')}`,
        title: input.title,
        householdId: household?.id ?? null,
        leadDepartmentId,
        openedByDepartmentId: leadDepartmentId,
        openedBy: auth.principal.id,
        issues: input.issues,
        summary: input.summary ?? null,
        state: caseMachine.config.initial as string,
        machine: caseMachine.id,
      });
      await em.flush();
      persons.forEach(({ person, relation }) => em.create(CasePersonSchema, { tenantId, caseId: opened.id, personId: person.id, relation }));
      this.events.append(em, auth.audit, {
        aggregateType: 'Case',
        aggregateId: opened.id,
        aggregateVersion: opened.version,
        caseId: opened.id,
        type: CaseOpened,
        payload: { caseNumber: opened.caseNumber, issues: opened.issues, leadDepartmentId, state: opened.state, persons: persons.length },
      });
      await em.flush();
      for (const { person } of persons) {
        await this.audit.append(em, auth.audit, { action: 'case.open', subjectType: 'Case', subjectId: opened.id, personId: person.id, outcome: 'allowed' });
      }
      return caseSummary(em, auth, opened);
    });
  }
}

/** 断らない相談: a case opens at the caller's own window unless they name another department they work in. */
function leadDepartmentOf(auth: RequestAuth, requested: string | undefined): string | null {
  const working = [...departmentsWhere(auth.principal, 'counselor'), ...departmentsWhere(auth.principal, 'coordinator')];
  if (requested) return requested;
  const unique = [...new Set(working)];
  if (unique.length === 1) return unique[0];
  if (unique.length === 0) return null;
  throw fieldError('body.leadDepartmentId', 'required', { ja: '担当課を指定してください。', en: 'Name the lead department.' });
}
