import type { EntityManager } from '@mikro-orm/postgresql';
import { boundQuery } from '../../../../platform/database/bound-query';
import type { CsvEncoding } from '../../../../platform/csv/csv';
import type { CandidateRowResult, RejectedRow } from '../../domain/candidate-csv';

/** Rows sent per statement while an upload is stored: memory stays bounded by this, not by the file. */
export const STORE_BATCH = 5_000;

export interface UploadToStore {
  id: string;
  tenantId: string;
  createdBy: string;
  encoding: CsvEncoding;
}

export interface StoredUpload {
  validRows: number;
  rejectedRows: number;
  /** The first `keepRejected` rejected rows, for the report's first page. */
  firstRejected: RejectedRow[];
}

/**
 * Stores an upload's rows as they are read: a batch at a time into a table of the transaction's own
 * (dropped at its end), then the import row with its valid and rejected rows gathered in file order
 * by the database. The file is never one JSON text in memory, and every batch goes as a bind value.
 */
export async function storeUpload(em: EntityManager, upload: UploadToStore, results: Iterable<CandidateRowResult>, keepRejected: number): Promise<StoredUpload> {
  await boundQuery(em, `create temporary table register_upload_rows (valid boolean not null, n integer not null, item jsonb not null) on commit drop`);
  const stored: StoredUpload = { validRows: 0, rejectedRows: 0, firstRejected: [] };
  let valid: unknown[] = [];
  let rejected: unknown[] = [];
  const flush = async () => {
    await boundQuery(
      em,
      `insert into register_upload_rows (valid, n, item)
       select true, $3 + n, item from jsonb_array_elements($1::jsonb) with ordinality as v(item, n)
       union all
       select false, $4 + n, item from jsonb_array_elements($2::jsonb) with ordinality as r(item, n)`,
      [JSON.stringify(valid), JSON.stringify(rejected), stored.validRows - valid.length, stored.rejectedRows - rejected.length],
    );
    valid = [];
    rejected = [];
  };
  for (const result of results) {
    if (result.row) {
      valid.push(result.row);
      stored.validRows++;
    } else {
      rejected.push(result.rejected);
      if (stored.rejectedRows++ < keepRejected) stored.firstRejected.push(result.rejected);
    }
    if (valid.length + rejected.length === STORE_BATCH) await flush();
  }
  if (valid.length + rejected.length > 0) await flush();
  const gathered = (validity: boolean) => `coalesce((select jsonb_agg(item order by n) from register_upload_rows where valid = ${validity}), '[]')`;
  await boundQuery(
    em,
    `insert into register_imports (id, tenant_id, encoding, total_rows, rows, rejected, state, skipped, created_by)
     values ($1, $2, $3, $4, ${gathered(true)}, ${gathered(false)}, 'parsed', '[]', $5)`,
    [upload.id, upload.tenantId, upload.encoding, stored.validRows + stored.rejectedRows, upload.createdBy],
  );
  await boundQuery(em, `drop table register_upload_rows`);
  return stored;
}
