import { subject } from '@casl/ability';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { addBusinessDays } from '../../../platform/calendar/business-days';
import { todayInJapan } from '../../../platform/calendar/today';
import { Db } from '../../../platform/database/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { EventLog } from '../../../platform/events/event-log';
import { AppError, notFound } from '../../../platform/http/app-error';
import { assertCan } from '../../access/assert-can';
import type { RequestAuth } from '../../access/request-auth';
import { AuditLog } from '../../audit/audit-log.service';
import { loadCase } from '../../cases/case-access';
import { DepartmentSchema } from '../../directory/domain/department.entity';
import { staffDepartments } from '../../directory/domain/principal';
import { refuseBasisAcrossBodies } from '../../referrals/domain/share-bases';
import type { PersonTerms } from '../../people/domain/people.schemas';
import { PersonHoldings } from '../../people/person-holdings';
import { matchingPersons } from '../../people/person-matching';
import { InformationRequestSchema } from '../domain/information-request.entity';
import { informationRequestMachine } from '../domain/information-request.machine';
import type { RequestInformationInput } from '../domain/information-request.schemas';
import { informationRequestView } from '../information-request-view';

const asRequestFrom = (auth: RequestAuth, fromDepartmentId: string) => subject('InformationRequest', { tenantId: auth.principal.tenantId, fromDepartmentId });

/** Business days the holding department has to answer before the request expires. */
export const INFORMATION_REQUEST_ANSWER_BUSINESS_DAYS = 10;

export class RequestInformationCommand extends Command<ReturnType<typeof informationRequestView>> {
  constructor(
    readonly auth: RequestAuth,
    readonly input: RequestInformationInput,
  ) {
    super();
  }
}

const refused = (field: string, message: { ja: string; en: string }) => new AppError('guard_failed', { detail: message, meta: { field } });
/** An unknown person, another municipality's, or one the asked department does not hold: one 404, never a hint. */
const NOT_HELD = {
  ja: '照会先の課が保有する人の中に、この人は見つかりません。受付時の既存確認で保有する課を確かめてください。',
  en: 'No such person among those that department holds: the intake check names the departments that do.',
};
const NOT_ONE_NAMED = {
  ja: '照会先の課が保有する人を、この氏名・生年月日（または宛名番号）で1人に特定できません。受付時の既存確認で保有する課を確かめ、必要なら宛名番号で照会してください。',
  en: 'These terms do not name exactly one person that department holds: check the holders with the intake check, or ask by resident number.',
};

/**
 * Asks the holding department: the reply exposes only what the intake check already does (whether that
 * department holds the person); an unknown person id answers exactly like a department that does not hold it (404).
 * The basis must fit the two departments' bodies (69条②2 within one, ②3 across); consent is checked at approval.
 */
@CommandHandler(RequestInformationCommand)
export class RequestInformationHandler implements ICommandHandler<RequestInformationCommand> {
  constructor(
    private readonly db: Db,
    private readonly holdings: PersonHoldings,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
  ) {}

  execute({ auth, input }: RequestInformationCommand) {
    const tenantId = auth.principal.tenantId;
    return this.db.inTenant(tenantId, async (em) => {
      const fromDepartmentId = await this.requestingDepartment(em, auth, input);
      assertCan(auth, 'create', 'InformationRequest', { tenantId, fromDepartmentId });
      if (!fromDepartmentId || input.toDepartmentId === fromDepartmentId) {
        throw refused('body.toDepartmentId', { ja: '自分の課には情報照会できません。', en: 'A department cannot ask itself.' });
      }
      const from = await em.findOneOrFail(DepartmentSchema, { id: fromDepartmentId });
      const to = await em.findOne(DepartmentSchema, { id: input.toDepartmentId });
      if (!to) throw notFound(NOT_HELD);
      refuseBasisAcrossBodies(input.legalBasis, from, to, 'body.legalBasis');
      const personId = input.personId ?? (await this.namedBy(em, input.person!, input.toDepartmentId));
      if (!(await this.holdings.holdersOf(em, [personId])).includes(input.toDepartmentId)) throw notFound(NOT_HELD);
      const request = em.create(InformationRequestSchema, {
        tenantId,
        personId,
        caseId: input.caseId ?? null,
        relation: input.caseId ? (input.relation ?? '本人') : null,
        fromDepartmentId,
        toDepartmentId: input.toDepartmentId,
        requestedBy: auth.principal.id,
        requestedGroups: [...new Set(input.groups)],
        purpose: input.purpose,
        legalBasis: input.legalBasis,
        legalBasisReason: input.legalBasisReason ?? null,
        state: informationRequestMachine.config.initial as string,
        machine: informationRequestMachine.id,
        expiresOn: addBusinessDays(todayInJapan(), INFORMATION_REQUEST_ANSWER_BUSINESS_DAYS),
      });
      await em.flush();
      this.events.append(em, auth.audit, {
        aggregateType: 'InformationRequest',
        aggregateId: request.id,
        aggregateVersion: request.version,
        caseId: request.caseId ?? null,
        type: 'InformationRequested',
        payload: { fromDepartmentId, toDepartmentId: request.toDepartmentId, groups: request.requestedGroups, legalBasis: request.legalBasis },
      });
      await em.flush();
      await this.audit.append(em, auth.audit, {
        action: 'information-request.request',
        subjectType: 'InformationRequest',
        subjectId: request.id,
        personId: request.personId,
        legalBasis: input.legalBasis,
        outcome: 'allowed',
        detail: { toDepartmentId: request.toDepartmentId, groups: request.requestedGroups, purpose: request.purpose, reason: request.legalBasisReason },
      });
      return informationRequestView(auth, request);
    });
  }

  /**
   * The one person the holding department holds that these terms name (as at the intake check, which
   * gives no id). None or several answer alike, and like a department that holds nobody by those terms.
   */
  private async namedBy(em: EntityManager, terms: PersonTerms, holderId: string): Promise<string> {
    const held: string[] = [];
    for (const { id } of await matchingPersons(em, terms)) if ((await this.holdings.holdersOf(em, [id])).includes(holderId)) held.push(id);
    if (held.length !== 1) throw refused('body.person', NOT_ONE_NAMED);
    return held[0];
  }

  /** The case's lead department, else the caller's one department that may ask (named when several). */
  private async requestingDepartment(em: EntityManager, auth: RequestAuth, input: RequestInformationInput): Promise<string | null> {
    if (input.caseId) {
      const found = await loadCase(em, auth, input.caseId, 'update');
      if (input.fromDepartmentId && input.fromDepartmentId !== found.leadDepartmentId) {
        throw refused('body.fromDepartmentId', { ja: '照会元はケースの担当課です。', en: 'The requesting department is the case’s lead department.' });
      }
      return found.leadDepartmentId;
    }
    if (input.fromDepartmentId) return input.fromDepartmentId;
    const mine = staffDepartments(auth.principal).filter((departmentId) => auth.ability.can('create', asRequestFrom(auth, departmentId)));
    if (mine.length <= 1) return mine[0] ?? null; // none: the ability refuses below
    throw refused('body.fromDepartmentId', { ja: '照会元の課を指定してください。', en: 'Name the requesting department.' });
  }
}
