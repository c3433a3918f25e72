import { useSyncExternalStore } from 'react';
import { messages, type MessageKey } from './messages';

export type Language = 'ja' | 'en';

let language: Language = 'ja';
const listeners = new Set<() => void>();

export const currentLanguage = () => language;

export function setLanguage(next: Language) {
  language = next;
  document.documentElement.lang = next;
  for (const listener of listeners) listener();
}

const subscribe = (listener: () => void) => (listeners.add(listener), () => listeners.delete(listener));

/** `t('inbox.title')`, `t('cases.count', { n: 3 })`: Japanese first, English when switched. */
export function useT() {
  const lang = useSyncExternalStore(subscribe, currentLanguage);
  const t = (key: MessageKey, vars: Record<string, string | number> = {}) =>
    messages[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
  return { t, lang };
}
