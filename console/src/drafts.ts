import { useState } from 'react';
import { session } from './session';

/**
 * 下書き (drafts): what someone typed and has not sent yet, kept in this tab's sessionStorage until it is
 * sent, so an expired session — even one that leaves the page for the identity provider and comes back —
 * does not lose it. Only the person's own input goes here, never an answer of the API. Signing out
 * forgets every draft, so the next person at this screen never sees them.
 */
const PREFIX = 'tsunagi.draft.';

export const drafts = {
  get<T>(key: string): T | undefined {
    const raw = sessionStorage.getItem(PREFIX + key);
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch {
      return undefined;
    }
  },
  set<T>(key: string, value: T) {
    sessionStorage.setItem(PREFIX + key, JSON.stringify(value));
  },
  delete(key: string) {
    sessionStorage.removeItem(PREFIX + key);
  },
  clear() {
    for (const key of Object.keys(sessionStorage)) if (key.startsWith(PREFIX)) sessionStorage.removeItem(key);
  },
};

session.subscribe(() => {
  if (session.endedBecause() === 'signed-out') drafts.clear();
});

/** useState kept as a draft under `key`: `discard()` once sent. */
export function useDraft<T>(key: string, initial: T): [T, (next: T) => void, () => void] {
  const [value, setValue] = useState<T>(() => drafts.get<T>(key) ?? initial);
  const update = (next: T) => {
    setValue(next);
    drafts.set(key, next);
  };
  const discard = () => {
    drafts.delete(key);
    setValue(initial);
  };
  return [value, update, discard];
}
