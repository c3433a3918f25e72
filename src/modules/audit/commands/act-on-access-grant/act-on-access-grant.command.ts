import { Command } from '@nestjs/cqrs';
import type { RequestAuth } from '../../../access/request-auth';
import type { AccessGrantView } from '../../access-grant-view';
import type { AccessGrantAction } from '../../domain/access-grant.schemas';

/** Someone other than the requester approves or declines (reason); the requester or an administrator revokes. */
export class ActOnAccessGrantCommand extends Command<AccessGrantView> {
  constructor(
    readonly auth: RequestAuth,
    readonly grantId: string,
    readonly action: AccessGrantAction,
    readonly expectedVersion: number,
    readonly reason?: string,
  ) {
    super();
  }
}
