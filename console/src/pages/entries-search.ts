import type { components } from '../api/api';

export type EntryState = components['schemas']['RegisterEntry']['state'];
export const ENTRY_STATES: EntryState[] = ['candidate', 'notice_sent', 'awaiting_answer', 'registered', 'declined', 'renewal_notice_sent', 'removed'];
export interface EntriesSearch {
  district?: string;
  state?: EntryState;
}

/** The filters live in the URL (`/register/entries?district=A&state=awaiting_answer`). */
export function entriesSearch(search: Record<string, unknown>): EntriesSearch {
  return {
    ...(typeof search.district === 'string' && /^[\w-]{1,20}$/.test(search.district) && { district: search.district }),
    ...(ENTRY_STATES.includes(search.state as EntryState) && { state: search.state as EntryState }),
  };
}

