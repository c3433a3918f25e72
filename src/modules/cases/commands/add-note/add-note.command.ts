import { Command } from '@nestjs/cqrs';
import type { RequestAuth } from '../../../access/request-auth';

/** 支援経過記録 — a progress note on the case. */
export class AddNoteCommand extends Command<{ id: string }> {
  constructor(
    readonly auth: RequestAuth,
    readonly caseId: string,
    readonly body: string,
  ) {
    super();
  }
}
