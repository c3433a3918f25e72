import { setTimeout as sleep } from 'node:timers/promises';
import { departmentId } from '../../seeds/demo-data';
import type { ServiceHome, ServiceProcess } from './service-process';

/** Answers a client retries: the service or its database is down or busy, or the key's request still runs. */
const RETRY_STATUSES = new Set([502, 503, 504]);

interface Chain {
  caseKey: string;
  caseId?: string;
  referralId?: string;
  accepted?: boolean;
}

/**
 * Write load as clients send it: each worker opens a case, refers it to 健康 and has 健康 accept it,
 * every POST with an Idempotency-Key, through whichever instance is up. A request that gets no answer
 * (the service died) or a retryable one is retried with its key until it is answered: so every
 * acknowledged write must be there once, however often the service or its database went down.
 */
export class WriteLoad {
  /** Answers no client should ever see (a 500, an unexpected refusal), with what was sent. */
  readonly odd: string[] = [];
  /** Every status seen, as `status code` (e.g. `503 service_unavailable`). */
  readonly seen = new Set<string>();
  readonly chains: Chain[] = [];
  private acknowledged = 0;
  private stopping = false;
  private workers: Promise<void>[] = [];
  private turn = 0;
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(
    private readonly home: ServiceHome,
    /** The instances to send through, in turn (the list may change while the load runs). */
    public targets: ServiceProcess[],
  ) {}

  start(workers: number): void {
    this.workers = Array.from({ length: workers }, (_, w) => this.work(w));
  }

  /** Settles once `count` more requests have been acknowledged. */
  async acknowledgedMore(count: number): Promise<void> {
    const goal = this.acknowledged + count;
    while (this.acknowledged < goal) {
      if (this.odd.length > 0) throw new Error(`odd answers: ${this.odd.join('\n')}`);
      await sleep(50);
    }
  }

  /** Lets each worker finish its chain (retrying what is unanswered), then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.workers);
  }

  private async work(worker: number): Promise<void> {
    for (let i = 0; !this.stopping; i++) {
      const chain: Chain = { caseKey: `crash-w${worker}-${i}` };
      this.chains.push(chain);
      const opened = await this.post('choju-counselor', `${chain.caseKey}`, '/api/v1/cases', {
        title: chain.caseKey,
        issues: ['care'],
        persons: [{ relation: '本人', familyName: '負荷', givenName: `${worker}-${i}` }],
      });
      chain.caseId = opened.id as string;
      const referral = await this.post('choju-counselor', `${chain.caseKey}-refer`, `/api/v1/cases/${chain.caseId}/referrals`, {
        toDepartmentId: departmentId('tsunagi-city', 'kenko'),
        purpose: '対応をお願いします',
        legalBasis: 'APPI_INTERNAL',
        legalBasisReason: '庁内での支援調整のため',
        share: { case: ['issues'] },
      });
      chain.referralId = referral.id as string;
      await this.post('kenko-counselor', `${chain.caseKey}-accept`, `/api/v1/referrals/${chain.referralId}/actions/accept`, { version: referral.version });
      chain.accepted = true;
    }
  }

  /** Sends until answered; returns the acknowledged answer's body. */
  private async post(login: string, key: string, route: string, body: object): Promise<Record<string, unknown>> {
    for (;;) {
      const target = this.targets[this.turn++ % this.targets.length];
      let res: Response;
      try {
        res = await fetch(`${target.base}${route}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${await this.token(login)}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
      } catch {
        await sleep(100); // no answer: the instance is gone, or going
        continue;
      }
      const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      this.seen.add(`${res.status} ${answer.code ?? ''}`.trim());
      if (res.ok) {
        this.acknowledged++;
        return answer;
      }
      if (!RETRY_STATUSES.has(res.status) && answer.code !== 'request_in_progress') this.odd.push(`${res.status} ${JSON.stringify(answer)} for POST ${route} (${key})`);
      await sleep(100);
    }
  }

  private token(login: string): Promise<string> {
    if (!this.tokens.has(login)) this.tokens.set(login, this.home.token(login));
    return this.tokens.get(login)!;
  }
}

/**
 * What the load wrote, held against what was acknowledged: each chain's case once (its title is its
 * key), its referral once and accepted, no Idempotency-Key left pending. Returns what is wrong.
 */
export async function lostOrDoubled(home: ServiceHome, load: WriteLoad): Promise<string[]> {
  const problems: string[] = [];
  const cases = await home.sql<{ title: string; id: string; referrals: number; accepted: number }>(
    `select c.title, c.id, count(r.id)::int as referrals, count(r.id) filter (where r.state = 'accepted')::int as accepted
       from cases c left join referrals r on r.case_id = c.id where c.title like 'crash-w%' group by c.id`,
  );
  const byTitle = new Map<string, typeof cases>();
  for (const row of cases) byTitle.set(row.title, [...(byTitle.get(row.title) ?? []), row]);
  for (const [title, rows] of byTitle) if (rows.length > 1) problems.push(`${title}: ${rows.length} cases`);
  for (const chain of load.chains) {
    const [row] = byTitle.get(chain.caseKey) ?? [];
    if (chain.caseId && row?.id !== chain.caseId) problems.push(`${chain.caseKey}: acknowledged case ${chain.caseId} is not there`);
    if (chain.referralId && row?.referrals !== 1) problems.push(`${chain.caseKey}: ${row?.referrals ?? 0} referrals`);
    if (chain.accepted && row?.accepted !== 1) problems.push(`${chain.caseKey}: its referral is not accepted`);
  }
  const [{ pending }] = await home.sql<{ pending: number }>(`select count(*)::int as pending from idempotency_keys where status is null`);
  if (pending > 0) problems.push(`${pending} Idempotency-Keys pending`);
  return problems;
}

/** The tenant's audit chain, verified by the service (GET /audit/verify) as an auditor asks for it. */
export async function auditChainOk(home: ServiceHome, service: ServiceProcess): Promise<unknown> {
  const res = await fetch(`${service.base}/api/v1/audit/verify`, { headers: { Authorization: `Bearer ${await home.token('auditor')}` } });
  return res.json();
}
