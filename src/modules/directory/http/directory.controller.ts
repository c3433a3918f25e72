import { Controller, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { Input, Operation } from '../../../platform/http/api-contract/operation.decorator';
import { toOpenApiSchema } from '../../../platform/http/api-contract/openapi-schema';
import { pageOf } from '../../../platform/http/api-contract/paging';
import { Auth, Can } from '../../access/access.decorators';
import type { RequestAuth } from '../../access/request-auth';
import { CreateStaffCommand } from '../commands/create-staff/create-staff.command';
import { UpdateStaffCommand } from '../commands/update-staff/update-staff.command';
import {
  createStaffSchema,
  departmentListQuery,
  staffListQuery,
  updateStaffSchema,
  type CreateStaffInput,
  type DepartmentListQuery,
  type StaffListQuery,
  type UpdateStaffInput,
} from '../domain/staff.schemas';
import { GetMeQuery, GetStaffQuery, ListDepartmentsQuery, ListStaffQuery } from '../queries/directory.queries';
import { DepartmentSchema, MeSchema, StaffChangeSchema, StaffViewSchema } from './directory.responses';
import { DirectoryTag } from './directory-tag';

const id = z.uuid();

@DirectoryTag()
@ApiBearerAuth()
@Controller()
export class DirectoryController {
  constructor(
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
  ) {}

  @Operation({
    route: 'GET me',
    id: 'getMe',
    summary: { ja: 'サインインしている本人（自治体、課ごとの役割）', en: 'The signed-in person: tenant and roles per department (from the directory, not the token)' },
    response: { schema: MeSchema },
  })
  @Can('read', 'Me')
  me(@Auth() auth: RequestAuth) {
    return this.queries.execute(new GetMeQuery(auth));
  }

  @Operation({
    route: 'GET departments',
    id: 'listDepartments',
    summary: { ja: '自治体の課の一覧', en: 'The departments (課) of the tenant' },
    description: "In the municipality's order. Paged like every list, though a tenant has a few dozen departments: one page of the default size usually holds them all.",
    query: departmentListQuery,
    response: { schema: pageOf(DepartmentSchema) },
  })
  @Can('read', 'Department')
  departments(@Auth() auth: RequestAuth, @Input.query() query: DepartmentListQuery) {
    return this.queries.execute(new ListDepartmentsQuery(auth, query));
  }

  @Operation({
    route: 'GET staff',
    id: 'listStaff',
    summary: { ja: '職員名簿（管理者はすべて、課長と調整担当は氏名と役割のみ）', en: 'The staff directory (administrators: everything; managers and coordinators: names and roles)' },
    description: 'By display name. Paged: pass `next` as `cursor`.',
    query: staffListQuery,
    response: { schema: pageOf(StaffViewSchema) },
  })
  @Can('read', 'Staff')
  listStaff(@Auth() auth: RequestAuth, @Input.query() query: StaffListQuery) {
    return this.queries.execute(new ListStaffQuery(auth, query));
  }

  @Operation({
    route: 'GET staff/:id',
    id: 'getStaff',
    summary: { ja: '職員1人', en: 'One staff member' },
    params: { id },
    response: { schema: StaffViewSchema },
    errors: [404],
  })
  @Can('read', 'Staff')
  getStaff(@Auth() auth: RequestAuth, @Input.param('id') staffId: string) {
    return this.queries.execute(new GetStaffQuery(auth, staffId));
  }

  @Operation({
    route: 'POST staff',
    id: 'createStaff',
    summary: { ja: '職員を課ごとの役割とともに登録する（管理者）', en: 'Add a staff member with roles per department (administrators)' },
    description: 'Roles that open personal data wait for a second person’s approval (`pendingRoleChange`), so give a `reason`.',
    body: createStaffSchema,
    response: { status: 201, schema: StaffChangeSchema },
  })
  @Can('create', 'Staff')
  createStaff(@Auth() auth: RequestAuth, @Input.body() body: CreateStaffInput) {
    return this.commands.execute(new CreateStaffCommand(auth, body));
  }

  @Operation({
    route: 'PATCH staff/:id',
    id: 'updateStaff',
    summary: { ja: '職員の情報・役割を変更する（管理者、読んだ版を指定）', en: 'Change a staff member (administrators), on the version read' },
    description:
      'A stale `version` is refused with 409. Added roles that open personal data become a request for a second person: 202 with `pendingRoleChange` (never for yourself: 403).',
    params: { id },
    body: updateStaffSchema,
    response: { status: 200, schema: StaffChangeSchema },
    errors: [404, 409],
  })
  // Accepted, not done: the second success status the decorator does not describe by itself.
  @ApiResponse({ status: 202, description: 'Changed, but the roles that open personal data wait for approval (`pendingRoleChange`)', content: { 'application/json': { schema: toOpenApiSchema(StaffChangeSchema, 'output') } } })
  @Can('update', 'Staff')
  async updateStaff(@Auth() auth: RequestAuth, @Input.param('id') staffId: string, @Input.body() body: UpdateStaffInput, @Res({ passthrough: true }) res: Response) {
    const updated = await this.commands.execute(new UpdateStaffCommand(auth, staffId, body));
    // The roles that open personal data are not held until someone approves.
    if (updated.pendingRoleChange) res.status(202);
    return updated;
  }
}
