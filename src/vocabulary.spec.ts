import { join } from 'node:path';
import { z } from 'zod';
import { ENTITIES } from './entities';
import { WORKFLOWS } from './workflows';
import { chartOf } from './platform/workflow/workflow';
import { allVocabularies } from './platform/vocabulary/vocabulary';
import { labelsOf } from './platform/vocabulary/workflow-labels';
import { sourceFiles } from '../test/support/source-files';

/**
 * Every code the service shows has a Japanese and an English label. The codes are found, not listed:
 * the machines' charts, the entities' enum columns, and every zod enum any module exports.
 */

/** Zod enums of requests only (never shown back as a code), or whose values are already what people read. */
const UNLABELLED_ENUMS: Record<string, string> = {
  'true,false': 'a yes/no query parameter (e.g. overdue=true)',
  'accept,return': 'a URL segment; the escalation state it leads to is labelled',
  'confirm,cancel': 'a URL segment of the candidate import',
  '要支援1,要支援2,要介護1,要介護2,要介護3,要介護4,要介護5': 'care levels are written in Japanese already',
  'A,A1,A2,B,B1,B2': '療育手帳 grades are the official letters',
};

/** `enum` lists anywhere in a JSON Schema. */
function enumsIn(node: unknown): string[][] {
  if (!node || typeof node !== 'object') return [];
  const own = Array.isArray((node as { enum?: unknown }).enum) ? [(node as { enum: unknown[] }).enum.map(String)] : [];
  return [...own, ...Object.values(node).flatMap(enumsIn)];
}

/** Every module file, loaded: each registers its lists as it loads, and the exports are searched for enums. */
const moduleExports = sourceFiles(join(__dirname, 'modules')).map((file) => require(file) as Record<string, unknown>);

/** Every zod enum the modules export, directly or inside an exported schema. */
function exportedZodEnums(): string[][] {
  const found = new Map<string, string[]>();
  for (const exports of moduleExports) {
    for (const value of Object.values(exports)) {
      if (!(value instanceof z.ZodType)) continue;
      for (const values of enumsIn(z.toJSONSchema(value, { io: 'input', unrepresentable: 'any' }))) found.set(values.join(','), values);
    }
  }
  return [...found.values()];
}

/** Every value of an entity's enum column. */
function entityEnums(): { where: string; values: string[] }[] {
  return ENTITIES.flatMap((entity) => {
    const meta = (entity as unknown as { meta: { className: string; properties: Record<string, { items?: unknown[] }> } }).meta;
    return Object.entries(meta.properties)
      .filter(([, prop]) => Array.isArray(prop.items))
      .map(([name, prop]) => ({ where: `${meta.className}.${name}`, values: prop.items!.map(String) }));
  });
}

/** URL action names are the kebab-case of machine events (`start-assessment` → START_ASSESSMENT). */
const asEvent = (value: string) => value.replaceAll('-', '_').toUpperCase();
const isLabelled = (values: string[]) => allVocabularies().some((list) => values.every((v) => list.has(v)) || values.every((v) => list.has(asEvent(v))));

describe('vocabulary', () => {
  it.each(Object.entries(WORKFLOWS))('labels every state, event and guard of the %s machine', (_name, machine) => {
    const chart = chartOf(machine);
    const labels = labelsOf(machine);
    const transitions = chart.states.flatMap((s) => s.transitions);
    expect(chart.states.map((s) => s.name).filter((s) => !labels.states.has(s))).toEqual([]);
    expect([...new Set(transitions.map((t) => t.event))].filter((e) => !labels.events.has(e))).toEqual([]);
    expect([...new Set(transitions.flatMap((t) => t.guards))].filter((g) => !labels.guards.has(g))).toEqual([]);
    // …and nothing the machine does not have, so a renamed state does not leave a stale label behind.
    expect(labels.states.codes.filter((s) => !chart.states.some((c) => c.name === s))).toEqual([]);
  });

  it('labels every enum column of every entity', () => {
    const enums = entityEnums();
    expect(enums.length).toBeGreaterThan(10);
    expect(enums.filter((e) => !isLabelled(e.values)).map((e) => `${e.where}: ${e.values.join(',')}`)).toEqual([]);
  });

  it('labels every zod enum the modules export, but request-only ones', () => {
    const enums = exportedZodEnums();
    expect(enums.length).toBeGreaterThan(10);
    const unlabelled = enums.map((values) => values.join(',')).filter((key) => !UNLABELLED_ENUMS[key] && !isLabelled(key.split(',')));
    expect(unlabelled).toEqual([]);
  });

  it('gives every code of every list a Japanese and an English label', () => {
    const lists = allVocabularies();
    expect(lists.length).toBeGreaterThan(20);
    const missing = lists.flatMap((list) =>
      list.codes.filter((code) => !list.labels[code].ja?.trim() || !list.labels[code].en?.trim()).map((code) => `${list.name}.${code}`),
    );
    expect(missing).toEqual([]);
    // The Japanese label is Japanese, but for codes that are read as they are (8050, DV).
    const untranslated = lists.flatMap((list) => list.codes.filter((code) => !/[^\x00-\x7F]/.test(list.labels[code].ja) && list.labels[code].ja !== code.toUpperCase()).map((code) => `${list.name}.${code}`));
    expect(untranslated).toEqual([]);
  });
});
