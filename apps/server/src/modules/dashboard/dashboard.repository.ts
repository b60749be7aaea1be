import { sql } from 'drizzle-orm';
import type { ContactSettings } from '@liudong/contracts';
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

// Destination city label: a municipality's districts sit under "市辖区", so the province's name
// (北京市, 重庆市) stands for them; likewise the province-administered counties.
const CITY_LABEL = sql`case when rc.name in ('市辖区','县','省直辖县级行政区划','自治区直辖县级行政区划') or rc.name is null then rp.name else rc.name end`;
const CITY_JOIN = sql`
  left join region rc on rc.code = left(mb.destination_region_code, 4) || '00'
  left join region rp on rp.code = left(mb.destination_region_code, 2) || '0000'`;

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
    with outflow as (
      select mb.* from mobility mb join org o on o.id = mb.home_org_id
       where mb.direction = 'outflow' and ${OPEN} and o.path like ${scope + '%'}
    )
    select
      (select count(distinct member_id) from outflow)::int as outbound,
      -- Holding a valid certificate: issued and issued or reviewed within 12 months plus the
      -- grace (isCertificateValid; PostgreSQL clamps month ends the same way).
      (select count(distinct f.member_id) from outflow f
         join certificate c on c.member_id = f.member_id and c.status = 'issued'
        where (greatest(c.issued_on, coalesce(c.last_reviewed_on, c.issued_on))
               + make_interval(months => ${12 + graceMonths}))::date >= ${asOf}::date)::int as certified,
      (select count(*) from outflow where host_org_id is not null or host_org_text is not null)::int as with_host,
      (select count(*) from outflow where (host_org_id is not null or host_org_text is not null) and checked_in_on is not null)::int as checked_in,
      -- Same rule as shouldTransferAffiliation: left_on + 6 calendar months (clamped at month
      -- end, as PostgreSQL does) on or before today, at a relatively fixed place.
      (select count(*) from outflow
        where (status in ('settled','serving') or checked_in_on is not null)
          and (left_on + interval '6 months')::date <= ${asOf}::date)::int as should_transfer,
      -- Received here: hosted by an org in scope, affiliated outside it. For a county that is
      -- the inflow from elsewhere; for a mobile Party org in 成都 it is the county's members who
      -- checked in there (at the county level those are outbound, not counted twice).
      (select count(distinct mb.member_id) from mobility mb
         join org h on h.id = mb.host_org_id
         left join org home on home.id = mb.home_org_id
        where ${OPEN} and h.path like ${scope + '%'}
          and (home.path is null or home.path not like ${scope + '%'}))::int as inbound`,
  );
  return row!;
}

/**
 * Flows from the units directly under the scope root to destination cities. All pairs are sent
 * (at most units × cities); the chart folds the small ones into 其他.
 */
export async function flows(db: Db, scope: string, limit = 5000) {
  return queryRows<{ from_name: string; to_name: string; value: number }>(
    db,
    sql`
    select coalesce(c.short_name, c.name, root.short_name, root.name) as from_name,
           ${CITY_LABEL} as to_name,
           count(*)::int as value
      from mobility mb
      join org o on o.id = mb.home_org_id
      join org root on root.path = ${scope}
      left join org c on c.id::text = split_part(substr(o.path, ${scope.length + 1}), '/', 1)
      ${CITY_JOIN}
     where mb.direction = 'outflow' and ${OPEN} and o.path like ${scope + '%'}
       and mb.destination_region_code is not null
     group by 1, 2
     order by value desc, from_name, to_name
     limit ${limit}`,
  );
}

export async function topDestinations(db: Db, scope: string, limit = 10) {
  return queryRows<{ code: string; name: string; count: number }>(
    db,
    sql`
    select left(mb.destination_region_code, 4) || '00' as code, ${CITY_LABEL} as name, count(*)::int as count
      from mobility mb join org o on o.id = mb.home_org_id ${CITY_JOIN}
     where mb.direction = 'outflow' and ${OPEN} and o.path like ${scope + '%'}
       and mb.destination_region_code is not null
     group by 1, 2
     order by count desc, code
     limit ${limit}`,
  );
}

export async function topIndustries(db: Db, scope: string, limit = 10) {
  return queryRows<{ code: string; count: number }>(
    db,
    sql`
    select mb.industry as code, count(*)::int as count
      from mobility mb join org o on o.id = mb.home_org_id
     where mb.direction = 'outflow' and ${OPEN} and o.path like ${scope + '%'} and mb.industry is not null
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
    sql`with ${keepInTouchCte({ today: asOf, settings, where: outboundUnder(scope) })}
        select ${keepInTouchCounts(asOf)} from kit`,
  );
  return row!;
}
