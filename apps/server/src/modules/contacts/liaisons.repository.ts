import { sql, type SQL } from 'drizzle-orm';
import type { ContactSettings } from '@liudong/contracts';
import {
  CLOSED_MOBILITY_STATUSES,
  SEPARATED_ADMIN_ROLES,
  type ContactCategory,
  type Role,
} from '@liudong/domain';
import { escapeLike, queryRows, type Db, type Tx } from '../../platform/db';
import { ABROAD_SQL, effectiveIntervalSql } from './contacts.repository';

type Handle = Db | Tx;

const closedStatuses = sql.join(
  CLOSED_MOBILITY_STATUSES.map((s) => sql`${s}`),
  sql`, `,
);

/** The liaison's phone: its own AES-GCM context, named after the column (SECURITY.md 15). */
export const LIAISON_PHONE_CONTEXT = 'liaison.phone';

/** The end reason written when a member gets another liaison (kept in the history). */
export const REASSIGNED = '改派联络员';

export interface LiaisonRow {
  id: string;
  org_id: string;
  org_name: string;
  org_path: string;
  account_id: string | null;
  username: string | null;
  name: string;
  title: string | null;
  phone_enc: string | null;
  active: boolean;
  left_on: string | null;
  member_count: number;
  version: number;
  in_scope: boolean;
}

const LIAISON_SELECT = (scopePath: string) => sql`select l.id, l.org_id, o.name as org_name,
    o.path as org_path, l.account_id, ac.username, l.name, l.title, l.phone_enc, l.active,
    l.left_on::text as left_on, l.version,
    (select count(*)::int from liaison_assignment x where x.liaison_id = l.id and x.ended_on is null) as member_count,
    (o.path like ${scopePath + '%'}) as in_scope
  from liaison l join org o on o.id = l.org_id left join account ac on ac.id = l.account_id`;

/** One liaison with whether its org lies in the scope (missing and out of scope alike). */
export async function liaisonWithScope(handle: Handle, id: string, scopePath: string) {
  const [row] = await queryRows<LiaisonRow>(
    handle,
    sql`${LIAISON_SELECT(scopePath)} where l.id = ${id}`,
  );
  return row ?? null;
}

export async function liaisonOfAccount(handle: Handle, accountId: string, scopePath: string) {
  const [row] = await queryRows<LiaisonRow>(
    handle,
    sql`${LIAISON_SELECT(scopePath)} where l.account_id = ${accountId}`,
  );
  return row ?? null;
}

/** The liaisons of a subtree, by name (keyset on name, id). */
export async function listLiaisons(
  handle: Handle,
  opts: {
    path: string;
    q?: string | undefined;
    includeInactive: boolean;
    after?: { name: string; id: string } | undefined;
    limit: number;
  },
) {
  const where: SQL[] = [sql`o.path like ${opts.path + '%'}`];
  if (!opts.includeInactive) where.push(sql`l.active`);
  if (opts.q) {
    const pattern = `%${escapeLike(opts.q)}%`;
    where.push(sql`(l.name ilike ${pattern} or ac.username ilike ${pattern})`);
  }
  if (opts.after) where.push(sql`(l.name, l.id) > (${opts.after.name}, ${opts.after.id}::uuid)`);
  return queryRows<LiaisonRow>(
    handle,
    sql`${LIAISON_SELECT(opts.path)} where ${sql.join(where, sql` and `)}
        order by l.name, l.id limit ${opts.limit + 1}`,
  );
}

const roleList = (roles: readonly Role[]) =>
  sql.join(
    roles.map((r) => sql`${r}`),
    sql`, `,
  );

/**
 * The roles whose holders may be offered as liaisons: the business roles that keep in touch with
 * members. Never one of the 三员 (SECURITY.md 12: their accounts hold no business role at all),
 * and not the org department's admin account, which is not a branch's person.
 */
export const LIAISON_CANDIDATE_ROLES = [
  'liaison',
  'branch_officer',
  'committee_officer',
  'station_staff',
  'mobile_org_secretary',
] as const satisfies readonly Role[];

/**
 * An account that may be named liaison by this actor: it holds a role other than the 三员 ones at
 * an org in the scope (SECURITY.md 9: an account elsewhere answers like a missing one; 12: a
 * system, security or audit administrator is nobody's liaison). Disabled accounts are not.
 */
export async function accountInScope(handle: Handle, accountId: string, scopePath: string) {
  const [row] = await queryRows<{ id: string; display_name: string; in_scope: boolean }>(
    handle,
    sql`select ac.id, ac.display_name,
               exists (select 1 from role_grant g join org go on go.id = g.org_id
                        where g.account_id = ac.id and go.path like ${scopePath + '%'}
                          and g.role not in (${roleList(SEPARATED_ADMIN_ROLES)})) as in_scope
          from account ac where ac.id = ${accountId} and ac.disabled_at is null`,
  );
  return row ?? null;
}

export interface CandidateRow {
  id: string;
  username: string;
  display_name: string;
  org_id: string;
  org_name: string;
  active_liaison: boolean;
}

/**
 * Accounts to offer in 新增联络员 (issue 4 §1): not disabled, holding a business role at an org
 * under `path`, and no 三员 role anywhere. Exact matches first, then prefixes, then the rest; at
 * most `limit`. The org named is where the business role is held: the account's home org if it is
 * one of those, else the deepest.
 */
export async function liaisonCandidates(
  handle: Handle,
  opts: { path: string; q?: string | undefined; limit: number },
) {
  const where: SQL[] = [sql`ac.disabled_at is null`];
  where.push(sql`not exists (select 1 from role_grant x where x.account_id = ac.id
                               and x.role in (${roleList(SEPARATED_ADMIN_ROLES)}))`);
  // Best matches first (a literal 0 would be read as a column position by ORDER BY).
  const order: SQL[] = [];
  if (opts.q) {
    const q = escapeLike(opts.q);
    const inside = `%${q}%`;
    const prefix = `${q}%`;
    where.push(sql`(ac.username ilike ${inside} or ac.display_name ilike ${inside})`);
    order.push(sql`case when lower(ac.username) = lower(${opts.q}) or ac.display_name = ${opts.q} then 0
                    when ac.username ilike ${prefix} or ac.display_name ilike ${prefix} then 1
                    else 2 end`);
  }
  return queryRows<CandidateRow>(
    handle,
    sql`select ac.id, ac.username, ac.display_name, g.org_id, g.org_name,
               exists (select 1 from liaison l where l.account_id = ac.id and l.active) as active_liaison
          from account ac
          cross join lateral (
            select o.id as org_id, o.name as org_name
              from role_grant rg join org o on o.id = rg.org_id
             where rg.account_id = ac.id
               and rg.role in (${roleList(LIAISON_CANDIDATE_ROLES)})
               and o.path like ${opts.path + '%'}
             order by (o.id = ac.home_org_id) desc, length(o.path) desc, o.name
             limit 1
          ) g
         where ${sql.join(where, sql` and `)}
         order by ${sql.join([...order, sql`ac.display_name`, sql`lower(ac.username)`], sql`, `)}
         limit ${opts.limit}`,
  );
}

export async function insertLiaison(
  tx: Tx,
  v: {
    orgId: string;
    accountId: string | null;
    name: string;
    title: string | null;
    phoneEnc: string | null;
    phoneBidx: string | null;
    by: string;
  },
) {
  const [row] = await queryRows<{ id: string }>(
    tx,
    sql`insert into liaison (org_id, account_id, name, title, phone_enc, phone_bidx, created_by)
        values (${v.orgId}, ${v.accountId}, ${v.name}, ${v.title}, ${v.phoneEnc}, ${v.phoneBidx}, ${v.by})
        returning id`,
  );
  return row!.id;
}

/** Optimistic locking (SECURITY.md 26): false when the version moved on. */
export async function updateLiaison(
  tx: Tx,
  id: string,
  version: number,
  set: {
    orgId?: string;
    name?: string;
    title?: string | null;
    phoneEnc?: string | null;
    phoneBidx?: string | null;
    active?: boolean;
    leftOn?: string | null;
  },
  at: Date,
) {
  const parts: SQL[] = [
    sql`version = version + 1`,
    sql`updated_at = ${at.toISOString()}::timestamptz`,
  ];
  if (set.orgId !== undefined) parts.push(sql`org_id = ${set.orgId}`);
  if (set.name !== undefined) parts.push(sql`name = ${set.name}`);
  if (set.title !== undefined) parts.push(sql`title = ${set.title}`);
  if (set.phoneEnc !== undefined) parts.push(sql`phone_enc = ${set.phoneEnc}`);
  if (set.phoneBidx !== undefined) parts.push(sql`phone_bidx = ${set.phoneBidx}`);
  if (set.active !== undefined) parts.push(sql`active = ${set.active}`);
  if (set.leftOn !== undefined) parts.push(sql`left_on = ${set.leftOn}::date`);
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`update liaison set ${sql.join(parts, sql`, `)}
         where id = ${id} and version = ${version} returning id`,
  );
  return rows.length > 0;
}

/**
 * A liaison leaves (issue 4 §1): their open assignments end and the same 三定 (category, own
 * interval, duty) opens for the successor, in one statement. The insert reads the rows the
 * update returns, so each member's old assignment is closed before the new one is written (the
 * one-open-assignment index sees the old row as ended by this transaction).
 */
export async function moveAssignments(
  tx: Tx,
  v: { from: string; to: string; on: string; reason: string; by: string },
) {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`with ended as (
          update liaison_assignment a
             set ended_on = greatest(a.assigned_on, ${v.on}::date), end_reason = ${v.reason},
                 version = a.version + 1
           where a.liaison_id = ${v.from} and a.ended_on is null
       returning a.member_id, a.category, a.interval_months, a.duty, a.ended_on
        )
        insert into liaison_assignment (member_id, liaison_id, category, interval_months, duty, assigned_on, assigned_by)
        select e.member_id, ${v.to}, e.category, e.interval_months, e.duty, e.ended_on, ${v.by}
          from ended e
        returning id`,
  );
  return rows.length;
}

/** Which outbound members a bulk assignment covers: open outflow, home org under `scopePath`. */
export function assignmentTargetSql(opts: {
  scopePath: string;
  memberIds?: string[] | undefined;
  filter?: { path: string; unassignedOnly: boolean; liaisonId?: string | undefined } | undefined;
}): SQL {
  const where: SQL[] = [
    sql`mb.direction = 'outflow'`,
    sql`mb.status not in (${closedStatuses})`,
    sql`ho.path like ${opts.scopePath + '%'}`,
  ];
  // One array parameter, however many ids (3,000 members in one request).
  if (opts.memberIds)
    where.push(sql`mb.member_id = any(${`{${opts.memberIds.join(',')}}`}::uuid[])`);
  if (opts.filter) {
    where.push(sql`ho.path like ${opts.filter.path + '%'}`);
    if (opts.filter.unassignedOnly)
      where.push(
        sql`not exists (select 1 from liaison_assignment x where x.member_id = mb.member_id and x.ended_on is null)`,
      );
    if (opts.filter.liaisonId)
      where.push(
        sql`exists (select 1 from liaison_assignment x where x.member_id = mb.member_id and x.ended_on is null and x.liaison_id = ${opts.filter.liaisonId})`,
      );
  }
  return sql`select mb.member_id, mb.destination_region_code
               from mobility mb join org ho on ho.id = mb.home_org_id
              where ${sql.join(where, sql` and `)}`;
}

/**
 * The bulk assignment (定人, issue 4 §1) as one statement, however many members: the target set
 * is computed once; members with another liaison have that assignment ended (reason 改派联络员)
 * and get a new one, members without one get one, and members already with this liaison are left
 * as they were. The insert reads the ended rows, so every old assignment is closed before its
 * member's new one is written.
 */
export async function assignBulk(
  tx: Tx,
  v: {
    target: SQL;
    liaisonId: string;
    duty: string;
    intervalMonths: number | null;
    category: ContactCategory | null;
    on: string;
    by: string;
  },
) {
  const category = v.category
    ? sql`${v.category}`
    : sql`case when ${ABROAD_SQL(sql`t.destination_region_code`)} then 'abroad' else 'domestic' end`;
  const [row] = await queryRows<{ total: number; assigned: number; ended: number }>(
    tx,
    sql`with target as (${v.target}),
        ended as (
          update liaison_assignment a
             set ended_on = greatest(a.assigned_on, ${v.on}::date), end_reason = ${REASSIGNED},
                 version = a.version + 1
            from target t
           where a.member_id = t.member_id and a.ended_on is null and a.liaison_id <> ${v.liaisonId}
       returning a.member_id
        ),
        inserted as (
          insert into liaison_assignment (member_id, liaison_id, category, interval_months, duty, assigned_on, assigned_by)
          select t.member_id, ${v.liaisonId}, ${category}, ${v.intervalMonths}::int, ${v.duty}, ${v.on}::date, ${v.by}
            from target t
           where t.member_id in (select member_id from ended)
              or not exists (select 1 from liaison_assignment x where x.member_id = t.member_id and x.ended_on is null)
       returning id
        )
        select (select count(*)::int from target) as total,
               (select count(*)::int from inserted) as assigned,
               (select count(*)::int from ended) as ended`,
  );
  return row!;
}

/** How many of the given ids are members at all, and how many of those lie in the scope. */
export async function countMembers(handle: Handle, ids: string[], scopePath: string) {
  const [row] = await queryRows<{ found: number; in_scope: number; first_out: string | null }>(
    handle,
    sql`select count(*)::int as found,
               count(*) filter (where o.path like ${scopePath + '%'} or ho.path like ${scopePath + '%'})::int as in_scope,
               min(m.id::text) filter (where coalesce(o.path like ${scopePath + '%'}, false) = false
                                         and coalesce(ho.path like ${scopePath + '%'}, false) = false) as first_out
          from member m
          left join org o on o.id = m.org_id
          left join lateral (
            select mb.home_org_id from mobility mb
             where mb.member_id = m.id and mb.direction = 'outflow' and mb.status not in (${closedStatuses})
             limit 1) ep on true
          left join org ho on ho.id = ep.home_org_id
         where m.id = any(${`{${ids.join(',')}}`}::uuid[])`,
  );
  return row!;
}

export async function countTargets(handle: Handle, target: SQL) {
  const [row] = await queryRows<{ n: number }>(
    handle,
    sql`select count(*)::int as n from (${target}) t`,
  );
  return row!.n;
}

export interface AssignmentRow {
  id: string;
  member_id: string;
  liaison_id: string;
  liaison_name: string;
  category: ContactCategory;
  interval_months: number | null;
  effective_interval_months: number;
  duty: string;
  assigned_on: string;
  ended_on: string | null;
  version: number;
  /** Home side in scope: the open outflow's home org, else the member's org of affiliation. */
  in_scope: boolean;
}

/**
 * An assignment with its effective interval (the org rule is looked up from the member's home
 * org: the open outflow's, else the org of affiliation).
 */
function assignmentSelect(scopePath: string, settings: ContactSettings) {
  return sql`select a.id, a.member_id, a.liaison_id, l.name as liaison_name, a.category,
      a.interval_months,
      ${effectiveIntervalSql({
        own: sql`a.interval_months`,
        category: sql`a.category`,
        orgPath: sql`coalesce(ho.path, mo.path, '')`,
        settings,
      })} as effective_interval_months,
      a.duty, a.assigned_on::text as assigned_on, a.ended_on::text as ended_on, a.version,
      (coalesce(ho.path, mo.path, '') like ${scopePath + '%'}) as in_scope
    from liaison_assignment a
    join liaison l on l.id = a.liaison_id
    join member m on m.id = a.member_id
    left join org mo on mo.id = m.org_id
    left join lateral (
      select mb.home_org_id from mobility mb
       where mb.member_id = m.id and mb.direction = 'outflow' and mb.status not in (${closedStatuses})
       limit 1) ep on true
    left join org ho on ho.id = ep.home_org_id`;
}

export async function assignmentById(
  handle: Handle,
  id: string,
  scopePath: string,
  settings: ContactSettings,
) {
  const [row] = await queryRows<AssignmentRow>(
    handle,
    sql`${assignmentSelect(scopePath, settings)} where a.id = ${id}`,
  );
  return row ?? null;
}

export async function openAssignmentOf(
  handle: Handle,
  memberId: string,
  scopePath: string,
  settings: ContactSettings,
) {
  const [row] = await queryRows<AssignmentRow>(
    handle,
    sql`${assignmentSelect(scopePath, settings)} where a.member_id = ${memberId} and a.ended_on is null`,
  );
  return row ?? null;
}

export async function updateAssignment(
  tx: Tx,
  id: string,
  version: number,
  set: { duty?: string; intervalMonths?: number | null; category?: ContactCategory },
) {
  const parts: SQL[] = [sql`version = version + 1`];
  if (set.duty !== undefined) parts.push(sql`duty = ${set.duty}`);
  if (set.intervalMonths !== undefined)
    parts.push(sql`interval_months = ${set.intervalMonths}::int`);
  if (set.category !== undefined) parts.push(sql`category = ${set.category}`);
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`update liaison_assignment set ${sql.join(parts, sql`, `)}
         where id = ${id} and version = ${version} and ended_on is null returning id`,
  );
  return rows.length > 0;
}

/** True for a unique violation of the named index (a concurrent write won). */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  for (let e = err as { code?: unknown; constraint?: unknown; cause?: unknown } | undefined; e;) {
    if (e.code === '23505' && e.constraint === constraint) return true;
    e = e.cause as typeof e;
  }
  return false;
}
