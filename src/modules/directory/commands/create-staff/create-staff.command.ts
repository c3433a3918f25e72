import { Command } from '@nestjs/cqrs';
import type { RequestAuth } from '../../../access/request-auth';
import type { StaffChange } from '../../role-change-view';
import type { CreateStaffInput } from '../../domain/staff.schemas';

export class CreateStaffCommand extends Command<StaffChange> {
  constructor(
    readonly auth: RequestAuth,
    readonly input: CreateStaffInput,
  ) {
    super();
  }
}
