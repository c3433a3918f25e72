import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { CaseNoteSchema } from '../../domain/case.entity';
import { CaseNoteAdded } from '../../domain/case-events';
import { CaseChangeRecorder } from '../../case-change-recorder';
import { loadCase } from '../../case-access';
import { AddNoteCommand } from './add-note.command';

@CommandHandler(AddNoteCommand)
export class AddNoteHandler implements ICommandHandler<AddNoteCommand> {
  constructor(
    private readonly db: Db,
    private readonly recorder: CaseChangeRecorder,
  ) {}

  execute({ auth, caseId, body }: AddNoteCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const found = await loadCase(em, auth, caseId, 'update');
      const note = em.create(CaseNoteSchema, {
        tenantId: found.tenantId,
        caseId: found.id,
        authorId: auth.principal.id,
        departmentId: auth.audit.actor.departmentId ?? found.leadDepartmentId,
        body,
      });
      await em.flush();
      await this.recorder.record(em, auth, found, {
        aggregate: { type: 'CaseNote', id: note.id, version: 1 },
        type: CaseNoteAdded,
        action: 'case.add-note',
        payload: { noteId: note.id },
      });
      return { id: note.id };
    });
  }
}
