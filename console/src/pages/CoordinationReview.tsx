import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import { useT } from '../i18n';
import { useLabels } from '../labels';
import type { CoordinationDetail } from './CoordinationCase';
import { MutationError, todayInJapan, useCodes } from './coordination-shared';

type Attainment = NonNullable<CoordinationDetail['evaluations']>[number]['results'][number]['attainment'];

const goalText = (c: CoordinationDetail, goalId: string) => c.plan?.goals.find((g) => g.id === goalId)?.text ?? goalId;

/** モニタリング: what was seen, and which goals to re-plan. */
export function Reviews({ c, canRecord }: { c: CoordinationDetail; canRecord: boolean }) {
  const { t } = useT();
  return (
    <section aria-labelledby="reviews-title">
      <h2 id="reviews-title">{t('coord.monitoring')}</h2>
      {c.reviews!.length === 0 ? (
        <p>{t('coord.noReviews')}</p>
      ) : (
        <ul className="notes">
          {c.reviews!.map((review) => (
            <li key={review.id}>
              <time dateTime={review.heldOn}>{review.heldOn}</time>
              <p>{review.notes}</p>
              {review.replanGoalIds.length > 0 && (
                <p className="hint">
                  {t('coord.replanGoals')}: {review.replanGoalIds.map((id) => goalText(c, id)).join('、')}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      {canRecord && <ReviewForm c={c} />}
    </section>
  );
}

function ReviewForm({ c }: { c: CoordinationDetail }) {
  const { t } = useT();
  const id = useId();
  const queryClient = useQueryClient();
  const [heldOn, setHeldOn] = useState(todayInJapan());
  const [notes, setNotes] = useState('');
  const [replan, setReplan] = useState<string[]>([]);
  const record = useMutation({
    mutationFn: () => data(api.POST('/api/v1/coordination/cases/{id}/reviews', { params: { path: { id: c.id } }, body: { heldOn, notes, replanGoalIds: replan } })),
    onSuccess: () => {
      setNotes('');
      setReplan([]);
      void queryClient.invalidateQueries({ queryKey: ['coordination'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    record.mutate();
  };
  return (
    <form onSubmit={submit} className="stack" aria-label={t('coord.recordReview')}>
      <label htmlFor={`${id}-held`}>{t('coord.heldOn')}</label>
      <input id={`${id}-held`} type="date" required value={heldOn} onChange={(e) => setHeldOn(e.target.value)} />
      <label htmlFor={`${id}-notes`}>{t('coord.reviewNotes')}</label>
      <textarea id={`${id}-notes`} required maxLength={5000} value={notes} onChange={(e) => setNotes(e.target.value)} />
      {c.plan && c.plan.goals.length > 0 && (
        <fieldset>
          <legend>{t('coord.replanGoals')}</legend>
          {c.plan.goals.map((goal) => (
            <label key={goal.id} className="check">
              <input type="checkbox" checked={replan.includes(goal.id)} onChange={(e) => setReplan(e.target.checked ? [...replan, goal.id] : replan.filter((g) => g !== goal.id))} /> {goal.text}
            </label>
          ))}
        </fieldset>
      )}
      <button type="submit" disabled={record.isPending || !notes.trim()}>
        {t('coord.recordReview')}
      </button>
      {record.isSuccess && <p role="status">{t('coord.recorded')}</p>}
      <MutationError error={record.error} />
    </form>
  );
}

/** 評価: attainment per goal, recorded at the stage 評価 (before 終結). */
export function Evaluations({ c, canRecord }: { c: CoordinationDetail; canRecord: boolean }) {
  const { t } = useT();
  const label = useLabels();
  return (
    <section aria-labelledby="evaluations-title">
      <h2 id="evaluations-title">{t('coord.evaluation')}</h2>
      {c.evaluations!.length === 0 ? (
        <p>{t('coord.noEvaluations')}</p>
      ) : (
        <ul className="notes">
          {c.evaluations!.map((evaluation) => (
            <li key={evaluation.id}>
              <time dateTime={evaluation.createdAt}>{new Date(evaluation.createdAt).toLocaleString('ja-JP')}</time>
              <ul className="plain-list">
                {evaluation.results.map((result) => (
                  <li key={result.goalId}>
                    {goalText(c, result.goalId)}: {label('attainment', result.attainment)}
                    {result.note && `（${result.note}）`}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      {canRecord && c.plan && <EvaluationForm c={c} />}
    </section>
  );
}

function EvaluationForm({ c }: { c: CoordinationDetail }) {
  const { t } = useT();
  const label = useLabels();
  const id = useId();
  const queryClient = useQueryClient();
  const attainments = useCodes<Attainment>('attainment');
  const goals = c.plan!.goals;
  const [results, setResults] = useState<Record<string, { attainment: Attainment | ''; note: string }>>(Object.fromEntries(goals.map((g) => [g.id, { attainment: '', note: '' }])));
  const record = useMutation({
    mutationFn: () =>
      data(
        api.POST('/api/v1/coordination/cases/{id}/evaluations', {
          params: { path: { id: c.id } },
          body: { results: goals.map((g) => ({ goalId: g.id, attainment: results[g.id].attainment as Attainment, ...(results[g.id].note.trim() && { note: results[g.id].note }) })) },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['coordination'] }),
  });
  const set = (goalId: string, change: Partial<{ attainment: Attainment | ''; note: string }>) => setResults({ ...results, [goalId]: { ...results[goalId], ...change } });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    record.mutate();
  };
  return (
    <form onSubmit={submit} className="stack" aria-label={t('coord.recordEvaluation')}>
      {goals.map((goal) => (
        <div key={goal.id} className="stack">
          <label htmlFor={`${id}-${goal.id}-a`}>{t('coord.attainment', { goal: goal.text })}</label>
          <select id={`${id}-${goal.id}-a`} required value={results[goal.id].attainment} onChange={(e) => set(goal.id, { attainment: e.target.value as Attainment })}>
            <option value="">{t('refer.choose')}</option>
            {attainments.map((code) => (
              <option key={code} value={code}>
                {label('attainment', code)}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-${goal.id}-n`}>{t('coord.note', { goal: goal.text })}</label>
          <input id={`${id}-${goal.id}-n`} maxLength={1000} value={results[goal.id].note} onChange={(e) => set(goal.id, { note: e.target.value })} />
        </div>
      ))}
      <button type="submit" disabled={record.isPending}>
        {t('coord.recordEvaluation')}
      </button>
      {record.isSuccess && <p role="status">{t('coord.recorded')}</p>}
      <MutationError error={record.error} />
    </form>
  );
}
