import { Command } from '@nestjs/cqrs';
import type { RequestAuth } from '../../../access/request-auth';
import type { StaffView } from '../../domain/staff-view';
import type { UpdateStaffInput } from '../../domain/staff.schemas';

export class UpdateStaffCommand extends Command<StaffView> {
  constructor(
    readonly auth: RequestAuth,
    readonly staffId: string,
    readonly input: UpdateStaffInput,
  ) {
    super();
  }
}
