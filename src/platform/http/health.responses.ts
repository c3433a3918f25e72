import { z } from 'zod';

export const LivenessSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Liveness' });
export const ReadinessSchema = z.object({ status: z.literal('ok'), database: z.literal('up') }).meta({ id: 'Readiness' });
