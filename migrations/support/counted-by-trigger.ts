/**
 * SQL keeping a small pre-aggregated table in step with a fact table: statement triggers read the
 * rows each statement inserted, updated or deleted (transition tables) and add or subtract them, in
 * the same transaction. The dashboard then sums a few hundred rows instead of scanning millions,
 * and the counts can never drift from the facts.
 */
export interface Counter {
  /** The fact table the counter follows. */
  facts: string;
  /** The counter table: `tenant_id`, the key columns, the summed columns. */
  table: string;
  key: string[];
  sums: string[];
  /** A select from `source` giving the key columns and each summed column times `sign`; the first sum counts facts. */
  contribution(source: string, sign: 1 | -1): string;
}

export function countedBy(counter: Counter): string[] {
  const { facts, table } = counter;
  const apply = `${table}_apply`;
  return [
    counterFunction(counter),
    `create trigger ${table}_on_insert after insert on ${facts} referencing new table as new_rows for each statement execute function ${apply}()`,
    `create trigger ${table}_on_update after update on ${facts} referencing old table as old_rows new table as new_rows for each statement execute function ${apply}()`,
    `create trigger ${table}_on_delete after delete on ${facts} referencing old table as old_rows for each statement execute function ${apply}()`,
  ];
}

/** The trigger function that adds a statement's rows to the counter and prunes the keys that fell to zero. */
export function counterFunction(counter: Counter): string {
  const { table, key, sums } = counter;
  const columns = ['tenant_id', ...key];
  const add = (contributions: string) =>
    `insert into ${table} (${[...columns, ...sums].join(', ')})
       select ${[...columns, ...sums.map((s) => `sum(${s})`)].join(', ')} from (${contributions}) d group by ${columns.join(', ')}
       on conflict (${columns.join(', ')}) do update set ${sums.map((s) => `${s} = ${table}.${s} + excluded.${s}`).join(', ')}`;
  // Only the keys this statement touched can have dropped to zero: no scan of the whole counter. The
  // keys are grouped first: joined row by row, a rebuild's statement of 10⁵ rows against a counter
  // all at zero was a nested loop of 10⁸ comparisons under RLS (minutes).
  const prune = (contributions: string) =>
    `delete from ${table} t using (select ${columns.join(', ')} from (${contributions}) c group by ${columns.join(', ')}) d
      where ${columns.map((c) => `t.${c} = d.${c}`).join(' and ')} and t.${sums[0]} = 0`;
  const both = `${counter.contribution('new_rows', 1)} union all ${counter.contribution('old_rows', -1)}`;
  return `create or replace function ${table}_apply() returns trigger language plpgsql as $$
     begin
       if tg_op = 'INSERT' then ${add(counter.contribution('new_rows', 1))}; ${prune(counter.contribution('new_rows', 1))};
       elsif tg_op = 'DELETE' then ${add(counter.contribution('old_rows', -1))}; ${prune(counter.contribution('old_rows', -1))};
       else ${add(both)}; ${prune(both)};
       end if;
       return null;
     end $$`;
}
