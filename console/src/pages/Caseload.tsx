import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { api, data } from '../api/client';
import type { paths } from '../api/api';
import { useT } from '../i18n';
import { useLabels } from '../labels';
import { Status, useMe } from './Layout';

type CaseQuery = NonNullable<paths['/api/v1/cases']['get']['parameters']['query']>;
type CaseState = NonNullable<CaseQuery['state']>;
type Issue = NonNullable<CaseQuery['issue']>;
const STATES: CaseState[] = ['intake', 'assessment', 'support', 'monitoring', 'suspended', 'closed'];
export const ISSUES: Issue[] = ['8050', 'care', 'dementia', 'disability', 'mental_health', 'poverty', 'debt', 'housing', 'employment', 'hikikomori', 'double_care', 'young_carer', 'childcare', 'abuse', 'dv', 'suicide_risk', 'health', 'mobility', 'hoarding', 'isolation'];

export interface CaseloadSearch {
  state?: CaseState;
  issue?: Issue;
}

/** The filters live in the URL (`/cases?state=support`), so a filtered list can be bookmarked and shared. */
export function caseloadSearch(search: Record<string, unknown>): CaseloadSearch {
  return {
    ...(STATES.includes(search.state as CaseState) && { state: search.state as CaseState }),
    ...(ISSUES.includes(search.issue as Issue) && { issue: search.issue as Issue }),
  };
}

/** 課のケース: the cases my department leads, filtered, paged by the API's keyset cursor. */
export function Caseload() {
  const { t } = useT();
  const label = useLabels();
  const search = useSearch({ from: '/signed-in/cases' });
  const navigate = useNavigate({ from: '/cases' });
  const me = useMe();
  const departmentId = me.data?.kind === 'staff' ? me.data.roles.find((role) => role.departmentId)?.departmentId ?? undefined : undefined;
  const cases = useInfiniteQuery({
    queryKey: ['cases', departmentId, search],
    enabled: !!departmentId,
    queryFn: ({ pageParam }) => data(api.GET('/api/v1/cases', { params: { query: { departmentId, ...search, limit: 50, ...(pageParam && { cursor: pageParam }) } } })),
    initialPageParam: '',
    getNextPageParam: (page) => page.next ?? undefined,
  });
  const items = cases.data?.pages.flatMap((page) => page.items) ?? [];
  const filter = (next: CaseloadSearch) => void navigate({ search: caseloadSearch({ ...search, ...next }) });
  return (
    <section aria-labelledby="cases-title">
      <h1 id="cases-title">{t('cases.title')}</h1>
      <p>
        <Link to="/cases/new">{t('open.link')}</Link>
      </p>
      <div className="filters">
        <label>
          {t('cases.filterState')}
          <select value={search.state ?? ''} onChange={(e) => filter({ state: (e.target.value || undefined) as CaseState | undefined })}>
            <option value="">{t('cases.all')}</option>
            {STATES.map((state) => (
              <option key={state} value={state}>
                {label('case.state', state)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('cases.filterIssue')}
          <select value={search.issue ?? ''} onChange={(e) => filter({ issue: (e.target.value || undefined) as Issue | undefined })}>
            <option value="">{t('cases.all')}</option>
            {ISSUES.map((issue) => (
              <option key={issue} value={issue}>
                {label('issueTag', issue)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {me.isSuccess && !departmentId && <p>{t('cases.noDepartment')}</p>}
      <Status loading={!!departmentId && cases.isPending} error={me.error ?? cases.error} />
      {cases.isSuccess && items.length === 0 && <p>{t('cases.empty')}</p>}
      {items.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('cases.number')}</th>
              <th scope="col">{t('cases.caseTitle')}</th>
              <th scope="col">{t('inbox.state')}</th>
              <th scope="col">{t('cases.issues')}</th>
              <th scope="col">{t('cases.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td>
                  <Link to="/cases/$caseId" params={{ caseId: item.id }}>
                    {item.caseNumber}
                  </Link>
                </td>
                <td>{item.title}</td>
                <td>{label('case.state', item.state)}</td>
                <td>{item.issues.map((issue) => label('issueTag', issue)).join('、')}</td>
                <td>
                  <time dateTime={item.updatedAt}>{new Date(item.updatedAt).toLocaleString('ja-JP')}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cases.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void cases.fetchNextPage()} disabled={cases.isFetchingNextPage}>
          {t('more')}
        </button>
      )}
    </section>
  );
}
