import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { components } from '../api/api';
import { useT } from '../i18n';
import { useDepartmentNames, useLabels } from '../labels';
import { Status } from './Layout';
import { MoreButton, MutationError, usePagedList } from './coordination-shared';

type PlanTask = components['schemas']['PlanTask'];

/** 支援プランのタスク: what the plans ask of my departments, by due day, each reported on (done: 完了). */
export function CoordinationTasks() {
  const { t } = useT();
  const label = useLabels();
  const department = useDepartmentNames();
  const { query, items } = usePagedList<PlanTask>(['coordination', 'tasks'], (cursor) => data(api.GET('/api/v1/coordination/tasks', { params: { query: { limit: 50, ...(cursor && { cursor }) } } })));
  return (
    <section aria-labelledby="tasks-title">
      <h1 id="tasks-title">{t('tasks.title')}</h1>
      <Status loading={query.isPending} error={query.error} />
      {query.isSuccess && items.length === 0 && <p>{t('tasks.empty')}</p>}
      {items.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('coord.dueOn')}</th>
              <th scope="col">{t('coord.department')}</th>
              <th scope="col">{t('coord.taskTitle')}</th>
              <th scope="col">{t('coord.status')}</th>
              <th scope="col">{t('coord.report')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((task) => (
              <tr key={task.id} className={task.overdue ? 'overdue' : undefined}>
                <td>
                  <time dateTime={task.dueOn}>{task.dueOn}</time>
                  {task.overdue && <span className="badge badge-error">{t('inbox.overdue')}</span>}
                </td>
                <td>{department(task.departmentId)}</td>
                <td>
                  {task.title}
                  {task.kind === 'participation' && <span className="hint">（{label('planTaskKind', task.kind)}: {task.resource}）</span>}
                </td>
                <td>{label('planTaskStatus', task.status)}</td>
                <td>{task.status === 'open' ? <ReportForm task={task} /> : task.report}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreButton query={query} />
    </section>
  );
}

/** A report on an open task (a done task takes no second report: the server refuses it, so no form). */
function ReportForm({ task }: { task: PlanTask }) {
  const { t } = useT();
  const id = useId();
  const queryClient = useQueryClient();
  const [report, setReport] = useState(task.report ?? '');
  const [done, setDone] = useState(false);
  const send = useMutation({
    mutationFn: () => data(api.POST('/api/v1/coordination/tasks/{id}/actions/report', { params: { path: { id: task.id } }, body: { version: task.version, report, done } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['coordination'] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send.mutate();
  };
  return (
    <form onSubmit={submit} className="inline-form" aria-label={t('tasks.reportOn', { title: task.title })}>
      <label htmlFor={id}>{t('tasks.report')}</label>
      <textarea id={id} required maxLength={2000} value={report} onChange={(e) => setReport(e.target.value)} />
      <label className="check">
        <input type="checkbox" checked={done} onChange={(e) => setDone(e.target.checked)} /> {t('tasks.done')}
      </label>
      <button type="submit" disabled={send.isPending || !report.trim()}>
        {t('tasks.send')}
      </button>
      <MutationError error={send.error} />
    </form>
  );
}
