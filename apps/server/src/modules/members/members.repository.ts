import { and, asc, desc, eq, gt, ilike, inArray, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { CLOSED_MOBILITY_STATUSES } from '@liudong/domain';
import {
  account,
  auditLog,
  member,
  mobility,
  mobilityTransition,
  org,
  region,
} from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { withinScope } from '../../platform/actor';
import { escapeLike, type Db, type Tx } from '../../platform/db';
import { orgIdsUnder } from '../orgs/orgs.repository';

export type MemberRow = typeof member.$inferSelect;
export type MemberInsert = typeof member.$inferInsert;
type Handle = Db | Tx;

/** A member with what the service needs to decide: the home org and on which side it is seen. */
export interface MemberInScope {
  member: MemberRow;
  orgName: string | null;
  /** The member's org of affiliation is in the scope: the actor's side owns the record. */
  homeInScope: boolean;
  /** An open mobility is hosted by an org in the scope: read-only, masked (SECURITY.md 9). */
  hostInScope: boolean;
}

const closedStatuses = sql.join(
  CLOSED_MOBILITY_STATUSES.map((s) => sql`${s}`),
  sql`, `,
);

// The scope predicates are written with the outer tables' names spelled out ("member", "org"):
// Drizzle renders `${member.id}` unqualified in select fields, where inside a subquery it would
// bind to the subquery's own row (see orgs.repository.ts). Every query below selects from
// "member" left-joined to its home "org" under those names.

/**
 * The path-prefix predicate of `withinScope` (platform/actor.ts), for the actor's scope or for a
 * subtree inside it (the `orgId` filter).
 */
function under(path: string, column: SQL): SQL {
  return withinScope({ orgPath: path } as Actor, column);
}

/** Home side: the org of affiliation lies under `path` (a member without an org: never). */
function homeUnder(path: string): SQL {
  return sql`coalesce(${under(path, sql`"org"."path"`)}, false)`;
}

/**
 * Host side: an open mobility (not returned/transferred/ended) whose host org lies under `path` —
 * inflow members, and outflow members checked in at a host or mobile Party org there.
 */
function hostUnder(path: string): SQL {
  return sql`exists (select 1 from mobility mb join org h on h.id = mb.host_org_id
    where mb.member_id = "member"."id" and mb.status not in (${closedStatuses})
      and ${under(path, sql`h.path`)})`;
}

/**
 * What a scope (or, for the `orgId` filter, a subtree inside it) sees: members of its orgs and
 * members hosted there. Always in the SQL, never filtered in Node (ARCHITECTURE.md).
 */
function visibleUnder(path: string): SQL {
  return sql`(${homeUnder(path)} or ${hostUnder(path)})`;
}

function openMobility(direction?: 'outflow' | 'inflow'): SQL {
  return sql`exists (select 1 from mobility mb where mb.member_id = "member"."id"
    and mb.status not in (${closedStatuses})${direction ? sql` and mb.direction = ${direction}` : sql``})`;
}

function scopeFields(actor: Actor) {
  return {
    member,
    orgName: org.name,
    homeInScope: sql<boolean>`${homeUnder(actor.orgPath)}`,
    hostInScope: sql<boolean>`${hostUnder(actor.orgPath)}`,
  };
}

/**
 * Loads a member and says on which side, if any, it lies in the actor's scope, in one query, so
 * the caller answers "not found" for a missing and an out-of-scope id alike and still logs the
 * latter (SECURITY.md 9).
 */
export async function findWithScope(
  db: Handle,
  actor: Actor,
  id: string,
): Promise<MemberInScope | null> {
  const [row] = await db
    .select(scopeFields(actor))
    .from(member)
    .leftJoin(org, eq(org.id, member.orgId))
    .where(eq(member.id, id));
  return row ?? null;
}

/** The owner's copy, locked for an edit: only the home side may change a record. */
export async function findOwnedForUpdate(tx: Tx, actor: Actor, id: string) {
  const [row] = await tx
    .select({ member })
    .from(member)
    .innerJoin(org, eq(org.id, member.orgId))
    .where(and(eq(member.id, id), homeUnder(actor.orgPath)))
    .for('update', { of: member });
  return row?.member ?? null;
}

/** Who already holds an ID number, and whether the actor may know the name (SECURITY.md 9). */
export async function findByIdNumberBidx(db: Handle, actor: Actor, bidx: string) {
  const [row] = await db
    .select({
      id: member.id,
      name: member.name,
      visible: sql<boolean>`${visibleUnder(actor.orgPath)}`,
    })
    .from(member)
    .leftJoin(org, eq(org.id, member.orgId))
    .where(eq(member.idNumberBidx, bidx));
  return row ?? null;
}

export type MemberSearch =
  | { kind: 'idNumberBidx'; value: string }
  | { kind: 'phoneBidx'; value: string }
  | { kind: 'pinyin'; value: string }
  | { kind: 'name'; value: string };

export type MemberKeyset =
  | { sort: 'name'; after?: { namePinyin: string; id: string } | undefined }
  | { sort: 'joinedOn'; after?: { joinedOn: string | null; id: string } | undefined };

function searchCondition(s: MemberSearch): SQL {
  switch (s.kind) {
    case 'idNumberBidx':
      return eq(member.idNumberBidx, s.value);
    case 'phoneBidx':
      return eq(member.phoneBidx, s.value);
    case 'pinyin': {
      const prefix = `${escapeLike(s.value.toLowerCase())}%`;
      return or(
        sql`${member.namePinyin} like ${prefix}`,
        sql`${member.nameInitials} like ${prefix}`,
      )!;
    }
    case 'name':
      // A substring, case-insensitive: ILIKE decides. It cannot use an index, so the GIN index on
      // the name's characters (member_name_chars_idx) finds the candidates first: every character
      // of the text occurs in a matching name. Both sides are lower-cased as ILIKE does in a UTF-8
      // database, so the index never drops a match (issue 5).
      return and(
        sql`string_to_array(lower(${member.name}), null) @> string_to_array(lower(${s.value}::text), null)`,
        ilike(member.name, `%${escapeLike(s.value)}%`),
      )!;
  }
}

/**
 * Keyset pagination (SECURITY.md 27): the next page starts strictly after the last row's sort
 * key, so rows inserted or deleted meanwhile never make a row appear twice.
 */
function keysetCondition(k: MemberKeyset): SQL | undefined {
  if (!k.after) return undefined;
  if (k.sort === 'name')
    return sql`(${member.namePinyin}, ${member.id}) > (${k.after.namePinyin}, ${k.after.id})`;
  // joined_on desc nulls last, then id ascending.
  const { joinedOn, id } = k.after;
  if (joinedOn === null) return sql`(${member.joinedOn} is null and ${member.id} > ${id})`;
  return sql`(${member.joinedOn} < ${joinedOn} or (${member.joinedOn} = ${joinedOn} and ${member.id} > ${id}) or ${member.joinedOn} is null)`;
}

/**
 * A page of the members visible under the actor's scope (and the `orgId` filter), with the
 * filters, in keyset order.
 *
 * A large scope (a province) holds most members: the query starts from the search (the name's
 * characters, a pinyin prefix, a blind index) or the sort order and checks the scope row by row.
 * A smaller scope is where the query starts: `home or hosted` in one WHERE cannot start from
 * either side, so its two sides are two branches, each from its orgs (member_org_idx,
 * mobility_host_org_idx) or the search, each sorted and cut to the page size, and the page is the
 * first rows of their union; a member seen from both sides is listed once (`in`). Issue 5.
 */
export async function list(
  db: Handle,
  actor: Actor,
  opts: {
    search?: MemberSearch | undefined;
    /** Path of the `orgId` filter (already checked to be inside the scope). */
    underPath?: string | undefined;
    membership?: string | undefined;
    mobility?: 'outflow' | 'inflow' | 'none' | undefined;
    keyset: MemberKeyset;
    limit: number;
  },
) {
  // The narrower of the two scopes drives; the actor's scope stays a condition of every row.
  const path = opts.underPath ?? actor.orgPath;
  const filters: (SQL | undefined)[] = [];
  if (opts.underPath) filters.push(visibleUnder(actor.orgPath));
  if (opts.search) filters.push(searchCondition(opts.search));
  if (opts.membership) filters.push(eq(member.membership, opts.membership));
  if (opts.mobility === 'none') filters.push(sql`not ${openMobility()}`);
  else if (opts.mobility) filters.push(openMobility(opts.mobility));
  filters.push(keysetCondition(opts.keyset));
  const order =
    opts.keyset.sort === 'name'
      ? [asc(member.namePinyin), asc(member.id)]
      : [sql`${member.joinedOn} desc nulls last`, asc(member.id)];
  const pageSize = opts.limit + 1;
  // The ids of a page from one side of the scope (or the whole scope), sorted and cut.
  const idsOf = (side: SQL) =>
    db
      .select({ id: member.id })
      .from(member)
      .leftJoin(org, eq(org.id, member.orgId))
      .where(and(side, ...filters))
      .orderBy(...order)
      .limit(pageSize);

  const orgIds = await orgIdsUnder(db, path);
  let candidates: SQL;
  if (orgIds) {
    const named = sql`${orgIds}::uuid[]`;
    const home = idsOf(sql`${member.orgId} = any(${named})`);
    const hosted = idsOf(
      sql`${member.id} in (select mb.member_id from mobility mb
        where mb.host_org_id = any(${named}) and mb.status not in (${closedStatuses}))`,
    );
    candidates = sql`${home} union all ${hosted}`;
  } else {
    candidates = sql`${idsOf(visibleUnder(path))}`;
  }
  // The fields, with the two scope flags, are computed for the page's rows only. The scope is
  // checked again on them: named org ids were read a moment before, and an org may have moved
  // since (never a row outside the scope: SECURITY.md 9).
  return db
    .select(scopeFields(actor))
    .from(member)
    .leftJoin(org, eq(org.id, member.orgId))
    .where(and(sql`${member.id} in (${candidates})`, visibleUnder(path)))
    .orderBy(...order)
    .limit(pageSize);
}

const r1 = alias(region, 'r1');
const r2 = alias(region, 'r2');
const r3 = alias(region, 'r3');
const homeOrg = alias(org, 'home_org');
const hostOrg = alias(org, 'host_org');

/**
 * The region a mobility is shown at: the destination, or for an inflow the member's home region
 * (written, or the home org's when the home org is ours).
 */
const shownRegionCode = sql`case when ${mobility.direction} = 'inflow'
  then coalesce(${mobility.homeRegionCode}, ${homeOrg.regionCode})
  else ${mobility.destinationRegionCode} end`;

const mobilityFields = {
  id: mobility.id,
  memberId: mobility.memberId,
  direction: mobility.direction,
  status: mobility.status,
  leftOn: mobility.leftOn,
  destinationRegionCode: mobility.destinationRegionCode,
  regionName: r1.name,
  regionParentName: r2.name,
  regionGrandparentName: r3.name,
  hostOrgName: sql<string | null>`coalesce(${hostOrg.name}, ${mobility.hostOrgText})`,
};

/**
 * The latest open mobility of each member of a page, with its place names, in one query
 * (no N+1: one follow-up query for the page's ids).
 */
export async function openMobilitiesOf(db: Handle, memberIds: string[]) {
  if (memberIds.length === 0) return [];
  return db
    .selectDistinctOn([mobility.memberId], mobilityFields)
    .from(mobility)
    .leftJoin(homeOrg, eq(homeOrg.id, mobility.homeOrgId))
    .leftJoin(hostOrg, eq(hostOrg.id, mobility.hostOrgId))
    .leftJoin(r1, sql`${r1.code} = ${shownRegionCode}`)
    .leftJoin(r2, eq(r2.code, r1.parentCode))
    .leftJoin(r3, eq(r3.code, r2.parentCode))
    .where(
      and(
        inArray(mobility.memberId, memberIds),
        notInArray(mobility.status, [...CLOSED_MOBILITY_STATUSES]),
      ),
    )
    .orderBy(mobility.memberId, desc(mobility.leftOn), desc(mobility.createdAt));
}

/**
 * Every mobility of one member, newest first. `hostedUnder` keeps only the episodes hosted in
 * that subtree: the host side sees its own episodes, not the member's whole history.
 */
export async function mobilitiesOf(db: Handle, memberId: string, hostedUnder?: string) {
  const where: SQL[] = [eq(mobility.memberId, memberId)];
  if (hostedUnder) where.push(under(hostedUnder, sql`${hostOrg.path}`));
  return db
    .select({
      ...mobilityFields,
      registeredOn: mobility.registeredOn,
      version: mobility.version,
      employer: mobility.employer,
      industry: mobility.industry,
      unitType: mobility.unitType,
      originalOccupation: mobility.originalOccupation,
      reason: mobility.reason,
      reasonNote: mobility.reasonNote,
      expectedMonths: mobility.expectedMonths,
      mobilityRange: mobility.mobilityRange,
      homeOrgName: sql<string | null>`coalesce(${homeOrg.name}, ${mobility.homeOrgText})`,
      checkedInOn: mobility.checkedInOn,
      hostContact: mobility.hostContact,
      endedOn: mobility.endedOn,
      endNote: mobility.endNote,
      destinationAddressEnc: mobility.destinationAddressEnc,
    })
    .from(mobility)
    .leftJoin(homeOrg, eq(homeOrg.id, mobility.homeOrgId))
    .leftJoin(hostOrg, eq(hostOrg.id, mobility.hostOrgId))
    .leftJoin(r1, sql`${r1.code} = ${shownRegionCode}`)
    .leftJoin(r2, eq(r2.code, r1.parentCode))
    .leftJoin(r3, eq(r3.code, r2.parentCode))
    .where(and(...where))
    .orderBy(desc(mobility.leftOn), desc(mobility.createdAt), asc(mobility.id));
}

/** The timelines of several mobilities in one query, oldest step first. */
export async function transitionsOf(db: Handle, mobilityIds: string[]) {
  if (mobilityIds.length === 0) return [];
  return db
    .select({
      mobilityId: mobilityTransition.mobilityId,
      fromStatus: mobilityTransition.fromStatus,
      toStatus: mobilityTransition.toStatus,
      at: mobilityTransition.at,
      actorName: account.displayName,
      note: mobilityTransition.note,
    })
    .from(mobilityTransition)
    .leftJoin(account, eq(account.id, mobilityTransition.actorAccountId))
    .where(inArray(mobilityTransition.mobilityId, mobilityIds))
    .orderBy(asc(mobilityTransition.at), asc(mobilityTransition.id));
}

/** Inserts unless the ID number is already registered (a concurrent twin): null then. */
export async function insertMember(tx: Tx, values: MemberInsert) {
  const [row] = await tx
    .insert(member)
    .values(values)
    .onConflictDoNothing({ target: member.idNumberBidx })
    .returning();
  return row ?? null;
}

/** Updates when the version still matches (optimistic locking, SECURITY.md 26); null otherwise. */
export async function updateMember(
  tx: Tx,
  id: string,
  version: number,
  values: Partial<MemberInsert>,
  at: Date,
) {
  const [row] = await tx
    .update(member)
    .set({ ...values, version: version + 1, updatedAt: at })
    .where(and(eq(member.id, id), eq(member.version, version)))
    .returning();
  return row ?? null;
}

/** Audit records of one action by one account since a moment (the reveal burst rule). */
export async function countAudit(tx: Tx, accountId: string, action: string, since: Date) {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.action, action),
        eq(auditLog.actorAccountId, accountId),
        gt(auditLog.at, since),
      ),
    );
  return row?.n ?? 0;
}

/** True for the unique-index violation on the ID number's blind index (a lost race). */
export function isDuplicateIdNumber(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown; cause?: unknown };
  const c = (e.cause ?? e) as { code?: unknown; constraint?: unknown };
  return c.code === '23505' && c.constraint === 'member_id_number_bidx_key';
}
