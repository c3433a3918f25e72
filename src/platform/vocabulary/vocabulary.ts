import type { Language, Localized } from '../http/app-error';

/** What a person reads for a code, in both languages. */
export type Label = Localized;

/**
 * A named code list with a Japanese and an English label per code. Each module defines its lists
 * next to the codes (a machine's states, an entity's enum) and they land in one registry, which the
 * API serves (`GET /api/v1/vocabulary`) and which timelines, refusals and CSVs read from.
 */
export class Vocabulary<C extends string = string> {
  constructor(
    readonly name: string,
    readonly labels: Readonly<Record<C, Label>>,
  ) {}

  /** The codes in their defined order, typed as a non-empty tuple for `z.enum` and `p.enum`. */
  get codes(): [C, ...C[]] {
    return Object.keys(this.labels) as [C, ...C[]];
  }

  has(code: unknown): code is C {
    return typeof code === 'string' && Object.hasOwn(this.labels, code);
  }

  /** The label; an unknown code is shown as it is rather than hidden (the registry test keeps that from happening). */
  label(code: unknown, lang: Language): string {
    return this.has(code) ? this.labels[code][lang] : String(code ?? '');
  }
}

const registry = new Map<string, Vocabulary>();

/** Defines and registers a code list; a name is defined once, so two lists cannot disagree. */
export function vocabulary<C extends string>(name: string, labels: Record<C, Label>): Vocabulary<C> {
  if (registry.has(name)) throw new Error(`vocabulary '${name}' is defined twice`);
  const defined = new Vocabulary(name, labels);
  registry.set(name, defined as Vocabulary);
  return defined;
}

/** Every registered list, by name. */
export function allVocabularies(): Vocabulary[] {
  return [...registry.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function vocabularyNamed(name: string): Vocabulary | undefined {
  return registry.get(name);
}

/** `[{ code, ja, en }]` (a list that also fixes the order) → labels by code. */
export function labelsByCode<C extends string>(list: readonly { code: C; ja: string; en: string }[]): Record<C, Label> {
  return Object.fromEntries(list.map(({ code, ja, en }) => [code, { ja, en }])) as Record<C, Label>;
}
