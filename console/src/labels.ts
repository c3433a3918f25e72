import { useQuery } from '@tanstack/react-query';
import { api, data } from './api/client';
import { useT } from './i18n';

/** The API's codes in words: `label('referral.state', 'proposed')` → 依頼 (GET /vocabulary, read once). */
export function useLabels() {
  const { lang } = useT();
  const vocabulary = useQuery({ queryKey: ['vocabulary'], queryFn: () => data(api.GET('/api/v1/vocabulary')), staleTime: Infinity });
  return (list: string, code: string): string => vocabulary.data?.[list]?.find((entry) => entry.code === code)?.[lang] ?? code;
}

/** Department names by id (GET /departments). */
export function useDepartmentNames() {
  const departments = useQuery({
    queryKey: ['departments'],
    queryFn: () => data(api.GET('/api/v1/departments', { params: { query: { limit: 200 } } })),
    staleTime: 5 * 60_000,
  });
  return (id: string) => departments.data?.items.find((d) => d.id === id)?.name ?? '…';
}
