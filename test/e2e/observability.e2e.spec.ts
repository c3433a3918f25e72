import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { accountId, tenantId } from '../../seeds/demo-data';
import { AuditLog } from '../../src/modules/audit/audit-log.service';
import { ChainVerifications } from '../../src/modules/audit/chain-verifications';
import { AuditCheckpoints } from '../../src/modules/audit/checkpoints/audit-checkpoints';
import type { AuditContext } from '../../src/modules/audit/domain/audit-entry';
import { CandidateWatcher } from '../../src/modules/coordination/criteria/candidate-watcher';
import { SweepReferralDeadlinesCommand } from '../../src/modules/referrals/commands/sweep-referral-deadlines/sweep-referral-deadlines.command';
import { Db } from '../../src/platform/database/db';
import { OutboxRelay } from '../../src/platform/events/outbox-relay';
import { JobRuns } from '../../src/platform/observability/job-runs';
import { Fixtures } from '../support/fixtures';
import { logCapture } from '../support/log-capture';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

/** One made-up candidate, for an import job to run. */
const IMPORT_CSV = [
  '宛名番号,氏名,氏名カナ,生年月日,性別,住所,電話番号,地区,要介護度,身体障害者手帳,療育手帳,精神障害者保健福祉手帳,難病,独居,世帯状況',
  '9001,計測 太郎,ケイソク タロウ,1940-01-01,男,つなぎ市本町9-9,,A,要介護4,,,,無,有,独居',
].join('\r\n');

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describe('operators’ view: health, metrics, access logs', () => {
  let t: TestApp;
  let fixtures: Fixtures;
  const logs = logCapture();

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'info' }, { logTo: logs.stream });
    fixtures = new Fixtures(t);
  });
  afterAll(() => t.close());

  describe('health', () => {
    it('answers liveness without the database and readiness with it, and /health as readiness', async () => {
      expect((await t.http().get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
      expect((await t.http().get('/health/ready').expect(200)).body).toEqual({ status: 'ok', database: 'up' });
      expect((await t.http().get('/health').expect(200)).body).toEqual({ status: 'ok', database: 'up' });
    });
  });

  describe('metrics', () => {
    it('counts requests under their route template, with pool, outbox and process metrics, and names no one', async () => {
      const counselor = bearer(await t.token('choju-counselor'));
      const opened = await fixtures.openCase('choju-counselor');
      await t.http().get(`/api/v1/cases/${opened.id}`).set(counselor).expect(200);
      await t.http().get(`/api/v1/cases/${opened.id}`).set(counselor).expect(200);
      await t.http().get('/api/v1/cases/00000000-0000-4000-8000-000000000000').set(counselor).expect(404);
      await t.http().get(`/api/v1/no-such-thing/${opened.id}`).expect(404);

      const before = await t.http().get('/metrics').expect(200);
      expect(before.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = before.text;
      expect(text).toMatch(/^tsunagi_http_requests_total\{method="GET",route="\/api\/v1\/cases\/:id",status="200"\} 2$/m);
      expect(text).toMatch(/^tsunagi_http_requests_total\{method="GET",route="\/api\/v1\/cases\/:id",status="404"\} 1$/m);
      expect(text).toMatch(/^tsunagi_http_requests_total\{method="POST",route="\/api\/v1\/cases",status="201"\} 1$/m);
      expect(text).toMatch(/^tsunagi_http_requests_total\{method="GET",route="unmatched",status="404"\} 1$/m);
      expect(text).toMatch(/^tsunagi_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/cases\/:id",status="200"\} 2$/m);
      expect(text).toMatch(/^tsunagi_db_pool_connections\{state="idle"\} \d+$/m);
      expect(text).toMatch(/^tsunagi_db_pool_max_connections 20$/m);
      expect(text).toMatch(/^tsunagi_database_up 1$/m);
      expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
      // The case's events are committed but not yet relayed (tests relay on demand).
      expect(Number(/^tsunagi_outbox_pending_events (\d+)$/m.exec(text)?.[1])).toBeGreaterThan(0);
      expect(Number(/^tsunagi_outbox_oldest_pending_age_seconds ([\d.e-]+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(0);

      // No ids, tenants, logins or names: only templates and numbers.
      expect(text).not.toMatch(UUID);
      for (const secret of ['tsunagi-city', 'choju-counselor', '試験', '花子', tenantId('tsunagi-city')]) expect(text).not.toContain(secret);

      while ((await t.app.get(OutboxRelay).relayOnce()) > 0);
      const after = (await t.http().get('/metrics').expect(200)).text;
      expect(after).toMatch(/^tsunagi_outbox_pending_events 0$/m);
      expect(after).toMatch(/^tsunagi_outbox_oldest_pending_age_seconds 0$/m);
    });

    it('is refused without METRICS_TOKEN when one is set, and absent when METRICS_ENABLED is false', async () => {
      const guarded = await startTestApp({ METRICS_TOKEN: 'a-metrics-token-of-some-length' });
      try {
        await guarded.http().get('/metrics').expect(401);
        await guarded.http().get('/metrics').set(bearer('a-wrong-token-of-the-same-size')).expect(401);
        expect((await guarded.http().get('/metrics').set(bearer('a-metrics-token-of-some-length')).expect(200)).text).toContain('tsunagi_http_requests_total');
      } finally {
        await guarded.close();
      }
      const off = await startTestApp({ METRICS_ENABLED: 'false' });
      try {
        await off.http().get('/metrics').expect(404);
      } finally {
        await off.close();
      }
    });
  });

  describe('background jobs and the audit log', () => {
    const scrape = async () => (await t.http().get('/metrics').expect(200)).text;
    /** One sample's value, or undefined when the series is absent. */
    const sample = (text: string, series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    const auditRows = async () => Number((await t.sql<{ n: string }>('select count(*) n from audit_log'))[0].n);

    it('reports when each periodic job last ran, for how long and how it ended', async () => {
      const startedAt = Date.now() / 1000;
      const counselor = bearer(await t.token('choju-counselor'));
      await fixtures.openCase('choju-counselor');
      while ((await t.app.get(OutboxRelay).relayOnce()) > 0); // the projections take in the case's events
      await t.app.get(CommandBus).execute(new SweepReferralDeadlinesCommand('2026-11-27'));
      await t.app.get(CandidateWatcher).sweepQuietCases();
      await t.app.get(AuditCheckpoints).tick();
      await t.http().post('/api/v1/audit/verifications').set(bearer(await t.token('auditor'))).send({}).expect(202);
      await t.app.get(ChainVerifications).idle();
      const fukushi = bearer(await t.token('fukushi-counselor'));
      // The renewal runs in the background once started: wait for its run to be recorded.
      await t.http().post('/api/v1/evacuation-support/renewal-campaigns').set(fukushi).send({ year: 2031 }).expect(201);
      for (let i = 0; i < 100 && sample(await scrape(), 'tsunagi_job_runs_total{job="register-renewal",outcome="ok"}') === undefined; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const upload = await t.http().post('/api/v1/evacuation-support/imports').set(fukushi).set('Content-Type', 'text/csv').send(IMPORT_CSV).expect(201);
      await t.http().post(`/api/v1/evacuation-support/imports/${upload.body.id}/actions/confirm`).set(fukushi).send({}).expect(202);
      // The import runs in the background once confirmed: wait for its run to be recorded.
      for (let i = 0; i < 100 && sample(await scrape(), 'tsunagi_job_runs_total{job="register-import",outcome="ok"}') === undefined; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await t.http().get('/api/v1/me').set(counselor).expect(200);

      const text = await scrape();
      for (const job of ['outbox-relay', 'projections', 'referral-deadlines', 'coordination-quiet-cases', 'audit-checkpoints', 'audit-verification', 'register-renewal', 'register-import']) {
        expect({ job, lastRun: sample(text, `tsunagi_job_last_run_timestamp_seconds{job="${job}"}`)! >= Math.floor(startedAt) }).toEqual({ job, lastRun: true });
        expect({ job, duration: sample(text, `tsunagi_job_last_run_duration_seconds{job="${job}"}`)! >= 0 }).toEqual({ job, duration: true });
        expect({ job, ok: sample(text, `tsunagi_job_runs_total{job="${job}",outcome="ok"}`)! >= 1 }).toEqual({ job, ok: true });
        expect({ job, inProgress: sample(text, `tsunagi_jobs_in_progress{job="${job}"}`) }).toEqual({ job, inProgress: 0 });
      }
      expect(text).not.toMatch(UUID);
    });

    it('counts a job in progress while it runs, and a run that fails as failed', async () => {
      const jobs = t.app.get(JobRuns);
      let during = '';
      await jobs.track('register-import', async () => {
        during = await scrape();
      });
      expect(sample(during, 'tsunagi_jobs_in_progress{job="register-import"}')).toBe(1);
      expect(sample(await scrape(), 'tsunagi_jobs_in_progress{job="register-import"}')).toBe(0);

      const failedBefore = sample(await scrape(), 'tsunagi_job_runs_total{job="audit-verification",outcome="failed"}') ?? 0;
      await expect(jobs.track('audit-verification', () => Promise.reject(new Error('the database went away')))).rejects.toThrow('went away');
      expect(sample(await scrape(), 'tsunagi_job_runs_total{job="audit-verification",outcome="failed"}')).toBe(failedBefore + 1);
    });

    it('counts the audit rows appended by committed transactions, and none of a transaction rolled back', async () => {
      const counted = async () => sample(await scrape(), 'tsunagi_audit_rows_appended_total')!;
      const [countedBefore, rowsBefore] = [await counted(), await auditRows()];
      const opened = await fixtures.openCase('choju-counselor');
      await t.http().get(`/api/v1/cases/${opened.id}`).set(bearer(await t.token('choju-counselor'))).expect(200);
      const appended = (await auditRows()) - rowsBefore;
      expect(appended).toBeGreaterThan(0);
      expect((await counted()) - countedBefore).toBe(appended);

      const tenant = tenantId('tsunagi-city');
      const system: AuditContext = { tenantId: tenant, requestId: null, actor: { type: 'system', id: null, roles: [], departmentId: null } };
      const rolledBack = t.app.get(Db).inTenant(tenant, async (em) => {
        await t.app.get(AuditLog).append(em, system, { action: 'test.rolled-back', subjectType: 'AuditLog', outcome: 'allowed' });
        throw new Error('rolled back on purpose');
      });
      await expect(rolledBack).rejects.toThrow('on purpose');
      expect((await counted()) - countedBefore).toBe(appended);
      expect((await auditRows()) - rowsBefore).toBe(appended);
    });
  });

  describe('access logs', () => {
    it('writes one short line per request: request id, route template, status, length, duration, tenant and staff id; no headers', async () => {
      const counselor = await t.token('choju-counselor');
      const opened = await fixtures.openCase('choju-counselor');
      await t.http().get(`/api/v1/cases/${opened.id}?q=試験`).set(bearer(counselor)).set('X-Request-Id', 'access-line-1').expect(200);

      const line = logs.lines.find((l) => l.requestId === 'access-line-1' && l.res);
      expect(line).toMatchObject({
        level: 30,
        requestId: 'access-line-1',
        route: '/api/v1/cases/:id',
        tenantId: tenantId('tsunagi-city'),
        staffId: accountId('choju-counselor'),
        req: { method: 'GET', path: `/api/v1/cases/${opened.id}` },
        res: { statusCode: 200, contentLength: expect.any(Number) },
        responseTime: expect.any(Number),
      });
      expect((line!.res as { contentLength: number }).contentLength).toBeGreaterThan(0);
      const raw = logs.raw.find((l) => l.includes('"access-line-1"') && l.includes('"res"'))!;
      expect(raw).not.toMatch(/headers|authorization|bearer|試験|花子/i);
      expect(raw).not.toContain(counselor);
      expect(raw.length).toBeLessThan(500);
    });

    it('names no one for an anonymous request, and logs no line for health probes', async () => {
      await t.http().get('/api/v1/me').set('X-Request-Id', 'access-anon').expect(401);
      await t.http().get('/health/ready').set('X-Request-Id', 'access-probe').expect(200);
      const line = logs.lines.find((l) => l.requestId === 'access-anon' && l.res)!;
      expect(line).toMatchObject({ route: '/api/v1/me', res: { statusCode: 401 } });
      expect(line).not.toHaveProperty('tenantId');
      expect(line).not.toHaveProperty('staffId');
      expect(logs.lines.some((l) => l.requestId === 'access-probe')).toBe(false);
    });

    it('logs an unexpected error with its stack, request id, route, tenant and staff id', async () => {
      jest.spyOn(t.app.get(QueryBus), 'execute').mockRejectedValueOnce(new TypeError('a bug in the reporting query'));
      await t.http().get('/api/v1/evacuation-support/settings').set(bearer(await t.token('fukushi-counselor'))).set('X-Request-Id', 'error-line-1').expect(500);
      const error = logs.lines.find((l) => l.requestId === 'error-line-1' && l.err)!;
      expect(error).toMatchObject({
        level: 50,
        msg: 'unexpected error',
        route: '/api/v1/evacuation-support/settings',
        tenantId: tenantId('tsunagi-city'),
        staffId: accountId('fukushi-counselor'),
        err: { type: 'TypeError', message: 'a bug in the reporting query', stack: expect.stringContaining('TypeError: a bug in the reporting query\n    at ') },
      });
      const access = logs.lines.find((l) => l.requestId === 'error-line-1' && l.res)!;
      expect(access).toMatchObject({ level: 50, res: { statusCode: 500 } });
      expect(access).not.toHaveProperty('err');
    });
  });

  describe('a lost database answers 503, never 500', () => {
    const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    it.each([
      ['wrapped as a cause', () => new Error('the query failed', { cause: refused() })],
      ['in an AggregateError without a message', () => new AggregateError([refused(), refused()], '')],
      ['as a SQLSTATE of class 08', () => Object.assign(new Error('connection failure'), { code: '08006' })],
      ['as a closed client', () => new Error('Client has encountered a connection error and is not queryable')],
    ])('%s', async (_name, failure) => {
      jest.spyOn(t.app.get(QueryBus), 'execute').mockRejectedValueOnce(failure());
      const res = await t.http().get('/api/v1/evacuation-support/settings').set(bearer(await t.token('fukushi-counselor'))).expect(503);
      expect(res.body).toMatchObject({ status: 503, code: 'service_unavailable' });
    });
  });
});
