import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
  CLOSED_MOBILITY_STATUSES,
  ROLES,
  ROLE_PERMISSIONS,
  type CensusTaskStatus,
} from '@liudong/domain';
import {
  account,
  censusCampaign,
  censusTask,
  liaison,
  member,
  mobility,
  org,
  region,
} from '../../db/schema';
import { escapeLike, queryRows, type Db, type Tx } from '../../platform/db';
import type { MemberSearch } from '../members/members.repository';

export type CampaignRow = typeof censusCampaign.$inferSelect;
export type CampaignInsert = typeof censusCampaign.$inferInsert;
export type TaskRow = typeof censusTask.$inferSelect;
type Handle = Db | Tx;

const closedStatuses = sql.join(
  CLOSED_MOBILITY_STATUSES.map((s) => sql`${s}`),
  sql`, `,
);

const campaignOrg = alias(org, 'campaign_org');
const opener = alias(account, 'opener');
const taskOrg = alias(org, 'task_org');
const verifier = alias(account, 'verifier');
const r1 = alias(region, 'r1');
const r2 = alias(region, 'r2');
const r3 = alias(region, 'r3');

// As in the other repositories, predicates inside select fields name their tables explicitly
// ("campaign_org", "task_org"): Drizzle renders columns unqualified there. Paths hold only uuid
// characters and '/', so they need no LIKE escaping.
const prefix = (path: string) => `${path}%`;
/** The campaign's org is the actor's org or below it: the actor runs or oversees it. */
const campaignInScope = (scope: string) => sql`("campaign_org"."path" like ${prefix(scope)})`;
/**
 * A campaign is seen by its own subtree's officers and from below by everyone whose org lies in
 * its subtree (a branch officer works the county's campaign: issue 4 §5).
 */
const campaignVisible = (scope: string) =>
  sql`(${campaignInScope(scope)} or ${scope} like ("campaign_org"."path" || '%'))`;

function campaignFields(scope: string) {
  return {
    campaign: censusCampaign,
    orgName: campaignOrg.name,
    orgPath: campaignOrg.path,
    openedByName: opener.displayName,
    orgInScope: sql<boolean>`${campaignInScope(scope)}`,
    visible: sql<boolean>`${campaignVisible(scope)}`,
  };
}

function campaignQuery(handle: Handle, scope: string) {
  return handle
    .select(campaignFields(scope))
    .from(censusCampaign)
    .innerJoin(campaignOrg, eq(campaignOrg.id, censusCampaign.orgId))
    .leftJoin(opener, eq(opener.id, censusCampaign.openedBy));
}

export type CampaignListRow = Awaited<ReturnType<typeof campaignQuery>>[number];

/**
 * One campaign with where it lies relative to the actor's scope, in one query: the caller answers
 * a missing and an invisible one alike (SECURITY.md 9).
 */
export async function findCampaign(handle: Handle, scope: string, id: string) {
  const [row] = await campaignQuery(handle, scope).where(eq(censusCampaign.id, id));
  return row ?? null;
}

/** Visible campaigns, latest start first, keyset-paginated on (starts_on, id) (SECURITY.md 27). */
export async function listCampaigns(
  handle: Handle,
  scope: string,
  f: { after?: { startsOn: string; id: string } | undefined; limit: number },
) {
  const where: SQL[] = [campaignVisible(scope)];
  if (f.after)
    where.push(
      sql`("census_campaign"."starts_on", "census_campaign"."id") < (${f.after.startsOn}::date, ${f.after.id}::uuid)`,
    );
  return campaignQuery(handle, scope)
    .where(and(...where))
    .orderBy(desc(censusCampaign.startsOn), desc(censusCampaign.id))
    .limit(f.limit + 1);
}

/** The open campaign of an org, if any (one at a time per org: see the service). */
export async function openCampaignOf(handle: Handle, orgId: string) {
  const [row] = await handle
    .select({ id: censusCampaign.id, name: censusCampaign.name, startsOn: censusCampaign.startsOn })
    .from(censusCampaign)
    .where(and(eq(censusCampaign.orgId, orgId), eq(censusCampaign.status, 'open')))
    .limit(1);
  return row ?? null;
}

/** The org row, locked: two officers opening a campaign for the same org queue here. */
export async function lockOrg(tx: Tx, id: string) {
  const [row] = await tx
    .select({ id: org.id, name: org.name, path: org.path })
    .from(org)
    .where(eq(org.id, id))
    .for('update');
  return row ?? null;
}

export async function insertCampaign(tx: Tx, values: CampaignInsert) {
  const [row] = await tx.insert(censusCampaign).values(values).returning();
  return row!;
}

/**
 * One verification task per mobile member of the subtree, in ONE set-based statement however
 * many members (issue 4 §5): every open outflow whose home org is in the subtree (the home org
 * is responsible), and every open inflow hosted in the subtree whose home org is not in it (the
 * host org is; an inflow whose home org is inside is the same person's outflow, already
 * counted). Exactly the dashboard's notion of outbound and inbound. A member with two open
 * episodes gets one task: the outflow first, else the latest arrival.
 */
export async function insertTasks(tx: Tx, campaignId: string, scope: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    tx,
    sql`with ins as (
      insert into census_task (campaign_id, member_id, mobility_id, org_id)
      select distinct on (x.member_id) ${campaignId}::uuid, x.member_id, x.mobility_id, x.org_id
        from (
          select mb.member_id, mb.id as mobility_id, mb.home_org_id as org_id, 0 as pri, mb.left_on
            from mobility mb join org home on home.id = mb.home_org_id
           where mb.direction = 'outflow' and mb.status not in (${closedStatuses})
             and home.path like ${prefix(scope)}
          union all
          select mb.member_id, mb.id, mb.host_org_id, 1, mb.left_on
            from mobility mb
            join org host on host.id = mb.host_org_id
            left join org home on home.id = mb.home_org_id
           where mb.direction = 'inflow' and mb.status not in (${closedStatuses})
             and host.path like ${prefix(scope)}
             and (home.path is null or home.path not like ${prefix(scope)})
        ) x
       order by x.member_id, x.pri, x.left_on desc, x.mobility_id
      returning 1
    )
    select count(*)::int as n from ins`,
  );
  return Number(row?.n ?? 0);
}

/** Roles that work census tasks (contact.log), as SQL literals. */
const workingRoles = sql.join(
  ROLES.filter((r) => ROLE_PERMISSIONS[r].includes('contact.log')).map((r) => sql`${r}`),
  sql`, `,
);

/**
 * Tells everyone who works tasks at an org with tasks (branch officers, liaisons …) that the
 * campaign has started, in one statement; exactly once per account and campaign.
 */
export async function notifyTaskOrgs(
  tx: Tx,
  c: { id: string; name: string; startsOn: string; endsOn: string; openedBy: string },
) {
  await tx.execute(sql`
    insert into notification (account_id, kind, title, body, link, dedupe_key)
    select distinct rg.account_id, 'census', ${`摸排开始：${c.name}`},
           ${`${c.startsOn} 至 ${c.endsOn}，请核实本组织流动党员的去向并登记核实结果。`},
           ${`/census/${c.id}`}, 'census:' || ${c.id} || ':' || rg.account_id
      from role_grant rg
      join account a on a.id = rg.account_id and a.disabled_at is null
     where rg.role in (${workingRoles}) and rg.account_id <> ${c.openedBy}::uuid
       and rg.org_id in (select distinct org_id from census_task where campaign_id = ${c.id}::uuid)
    on conflict (dedupe_key) do nothing`);
}

export interface CountsRow {
  total: number;
  pending: number;
  unchanged: number;
  changed: number;
  unreachable: number;
}

const countColumns = sql`count(*)::int as total,
  count(*) filter (where t.status = 'pending')::int as pending,
  count(*) filter (where t.status = 'unchanged')::int as unchanged,
  count(*) filter (where t.status = 'changed')::int as changed,
  count(*) filter (where t.status = 'unreachable')::int as unreachable`;

const toCounts = (r: CountsRow): CountsRow => ({
  total: Number(r.total),
  pending: Number(r.pending),
  unchanged: Number(r.unchanged),
  changed: Number(r.changed),
  unreachable: Number(r.unreachable),
});

export const EMPTY_COUNTS: CountsRow = {
  total: 0,
  pending: 0,
  unchanged: 0,
  changed: 0,
  unreachable: 0,
};

/**
 * Counts per status of several campaigns, only over tasks whose org lies under `scope`: what is
 * out of the actor's scope is not counted (SECURITY.md 9). One grouped query for a page.
 */
export async function countsByCampaign(handle: Handle, campaignIds: string[], scope: string) {
  if (campaignIds.length === 0) return new Map<string, CountsRow>();
  const rows = await queryRows<CountsRow & { campaign_id: string }>(
    handle,
    sql`select t.campaign_id, ${countColumns}
          from census_task t join org o on o.id = t.org_id
         where t.campaign_id in (${sql.join(
           campaignIds.map((id) => sql`${id}::uuid`),
           sql`, `,
         )})
           and o.path like ${prefix(scope)}
         group by t.campaign_id`,
  );
  return new Map(rows.map((r) => [r.campaign_id, toCounts(r)]));
}

/**
 * Progress per org directly under `base` (an org path), and `base`'s own tasks: each task counts
 * for the child of `base` on its org's path. SQL aggregates only (never rows into Node).
 */
export async function progressByOrg(
  handle: Handle,
  campaignId: string,
  base: { id: string; path: string },
) {
  const rows = await queryRows<CountsRow & { org_id: string; org_name: string }>(
    handle,
    sql`select g.group_id as org_id, og.name as org_name, g.total, g.pending, g.unchanged,
               g.changed, g.unreachable
          from (
            select coalesce(nullif(split_part(substr(o.path, ${base.path.length + 1}), '/', 1), ''),
                            ${base.id}) as group_id,
                   ${countColumns}
              from census_task t join org o on o.id = t.org_id
             where t.campaign_id = ${campaignId}::uuid and o.path like ${prefix(base.path)}
             group by 1
          ) g
          join org og on og.id = g.group_id::uuid
         order by (og.id = ${base.id}::uuid) desc, og.name collate "C", og.id`,
  );
  return rows.map((r) => ({ orgId: r.org_id, orgName: r.org_name, ...toCounts(r) }));
}

/** The campaign, locked for a change (the version is checked by the caller). */
export async function lockCampaign(tx: Tx, id: string, mode: 'update' | 'share' = 'update') {
  const [row] = await tx.select().from(censusCampaign).where(eq(censusCampaign.id, id)).for(mode);
  return row ?? null;
}

/** Optimistic locking (SECURITY.md 26): null when the version moved on. */
export async function updateCampaign(
  tx: Tx,
  id: string,
  version: number,
  values: Partial<CampaignInsert>,
) {
  const [row] = await tx
    .update(censusCampaign)
    .set({ ...values, version: version + 1 })
    .where(and(eq(censusCampaign.id, id), eq(censusCampaign.version, version)))
    .returning();
  return row ?? null;
}

// ---------------------------------------------------------------------------------------------
// Tasks

function taskFields(scope: string) {
  return {
    task: censusTask,
    memberName: member.name,
    namePinyin: member.namePinyin,
    phoneEnc: member.phoneEnc,
    orgName: taskOrg.name,
    orgPath: taskOrg.path,
    direction: mobility.direction,
    mobilityStatus: mobility.status,
    mobilityVersion: mobility.version,
    destinationRegionCode: mobility.destinationRegionCode,
    employer: mobility.employer,
    regionName: r1.name,
    regionParentName: r2.name,
    regionGrandparentName: r3.name,
    verifiedByName: verifier.displayName,
    inScope: sql<boolean>`("task_org"."path" like ${prefix(scope)})`,
  };
}

function taskQuery(handle: Handle, scope: string) {
  return handle
    .select(taskFields(scope))
    .from(censusTask)
    .innerJoin(member, eq(member.id, censusTask.memberId))
    .innerJoin(taskOrg, eq(taskOrg.id, censusTask.orgId))
    .leftJoin(mobility, eq(mobility.id, censusTask.mobilityId))
    .leftJoin(r1, eq(r1.code, mobility.destinationRegionCode))
    .leftJoin(r2, eq(r2.code, r1.parentCode))
    .leftJoin(r3, eq(r3.code, r2.parentCode))
    .leftJoin(verifier, eq(verifier.id, censusTask.verifiedBy));
}

export type TaskListRow = Awaited<ReturnType<typeof taskQuery>>[number];

/** One task of the campaign with whether its org lies in the actor's scope. */
export async function findTask(handle: Handle, scope: string, campaignId: string, id: string) {
  const [row] = await taskQuery(handle, scope).where(
    and(eq(censusTask.id, id), eq(censusTask.campaignId, campaignId)),
  );
  return row ?? null;
}

function searchCondition(s: MemberSearch): SQL {
  switch (s.kind) {
    case 'idNumberBidx':
      return eq(member.idNumberBidx, s.value);
    case 'phoneBidx':
      return eq(member.phoneBidx, s.value);
    case 'pinyin': {
      const p = `${escapeLike(s.value.toLowerCase())}%`;
      return sql`(${member.namePinyin} like ${p} or ${member.nameInitials} like ${p})`;
    }
    case 'name':
      return sql`${member.name} ilike ${`%${escapeLike(s.value)}%`}`;
  }
}

/**
 * Two orders: by name (the working list, like the member list) or by org, then name (the
 * register, where each org's members stand together). Keyset on the whole sort key.
 */
export type TaskKeyset =
  | { sort: 'name'; after?: { namePinyin: string; id: string } | undefined }
  | { sort: 'org'; after?: { orgPath: string; namePinyin: string; id: string } | undefined };

export interface TaskFilter {
  /** Only tasks whose org lies here (already checked to be inside the scope). */
  underPath?: string | undefined;
  status?: CensusTaskStatus | undefined;
  search?: MemberSearch | undefined;
  keyset: TaskKeyset;
  limit: number;
}

/** The campaign's tasks in the actor's subtree only, scoped in the SQL. */
export async function listTasks(handle: Handle, scope: string, campaignId: string, f: TaskFilter) {
  const where: (SQL | undefined)[] = [
    eq(censusTask.campaignId, campaignId),
    sql`"task_org"."path" like ${prefix(scope)}`,
  ];
  if (f.underPath) where.push(sql`"task_org"."path" like ${prefix(f.underPath)}`);
  if (f.status) where.push(eq(censusTask.status, f.status));
  if (f.search) where.push(searchCondition(f.search));
  const k = f.keyset;
  if (k.sort === 'name' && k.after)
    where.push(
      sql`(${member.namePinyin}, ${censusTask.id}) > (${k.after.namePinyin}, ${k.after.id}::uuid)`,
    );
  if (k.sort === 'org' && k.after)
    where.push(
      sql`("task_org"."path", ${member.namePinyin}, ${censusTask.id}) > (${k.after.orgPath}, ${k.after.namePinyin}, ${k.after.id}::uuid)`,
    );
  const order =
    k.sort === 'name'
      ? [asc(member.namePinyin), asc(censusTask.id)]
      : [asc(taskOrg.path), asc(member.namePinyin), asc(censusTask.id)];
  return taskQuery(handle, scope)
    .where(and(...where))
    .orderBy(...order)
    .limit(f.limit + 1);
}

/** The task, locked for a change (the version is checked by the caller). */
export async function lockTask(tx: Tx, id: string) {
  const [row] = await tx.select().from(censusTask).where(eq(censusTask.id, id)).for('update');
  return row ?? null;
}

export async function updateTask(
  tx: Tx,
  id: string,
  version: number,
  values: Partial<typeof censusTask.$inferInsert>,
) {
  const [row] = await tx
    .update(censusTask)
    .set({ ...values, version: version + 1 })
    .where(and(eq(censusTask.id, id), eq(censusTask.version, version)))
    .returning();
  return row ?? null;
}

/** The actor's own liaison record, when they are one: a contact names who made it. */
export async function liaisonOfAccount(handle: Handle, accountId: string) {
  const [row] = await handle
    .select({ id: liaison.id })
    .from(liaison)
    .where(and(eq(liaison.accountId, accountId), eq(liaison.active, true)));
  return row?.id ?? null;
}

/** Any org (for the names of an `orgId` filter and of the progress base). */
export async function orgById(handle: Handle, id: string) {
  const [row] = await handle
    .select({ id: org.id, name: org.name, path: org.path, dissolvedOn: org.dissolvedOn })
    .from(org)
    .where(eq(org.id, id));
  return row ?? null;
}
