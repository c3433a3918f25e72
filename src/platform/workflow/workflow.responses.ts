import { z } from 'zod';
import { LabelledCodeSchema, LabelSchema } from '../http/api-contract/common.schemas';

export const WorkflowListSchema = z
  .array(z.object({ name: z.string().describe('The name in /workflows/{name}'), id: z.string().describe('The machine id, with its version') }))
  .meta({ id: 'WorkflowList' });


/** labelledChart(machine): the states, and for each the events it takes, where they lead and the guards that must hold, with their labels. */
export const WorkflowChartSchema = z
  .object({
    id: z.string(),
    initial: z.string(),
    states: z.array(
      z.object({
        name: z.string(),
        label: LabelSchema,
        final: z.boolean(),
        transitions: z.array(z.object({ event: z.string(), eventLabel: LabelSchema, target: z.string(), guards: z.array(z.string()) })),
      }),
    ),
    events: z.array(LabelledCodeSchema),
    guards: z.array(LabelledCodeSchema),
  })
  .meta({ id: 'WorkflowChart' });
