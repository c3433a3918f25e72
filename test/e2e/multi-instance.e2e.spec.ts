import { CommandBus, EventBus } from '@nestjs/cqrs';
import { AuditCheckpoints } from '../../src/modules/audit/checkpoints/audit-checkpoints';
import { CheckpointStore } from '../../src/modules/audit/checkpoints/checkpoint-store';
import { RenewalRunner } from '../../src/modules/evacuation-support/renewal-runner';
import { SweepReferralDeadlinesCommand } from '../../src/modules/referrals/commands/sweep-referral-deadlines/sweep-referral-deadlines.command';
import { EventDelivery } from '../../src/platform/events/event-delivery';
import { OutboxRelay, type PublishedEvent } from '../../src/platform/events/outbox-relay';
import { requestHash } from '../../src/platform/http/idempotency.interceptor';
import { accountId, tenantId } from '../../seeds/demo-data';
import { Fixtures } from '../support/fixtures';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { sealAuditLog } from '../support/audit-tampering';

/** Two instances of the service on one database, as behind a load balancer. */
describe('several instances on one PostgreSQL', () => {
  let a: TestApp;
  let b: TestApp;
  const seen = new Map<number, string[]>();

  beforeAll(async () => {
    a = await startTestApp({ IDEMPOTENCY_LEASE_SECONDS: '60' });
    b = await startTestApp({ IDEMPOTENCY_LEASE_SECONDS: '60' }, { sameDatabaseAs: a });
    for (const [name, t] of [['a', a], ['b', b]] as const) {
      t.app.get(EventBus).subscribe((event) => seen.set((event as PublishedEvent).id, [...(seen.get((event as PublishedEvent).id) ?? []), name]));
    }
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const pendingIds = async () => (await a.sql<{ id: string }>(`select id from domain_events where published_at is null order by id`)).map((r) => Number(r.id));
  /** Both relay at once, round after round, until neither finds anything. */
  const relayInBoth = async () => {
    for (;;) {
      const relayed = await Promise.all([a.app.get(OutboxRelay).relayOnce(), b.app.get(OutboxRelay).relayOnce()]);
      if (relayed[0] + relayed[1] === 0 && (await pendingIds()).length === 0) return;
    }
  };

  describe('the outbox relay', () => {
    it('leaves a batch another instance is delivering alone: it goes out once', async () => {
      await relayInBoth();
      seen.clear();
      for (const t of [a, b, a]) await new Fixtures(t).openCase('choju-counselor');
      const pending = await pendingIds();
      expect(pending.length).toBeGreaterThanOrEqual(3);

      // Instance a is in the middle of its batch: published, its subscribers not yet settled.
      let reached!: () => void;
      let release!: () => void;
      const inFlight = new Promise<void>((resolve) => (reached = resolve));
      const gate = new Promise<void>((resolve) => (release = resolve));
      a.app.get(EventDelivery).register(() => (reached(), gate));
      const first = a.app.get(OutboxRelay).relayOnce();
      await inFlight;
      expect(await b.app.get(OutboxRelay).relayOnce()).toBe(0);
      release();
      expect(await first).toBe(pending.length);
      expect(await b.app.get(OutboxRelay).relayOnce()).toBe(0);

      expect(pending.map((id) => seen.get(id))).toEqual(pending.map(() => ['a']));
      expect(await pendingIds()).toEqual([]);
    });

    it('delivers each event exactly once while both instances take writes and relay at once', async () => {
      await relayInBoth();
      seen.clear();
      const before = Number((await a.sql<{ max: string }>(`select coalesce(max(id), 0) as max from domain_events`))[0].max);
      const writes = Array.from({ length: 12 }, (_, i) => new Fixtures(i % 2 === 0 ? a : b).openCase('choju-counselor', { title: `負荷${i}` }));
      const relaying = (async () => {
        for (let round = 0; round < 12; round++) await Promise.all([a.app.get(OutboxRelay).relayOnce(), b.app.get(OutboxRelay).relayOnce()]);
      })();
      await Promise.all([...writes, relaying]);
      await relayInBoth();

      const written = (await a.sql<{ id: string }>(`select id from domain_events where id > $1 order by id`, [before])).map((r) => Number(r.id));
      expect(written.length).toBeGreaterThanOrEqual(12);
      for (const id of written) expect(seen.get(id)).toHaveLength(1);
      expect([...seen.keys()].sort((x, y) => x - y)).toEqual(written);
    });
  });

  describe('the referral deadline sweep', () => {
    const dayAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const referralDue = async () => {
      const opened = await new Fixtures(a).openCase('choju-counselor');
      const referral = await new Fixtures(b).refer('choju-counselor', opened.id, 'tsunagi-city', 'kenko');
      const [{ due_on }] = await a.sql<{ due_on: string }>(`select to_char(due_on, 'YYYY-MM-DD') due_on from referrals where id = $1`, [referral.id]);
      return { id: referral.id, today: dayAfter(due_on) };
    };
    const overdueEvents = async (id: string) => (await a.sql(`select type from domain_events where aggregate_id = $1 and type = 'ReferralOverdue'`, [id])).length;

    it('is skipped for a tenant another instance is sweeping, and runs once that one is done', async () => {
      const referral = await referralDue();
      // Another instance holds the tenant's sweep (the same lock the service takes, held here in SQL).
      await a.sql('begin');
      await a.sql(`select pg_advisory_xact_lock(hashtext('tsunagi:referral-deadlines'), hashtext($1))`, [tenantId('tsunagi-city')]);
      expect(await b.app.get(CommandBus).execute(new SweepReferralDeadlinesCommand(referral.today))).toEqual({ overdue: 0, expired: 0 });
      expect(await overdueEvents(referral.id)).toBe(0);
      await a.sql('rollback');
      expect(await b.app.get(CommandBus).execute(new SweepReferralDeadlinesCommand(referral.today))).toMatchObject({ overdue: 1 });
      expect(await overdueEvents(referral.id)).toBe(1);
    });

    it('started in both instances at once marks each referral once', async () => {
      const referrals = [await referralDue(), await referralDue()];
      const today = referrals.map((r) => r.today).sort()[1];
      const totals = await Promise.all([a, b].map((t) => t.app.get(CommandBus).execute(new SweepReferralDeadlinesCommand(today))));
      expect(totals[0].overdue + totals[1].overdue).toBe(2);
      for (const r of referrals) expect(await overdueEvents(r.id)).toBe(1);
      const audited = await a.sql(`select subject_id from audit_log where action = 'referral.overdue' and subject_id = any($1::text[])`, [referrals.map((r) => r.id)]);
      expect(audited).toHaveLength(2);
    });
  });

  it('runs a renewal campaign started in both instances once: every notice sent once, the progress counted once', async () => {
    const token = await a.token('fukushi-counselor');
    for (let i = 0; i < 4; i++) {
      const added = await a.http().post('/api/v1/evacuation-support/entries').set(bearer(token)).send({ source: 'application', person: { familyName: '二重', givenName: `${i}`, address: `本町${i}`, birthDate: '1940-01-01' }, districtCode: 'A', facts: { careLevel: '要介護5' } });
      await b.http().post(`/api/v1/evacuation-support/entries/${added.body.id}/actions/register`).set(bearer(token)).send({ version: 1, provision: 'consent' }).expect(200);
    }
    const [{ n: registered }] = await a.sql<{ n: number }>(`select count(*)::int n from register_entries where tenant_id = $1 and state = 'registered'`, [tenantId('tsunagi-city')]);
    const [campaign] = await a.sql<{ id: string }>(
      `insert into renewal_campaigns (id, tenant_id, year, state, total, started_by) values (gen_random_uuid(), $1, 2028, 'running', $2, $3) returning id`,
      [tenantId('tsunagi-city'), registered, accountId('fukushi-counselor')],
    );
    // While another instance runs the campaign this one leaves it alone.
    await a.sql('begin');
    await a.sql(`select pg_advisory_xact_lock(hashtext('tsunagi:register-renewal'), hashtext($1))`, [campaign.id]);
    expect(await b.app.get(RenewalRunner).run(tenantId('tsunagi-city'), campaign.id)).toBe(0);
    await a.sql('rollback');
    expect(await a.sql(`select count(*)::int n from renewal_notices where campaign_id = $1`, [campaign.id])).toEqual([{ n: 0 }]);
    const sent = await Promise.all([a, b].map((t) => t.app.get(RenewalRunner).run(tenantId('tsunagi-city'), campaign.id, { batchSize: 2 })));
    expect(sent[0] + sent[1]).toBe(registered);
    const notices = await a.sql<{ n: number }>(`select count(*)::int n from renewal_notices where campaign_id = $1 group by entry_id`, [campaign.id]);
    expect(notices).toHaveLength(registered);
    expect(notices.every((row) => row.n === 1)).toBe(true);
    expect(await a.sql(`select state, processed from renewal_campaigns where id = $1`, [campaign.id])).toEqual([{ state: 'completed', processed: registered }]);
  });

  it("leaves a tenant's due checkpoint to the instance taking it, and takes it once that one is done", async () => {
    const tenant = tenantId('tsunagi-city');
    const later = new Date(Date.now() + 24 * 3600_000);
    const checkpointsAt = async (seq: number) => {
      let n = 0;
      for await (const checkpoint of a.app.get(CheckpointStore).walk(tenant)) if (checkpoint?.seq === seq) n++;
      return n;
    };
    await new Fixtures(a).openCase('choju-counselor');
    await sealAuditLog(a);
    const [{ seq }] = await a.sql<{ seq: number }>(`select max(seq)::int seq from audit_log where tenant_id = $1`, [tenant]);
    // Another instance holds the tenant's checkpoint job (the same lock the service takes, held here in SQL).
    await a.sql('begin');
    await a.sql(`select pg_advisory_xact_lock(hashtext('tsunagi:audit-checkpoints'), hashtext($1))`, [tenant]);
    await b.app.get(AuditCheckpoints).tick(later);
    expect(await checkpointsAt(seq)).toBe(0);
    await a.sql('rollback');
    await Promise.all([a, b].map((t) => t.app.get(AuditCheckpoints).tick(later)));
    expect(await checkpointsAt(seq)).toBe(1);
  });

  describe('an Idempotency-Key left pending by a request that died', () => {
    const body = (title: string) => ({ title, issues: ['care'], persons: [{ relation: '本人', familyName: '再', givenName: '試' }] });
    /** A key as a request leaves it when its process dies mid-way: claimed, no answer stored. */
    const pendingKey = (key: string, title: string, claimedSecondsAgo: number) =>
      a.sql(
        `insert into idempotency_keys (tenant_id, principal_id, key, request_hash, claimed_at) values ($1, $2, $3, $4, now() - make_interval(secs => $5))`,
        [tenantId('tsunagi-city'), accountId('choju-counselor'), key, requestHash('POST', '/api/v1/cases', body(title)), claimedSecondsAgo],
      );
    const post = async (t: TestApp, key: string, title: string) =>
      t.http().post('/api/v1/cases').set(bearer(await t.token('choju-counselor'))).set('Idempotency-Key', key).send(body(title));
    const casesTitled = async (title: string) => (await a.sql(`select id from cases where title = $1`, [title])).length;

    it('is taken over by a retry once its lease has lapsed; the retry runs the request and is answered from then on', async () => {
      await pendingKey('dead-1', '引き継ぎ', 3600);
      const retry = await post(b, 'dead-1', '引き継ぎ');
      expect(retry.status).toBe(201);
      expect(await casesTitled('引き継ぎ')).toBe(1);
      const again = await post(a, 'dead-1', '引き継ぎ');
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.id).toBe(retry.body.id);
      expect(await casesTitled('引き継ぎ')).toBe(1);
    });

    it('is taken over by one retry only when several come at once', async () => {
      await pendingKey('dead-2', '同時引き継ぎ', 3600);
      const answers = await Promise.all([post(a, 'dead-2', '同時引き継ぎ'), post(b, 'dead-2', '同時引き継ぎ')]);
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(await casesTitled('同時引き継ぎ')).toBe(1);
      const later = await post(b, 'dead-2', '同時引き継ぎ');
      expect(later.status).toBe(201);
      expect(later.body.id).toBe(answers.find((r) => r.status === 201)!.body.id);
    });

    it('still answers 409 while its lease runs, saying when to try again', async () => {
      await pendingKey('alive-1', '処理中', 0);
      const retry = await post(b, 'alive-1', '処理中');
      expect(retry.status).toBe(409);
      expect(retry.body.code).toBe('request_in_progress');
      const wait = Number(retry.headers['retry-after']);
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(60);
      expect(await casesTitled('処理中')).toBe(0);
    });
  });
});
