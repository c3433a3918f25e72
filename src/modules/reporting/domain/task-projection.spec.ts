import { applyEvent } from './projection';
import { applyTaskEvent, taskProjection, type TaskFact } from './task-projection';
import { history } from '../../../../test/support/event-history';

const plan = (version: number, tasks: { id: string; departmentId: string; dueOn: string }[]) => ({ aggregateType: 'CoordinationCase', aggregateId: 'co-1', payload: { planVersion: version, planTasks: tasks } });

describe('task projection', () => {
  it('opens the tasks of a plan, reports and completes them, and cancels what a new version leaves open', () => {
    const event = history();
    let tasks = new Map<string, TaskFact>();
    const apply = (e: ReturnType<typeof event>) => {
      for (const t of applyEvent(taskProjection, [...tasks.values()], e)) tasks = new Map(tasks).set(t.taskId, t);
    };
    apply(event('SupportPlanDrafted', plan(1, [{ id: 't1', departmentId: 'kenko', dueOn: '2026-11-10' }, { id: 't2', departmentId: 'fukushi', dueOn: '2026-11-20' }])));
    apply(event('PlanTaskReported', { aggregateType: 'PlanTask', aggregateId: 't1', minute: 30 }));
    apply(event('PlanTaskCompleted', { aggregateType: 'PlanTask', aggregateId: 't2', minute: 40 }));
    expect([...tasks.values()].map((t) => [t.taskId, t.status, t.reportedAt])).toEqual([
      ['t1', 'open', '2026-11-02T00:30:00.000Z'],
      ['t2', 'done', '2026-11-02T00:40:00.000Z'],
    ]);
    apply(event('SupportPlanDrafted', plan(2, [{ id: 't3', departmentId: 'kenko', dueOn: '2026-12-01' }])));
    expect([...tasks.values()].map((t) => [t.taskId, t.planVersion, t.status, t.lastEventId])).toEqual([
      ['t1', 1, 'cancelled', 4],
      ['t2', 1, 'done', 3],
      ['t3', 2, 'open', 4],
    ]);
  });

  it('ignores reports on tasks it does not know and other events of the coordination case', () => {
    const event = history();
    expect(applyTaskEvent([], event('PlanTaskCompleted', { aggregateType: 'PlanTask', aggregateId: 'tx' }))).toEqual([]);
    expect(applyTaskEvent([], event('CoordinationClosed', { aggregateType: 'CoordinationCase', payload: { to: 'closed' } }))).toEqual([]);
  });
});
