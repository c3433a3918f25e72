/** The meeting page's search: the coordination case it was opened from (to share that case and go back). */
export const meetingSearch = (search: Record<string, unknown>): { coordinationId?: string } => (typeof search.coordinationId === 'string' ? { coordinationId: search.coordinationId } : {});
