import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Keyset, type PageParams } from '../../platform/http/api-contract/paging';
import { vocabulary } from '../../platform/vocabulary/vocabulary';

/** Thresholds a municipality would tune; kept here, in one place, with the queries that use them. */
export const ANOMALY_THRESHOLDS = {
  /** Distinct persons one staff member reads in a day, beyond which it is worth a look. */
  personsPerDay: 30,
  /** Refusals for one actor within an hour. */
  denialsPerHour: 5,
  /** Office hours in Japan, and weekdays: reads outside them are flagged. */
  officeHours: { from: 8, to: 19 },
  /** Seconds after which a committed row still outside the hash chain is worth a look: its sealer is not running. */
  unsealedSeconds: 60,
};

/** What a flag says to look at. */
export const ANOMALY_KIND_LABELS = vocabulary('auditAnomalyKind', {
  many_persons: { ja: '1 日に多数の人の閲覧', en: 'Many persons read in a day' },
  outside_hours: { ja: '執務時間外の閲覧', en: 'Reads outside office hours' },
  repeated_denials: { ja: '拒否の繰り返し', en: 'Repeated refusals' },
  dv_contact_attempt: { ja: 'DV 保護対象の連絡先への試み', en: 'Attempts on DV-protected contacts' },
  personal_data_role_change: { ja: '個人情報を開く権限変更', en: 'Role changes that open personal data' },
  self_grant_attempt: { ja: '自己承認の試み', en: 'Self-grant attempts' },
  unsealed: { ja: 'ハッシュチェーンに未封印の記録', en: 'Entries not yet sealed into the hash chain' },
});
export type AnomalyKind = (typeof ANOMALY_KIND_LABELS.codes)[number];

export interface Anomaly {
  kind: AnomalyKind;
  actorId: string | null;
  count: number;
  firstAt: string;
  lastAt: string;
  seqs: number[];
}

interface AnomalyRow {
  kind: AnomalyKind;
  actor_id: string | null;
  count: string;
  first_at: Date;
  last_at: Date;
  seqs: string[];
  first_id: string;
}

/** The first 20 entries of a flag by their place in the chain (an unsealed row has none yet). */
const FIRST_SEQS = `coalesce((array_agg(seq order by seq) filter (where seq is not null))[1:20], '{}')`;

/** Each flag is a group of entries of its own: its kind and first entry (by insert number) name it uniquely. */
const ANOMALY_ORDER = new Keyset<AnomalyRow>('audit-anomalies', { kind: 'kind', first_id: 'first_id' });

/** Flags for the auditor to review: a flag is a question, not a verdict. */
@Injectable()
export class AuditAnomalies {
  /** A page of the flags in [from, to), by kind and then by the first entry flagged. */
  async find(em: EntityManager, from: string, to: string, page: PageParams): Promise<{ items: Anomaly[]; next: string | null }> {
    const t = ANOMALY_THRESHOLDS;
    const tokyo = `(occurred_at at time zone 'Asia/Tokyo')`;
    const within = `tenant_id = app_current_tenant() and occurred_at >= ? and occurred_at < ?`;
    const after = ANOMALY_ORDER.sql(ANOMALY_ORDER.decode(page.cursor));
    const rows = await em.execute<AnomalyRow[]>(
      `select * from (select u.* from (
       select 'many_persons' as kind, actor_id, count(distinct person_id) as count, min(occurred_at) first_at, max(occurred_at) last_at, ${FIRST_SEQS} seqs, min(id) first_id
         from audit_log where ${within} and outcome = 'allowed' and person_id is not null and actor_type = 'staff'
        group by actor_id, date_trunc('day', ${tokyo}) having count(distinct person_id) >= ${t.personsPerDay}
       union all
       select 'outside_hours', actor_id, count(*), min(occurred_at), max(occurred_at), ${FIRST_SEQS}, min(id)
         from audit_log where ${within} and outcome = 'allowed' and person_id is not null and actor_type = 'staff'
          and (extract(hour from ${tokyo}) < ${t.officeHours.from} or extract(hour from ${tokyo}) >= ${t.officeHours.to} or extract(isodow from ${tokyo}) >= 6)
        group by actor_id
       union all
       select 'repeated_denials', actor_id, count(*), min(occurred_at), max(occurred_at), ${FIRST_SEQS}, min(id)
         from audit_log where ${within} and outcome = 'denied'
        group by actor_id, date_trunc('hour', occurred_at) having count(*) >= ${t.denialsPerHour}
       union all
       select 'dv_contact_attempt', actor_id, count(*), min(occurred_at), max(occurred_at), ${FIRST_SEQS}, min(id)
         from audit_log where ${within} and outcome = 'denied' and action in ('person.read-contact', 'referral.share-contact')
        group by actor_id
       union all
       -- 権限付与申請: every role change that opens personal data, asked for or approved (always worth a look).
       select 'personal_data_role_change', actor_id, count(*), min(occurred_at), max(occurred_at), ${FIRST_SEQS}, min(id)
         from audit_log where ${within} and outcome = 'allowed' and action in ('role-change.request', 'role-change.approve')
        group by actor_id
       union all
       -- Asking for one's own access, or deciding a request one made or would benefit from.
       select 'self_grant_attempt', actor_id, count(*), min(occurred_at), max(occurred_at), ${FIRST_SEQS}, min(id)
         from audit_log where ${within} and outcome = 'denied' and detail->>'refused' in ('self_grant', 'four_eyes')
        group by actor_id
       union all
       -- 未封印: committed rows the sealer has not chained after ${t.unsealedSeconds} s (it is not running, or cannot).
       select 'unsealed', null::uuid, count(*), min(occurred_at), max(occurred_at), '{}', min(id)
         from audit_log where ${within} and seq is null and occurred_at < now() - interval '${t.unsealedSeconds} seconds'
       having count(*) > 0
       ) u) flags where ${after.text} order by ${ANOMALY_ORDER.sqlOrder} limit ?`,
      [from, to, from, to, from, to, from, to, from, to, from, to, from, to, ...after.params, page.limit + 1],
    );
    return ANOMALY_ORDER.page(rows, page.limit, (r) => ({
      kind: r.kind,
      actorId: r.actor_id,
      count: Number(r.count),
      firstAt: new Date(r.first_at).toISOString(),
      lastAt: new Date(r.last_at).toISOString(),
      seqs: (r.seqs ?? []).map(Number),
    }));
  }
}
