import { Body, Controller, Get, Param, Patch, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { UuidParam, validate } from '../../../platform/http/zod-validation.pipe';
import { Auth, Can } from '../../access/access.decorators';
import type { RequestAuth } from '../../access/request-auth';
import { CreateStaffCommand } from '../commands/create-staff/create-staff.command';
import { UpdateStaffCommand } from '../commands/update-staff/update-staff.command';
import { createStaffSchema, updateStaffSchema, type CreateStaffInput, type UpdateStaffInput } from '../domain/staff.schemas';
import { GetMeQuery, GetStaffQuery, ListDepartmentsQuery, ListStaffQuery } from '../queries/directory.queries';
import { openApiBody } from '../../../platform/http/api-contract/openapi-schema';

@ApiTags('directory')
@ApiBearerAuth()
@Controller()
export class DirectoryController {
  constructor(
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
  ) {}

  @Get('me')
  @Can('read', 'Me')
  @ApiOperation({ summary: 'The signed-in person: tenant, roles per department (from the directory, not the token)' })
  me(@Auth() auth: RequestAuth) {
    return this.queries.execute(new GetMeQuery(auth));
  }

  @Get('departments')
  @Can('read', 'Department')
  @ApiOperation({ summary: '課 — the departments of the tenant' })
  departments(@Auth() auth: RequestAuth) {
    return this.queries.execute(new ListDepartmentsQuery(auth));
  }

  @Get('staff')
  @Can('read', 'Staff')
  @ApiOperation({ summary: 'Staff directory (administrators: everything; managers: names and roles)' })
  listStaff(@Auth() auth: RequestAuth) {
    return this.queries.execute(new ListStaffQuery(auth));
  }

  @Get('staff/:id')
  @Can('read', 'Staff')
  @ApiOperation({ summary: 'One staff member' })
  getStaff(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string) {
    return this.queries.execute(new GetStaffQuery(auth, id));
  }

  @Post('staff')
  @Can('create', 'Staff')
  @ApiOperation({
    summary: 'Add a staff member with roles per department (administrators); roles that open personal data wait for approval (pendingRoleChange), so give a reason',
  })
  @ApiBody({ schema: openApiBody(createStaffSchema) })
  createStaff(@Auth() auth: RequestAuth, @Body(validate(createStaffSchema)) body: CreateStaffInput) {
    return this.commands.execute(new CreateStaffCommand(auth, body));
  }

  @Patch('staff/:id')
  @Can('update', 'Staff')
  @ApiOperation({
    summary:
      'Change a staff member; send the version you read (409 if someone changed it since). Added roles that open personal data become a request for a second person (202, pendingRoleChange; never for yourself: 403)',
  })
  @ApiBody({ schema: openApiBody(updateStaffSchema) })
  async updateStaff(
    @Auth() auth: RequestAuth,
    @Param('id', UuidParam) id: string,
    @Body(validate(updateStaffSchema)) body: UpdateStaffInput,
    @Res({ passthrough: true }) res: Response,
  ) {
    const updated = await this.commands.execute(new UpdateStaffCommand(auth, id, body));
    // Accepted, not done: the roles that open personal data are not held until someone approves.
    if (updated.pendingRoleChange) res.status(202);
    return updated;
  }
}
