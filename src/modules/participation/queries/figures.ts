import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { bilingual, isoDate, text } from '../../../platform/http/input';
import { todayInJapan } from '../../../platform/calendar/today';
import { PARTICIPATION_WISH_LABELS, RESOURCE_KIND_LABELS } from '../domain/resource.entity';

/** Calendar days in Japan, both ends included; a 地区 narrows everything to resources there. */
export const figuresQuery = z
  .strictObject({
    from: isoDate.default('2000-01-01'),
    to: isoDate.optional().describe('Default today'),
    districtCode: text(20).optional(),
  })
  .refine((q) => !q.to || q.from <= q.to, bilingual({ ja: '開始日は終了日以前にしてください。', en: 'from must not be after to.' }, ['to']));
export type FiguresQuery = z.infer<typeof figuresQuery>;

const count = z.int().min(0);
export const ParticipationFiguresSchema = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    districtCode: z.string().nullable(),
    windowUses: count.describe('Uses of the window (相談窓口の利用): visitors recorded in the period, connected or not, by the 地区 they came from'),
    people: count.describe('People with a connection made in the period (uses of the window that led somewhere)'),
    wishes: z.array(
      z.object({
        wish: z.enum(PARTICIPATION_WISH_LABELS.codes),
        visits: count.describe('Window visitors in the period who wished this (a visitor may wish several kinds)'),
        connections: count.describe('Connections made in the period for this wish'),
      }),
    ),
    connectionsMade: count.describe('Connections whose host was told (introduced) in the period'),
    started: count,
    continuingAfter3Months: count.describe('Started at least 3 months before `to` and not ended within 3 months'),
    continuingAfter6Months: count,
    placementsIntoWork: count.describe('Started at work, or ended moving into work, in the period'),
    volunteers: z
      .array(
        z.object({
          volunteerId: z.uuid(),
          name: z.string(),
          connections: count.describe('Connections made in the period that name them'),
          active: count.describe('Of those, people taking part now (started or continuing)'),
        }),
      )
      .describe('The 人財 who carry the most (to spread the load): the ten named in the most connections, most first'),
    resources: z.array(
      z.object({
        districtCode: z.string(),
        kind: z.enum(RESOURCE_KIND_LABELS.codes),
        resources: count,
        capacity: count,
        taken: count.describe('Capacity minus free places'),
        utilisation: z.number().nullable().describe('taken / capacity in %, null without a capacity'),
        active: count.describe('People taking part now (started or continuing)'),
      }),
    ),
  })
  .meta({ id: 'ParticipationFigures' });
export type ParticipationFigures = z.infer<typeof ParticipationFiguresSchema>;

/** How many of the 人財 carrying the most the figures name. */
const TOP_VOLUNTEERS = 10;

/** A timestamp column's day in Japan. */
const japanDay = (alias: string, column: string) => `(${alias}.${column} at time zone 'Asia/Tokyo')::date`;

/** The planning documents' figures, counted in SQL under the tenant's row-level security. */
export async function participationFigures(em: EntityManager, query: FiguresQuery): Promise<ParticipationFigures> {
  const to = query.to ?? todayInJapan();
  const district = query.districtCode ?? null;
  const inDistrict = `(?::text is null or r.district_code = ?::text)`;
  const [summary] = await em.execute<Record<string, string>[]>(
    `select count(distinct c.person_id) filter (where ${japanDay('c', 'created_at')} between ?::date and ?::date) as people,
            count(*) filter (where c.disclosure_id is not null and ${japanDay('d', 'created_at')} between ?::date and ?::date) as made,
            count(*) filter (where c.started_on between ?::date and ?::date) as started,
            count(*) filter (where c.started_on <= ?::date - interval '3 months' and (c.ended_on is null or c.ended_on >= c.started_on + interval '3 months')) as continuing3,
            count(*) filter (where c.started_on <= ?::date - interval '6 months' and (c.ended_on is null or c.ended_on >= c.started_on + interval '6 months')) as continuing6,
            count(*) filter (where (c.wish = 'work' and c.started_on between ?::date and ?::date) or (c.end_reason = 'moved_to_work' and c.ended_on between ?::date and ?::date)) as placements
       from participation_connections c join participation_resources r on r.id = c.resource_id left join disclosures d on d.id = c.disclosure_id
      where ${inDistrict}`,
    [query.from, to, query.from, to, query.from, to, to, to, query.from, to, query.from, to, district, district],
  );
  const wishes = await em.execute<{ wish: string; connections: string }[]>(
    `select c.wish, count(*) as connections from participation_connections c join participation_resources r on r.id = c.resource_id
      where ${japanDay('c', 'created_at')} between ?::date and ?::date and ${inDistrict} group by c.wish`,
    [query.from, to, district, district],
  );
  // Visits count by the visitor's 地区; each record counts its visitors once, and once for each kind wished.
  const wishCodes = PARTICIPATION_WISH_LABELS.codes;
  const [visits] = await em.execute<Record<string, string>[]>(
    `select coalesce(sum(v.visitors), 0) as uses, ${wishCodes.map((_, i) => `coalesce(sum(v.visitors) filter (where ?::text = any(v.wishes)), 0) as wish${i}`).join(', ')}
       from participation_window_visits v
      where v.visited_on between ?::date and ?::date and (?::text is null or v.district_code = ?::text)`,
    [...wishCodes, query.from, to, district, district],
  );
  const resources = await em.execute<Record<string, string | null>[]>(
    `select r.district_code, r.kind, count(*) as resources, coalesce(sum(r.capacity), 0) as capacity,
            coalesce(sum(r.capacity - coalesce(r.free_places, r.capacity)) filter (where r.capacity is not null), 0) as taken,
            (select count(*) from participation_connections c join participation_resources x on x.id = c.resource_id
              where x.district_code = r.district_code and x.kind = r.kind and c.state in ('started', 'continuing')) as active
       from participation_resources r where r.state = 'open' and ${inDistrict}
      group by r.district_code, r.kind order by r.district_code, r.kind`,
    [district, district],
  );
  const volunteers = await em.execute<{ id: string; name: string; connections: string; active: string }[]>(
    `select v.id, v.name, count(*) as connections, count(*) filter (where c.state in ('started', 'continuing')) as active
       from participation_connections c join participation_resources r on r.id = c.resource_id
       join lateral unnest(c.volunteer_ids) as u(volunteer_id) on true join participation_volunteers v on v.id = u.volunteer_id
      where ${japanDay('c', 'created_at')} between ?::date and ?::date and ${inDistrict}
      group by v.id, v.name order by count(*) desc, v.name, v.id limit ${TOP_VOLUNTEERS}`,
    [query.from, to, district, district],
  );
  const n = (v: string | null | undefined) => Number(v ?? 0);
  return {
    from: query.from,
    to,
    districtCode: district,
    windowUses: n(visits.uses),
    people: n(summary.people),
    wishes: wishCodes.map((wish, i) => ({
      wish,
      visits: n(visits[`wish${i}`]),
      connections: n(wishes.find((w) => w.wish === wish)?.connections),
    })),
    connectionsMade: n(summary.made),
    started: n(summary.started),
    continuingAfter3Months: n(summary.continuing3),
    continuingAfter6Months: n(summary.continuing6),
    placementsIntoWork: n(summary.placements),
    volunteers: volunteers.map((v) => ({ volunteerId: v.id, name: v.name, connections: n(v.connections), active: n(v.active) })),
    resources: resources.map((r) => ({
      districtCode: r.district_code!,
      kind: r.kind as ParticipationFigures['resources'][number]['kind'],
      resources: n(r.resources),
      capacity: n(r.capacity),
      taken: n(r.taken),
      utilisation: n(r.capacity) ? Math.round((1000 * n(r.taken)) / n(r.capacity)) / 10 : null,
      active: n(r.active),
    })),
  };
}

/** The same figures as one long table (指標, 地区, 種別, 値): a pivot in Excel gives any layout. */
export function figuresRows(f: ParticipationFigures): (string | number | null)[][] {
  const all = f.districtCode ?? '全体';
  return [
    ['期間', all, '', `${f.from}〜${f.to}`],
    ['窓口の利用件数', all, '', f.windowUses],
    ['利用者数', all, '', f.people],
    ...f.wishes.map((w) => ['希望別の窓口利用', all, PARTICIPATION_WISH_LABELS.label(w.wish, 'ja'), w.visits]),
    ...f.wishes.map((w) => ['希望別のつなぎ', all, PARTICIPATION_WISH_LABELS.label(w.wish, 'ja'), w.connections]),
    ['つなぎ（紹介）件数', all, '', f.connectionsMade],
    ['参加開始', all, '', f.started],
    ['3か月後も継続', all, '', f.continuingAfter3Months],
    ['6か月後も継続', all, '', f.continuingAfter6Months],
    ['就労につながった件数', all, '', f.placementsIntoWork],
    ...f.volunteers.flatMap((v) => [
      ['人財の担当件数', all, v.name, v.connections],
      ['人財の担当中の人数', all, v.name, v.active],
    ]),
    ...f.resources.flatMap((r) => {
      const kind = RESOURCE_KIND_LABELS.label(r.kind, 'ja');
      return [
        ['社会資源の数', r.districtCode, kind, r.resources],
        ['定員', r.districtCode, kind, r.capacity],
        ['利用率(%)', r.districtCode, kind, r.utilisation],
        ['参加中の人数', r.districtCode, kind, r.active],
      ];
    }),
  ];
}
