import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Can } from '../../modules/access/access.decorators';
import { WORKFLOWS } from '../../workflows';
import { validate } from '../http/zod-validation.pipe';
import { labelledChart } from '../vocabulary/workflow-labels';

const name = z.enum(Object.keys(WORKFLOWS) as [keyof typeof WORKFLOWS, ...(keyof typeof WORKFLOWS)[]]);

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('workflows')
export class WorkflowsController {
  @Get()
  @Can('read', 'Workflow')
  @ApiOperation({ summary: 'The workflow machines, by name and version' })
  list() {
    return Object.entries(WORKFLOWS).map(([key, machine]) => ({ name: key, id: machine.id }));
  }

  @Get(':name')
  @Can('read', 'Workflow')
  @ApiOperation({ summary: 'One machine as a chart: states, events and guards by code, each with its Japanese and English label' })
  get(@Param('name', validate(name)) key: keyof typeof WORKFLOWS) {
    return labelledChart(WORKFLOWS[key]);
  }
}
