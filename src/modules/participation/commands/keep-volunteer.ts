import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Db } from '../../../platform/database/db';
import { EventLog } from '../../../platform/events/event-log';
import { AppError, fieldError } from '../../../platform/http/app-error';
import { assertVersion } from '../../../platform/workflow/versioned-transition';
import { assertCan } from '../../access/assert-can';
import type { RequestAuth } from '../../access/request-auth';
import { AuditLog } from '../../audit/audit-log.service';
import { DistrictSchema } from '../../directory/domain/department.entity';
import type { CreateVolunteerInput, UpdateVolunteerInput } from '../domain/participation.schemas';
import { VolunteerSchema, type Volunteer } from '../domain/volunteer.entity';
import { assertKnownPlaces } from '../resource-view';
import { loadVolunteer, volunteerView, type VolunteerView } from '../volunteer-view';

/** Lists a person in the 人財 directory (only with their consent), or changes their entry. */
export class KeepVolunteerCommand extends Command<VolunteerView> {
  constructor(
    readonly auth: RequestAuth,
    readonly change: { kind: 'create'; input: CreateVolunteerInput } | { kind: 'update'; volunteerId: string; expectedVersion: number; input: UpdateVolunteerInput },
  ) {
    super();
  }
}

const NO_LISTING_CONSENT = { ja: '人財として掲載するには本人の同意が必要です。', en: 'Listing a person needs their consent.' };

@CommandHandler(KeepVolunteerCommand)
export class KeepVolunteerHandler implements ICommandHandler<KeepVolunteerCommand> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
  ) {}

  execute({ auth, change }: KeepVolunteerCommand) {
    const tenantId = auth.principal.tenantId;
    return this.db.inTenant(tenantId, async (em) => {
      let volunteer: Volunteer;
      if (change.kind === 'create') {
        const { listingConsent, ...input } = change.input;
        assertCan(auth, 'create', 'Volunteer', { tenantId, ownerDepartmentId: input.ownerDepartmentId });
        if (!listingConsent) throw new AppError('guard_failed', { detail: NO_LISTING_CONSENT, meta: { field: 'body.listingConsent' } });
        await this.checkPlaces(em, input);
        volunteer = em.create(VolunteerSchema, {
          tenantId,
          ...input,
          skills: input.skills ?? [],
          days: input.days ?? [],
          districtCodes: input.districtCodes ?? [],
          contactConsent: input.contactConsent ?? false,
          listingConsent,
          state: 'listed',
          createdBy: auth.principal.id,
        });
      } else {
        volunteer = await loadVolunteer(em, auth, change.volunteerId, 'update');
        assertVersion(volunteer, change.expectedVersion);
        const { version: _version, ...facts } = change.input;
        if (facts.ownerDepartmentId) assertCan(auth, 'update', 'Volunteer', { tenantId, ownerDepartmentId: facts.ownerDepartmentId, id: volunteer.id });
        await this.checkPlaces(em, facts);
        Object.assign(volunteer, facts);
      }
      await em.flush();
      const type = change.kind === 'create' ? 'VolunteerListed' : 'VolunteerUpdated';
      const payload = { kind: volunteer.kind, state: volunteer.state, contactConsent: volunteer.contactConsent };
      this.events.append(em, auth.audit, { aggregateType: 'Volunteer', aggregateId: volunteer.id, aggregateVersion: volunteer.version, caseId: null, type, payload });
      await em.flush();
      await this.audit.append(em, auth.audit, {
        action: change.kind === 'create' ? 'participation.volunteer-create' : 'participation.volunteer-update',
        subjectType: 'Volunteer',
        subjectId: volunteer.id,
        outcome: 'allowed',
        detail: payload,
      });
      return volunteerView(auth, volunteer);
    });
  }

  private async checkPlaces(em: EntityManager, input: { ownerDepartmentId?: string; districtCodes?: string[] }) {
    await assertKnownPlaces(em, { ownerDepartmentId: input.ownerDepartmentId });
    const known = new Set((await em.find(DistrictSchema, {})).map((d) => d.code));
    const unknown = (input.districtCodes ?? []).findIndex((code) => !known.has(code));
    if (unknown >= 0) throw fieldError(`body.districtCodes.${unknown}`, 'unknown_district', { ja: 'この地区はありません。', en: 'No such 地区.' });
  }
}
