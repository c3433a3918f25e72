import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { todayInJapan } from '../../../platform/calendar/today';
import { Db } from '../../../platform/database/db';
import { EventLog } from '../../../platform/events/event-log';
import { AppError, fieldError } from '../../../platform/http/app-error';
import { assertVersion } from '../../../platform/workflow/versioned-transition';
import { assertCan } from '../../access/assert-can';
import type { RequestAuth } from '../../access/request-auth';
import { AuditLog } from '../../audit/audit-log.service';
import { ParticipationResourceSchema, type ParticipationResource } from '../domain/resource.entity';
import type { CloseResourceInput, CreateResourceInput, UpdateResourceInput } from '../domain/participation.schemas';
import { assertKnownPlaces, loadResource, resourceView, type ResourceView } from '../resource-view';

/** Adds an entry to the directory of 社会資源, owned by a department. */
export class CreateResourceCommand extends Command<ResourceView> {
  constructor(
    readonly auth: RequestAuth,
    readonly input: CreateResourceInput,
  ) {
    super();
  }
}

/** Corrects an entry (confirming it moves `asOf` to today unless given), or closes it with a reason. */
export class UpdateResourceCommand extends Command<ResourceView> {
  constructor(
    readonly auth: RequestAuth,
    readonly resourceId: string,
    readonly expectedVersion: number,
    readonly change: { kind: 'update'; input: UpdateResourceInput } | { kind: 'close'; input: CloseResourceInput },
  ) {
    super();
  }
}

abstract class ResourceWriter {
  constructor(
    protected readonly db: Db,
    protected readonly audit: AuditLog,
    protected readonly events: EventLog,
  ) {}

  protected async record(em: EntityManager, auth: RequestAuth, resource: ParticipationResource, type: string, action: string, payload: Record<string, unknown>) {
    await em.flush();
    this.events.append(em, auth.audit, { aggregateType: 'ParticipationResource', aggregateId: resource.id, aggregateVersion: resource.version, caseId: null, type, payload });
    await em.flush();
    await this.audit.append(em, auth.audit, { action, subjectType: 'ParticipationResource', subjectId: resource.id, outcome: 'allowed', detail: payload });
    return resourceView(auth, resource);
  }
}

@CommandHandler(CreateResourceCommand)
export class CreateResourceHandler extends ResourceWriter implements ICommandHandler<CreateResourceCommand> {
  constructor(db: Db, audit: AuditLog, events: EventLog) {
    super(db, audit, events);
  }

  execute({ auth, input }: CreateResourceCommand) {
    const tenantId = auth.principal.tenantId;
    return this.db.inTenant(tenantId, async (em) => {
      assertCan(auth, 'create', 'ParticipationResource', { tenantId, ownerDepartmentId: input.ownerDepartmentId });
      await assertKnownPlaces(em, input);
      const resource = em.create(ParticipationResourceSchema, {
        tenantId,
        ...input,
        days: input.days ?? [],
        languages: input.languages ?? [],
        tags: [...new Set(input.tags ?? [])],
        state: 'open',
        asOf: input.asOf ?? todayInJapan(),
        createdBy: auth.principal.id,
      });
      return this.record(em, auth, resource, 'ParticipationResourceAdded', 'participation.resource-create', { name: resource.name, kind: resource.kind, districtCode: resource.districtCode });
    });
  }
}

@CommandHandler(UpdateResourceCommand)
export class UpdateResourceHandler extends ResourceWriter implements ICommandHandler<UpdateResourceCommand> {
  constructor(db: Db, audit: AuditLog, events: EventLog) {
    super(db, audit, events);
  }

  execute({ auth, resourceId, expectedVersion, change }: UpdateResourceCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const resource = await loadResource(em, auth, resourceId, 'update');
      assertVersion(resource, expectedVersion);
      if (change.kind === 'close') {
        if (resource.state === 'closed') throw new AppError('transition_not_allowed', { meta: { state: resource.state, action: 'close' } });
        Object.assign(resource, { state: 'closed', closedReason: change.input.reason });
        return this.record(em, auth, resource, 'ParticipationResourceClosed', 'participation.resource-close', { reason: change.input.reason });
      }
      const { version: _version, ...facts } = change.input;
      // Moving an entry to another department needs the right to keep entries there too.
      if (facts.ownerDepartmentId) assertCan(auth, 'update', 'ParticipationResource', { tenantId: resource.tenantId, ownerDepartmentId: facts.ownerDepartmentId, id: resource.id });
      await assertKnownPlaces(em, facts);
      const capacity = facts.capacity === undefined ? resource.capacity : facts.capacity;
      const freePlaces = facts.freePlaces === undefined ? resource.freePlaces : facts.freePlaces;
      if (capacity != null && freePlaces != null && freePlaces > capacity) {
        throw fieldError('body.freePlaces', 'over_capacity', { ja: '空き数が定員を超えています。', en: 'Free places exceed the capacity.' });
      }
      Object.assign(resource, { ...facts, ...(facts.tags ? { tags: [...new Set(facts.tags)] } : {}), asOf: facts.asOf ?? todayInJapan() });
      return this.record(em, auth, resource, 'ParticipationResourceUpdated', 'participation.resource-update', { fields: Object.keys(facts) });
    });
  }
}
