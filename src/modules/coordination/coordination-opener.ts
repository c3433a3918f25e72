import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../platform/http/app-error';
import type { RequestAuth } from '../access/request-auth';
import { CaseChangeRecorder } from '../cases/case-change-recorder';
import { CaseSchema } from '../cases/domain/case.entity';
import { CoordinationCaseSchema, type CoordinationCase } from './domain/coordination.entity';
import { coordinationMachine } from './domain/coordination.machine';

/** Opens the coordination record of a case (スクリーニング), once per case. */
@Injectable()
export class CoordinationOpener {
  constructor(private readonly recorder: CaseChangeRecorder) {}

  async open(em: EntityManager, auth: RequestAuth, caseId: string, escalationId: string | null): Promise<CoordinationCase> {
    if (await em.count(CoordinationCaseSchema, { caseId })) {
      throw new AppError('already_exists', { detail: { ja: 'このケースは既に多機関協働で対応中です。', en: 'This case is already being coordinated.' } });
    }
    const found = await em.findOneOrFail(CaseSchema, { id: caseId });
    if (['closed', 'suspended'].includes(found.state)) throw new AppError('transition_not_allowed', { meta: { state: found.state } });
    const coordination = em.create(CoordinationCaseSchema, {
      tenantId: found.tenantId,
      caseId,
      leadDepartmentId: found.leadDepartmentId,
      escalationId,
      state: coordinationMachine.config.initial as string,
      machine: coordinationMachine.id,
      coordinatorId: auth.principal.id,
    });
    await em.nativeUpdate(CaseSchema, { id: caseId }, { coordinationStatus: 'coordinating' });
    await em.flush();
    await this.recorder.record(em, auth, found, {
      aggregate: { type: 'CoordinationCase', id: coordination.id, version: coordination.version },
      type: 'CoordinationOpened',
      action: 'coordination.open',
      payload: { coordinationCaseId: coordination.id, escalationId, state: coordination.state, leadDepartmentId: found.leadDepartmentId },
    });
    return coordination;
  }
}
