import type { EntityManager } from '@mikro-orm/postgresql';
import { ParticipationConnectionSchema } from './domain/connection.entity';

/** Whether a 参加支援 task's person has started at a resource: only then is the task done. */
export async function participationStarted(em: EntityManager, planTaskId: string): Promise<boolean> {
  return (await em.count(ParticipationConnectionSchema, { planTaskId, startedOn: { $ne: null } })) > 0;
}

export const NOT_STARTED = {
  ja: '参加支援のタスクは、つなぎ先で参加が始まってから完了になります（つなぎ先の記録で「参加開始」を記録してください）。',
  en: 'A participation task is done once the person has started at a resource: record the start on its connection.',
};
