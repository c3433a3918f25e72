import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { assertCan } from '../../../access/assert-can';
import type { RequestAuth } from '../../../access/request-auth';
import { AuditLog } from '../../../audit/audit-log.service';
import { DepartmentSchema } from '../../../directory/domain/department.entity';
import type { IntakeCheckInput } from '../../domain/people.schemas';
import { PersonHoldings } from '../../person-holdings';
import { matchingPersons } from '../../person-matching';

export interface IntakeCheckAnswer {
  known: boolean;
  /** The departments holding a matching record: ids and names, nothing about the person. */
  departments: { id: string; code: string; name: string }[];
}

export class CheckIntakeCommand extends Command<IntakeCheckAnswer> {
  constructor(
    readonly auth: RequestAuth,
    readonly input: IntakeCheckInput,
  ) {
    super();
  }
}

/**
 * 断らない相談: "is this person already known here?" before a case opens. The answer is whether a record
 * matches (exact name or kana, normalised, with the birth date; or the 宛名番号) and which departments
 * hold it — no id, no field, no count of records. A DV-protected person answers exactly like anyone else
 * (a different answer would itself disclose the protection, 要配慮個人情報); the audit row marks that the
 * check touched a protected person, so the protecting department can see who asked and why.
 */
@CommandHandler(CheckIntakeCommand)
export class CheckIntakeHandler implements ICommandHandler<CheckIntakeCommand> {
  constructor(
    private readonly db: Db,
    private readonly holdings: PersonHoldings,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, input }: CheckIntakeCommand) {
    assertCan(auth, 'create', 'IntakeCheck', { tenantId: auth.principal.tenantId });
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const { reason, ...terms } = input;
      const matches = await matchingPersons(em, terms);
      const holderIds = await this.holdings.holdersOf(em, matches.map((m) => m.id));
      const departments = holderIds.length ? await em.find(DepartmentSchema, { id: { $in: holderIds } }, { orderBy: { code: 'asc' } }) : [];
      const answer: IntakeCheckAnswer = { known: matches.length > 0, departments: departments.map((d) => ({ id: d.id, code: d.code, name: d.name })) };
      const detail = { reason, terms, known: answer.known, departmentIds: holderIds };
      for (const match of matches.length ? matches : [null]) {
        await this.audit.append(em, auth.audit, {
          action: 'person.intake-check',
          subjectType: 'Person',
          subjectId: match?.id ?? null,
          personId: match?.id ?? null,
          outcome: 'allowed',
          detail: match?.dv_protected ? { ...detail, dvProtected: true } : detail,
        });
      }
      return answer;
    });
  }
}
