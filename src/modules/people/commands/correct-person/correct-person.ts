import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { EventLog } from '../../../../platform/events/event-log';
import { AppError } from '../../../../platform/http/app-error';
import { assertVersion } from '../../../../platform/workflow/versioned-transition';
import { AccessDeniedError } from '../../../access/access-denied.error';
import type { RequestAuth } from '../../../access/request-auth';
import { AuditLog } from '../../../audit/audit-log.service';
import { vocabulary, type Label } from '../../../../platform/vocabulary/vocabulary';
import { CONTACT_FIELDS, PERSON_FIELD_LABELS, type PersonField } from '../../../referrals/domain/shared-package';
import { PersonChangeSchema } from '../../domain/person-change.entity';
import { PersonSchema } from '../../domain/person.entity';
import type { CorrectPersonInput } from '../../domain/people.schemas';
import { loadHeldPerson } from '../../person-access';
import { PersonHoldings } from '../../person-holdings';
import { personValues } from '../../person-presenter';
import { mayReadContact } from '../../dv-protection';

/** Which catalog field each correctable column belongs to: holdings are per catalog field. */
const FIELD_OF = {
  familyName: 'name',
  givenName: 'name',
  familyNameKana: 'kana',
  givenNameKana: 'kana',
  birthDate: 'birthDate',
  sex: 'sex',
  address: 'address',
  phone: 'phone',
  email: 'email',
  residentNumber: 'residentNumber',
} as const satisfies Record<string, PersonField | 'residentNumber'>;
type Column = keyof typeof FIELD_OF;
type ChangedField = (typeof FIELD_OF)[Column];
/** The fields a correction (and so the history) names, as people read them: the catalog's labels and the 宛名番号. */
export const CORRECTED_FIELD_LABELS = vocabulary<ChangedField>(
  'correctedField',
  Object.fromEntries(
    [...new Set(Object.values(FIELD_OF))].map((field) => [field, field === 'residentNumber' ? { ja: '宛名番号', en: 'Resident number' } : PERSON_FIELD_LABELS.labels[field]]),
  ) as Record<ChangedField, Label>,
);
export const CORRECTABLE_FIELDS = CORRECTED_FIELD_LABELS.codes;

const NOT_HELD_FIELD = {
  ja: '貴課が保有していない項目は訂正できません。保有する課に依頼してください。',
  en: 'Your department does not hold this field: ask the department that does.',
};

export class CorrectPersonCommand extends Command<{ id: string; version: number; changed: string[] }> {
  constructor(
    readonly auth: RequestAuth,
    readonly personId: string,
    readonly expectedVersion: number,
    readonly input: CorrectPersonInput,
  ) {
    super();
  }
}

/**
 * 訂正: a department corrects the fields it holds, on the version it read. Every changed field is kept
 * as history (old → new, who, why), with an event and an audit row, in one transaction.
 */
@CommandHandler(CorrectPersonCommand)
export class CorrectPersonHandler implements ICommandHandler<CorrectPersonCommand> {
  constructor(
    private readonly db: Db,
    private readonly holdings: PersonHoldings,
    private readonly events: EventLog,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, personId, expectedVersion, input }: CorrectPersonCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const held = await loadHeldPerson(em, auth, this.holdings, personId, 'update');
      const { person } = held;
      const { version: _version, reason, ...wanted } = input;
      const columns = (Object.keys(wanted) as Column[]).filter((c) => (wanted[c] ?? null) !== (person[c] ?? null));
      const fields = [...new Set(columns.map((c) => FIELD_OF[c]))];
      this.assertMayCorrect(auth, held, fields);
      assertVersion(person, expectedVersion);
      if (!fields.length) return { id: person.id, version: person.version, changed: [] };
      if (wanted.residentNumber && (await em.count(PersonSchema, { residentNumber: wanted.residentNumber, id: { $ne: person.id } }))) {
        throw new AppError('already_exists', { detail: { ja: 'この宛名番号は別の人に登録されています。', en: 'This resident number belongs to another person.' } });
      }
      const before = { ...personValues(person), residentNumber: person.residentNumber ?? null };
      for (const column of columns) (person as Record<Column, unknown>)[column] = wanted[column] ?? null;
      await em.flush();
      const after = { ...personValues(person), residentNumber: person.residentNumber ?? null };
      const departmentId = held.departmentIds[0];
      for (const field of fields) {
        em.create(PersonChangeSchema, {
          tenantId: person.tenantId,
          personId,
          personVersion: person.version,
          field,
          oldValue: before[field] ?? null,
          newValue: after[field] ?? null,
          reason,
          changedBy: auth.principal.id,
          departmentId,
        });
      }
      this.events.append(em, auth.audit, { aggregateType: 'Person', aggregateId: personId, aggregateVersion: person.version, caseId: null, type: 'PersonCorrected', payload: { fields, departmentId } });
      await em.flush();
      await this.audit.append(em, auth.audit, { action: 'person.correct', subjectType: 'Person', subjectId: personId, personId, outcome: 'allowed', detail: { fields, reason, version: person.version } });
      return { id: person.id, version: person.version, changed: fields };
    });
  }

  /** Holdings decide what a department may correct; a DV-protected person's contacts only their protectors. */
  private assertMayCorrect(auth: RequestAuth, held: Awaited<ReturnType<typeof loadHeldPerson>>, fields: ChangedField[]): void {
    const { person } = held;
    const contactShown = mayReadContact(auth.ability, person);
    for (const field of fields) {
      const holds = field === 'residentNumber' ? held.collected : held.fields.has(field);
      const contactBlocked = field !== 'residentNumber' && CONTACT_FIELDS.includes(field) && !contactShown;
      if (holds && !contactBlocked) continue;
      throw new AccessDeniedError(
        auth.audit,
        { action: 'person.correct', subjectType: 'Person', subjectId: person.id, personId: person.id, detail: { field, reason: contactBlocked ? 'dv_protection' : 'not_held' } },
        { why: contactBlocked ? { ja: '支援措置の対象者の連絡先は保護担当者のみ訂正できます。', en: 'Only the named protectors may correct a protected person’s contacts.' } : NOT_HELD_FIELD },
      );
    }
  }
}
