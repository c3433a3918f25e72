import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { Metrics } from './metrics';

/**
 * Background work as operators watch it: the periodic jobs (when each last ran, how long it took,
 * whether it failed) and the long ones in progress (imports, verifications). Labelled by job name
 * only: never a tenant, a campaign or a verification id. Each instance reports the runs it made
 * itself; work it left to another instance (JobLock) shows in that one's metrics.
 */
@Injectable()
export class JobRuns {
  private readonly lastRun: Gauge<'job'>;
  private readonly lastDuration: Gauge<'job'>;
  private readonly runs: Counter<'job' | 'outcome'>;
  private readonly inProgress: Gauge<'job'>;

  constructor(metrics: Metrics) {
    const registers = [metrics.registry];
    this.lastRun = new Gauge({ name: 'tsunagi_job_last_run_timestamp_seconds', help: 'When a background job last finished a run here (Unix time), by job', labelNames: ['job'], registers });
    this.lastDuration = new Gauge({ name: 'tsunagi_job_last_run_duration_seconds', help: 'How long the last run of a background job took, by job', labelNames: ['job'], registers });
    this.runs = new Counter({ name: 'tsunagi_job_runs_total', help: 'Runs of background jobs here, by job and outcome (ok or failed)', labelNames: ['job', 'outcome'], registers });
    this.inProgress = new Gauge({ name: 'tsunagi_jobs_in_progress', help: 'Background jobs running here now, by job', labelNames: ['job'], registers });
  }

  /** Runs `work` as one run of `job`, and records it however it ends. */
  async track<T>(job: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    this.inProgress.inc({ job });
    let outcome = 'failed';
    try {
      const result = await work();
      outcome = 'ok';
      return result;
    } finally {
      this.inProgress.dec({ job });
      this.lastRun.set({ job }, Date.now() / 1000);
      this.lastDuration.set({ job }, (performance.now() - started) / 1000);
      this.runs.inc({ job, outcome });
    }
  }
}

