import { Command } from '@nestjs/cqrs';
import type { RequestAuth } from '../../../access/request-auth';
import type { AccessGrantView } from '../../access-grant-view';
import type { RequestAccessGrantInput } from '../../domain/access-grant.schemas';

/** An auditor asks to read one case's contents, with the reason and for how long. */
export class RequestAccessGrantCommand extends Command<AccessGrantView> {
  constructor(
    readonly auth: RequestAuth,
    readonly input: RequestAccessGrantInput,
  ) {
    super();
  }
}
