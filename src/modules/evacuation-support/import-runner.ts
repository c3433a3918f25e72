import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { boundQuery, boundRows } from '../../platform/database/bound-query';
import { Db } from '../../platform/database/db';
import { JobLock } from '../../platform/database/job-lock';
import { JobRuns } from '../../platform/observability/job-runs';
import { RegisterImportSchema, type ImportJob } from './domain/register.entity';
import { EnterCandidates } from './commands/import-candidates/enter-candidates';

const FAILED = { ja: '取込に失敗しました。もう一度確定してください。', en: 'The import failed; confirm it again.' };

/**
 * A confirmed candidate import as a background job: all its rows enter in one transaction (never
 * half a file), progress is written beside it in transactions of its own, and a failure is kept on the
 * import for the client to see. One instance runs an import at a time (JobLock); an import still
 * 'importing' when the service starts (it died mid-run, so nothing was committed) runs again.
 */
@Injectable()
export class ImportRunner implements OnApplicationBootstrap {
  private readonly logger = new Logger('register-import');

  constructor(
    private readonly db: Db,
    private readonly orm: MikroORM,
    private readonly jobs: JobLock,
    private readonly jobRuns: JobRuns,
    private readonly enter: EnterCandidates,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const tenants = await this.orm.em.fork().execute<{ id: string }[]>('select all_tenant_ids() as id');
    for (const { id } of tenants) {
      const running = await this.db.inTenant(id, (em) => em.find(RegisterImportSchema, { state: 'importing' }, { fields: ['id'] }));
      for (const found of running) this.start(id, found.id);
    }
  }

  /** Starts the job without waiting for it; its outcome is read from the import. */
  start(tenantId: string, importId: string): void {
    void this.run(tenantId, importId).catch((error: Error) => this.logger.warn(`import ${importId}: ${error.message}`));
  }

  /** Runs the import unless another instance runs it; false when it did not run here. */
  async run(tenantId: string, importId: string): Promise<boolean> {
    const run = await this.jobs.runAlone('register-import', importId, () => this.jobRuns.track('register-import', () => this.importOrFail(tenantId, importId)));
    return run.ran;
  }

  private async importOrFail(tenantId: string, importId: string): Promise<void> {
    try {
      await this.db.inTenant(tenantId, async (em) => {
        // Raw reads and writes: the entity would load 10⁵ rows and keep a copy only to compare them.
        const [found] = await boundRows<{ state: string; job: ImportJob | null; total: number }>(em, 'select state, job, jsonb_array_length(rows) as total from register_imports where id = $1', [importId]);
        if (found?.state !== 'importing' || !found.job) return;
        const outcome = await this.enter.run(em, found.job, importId, async (done) => void (await this.progress(tenantId, importId, done)));
        // Bound: a re-run of a file already entered skips all its 10⁵ rows, which inlined would be a huge SQL text.
        await boundQuery(
          em,
          `update register_imports set state = 'imported', progress = $1, imported = $2, skipped = $3, failure = null, version = version + 1, updated_at = now() where id = $4`,
          [found.total, outcome.imported, JSON.stringify(outcome.skipped), importId],
        );
      });
    } catch (error) {
      await this.db.inTenant(tenantId, (em) => em.nativeUpdate(RegisterImportSchema, { id: importId, state: 'importing' }, { state: 'failed', progress: 0, failure: FAILED }));
      throw error;
    }
  }

  /** Progress is no edit of the import: it leaves the version alone, so the job's own write still matches. */
  private progress(tenantId: string, importId: string, done: number) {
    return this.db.inTenant(tenantId, (em) => em.execute('update register_imports set progress = ? where id = ?', [done, importId], 'run'));
  }
}
