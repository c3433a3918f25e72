import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { InfiniteData } from '@tanstack/react-query';
import { useT } from '../i18n';
import { Status } from './Layout';

/** A paged list of the API (`items`, `next`), 50 at a time, with its "show more". */
export function usePagedList<T>(key: unknown[], fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; next?: string | null }>) {
  const query = useInfiniteQuery<{ items: T[]; next?: string | null }, Error, InfiniteData<{ items: T[]; next?: string | null }>, unknown[], string>({
    queryKey: key,
    queryFn: ({ pageParam }) => fetchPage(pageParam || undefined),
    initialPageParam: '',
    getNextPageParam: (page) => page.next ?? undefined,
  });
  return { query, items: query.data?.pages.flatMap((page) => page.items) ?? [] };
}

export function MoreButton({ query }: { query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown } }) {
  const { t } = useT();
  if (!query.hasNextPage) return null;
  return (
    <button type="button" className="secondary" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
      {t('more')}
    </button>
  );
}

/** A titled section holding one paged list as a table: loading and errors, an empty text, the rows, "show more". */
export function PagedTable<T>({ id, title, empty, columns, list, row }: { id: string; title: string; empty: string; columns: string[]; list: ReturnType<typeof usePagedList<T>>; row: (item: T) => ReactNode }) {
  const { query, items } = list;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <Status loading={query.isPending} error={query.error} />
      {query.isSuccess && items.length === 0 && <p>{empty}</p>}
      {items.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{items.map(row)}</tbody>
        </table>
      )}
      <MoreButton query={query} />
    </section>
  );
}

/** A reason asked for before an action is sent (差し戻し, 終結, 中断…): required, at most 1,000 characters. */
export function ReasonForm({ title, label, pending, onSend, onCancel, children }: { title: string; label: string; pending: boolean; onSend: (reason: string) => void; onCancel: () => void; children?: ReactNode }) {
  const { t } = useT();
  const id = useId();
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSend(reason);
  };
  return (
    <form onSubmit={submit} className="inline-form" aria-label={title}>
      <label htmlFor={id}>{label}</label>
      <textarea id={id} required maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
      {children}
      <button type="submit" disabled={pending || !reason.trim()}>
        {title} — {t('coord.send')}
      </button>
      <button type="button" className="secondary" onClick={onCancel}>
        {t('coord.cancel')}
      </button>
    </form>
  );
}

/** An error answer of a mutation, said where the action was. */
export function MutationError({ error }: { error: Error | null }) {
  const { t } = useT();
  return error ? (
    <p role="alert" className="error">
      {t('error', { message: error.message })}
    </p>
  ) : null;
}

/** Today in Japan, as the API counts days (YYYY-MM-DD). */
export const todayInJapan = () => new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);

/** The codes of one of the API's vocabularies (GET /vocabulary, read once), e.g. the meeting kinds, in the API's order. */
export function useCodes<T extends string>(list: string): T[] {
  const vocabulary = useQuery({ queryKey: ['vocabulary'], queryFn: () => data(api.GET('/api/v1/vocabulary')), staleTime: Infinity });
  return (vocabulary.data?.[list]?.map((entry) => entry.code) ?? []) as T[];
}

/** The municipality's departments (GET /departments), for the selects of plans and decisions. */
export function useDepartments() {
  const departments = useQuery({ queryKey: ['departments'], queryFn: () => data(api.GET('/api/v1/departments', { params: { query: { limit: 200 } } })), staleTime: 5 * 60_000 });
  return departments.data?.items ?? [];
}

/** The consents of a case's persons in force today (given, not withdrawn, not ended) that cover the case's own information, as the coordination reads them. */
export const liveConsents = <C extends { withdrawnOn: string | null; givenOn: string; endsOn: string | null; scope: string[] }>(record: { consents: C[] } | undefined): C[] => {
  const today = todayInJapan();
  return record ? record.consents.filter((c) => !c.withdrawnOn && c.givenOn <= today && (!c.endsOn || c.endsOn >= today) && c.scope.includes('case')) : [];
};
