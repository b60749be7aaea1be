import { sql } from 'drizzle-orm';
import type { ContactSettings } from '@liudong/contracts';
import { CERTIFICATE_REVIEW_MONTHS, TRANSFER_AFTER_MONTHS } from '@liudong/domain';
import { queryRows, type Db } from '../../platform/db';
import {
  keepInTouchCounts,
  keepInTouchCte,
  outboundUnder,
  type KeepInTouchCounts,
} from '../contacts/contacts.repository';

/**
 * The home dashboard's figures for one subtree, each one SQL aggregate (issue 3 §7: never by
 * loading rows into Node). `scope` is the active org's materialized path; `asOf` a China date.
 */

const OPEN = sql`mb.status not in ('returned','transferred','ended')`;

/**
 * Open outflows whose home org is in the subtree. The path prefix is tested once per org (a
 * range on org_path_prefix_idx for a street's handful; one hash of a province's ~30,000 that
 * each mobility row probes by id), never as string work on each of 150,000 rows (issue 5).
 */
const outflowsUnder = (scope: string) => sql`
  mobility mb join org o on o.id = mb.home_org_id
  where mb.direction = 'outflow' and ${OPEN} and o.path like ${scope + '%'}`;

// Destination city label: a municipality's districts sit under "市辖区", so the province's name
// (北京市, 重庆市) stands for them; likewise the province-administered counties. `city` is the
// first four digits of the destination code; the labels are joined onto the few aggregated
// cities, not onto every mobility row (issue 5).
const CITY_LABEL = sql`case when rc.name in ('市辖区','县','省直辖县级行政区划','自治区直辖县级行政区划') or rc.name is null then rp.name else rc.name end`;
const CITY_JOIN = sql`
  left join region rc on rc.code = city || '00'
  left join region rp on rp.code = left(city, 2) || '0000'`;

/**
 * `(x + months)::date >= asOf` and `(x + months)::date <= asOf` for a date column x, as a plain
 * comparison of x with one date worked out once (issue 5: no interval arithmetic on each of
 * 150,000 rows). PostgreSQL's `date + n months` never decreases as the date grows (a day past
 * the end of the target month is clamped to it), so the first rule holds exactly from the
 * earliest date that meets it onwards, and the second up to the latest. That date is within
 * 3 days of asOf − n months (clamping moves it at most from the 28th to the 31st), so it is
 * searched there, with the same arithmetic as the rule itself.
 */
const earliestReaching = (asOf: string, months: number) => sql`(
  select min(d)::date from generate_series(
           ${asOf}::date - make_interval(months => ${months}::int) - interval '3 days',
           ${asOf}::date - make_interval(months => ${months}::int) + interval '3 days',
           interval '1 day') d
   where (d + make_interval(months => ${months}::int))::date >= ${asOf}::date)`;
const latestWithin = (asOf: string, months: number) => sql`(
  select max(d)::date from generate_series(
           ${asOf}::date - make_interval(months => ${months}::int) - interval '3 days',
           ${asOf}::date - make_interval(months => ${months}::int) + interval '3 days',
           interval '1 day') d
   where (d + make_interval(months => ${months}::int))::date <= ${asOf}::date)`;

export async function headline(db: Db, scope: string, asOf: string, graceMonths: number) {
  const [row] = await queryRows<{
    outbound: number;
    with_host: number;
    checked_in: number;
    should_transfer: number;
    inbound: number;
    certified: number;
  }>(
    db,
    sql`
    select
      -- One pass over the open outflows. A member has at most one open outflow
      -- (mobility_one_open_outflow) and at most one issued certificate
      -- (certificate_one_issued_per_member), so counting rows counts members and the left join
      -- adds no row.
      count(*)::int as outbound,
      count(c.member_id)::int as certified,
      count(*) filter (where mb.host_org_id is not null or mb.host_org_text is not null)::int as with_host,
      count(*) filter (where (mb.host_org_id is not null or mb.host_org_text is not null)
                         and mb.checked_in_on is not null)::int as checked_in,
      -- Same rule as shouldTransferAffiliation: left_on + 6 calendar months (clamped at month
      -- end, as PostgreSQL does) on or before today, at a relatively fixed place.
      count(*) filter (where (mb.status in ('settled','serving') or mb.checked_in_on is not null)
                         and mb.left_on <= ${latestWithin(asOf, TRANSFER_AFTER_MONTHS)})::int as should_transfer,
      -- Received here: hosted by an org in scope, affiliated outside it. For a county that is
      -- the inflow from elsewhere; for a mobile Party org in 成都 it is the county's members who
      -- checked in there (at the county level those are outbound, not counted twice).
      -- From the hosted rows (mobility_host_org_idx: "is not null" reads only the hosted
      -- entries) to their host orgs, not from every open row.
      (select count(distinct hb.member_id) from mobility hb
         join org h on h.id = hb.host_org_id
        where hb.host_org_id is not null
          and hb.status not in ('returned','transferred','ended') and h.path like ${scope + '%'}
          and not exists (select 1 from org home
                           where home.id = hb.home_org_id and home.path like ${scope + '%'}))::int as inbound
      from mobility mb join org o on o.id = mb.home_org_id
      -- Holding a valid certificate: issued, and issued or reviewed within 12 months plus the
      -- grace (isCertificateValid; PostgreSQL clamps month ends the same way).
      left join certificate c on c.member_id = mb.member_id and c.status = 'issued'
        and greatest(c.issued_on, coalesce(c.last_reviewed_on, c.issued_on))
            >= ${earliestReaching(asOf, CERTIFICATE_REVIEW_MONTHS + graceMonths)}
     where mb.direction = 'outflow' and ${OPEN} and o.path like ${scope + '%'}`,
  );
  return row!;
}

/**
 * Flows from the units directly under the scope root to destination cities. All pairs are sent
 * (at most units × cities); the chart folds the small ones into 其他.
 *
 * Counted by (unit, city) first and named afterwards (issue 5): the unit is read from each org's
 * path once per org, not once per mobility row, and the names and region labels are joined onto
 * the few hundred pairs. The final group by names still adds up units or cities that share a
 * label (重庆's 500100 市辖区 and 500200 县), as grouping every row by its names did.
 */
export async function flows(db: Db, scope: string, limit = 5000) {
  // The segment right after the scope in a path: the scope is an org's path ('/…/<id>/'), so
  // with n slashes in it that segment is field n + 1 of the path split on '/' ('' for the scope
  // org itself) — the same text as the first field of the path with the scope cut off.
  const unitField = scope.split('/').length;
  return queryRows<{ from_name: string; to_name: string; value: number }>(
    db,
    sql`
    with pair as (
      select u.unit_id, left(mb.destination_region_code, 4) as city, count(*) as n
        from mobility mb
        -- offset 0 keeps split_part in this subquery (30,000 orgs), out of the 150,000-row join.
        join (select o.id, split_part(o.path, '/', ${unitField}::int) as unit_id
                from org o where o.path like ${scope + '%'} offset 0) u on u.id = mb.home_org_id
       where mb.direction = 'outflow' and ${OPEN} and mb.destination_region_code is not null
       group by 1, 2
    )
    select coalesce(c.short_name, c.name, root.short_name, root.name) as from_name,
           ${CITY_LABEL} as to_name,
           sum(p.n)::int as value
      from pair p
      join org root on root.path = ${scope}
      -- The unit's org by primary key. The pattern admits exactly the text a uuid prints as, so
      -- this is the org whose id::text equals the segment, without casting 30,000 ids to text.
      left join org c on c.id = case when p.unit_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then p.unit_id::uuid end
      ${CITY_JOIN}
     group by 1, 2
     order by value desc, from_name, to_name
     limit ${limit}`,
  );
}

export async function topDestinations(db: Db, scope: string, limit = 10) {
  return queryRows<{ code: string; name: string; count: number }>(
    db,
    sql`
    with dest as (
      select left(mb.destination_region_code, 4) as city, count(*)::int as count
        from ${outflowsUnder(scope)} and mb.destination_region_code is not null
       group by 1
    )
    -- The label is a function of the city code, so one row per city as before.
    select city || '00' as code, ${CITY_LABEL} as name, count
      from dest ${CITY_JOIN}
     order by count desc, code
     limit ${limit}`,
  );
}

export async function topIndustries(db: Db, scope: string, limit = 10) {
  return queryRows<{ code: string; count: number }>(
    db,
    sql`
    select mb.industry as code, count(*)::int as count
      from ${outflowsUnder(scope)} and mb.industry is not null
     group by 1
     order by count desc, code
     limit ${limit}`,
  );
}

/** The certificate grace (configurable by the org department, issue 3 §3), or the default. */
export async function certificateGraceMonths(db: Db, fallback: number) {
  const [row] = await queryRows<{ value: unknown }>(
    db,
    sql`select value from app_setting where key = 'certificate_grace_months'`,
  );
  return typeof row?.value === 'number' ? row.value : fallback;
}

/**
 * 按时联系率 and 失联率 (DOMAIN.md §9) for the subtree, from the contacts module's own SQL
 * fragment and count definitions (contacts.repository keepInTouchCte, keepInTouchCounts), so the
 * dashboard and the contact queue never disagree. Computed when read: nothing is stored.
 */
export async function keepInTouch(
  db: Db,
  scope: string,
  asOf: string,
  settings: ContactSettings,
): Promise<KeepInTouchCounts> {
  const [row] = await queryRows<KeepInTouchCounts>(
    db,
    sql`with ${keepInTouchCte({ today: asOf, settings, where: outboundUnder(scope), outflowOnly: true })}
        select ${keepInTouchCounts(asOf)} from kit`,
  );
  return row!;
}
