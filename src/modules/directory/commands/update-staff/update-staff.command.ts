import { Command } from '@nestjs/cqrs';
import type { RequestAuth } from '../../../access/request-auth';
import type { StaffChange } from '../../role-change-view';
import type { UpdateStaffInput } from '../../domain/staff.schemas';

export class UpdateStaffCommand extends Command<StaffChange> {
  constructor(
    readonly auth: RequestAuth,
    readonly staffId: string,
    readonly input: UpdateStaffInput,
  ) {
    super();
  }
}
