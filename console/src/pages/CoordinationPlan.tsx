import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { components, paths } from '../api/api';
import { useT } from '../i18n';
import { useDepartmentNames, useLabels } from '../labels';
import type { CoordinationDetail } from './CoordinationCase';
import { MutationError, useCodes, useDepartments } from './coordination-shared';

type PlanBody = paths['/api/v1/coordination/cases/{id}/plan']['put']['requestBody']['content']['application/json'];
type Goal = PlanBody['goals'][number];
type Task = PlanBody['tasks'][number];
type TaskKind = NonNullable<Task['kind']>;
type PlanTask = components['schemas']['PlanTask'];

/** The plan as it stands: goals, then the current version's tasks with their status (read-only). */
export function PlanView({ c }: { c: CoordinationDetail }) {
  const { t } = useT();
  const label = useLabels();
  if (!c.plan) return <p>{t('coord.noPlan')}</p>;
  return (
    <>
      <p>{t('coord.planVersion', { v: c.plan.version, state: label('supportPlanState', c.plan.state) })}</p>
      <h3>{t('coord.goals')}</h3>
      <ol>
        {c.plan.goals.map((goal) => (
          <li key={goal.id}>{goal.text}</li>
        ))}
      </ol>
      <TaskTable tasks={c.tasks} goals={c.plan.goals} />
    </>
  );
}

function TaskTable({ tasks, goals }: { tasks: PlanTask[]; goals: Goal[] }) {
  const { t } = useT();
  const label = useLabels();
  const department = useDepartmentNames();
  if (tasks.length === 0) return null;
  return (
    <table className="data-table">
      <caption className="hint">{t('coord.tasks')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('coord.department')}</th>
          <th scope="col">{t('coord.taskTitle')}</th>
          <th scope="col">{t('coord.forGoal')}</th>
          <th scope="col">{t('coord.dueOn')}</th>
          <th scope="col">{t('coord.status')}</th>
          <th scope="col">{t('coord.report')}</th>
        </tr>
      </thead>
      <tbody>
        {tasks.map((task) => (
          <tr key={task.id} className={task.overdue ? 'overdue' : undefined}>
            <td>{department(task.departmentId)}</td>
            <td>
              {task.title}
              {task.kind === 'participation' && <span className="hint">（{label('planTaskKind', task.kind)}: {task.resource}）</span>}
            </td>
            <td>{goals.find((goal) => goal.id === task.goalId)?.text ?? ''}</td>
            <td>
              <time dateTime={task.dueOn}>{task.dueOn}</time>
              {task.overdue && <span className="badge badge-error">{t('inbox.overdue')}</span>}
            </td>
            <td>{label('planTaskStatus', task.status)}</td>
            <td>{task.report ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const blankTask = (goalId?: string): Task => ({ goalId, departmentId: '', title: '', kind: 'standard', dueOn: '' });

/**
 * 支援プランの編集: goals, and per department the tasks with their due days; saving makes a new version.
 * Shown only while planning or re-planning (the server refuses edits at other stages).
 */
export function PlanEditor({ c }: { c: CoordinationDetail }) {
  const { t } = useT();
  const label = useLabels();
  const id = useId();
  const queryClient = useQueryClient();
  const departments = useDepartments();
  const kinds = useCodes<TaskKind>('planTaskKind');
  const [goals, setGoals] = useState<Goal[]>(c.plan?.goals.map((g) => ({ id: g.id, text: g.text })) ?? [{ id: 'g1', text: '' }]);
  const [tasks, setTasks] = useState<Task[]>(
    c.tasks
      .filter((task) => task.status !== 'cancelled')
      .map((task) => ({ goalId: task.goalId ?? undefined, departmentId: task.departmentId, title: task.title, kind: task.kind, resource: task.resource ?? undefined, dueOn: task.dueOn })),
  );
  const save = useMutation({
    mutationFn: () =>
      data(
        api.PUT('/api/v1/coordination/cases/{id}/plan', {
          params: { path: { id: c.id } },
          body: { version: c.version, goals, tasks: tasks.map((task) => ({ ...task, goalId: task.goalId || undefined, resource: task.kind === 'participation' ? task.resource : undefined })) },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['coordination'] }),
  });
  const setGoal = (i: number, text: string) => setGoals(goals.map((g, j) => (j === i ? { ...g, text } : g)));
  const setTask = (i: number, change: Partial<Task>) => setTasks(tasks.map((task, j) => (j === i ? { ...task, ...change } : task)));
  const nextGoalId = () => `g${Math.max(0, ...goals.map((g) => Number(g.id.replace(/\D/g, '')) || 0)) + 1}`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} className="plan-editor" aria-label={t('coord.plan')}>
      <p className="hint">{t('coord.editHint')}</p>
      {c.plan && <p>{t('coord.planVersion', { v: c.plan.version, state: label('supportPlanState', c.plan.state) })}</p>}
      <fieldset>
        <legend>{t('coord.goals')}</legend>
        {goals.map((goal, i) => (
          <div key={goal.id} className="plan-row">
            <label htmlFor={`${id}-goal-${goal.id}`}>{t('coord.goal', { n: i + 1 })}</label>
            <input id={`${id}-goal-${goal.id}`} required maxLength={500} value={goal.text} onChange={(e) => setGoal(i, e.target.value)} />
            {goals.length > 1 && (
              <button type="button" className="secondary" onClick={() => setGoals(goals.filter((_, j) => j !== i))}>
                {t('coord.remove', { what: t('coord.goal', { n: i + 1 }) })}
              </button>
            )}
          </div>
        ))}
        <button type="button" className="secondary" onClick={() => setGoals([...goals, { id: nextGoalId(), text: '' }])}>
          {t('coord.addGoal')}
        </button>
      </fieldset>
      {tasks.map((task, i) => {
        const name = t('coord.task', { n: i + 1 });
        const field = (part: string) => `${id}-task-${i}-${part}`;
        return (
          <fieldset key={i}>
            <legend>{name}</legend>
            <div className="plan-grid">
              <label htmlFor={field('dept')}>{t('coord.department')}</label>
              <select id={field('dept')} required value={task.departmentId} onChange={(e) => setTask(i, { departmentId: e.target.value })}>
                <option value="">{t('refer.choose')}</option>
                {departments.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
              <label htmlFor={field('title')}>{t('coord.taskTitle')}</label>
              <input id={field('title')} required maxLength={200} value={task.title} onChange={(e) => setTask(i, { title: e.target.value })} />
              <label htmlFor={field('goal')}>{t('coord.forGoal')}</label>
              <select id={field('goal')} value={task.goalId ?? ''} onChange={(e) => setTask(i, { goalId: e.target.value || undefined })}>
                <option value="">{t('coord.noGoal')}</option>
                {goals.map((goal, n) => (
                  <option key={goal.id} value={goal.id}>
                    {t('coord.goal', { n: n + 1 })} {goal.text}
                  </option>
                ))}
              </select>
              <label htmlFor={field('kind')}>{t('coord.taskKind')}</label>
              <select id={field('kind')} value={task.kind} onChange={(e) => setTask(i, { kind: e.target.value as TaskKind })}>
                {kinds.map((code) => (
                  <option key={code} value={code}>
                    {label('planTaskKind', code)}
                  </option>
                ))}
              </select>
              {task.kind === 'participation' && (
                <>
                  <label htmlFor={field('resource')}>{t('coord.resource')}</label>
                  <input id={field('resource')} required maxLength={300} value={task.resource ?? ''} onChange={(e) => setTask(i, { resource: e.target.value })} />
                </>
              )}
              <label htmlFor={field('due')}>{t('coord.dueOn')}</label>
              <input id={field('due')} type="date" required value={task.dueOn} onChange={(e) => setTask(i, { dueOn: e.target.value })} />
            </div>
            <button type="button" className="secondary" onClick={() => setTasks(tasks.filter((_, j) => j !== i))}>
              {t('coord.remove', { what: name })}
            </button>
          </fieldset>
        );
      })}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => setTasks([...tasks, blankTask(goals[0]?.id)])}>
          {t('coord.addTask')}
        </button>
        <button type="submit" disabled={save.isPending}>
          {t('coord.savePlan')}
        </button>
      </div>
      {save.isSuccess && <p role="status">{t('coord.planSaved', { v: save.data.planVersion })}</p>}
      <MutationError error={save.error} />
      {c.plan && <TaskTable tasks={c.tasks} goals={c.plan.goals} />}
    </form>
  );
}
