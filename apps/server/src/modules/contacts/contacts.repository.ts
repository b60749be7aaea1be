import { sql, type SQL } from 'drizzle-orm';
import { ContactSettings } from '@liudong/contracts';
import {
  CLOSED_MOBILITY_STATUSES,
  DEFAULT_CONTACT_INTERVAL_MONTHS,
  DEFAULT_WARNING_MONTHS,
  LOST_CONTACT_MONTHS,
  QUEUE_WEEK_DAYS,
  type ContactCategory,
  type LostContactLevel,
  type LostContactReason,
  type MobilityReason,
  type QueueBucket,
  type SignOfLifeKind,
} from '@liudong/domain';
import { escapeLike, queryRows, type Db, type Tx } from '../../platform/db';

type Handle = Db | Tx;

/**
 * Keeping in touch in SQL (issue 4 §3, §4; DOMAIN.md §4, §9). One fragment, `keepInTouchCte`,
 * derives for every open episode the schedule (定时), the next due day, the queue bucket and the
 * lost-contact status, exactly as packages/domain contact.ts does (contactDueOn, queueBucket,
 * isDueForRate, lostContactStatus). The queues, the lost-contact list, the daily job and the
 * dashboard (dashboard.repository.ts) all read it, so they never disagree, and nothing of it is
 * stored: it is computed when read, never stale because a nightly job did not run.
 *
 * PostgreSQL's `date + interval 'n months'` clamps month ends exactly like the domain's addMonths
 * (2024-08-31 + 6 months = 2025-02-28), so the date arithmetic is the same on both sides.
 */

/** app_setting key of the installation's contact settings (defaults per category, warnings). */
export const CONTACT_SETTINGS_KEY = 'contact_settings';

export const DEFAULT_CONTACT_SETTINGS: ContactSettings = {
  defaultIntervalMonths: { ...DEFAULT_CONTACT_INTERVAL_MONTHS },
  warningMonths: [...DEFAULT_WARNING_MONTHS],
};

export async function loadContactSettings(handle: Handle): Promise<ContactSettings> {
  const [row] = await queryRows<{ value: unknown }>(
    handle,
    sql`select value from app_setting where key = ${CONTACT_SETTINGS_KEY}`,
  );
  const parsed = ContactSettings.safeParse(row?.value);
  return parsed.success ? parsed.data : DEFAULT_CONTACT_SETTINGS;
}

const closedStatuses = sql.join(
  CLOSED_MOBILITY_STATUSES.map((s) => sql`${s}`),
  sql`, `,
);

/** Abroad for the schedule: GB/T 2260 71 台湾, 81 香港, 82 澳门 (isAbroadRegion). */
export const ABROAD_SQL = (code: SQL) => sql`(left(${code}, 2) in ('71','81','82'))`;

/** The ids on a materialized path ('/a/b/c/' → {a,b,c}), root first. */
const pathIdsSql = (path: SQL) => sql`string_to_array(trim(both '/' from ${path}), '/')`;

/**
 * The rule of the nearest org on the path of `orgPath` for the category (定时 per org; the
 * subtree inherits), by the path's own ancestor ids on the (org, category) index: no scan of
 * the org table per member.
 */
function nearestRuleSql(category: SQL, orgPath: SQL): SQL {
  // Most installations have few rules or none: the guard is evaluated once per statement (an
  // InitPlan), so without rules no row pays for parsing its path (≈ 250 ms of the province
  // dashboard's 150,000 rows; issue 5, bench/BENCH.md).
  return sql`(case when exists (select 1 from contact_schedule) then (select cs.interval_months from contact_schedule cs
      where cs.category = ${category} and cs.org_id = any(${pathIdsSql(orgPath)}::uuid[])
      order by array_position(${pathIdsSql(orgPath)}, cs.org_id::text) desc
      limit 1) end)`;
}

/**
 * The interval that applies (effectiveIntervalMonths): the member's own, else the rule of the
 * nearest org on the path of `orgPath` for the category, else the installation's default.
 */
export function effectiveIntervalSql(opts: {
  own: SQL;
  category: SQL;
  orgPath: SQL;
  settings: ContactSettings;
}): SQL {
  const d = opts.settings.defaultIntervalMonths;
  return sql`coalesce(${opts.own}, ${nearestRuleSql(opts.category, opts.orgPath)},
    case when ${opts.category} = 'abroad' then ${d.abroad}::int else ${d.domestic}::int end)`;
}

/** Outflow episodes whose home org lies under `path` (the usual `where` of the fragment). */
export const outboundUnder = (path: string) =>
  sql`(mb.direction = 'outflow' and ro.path like ${path + '%'})`;

/**
 * `kit_base, kit_dates, kit` — put after `with`. One row per open episode matching `where`
 * (which may name `mb` the mobility row, `ro` the responsible org — the home org of an outflow,
 * the host org of an inflow — and `a` the open assignment). Columns of `kit`:
 *
 *   mobility_id, member_id, direction, left_on, destination_region_code, reason, employer,
 *   home_org_id, host_org_id, mobility_version, org_id, org_path, assignment_id, liaison_id,
 *   own_interval_months, category, last_contact_on, last_reached_on, last_org_life_on,
 *   last_dues_on, interval_months, last_sign_on, last_sign_kind, due_on, due_for_rate, lost_on,
 *   months_without, warning_point, lost_level, bucket, overdue_days.
 *
 * The base is materialized once (the lookups per member run once, however often the derived
 * columns use them); the rest is date arithmetic on it. The last contact, reached contact, org
 * life and dues come from `member_sign` (schema/contact.ts), not from aggregating the rows.
 */
export function keepInTouchCte(opts: {
  today: string;
  settings: ContactSettings;
  where: SQL;
  /**
   * Only outflows (the queues, lost contact, the dashboard): the responsible org is the home
   * org, joined on mobility_home_org_idx, so a street's figures read its own episodes instead
   * of scanning the province's (issue 5, bench/BENCH.md).
   */
  outflowOnly?: boolean;
}) {
  const today = sql`${opts.today}::date`;
  const d = opts.settings.defaultIntervalMonths;
  const responsibleOrg = opts.outflowOnly
    ? sql`ro.id = mb.home_org_id and mb.direction = 'outflow'`
    : sql`ro.id = (case when mb.direction = 'outflow' then mb.home_org_id else mb.host_org_id end)`;
  // The highest warning point reached, as a CASE over the configured points (highest first).
  const points = [...opts.settings.warningMonths].sort((x, y) => y - x);
  const reachedPoint = sql`case ${sql.join(
    points.map(
      (p) =>
        sql`when (k.last_sign_on + make_interval(months => ${p}::int))::date <= ${today} then ${p}::int`,
    ),
    sql` `,
  )} else null end`;
  return sql`
  kit_base as materialized (
    select mb.id as mobility_id, mb.member_id, mb.direction, mb.left_on,
           mb.destination_region_code, mb.reason, mb.employer, mb.home_org_id, mb.host_org_id,
           mb.version as mobility_version, ro.id as org_id, ro.path as org_path,
           a.id as assignment_id, a.liaison_id, a.interval_months as own_interval_months,
           cat.category, ms.last_contact_on, ms.last_reached_on, ms.last_org_life_on,
           ms.last_dues_on,
           coalesce(a.interval_months, ${nearestRuleSql(sql`cat.category`, sql`ro.path`)},
             case when cat.category = 'abroad' then ${d.abroad}::int else ${d.domestic}::int end
           ) as interval_months,
           -- The latest sign of life, never before the day the member left (lostContactStatus).
           greatest(mb.left_on, ms.last_reached_on, ms.last_org_life_on, ms.last_dues_on) as last_sign_on
      from mobility mb
      join org ro on ${responsibleOrg}
      left join liaison_assignment a on a.member_id = mb.member_id and a.ended_on is null
      cross join lateral (
        select coalesce(a.category,
          case when ${ABROAD_SQL(sql`mb.destination_region_code`)} then 'abroad' else 'domestic' end
        ) as category) cat
      -- The four dates, kept by triggers in the same transaction as every contact and
      -- participation write (member_sign, migration 0008): exact, and one lookup per member.
      left join member_sign ms on ms.member_id = mb.member_id
     where mb.status not in (${closedStatuses}) and (${opts.where})
  ),
  kit_dates as (
    select k.*,
           -- Ties: the day of leaving, then a contact, then org life, then dues (the domain's order).
           case when k.last_sign_on = k.left_on then 'left'
                when k.last_sign_on = k.last_reached_on then 'contact'
                when k.last_sign_on = k.last_org_life_on then 'org_life'
                else 'dues' end as last_sign_kind,
           -- contactDueOn: an attempt that did not reach the member does not reset the schedule.
           (greatest(k.left_on, k.last_reached_on) + make_interval(months => k.interval_months))::date as due_on,
           -- isDueForRate: the first interval since leaving has run.
           ((k.left_on + make_interval(months => k.interval_months))::date <= ${today}) as due_for_rate,
           (k.last_sign_on + make_interval(months => ${LOST_CONTACT_MONTHS}::int))::date as lost_on,
           ${reachedPoint} as reached_point,
           ((extract(year from ${today}) - extract(year from k.last_sign_on)) * 12
             + extract(month from ${today}) - extract(month from k.last_sign_on))::int as month_span
      from kit_base k
  ),
  kit as (
    select k.*,
           -- wholeMonthsBetween: calendar months, one fewer when the clamped day is not reached.
           greatest(0, k.month_span - case when (k.last_sign_on + make_interval(months => k.month_span))::date > ${today}
                                           then 1 else 0 end) as months_without,
           case when k.lost_on <= ${today} then null else k.reached_point end as warning_point,
           case when k.lost_on <= ${today} then 'lost'
                when k.reached_point is not null then 'warning' else 'ok' end as lost_level,
           case when k.due_on < ${today} then 'overdue'
                when k.due_on <= ${today} + ${QUEUE_WEEK_DAYS - 1}::int then 'week'
                else 'later' end as bucket,
           greatest(0, ${today} - k.due_on) as overdue_days
      from kit_dates k
  )`;
}

/**
 * The counts behind 按时联系率 and 失联率 over `kit` (DOMAIN.md §9), shared by the contact queue's
 * summary and the dashboard:
 *   due      = members whose first interval since leaving has run (isDueForRate);
 *   on_time  = due, and the next due day has not passed (due_on ≥ today);
 *   overdue  = due, and the next due day has passed (always due: due_on ≥ left_on + interval);
 *   lost     = six months or more since the last sign of life;
 *   warning  = past a warning point, not yet lost;
 *   mobile   = every episode counted (the outbound members in scope).
 */
export function keepInTouchCounts(today: string): SQL {
  return sql`count(*)::int as mobile,
    count(*) filter (where kit.due_for_rate)::int as due,
    count(*) filter (where kit.due_for_rate and kit.due_on >= ${today}::date)::int as on_time,
    count(*) filter (where kit.due_for_rate and kit.due_on < ${today}::date)::int as overdue,
    count(*) filter (where kit.bucket = 'week')::int as week,
    count(*) filter (where kit.assignment_id is null)::int as unassigned,
    count(*) filter (where kit.lost_level = 'lost')::int as lost,
    count(*) filter (where kit.lost_level = 'warning')::int as warning`;
}

export interface KeepInTouchCounts {
  mobile: number;
  due: number;
  on_time: number;
  overdue: number;
  week: number;
  unassigned: number;
  lost: number;
  warning: number;
}

/** The row of `kit` as the queries below return it (dates as text). */
export interface KitRow {
  mobility_id: string;
  member_id: string;
  direction: 'outflow' | 'inflow';
  left_on: string;
  destination_region_code: string | null;
  reason: MobilityReason | null;
  employer: string | null;
  home_org_id: string | null;
  host_org_id: string | null;
  mobility_version: number;
  org_id: string;
  assignment_id: string | null;
  liaison_id: string | null;
  own_interval_months: number | null;
  category: ContactCategory;
  last_contact_on: string | null;
  last_reached_on: string | null;
  last_org_life_on: string | null;
  last_dues_on: string | null;
  interval_months: number;
  last_sign_on: string;
  last_sign_kind: SignOfLifeKind;
  due_on: string;
  due_for_rate: boolean;
  lost_on: string;
  months_without: number;
  warning_point: number | null;
  lost_level: LostContactLevel;
  bucket: QueueBucket;
  overdue_days: number;
}

const KIT_COLUMNS = sql`k.mobility_id, k.member_id, k.direction, k.left_on::text as left_on,
  k.destination_region_code, k.reason, k.employer, k.home_org_id, k.host_org_id,
  k.mobility_version, k.org_id, k.assignment_id, k.liaison_id, k.own_interval_months, k.category,
  k.last_contact_on::text as last_contact_on, k.last_reached_on::text as last_reached_on,
  k.last_org_life_on::text as last_org_life_on, k.last_dues_on::text as last_dues_on,
  k.interval_months, k.last_sign_on::text as last_sign_on, k.last_sign_kind,
  k.due_on::text as due_on, k.due_for_rate, k.lost_on::text as lost_on, k.months_without,
  k.warning_point, k.lost_level, k.bucket, k.overdue_days`;

/** The status of one open episode (after a contact, on a member's page). */
export async function statusOfEpisode(
  handle: Handle,
  mobilityId: string,
  today: string,
  settings: ContactSettings,
) {
  const [row] = await queryRows<KitRow>(
    handle,
    sql`with ${keepInTouchCte({ today, settings, where: sql`mb.id = ${mobilityId}` })}
        select ${KIT_COLUMNS} from kit k`,
  );
  return row ?? null;
}

// ---------------------------------------------------------------------------------------------
// Who may see a member (scope flags; the policy decides)

export interface MemberAccessRow {
  id: string;
  name: string;
  org_id: string | null;
  member_org_in_scope: boolean;
  mobility_id: string | null;
  direction: 'outflow' | 'inflow' | null;
  left_on: string | null;
  mobility_version: number | null;
  home_in_scope: boolean;
  host_in_scope: boolean;
  assigned_to_actor: boolean;
  actor_liaison_id: string | null;
}

/**
 * A member with the flags the policy needs: the org of affiliation in scope, the open episode
 * (an outflow first) with its home and host side in scope, and whether the member's open
 * assignment names the actor's own liaison record (in scope). One query, so that a missing and
 * an out-of-scope member are answered alike by the caller (SECURITY.md 9).
 */
export async function memberAccess(
  handle: Handle,
  actor: { accountId: string; orgPath: string },
  memberId: string,
) {
  const scope = actor.orgPath + '%';
  const [row] = await queryRows<MemberAccessRow>(
    handle,
    sql`select m.id, m.name, m.org_id,
               coalesce(mo.path like ${scope}, false) as member_org_in_scope,
               ep.id as mobility_id, ep.direction, ep.left_on::text as left_on,
               ep.version as mobility_version,
               coalesce(ho.path like ${scope}, false) as home_in_scope,
               coalesce(hs.path like ${scope}, false) as host_in_scope,
               (asg.liaison_id is not null) as assigned_to_actor,
               me.id as actor_liaison_id
          from member m
          left join org mo on mo.id = m.org_id
          left join lateral (
            select mb.id, mb.direction, mb.left_on, mb.version, mb.home_org_id, mb.host_org_id
              from mobility mb
             where mb.member_id = m.id and mb.status not in (${closedStatuses})
             order by (mb.direction = 'outflow') desc, mb.left_on desc, mb.id
             limit 1) ep on true
          left join org ho on ho.id = ep.home_org_id
          left join org hs on hs.id = ep.host_org_id
          left join lateral (
            select a.liaison_id from liaison_assignment a
              join liaison l on l.id = a.liaison_id
              join org lo on lo.id = l.org_id
             where a.member_id = m.id and a.ended_on is null
               and l.account_id = ${actor.accountId} and lo.path like ${scope}
             limit 1) asg on true
          left join lateral (
            select l.id from liaison l
             where l.account_id = ${actor.accountId} and l.active) me on true
         where m.id = ${memberId}`,
  );
  return row ?? null;
}

// ---------------------------------------------------------------------------------------------
// Queue

export type NameSearch = { kind: 'pinyin'; value: string } | { kind: 'name'; value: string };

export function nameSearchOf(q: string | undefined): NameSearch | undefined {
  if (!q) return undefined;
  if (/^[a-z]+$/i.test(q)) return { kind: 'pinyin', value: q.toLowerCase() };
  return { kind: 'name', value: q };
}

function nameCondition(s: NameSearch | undefined): SQL {
  if (!s) return sql`true`;
  if (s.kind === 'pinyin') {
    const prefix = `${escapeLike(s.value)}%`;
    return sql`(m.name_pinyin like ${prefix} or m.name_initials like ${prefix})`;
  }
  return sql`m.name ilike ${`%${escapeLike(s.value)}%`}`;
}

export interface QueueRow extends KitRow {
  member_name: string;
  org_name: string;
  phone_enc: string | null;
  liaison_name: string | null;
  region_name: string | null;
  region_parent_name: string | null;
  region_grandparent_name: string | null;
}

/**
 * Which episodes a queue covers. `org`: outbound members whose home org is under `path`.
 * `mine`: members whose open assignment names one of the actor's liaison records in scope.
 */
export function queueWhere(
  view: 'mine' | 'org',
  opts: { path: string; actor: { accountId: string; orgPath: string } },
): SQL {
  if (view === 'org') return outboundUnder(opts.path);
  return sql`(mb.direction = 'outflow' and a.liaison_id in (
      select l.id from liaison l join org lo on lo.id = l.org_id
       where l.account_id = ${opts.actor.accountId} and lo.path like ${opts.actor.orgPath + '%'}))`;
}

export async function queue(
  handle: Handle,
  opts: {
    today: string;
    settings: ContactSettings;
    where: SQL;
    bucket: 'overdue' | 'week' | 'all' | 'unassigned';
    liaisonId?: string | undefined;
    search?: NameSearch | undefined;
    after?: { dueOn: string; id: string } | undefined;
    limit: number;
  },
) {
  const bucket =
    opts.bucket === 'overdue'
      ? sql`k.bucket = 'overdue'`
      : opts.bucket === 'week'
        ? sql`k.bucket = 'week'`
        : opts.bucket === 'unassigned'
          ? sql`k.assignment_id is null`
          : sql`true`;
  return queryRows<QueueRow>(
    handle,
    sql`with ${keepInTouchCte({ today: opts.today, settings: opts.settings, where: opts.where, outflowOnly: true })}
        select ${KIT_COLUMNS}, m.name as member_name, o.name as org_name, m.phone_enc,
               l.name as liaison_name, r1.name as region_name, r2.name as region_parent_name,
               r3.name as region_grandparent_name
          from kit k
          join member m on m.id = k.member_id
          join org o on o.id = k.org_id
          left join liaison l on l.id = k.liaison_id
          left join region r1 on r1.code = k.destination_region_code
          left join region r2 on r2.code = r1.parent_code
          left join region r3 on r3.code = r2.parent_code
         where ${bucket}
           and ${opts.liaisonId ? sql`k.liaison_id = ${opts.liaisonId}` : sql`true`}
           and ${nameCondition(opts.search)}
           and ${opts.after ? sql`(k.due_on, k.member_id) > (${opts.after.dueOn}::date, ${opts.after.id}::uuid)` : sql`true`}
         order by k.due_on, k.member_id
         limit ${opts.limit + 1}`,
  );
}

/**
 * The queue's counts and, for the org view, the same per liaison, from one evaluation of the
 * fragment (grouping sets: the whole view, and each liaison).
 */
export async function queueCounts(
  handle: Handle,
  opts: { today: string; settings: ContactSettings; where: SQL; byLiaison: boolean },
) {
  const rows = await queryRows<
    KeepInTouchCounts & { whole: boolean; liaison_id: string | null; liaison_name: string | null }
  >(
    handle,
    opts.byLiaison
      ? sql`with ${keepInTouchCte({ ...opts, outflowOnly: true })}
          select (grouping(kit.liaison_id) = 1) as whole, kit.liaison_id, l.name as liaison_name,
                 ${keepInTouchCounts(opts.today)}
            from kit left join liaison l on l.id = kit.liaison_id
           group by grouping sets ((), (kit.liaison_id, l.name))`
      : sql`with ${keepInTouchCte({ ...opts, outflowOnly: true })}
          select true as whole, null as liaison_id, null as liaison_name,
                 ${keepInTouchCounts(opts.today)}
            from kit`,
  );
  const whole = rows.find((r) => r.whole)!;
  const byLiaison = rows
    .filter((r) => !r.whole && r.liaison_id !== null)
    .map((r) => ({ ...r, liaison_id: r.liaison_id!, liaison_name: r.liaison_name ?? '' }))
    .sort(
      (a, b) =>
        b.overdue - a.overdue ||
        a.liaison_name.localeCompare(b.liaison_name, 'zh-CN') ||
        (a.liaison_id < b.liaison_id ? -1 : 1),
    );
  return { whole, byLiaison };
}

// ---------------------------------------------------------------------------------------------
// Lost contact (失联)

export interface LostRow extends KitRow {
  member_name: string;
  org_name: string;
  region_name: string | null;
  region_parent_name: string | null;
  region_grandparent_name: string | null;
  search_attempts: number;
  reason_code: LostContactReason | null;
  note: string | null;
  liaison_name: string | null;
}

/** Attempts that did not reach the member since the last sign of life (the search, §4). */
const searchAttemptsJoin = sql`left join lateral (
    select count(*)::int as n from contact c
     where c.member_id = k.member_id and not c.reached and c.contacted_on > k.last_sign_on) sa on true`;

/** The lost-contact list: longest without a sign of life first. */
export async function lostList(
  handle: Handle,
  opts: {
    today: string;
    settings: ContactSettings;
    path: string;
    level: 'warning' | 'lost';
    search?: NameSearch | undefined;
    after?: { lastSignOn: string; id: string } | undefined;
    limit: number;
  },
) {
  return queryRows<LostRow>(
    handle,
    sql`with ${keepInTouchCte({ today: opts.today, settings: opts.settings, where: outboundUnder(opts.path), outflowOnly: true })}
        select ${KIT_COLUMNS}, m.name as member_name, o.name as org_name,
               r1.name as region_name, r2.name as region_parent_name,
               r3.name as region_grandparent_name, sa.n as search_attempts,
               n.reason_code, n.note, l.name as liaison_name
          from kit k
          join member m on m.id = k.member_id
          join org o on o.id = k.org_id
          left join liaison l on l.id = k.liaison_id
          left join lost_contact_note n on n.member_id = k.member_id
          left join region r1 on r1.code = k.destination_region_code
          left join region r2 on r2.code = r1.parent_code
          left join region r3 on r3.code = r2.parent_code
          ${searchAttemptsJoin}
         where k.lost_level = ${opts.level}
           and ${nameCondition(opts.search)}
           and ${opts.after ? sql`(k.last_sign_on, k.member_id) > (${opts.after.lastSignOn}::date, ${opts.after.id}::uuid)` : sql`true`}
         order by k.last_sign_on, k.member_id
         limit ${opts.limit + 1}`,
  );
}

export interface RegisterRow {
  member_id: string;
  member_name: string;
  org_name: string | null;
  reason_code: LostContactReason | null;
  note: string | null;
  lost_since: string;
  found_on: string | null;
  found_channel: string | null;
  search_attempts: number;
}

/**
 * 经查找取得联系党员 (DOMAIN.md §4): a reached contact that came six months or more after the
 * previous sign of life. The signs of life of a member — the day of leaving of each outflow,
 * reached contacts, org life and dues — are folded to one row per day, and `lag` gives the
 * previous one: when prev + 6 months ≤ the contact's day, the member had been lost since then
 * and this contact found them. Members whose outflow (any, open or not) left from an org in scope.
 */
export async function foundRegister(
  handle: Handle,
  opts: {
    path: string;
    since?: string | undefined;
    after?: { on: string; id: string } | undefined;
    limit: number;
  },
) {
  return queryRows<RegisterRow>(
    handle,
    sql`with scoped as (
          select distinct mb.member_id from mobility mb join org ho on ho.id = mb.home_org_id
           where mb.direction = 'outflow' and ho.path like ${opts.path + '%'}
        ),
        signs as (
          select mb.member_id, mb.left_on as on_date, false as reached, null::text as channel,
                 null::timestamptz as created_at
            from mobility mb where mb.direction = 'outflow' and mb.member_id in (select member_id from scoped)
          union all
          select c.member_id, c.contacted_on, true, c.channel, c.created_at
            from contact c where c.reached and c.member_id in (select member_id from scoped)
          union all
          select p.member_id, p.on_date, false, null, null
            from participation p where p.member_id in (select member_id from scoped)
        ),
        days as (
          select s.member_id, s.on_date, bool_or(s.reached) as reached,
                 (array_agg(s.channel order by s.created_at) filter (where s.reached))[1] as channel
            from signs s group by s.member_id, s.on_date
        ),
        lagged as (
          select d.*, lag(d.on_date) over (partition by d.member_id order by d.on_date) as prev_on
            from days d
        ),
        found as (
          select g.member_id, g.on_date as found_on, g.channel, g.prev_on,
                 (g.prev_on + make_interval(months => ${LOST_CONTACT_MONTHS}::int))::date as lost_since
            from lagged g
           where g.reached and g.prev_on is not null
             and (g.prev_on + make_interval(months => ${LOST_CONTACT_MONTHS}::int))::date <= g.on_date
        )
        select f.member_id, m.name as member_name, o.name as org_name, n.reason_code, n.note,
               f.lost_since::text as lost_since, f.found_on::text as found_on,
               f.channel as found_channel,
               (select count(*)::int from contact c
                 where c.member_id = f.member_id and not c.reached
                   and c.contacted_on > f.prev_on and c.contacted_on <= f.found_on) as search_attempts
          from found f
          join member m on m.id = f.member_id
          left join org o on o.id = m.org_id
          left join lost_contact_note n on n.member_id = f.member_id
         where ${opts.since ? sql`f.found_on >= ${opts.since}::date` : sql`true`}
           and ${opts.after ? sql`(f.found_on, f.member_id) < (${opts.after.on}::date, ${opts.after.id}::uuid)` : sql`true`}
         order by f.found_on desc, f.member_id desc
         limit ${opts.limit + 1}`,
  );
}

/** 经查找仍然无法取得联系党员: lost now, with at least one attempt since the last sign of life. */
export async function notFoundRegister(
  handle: Handle,
  opts: {
    today: string;
    settings: ContactSettings;
    path: string;
    after?: { on: string; id: string } | undefined;
    limit: number;
  },
) {
  return queryRows<RegisterRow>(
    handle,
    sql`with ${keepInTouchCte({ today: opts.today, settings: opts.settings, where: outboundUnder(opts.path), outflowOnly: true })}
        select k.member_id, m.name as member_name, o.name as org_name, n.reason_code, n.note,
               k.lost_on::text as lost_since, null as found_on, null as found_channel,
               sa.n as search_attempts
          from kit k
          join member m on m.id = k.member_id
          join org o on o.id = k.org_id
          left join lost_contact_note n on n.member_id = k.member_id
          ${searchAttemptsJoin}
         where k.lost_level = 'lost' and sa.n > 0
           and ${opts.after ? sql`(k.lost_on, k.member_id) > (${opts.after.on}::date, ${opts.after.id}::uuid)` : sql`true`}
         order by k.lost_on, k.member_id
         limit ${opts.limit + 1}`,
  );
}

export async function upsertLostNote(
  tx: Tx,
  v: { memberId: string; reasonCode: string; note: string | null; by: string; at: Date },
) {
  const [row] = await queryRows<{ reason_code: string; note: string | null; version: number }>(
    tx,
    sql`insert into lost_contact_note (member_id, reason_code, note, updated_by, updated_at)
        values (${v.memberId}, ${v.reasonCode}, ${v.note}, ${v.by}, ${v.at.toISOString()}::timestamptz)
        on conflict (member_id) do update
          set reason_code = excluded.reason_code, note = excluded.note,
              updated_by = excluded.updated_by, updated_at = excluded.updated_at,
              version = lost_contact_note.version + 1
        returning reason_code, note, version`,
  );
  return row!;
}

export async function lostNoteOf(handle: Handle, memberId: string) {
  const [row] = await queryRows<{ reason_code: string; note: string | null }>(
    handle,
    sql`select reason_code, note from lost_contact_note where member_id = ${memberId}`,
  );
  return row ?? null;
}

// ---------------------------------------------------------------------------------------------
// Contact history

export interface ContactRow {
  id: string;
  member_id: string;
  mobility_id: string | null;
  contacted_on: string;
  channel: string;
  reached: boolean;
  work: string | null;
  life: string | null;
  thinking: string | null;
  difficulties: string | null;
  follow_up: string | null;
  follow_up_needed: boolean;
  source: 'liaison' | 'census' | 'self_report' | 'import';
  liaison_name: string | null;
  recorded_by_name: string | null;
  created_at: string | Date;
  /** created_at as PostgreSQL prints it (microseconds kept), for the keyset cursor. */
  created_key: string;
}

const CONTACT_SELECT = sql`select c.id, c.member_id, c.mobility_id, c.contacted_on::text as contacted_on,
    c.channel, c.reached, c.work, c.life, c.thinking, c.difficulties, c.follow_up,
    c.follow_up_needed, c.source, l.name as liaison_name, ac.display_name as recorded_by_name,
    c.created_at, c.created_at::text as created_key
  from contact c
  left join liaison l on l.id = c.liaison_id
  left join account ac on ac.id = c.recorded_by`;

/** A member's contacts, newest first (day, then when it was recorded), keyset-paginated. */
export async function contactsOf(
  handle: Handle,
  memberId: string,
  opts: { after?: { on: string; at: string; id: string } | undefined; limit: number },
) {
  return queryRows<ContactRow>(
    handle,
    sql`${CONTACT_SELECT}
         where c.member_id = ${memberId}
           and ${opts.after ? sql`(c.contacted_on, c.created_at, c.id) < (${opts.after.on}::date, ${opts.after.at}::timestamptz, ${opts.after.id}::uuid)` : sql`true`}
         order by c.contacted_on desc, c.created_at desc, c.id desc
         limit ${opts.limit + 1}`,
  );
}

/**
 * Whether texts reach the member (issue 4 §6: opt-out respected). An opt-out is kept per number,
 * by the phone's blind index, as the outbox checks it (modules/sms): one query, no decryption.
 */
export async function smsStateOf(handle: Handle, memberId: string) {
  const [row] = await queryRows<{ has_phone: boolean; opted_out: boolean }>(
    handle,
    sql`select (m.phone_bidx is not null) as has_phone,
               exists (select 1 from sms_opt_out o where o.phone_bidx = m.phone_bidx) as opted_out
          from member m
         where m.id = ${memberId}`,
  );
  return { hasPhone: row?.has_phone ?? false, optedOut: row?.opted_out ?? false };
}

export async function contactById(handle: Handle, id: string) {
  const [row] = await queryRows<ContactRow>(handle, sql`${CONTACT_SELECT} where c.id = ${id}`);
  return row ?? null;
}

// ---------------------------------------------------------------------------------------------
// Schedules (定时 per org)

export async function schedulesUnder(handle: Handle, path: string) {
  return queryRows<{
    org_id: string;
    org_name: string;
    category: ContactCategory;
    interval_months: number;
  }>(
    handle,
    sql`select cs.org_id, o.name as org_name, cs.category, cs.interval_months
          from contact_schedule cs join org o on o.id = cs.org_id
         where o.path like ${path + '%'}
         order by o.depth, o.name, o.id, cs.category`,
  );
}

export async function scheduleOf(handle: Handle, orgId: string, category: string) {
  const [row] = await queryRows<{ interval_months: number }>(
    handle,
    sql`select interval_months from contact_schedule where org_id = ${orgId} and category = ${category}`,
  );
  return row ?? null;
}

export async function setSchedule(
  tx: Tx,
  v: { orgId: string; category: string; intervalMonths: number | null; by: string; at: Date },
) {
  if (v.intervalMonths === null) {
    await tx.execute(
      sql`delete from contact_schedule where org_id = ${v.orgId} and category = ${v.category}`,
    );
    return;
  }
  await tx.execute(
    sql`insert into contact_schedule (org_id, category, interval_months, updated_by, updated_at)
        values (${v.orgId}, ${v.category}, ${v.intervalMonths}, ${v.by}, ${v.at.toISOString()}::timestamptz)
        on conflict (org_id, category) do update
          set interval_months = excluded.interval_months, updated_by = excluded.updated_by,
              updated_at = excluded.updated_at`,
  );
}

/** An org with whether it lies in the scope (one query: missing and out of scope alike). */
export async function orgInScope(handle: Handle, orgId: string, scopePath: string) {
  const [row] = await queryRows<{ id: string; name: string; path: string; in_scope: boolean }>(
    handle,
    sql`select id, name, path, path like ${scopePath + '%'} as in_scope from org where id = ${orgId}`,
  );
  return row ?? null;
}
