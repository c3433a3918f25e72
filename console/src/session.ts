import { useSyncExternalStore } from 'react';

/**
 * The signed-in session, in memory only: never in localStorage, sessionStorage or a cookie, so closing
 * or reloading the tab signs out and nothing of it stays on a shared machine.
 */
export interface Session {
  token: string;
  login: string;
  expiresAt: number;
}

type Listener = () => void;
let current: Session | null = null;
/** Why the last session ended, for the sign-in page to say (`expired`), cleared once shown. */
let ended: 'expired' | 'signed-out' | null = null;
const listeners = new Set<Listener>();
let expiryTimer: ReturnType<typeof setTimeout> | undefined;

function emit() {
  for (const listener of listeners) listener();
}

export const session = {
  get: () => current,
  endedBecause: () => ended,
  start(next: Session) {
    current = next;
    ended = null;
    clearTimeout(expiryTimer);
    expiryTimer = setTimeout(() => session.end('expired'), Math.max(0, next.expiresAt - Date.now()));
    emit();
  },
  end(reason: 'expired' | 'signed-out') {
    if (!current) return;
    current = null;
    ended = reason;
    clearTimeout(expiryTimer);
    emit();
  },
  subscribe(listener: Listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export function useSession(): Session | null {
  return useSyncExternalStore(session.subscribe, session.get);
}
