import { Controller } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { z } from 'zod';
import { Can } from '../../modules/access/access.decorators';
import { WORKFLOWS } from '../../workflows';
import { ApiTag } from '../http/api-contract/api-tags';
import { Input, Operation } from '../http/api-contract/operation.decorator';
import { labelledChart } from '../vocabulary/workflow-labels';
import { WorkflowChartSchema, WorkflowListSchema } from './workflow.responses';

type WorkflowName = keyof typeof WORKFLOWS;
const name = z.enum(Object.keys(WORKFLOWS) as [WorkflowName, ...WorkflowName[]]);

@ApiTag('workflows', { ja: '業務の流れ（状態機械）', en: 'The workflow state machines, as charts' })
@ApiBearerAuth()
@Controller('workflows')
export class WorkflowsController {
  @Operation({
    route: 'GET ',
    id: 'listWorkflows',
    summary: { ja: '業務の流れの一覧（名前と版）', en: 'The workflow machines, by name and version' },
    response: { schema: WorkflowListSchema },
  })
  @Can('read', 'Workflow')
  list() {
    return Object.entries(WORKFLOWS).map(([key, machine]) => ({ name: key, id: machine.id }));
  }

  @Operation({
    route: 'GET :name',
    id: 'getWorkflow',
    summary: { ja: '業務の流れの図（状態・イベント・条件、それぞれ日本語と英語の表示名つき）', en: 'One machine as a chart: states, events and guards by code, each with its Japanese and English label' },
    params: { name },
    response: { schema: WorkflowChartSchema },
  })
  @Can('read', 'Workflow')
  get(@Input.param('name') key: WorkflowName) {
    return labelledChart(WORKFLOWS[key]);
  }
}
