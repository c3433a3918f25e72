import { Command } from '@nestjs/cqrs';
import type { RequestAuth } from '../../../access/request-auth';
import type { StaffView } from '../../domain/staff-view';
import type { CreateStaffInput } from '../../domain/staff.schemas';

export class CreateStaffCommand extends Command<StaffView> {
  constructor(
    readonly auth: RequestAuth,
    readonly input: CreateStaffInput,
  ) {
    super();
  }
}
