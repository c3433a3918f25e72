import { Command } from '@nestjs/cqrs';
import type { RequestAuth } from '../../../access/request-auth';
import type { RecordConsentInput } from '../../domain/case.schemas';

/** 本人同意 — records what the person agreed may be shared, with whom, when and how. */
export class RecordConsentCommand extends Command<{ id: string }> {
  constructor(
    readonly auth: RequestAuth,
    readonly caseId: string,
    readonly input: RecordConsentInput,
  ) {
    super();
  }
}
