import { z } from 'zod';

export const WorkflowListSchema = z
  .array(z.object({ name: z.string().describe('The name in /workflows/{name}'), id: z.string().describe('The machine id, with its version') }))
  .meta({ id: 'WorkflowList' });

/** chartOf(machine): the states, and for each the events it takes, where they lead and the guards that must hold. */
export const WorkflowChartSchema = z
  .object({
    id: z.string(),
    initial: z.string(),
    states: z.array(
      z.object({
        name: z.string(),
        final: z.boolean(),
        transitions: z.array(z.object({ event: z.string(), target: z.string(), guards: z.array(z.string()) })),
      }),
    ),
  })
  .meta({ id: 'WorkflowChart' });
