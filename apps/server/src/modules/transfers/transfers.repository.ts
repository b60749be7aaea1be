import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { pathIds } from '@liudong/domain';
import { member, org, region, transfer } from '../../db/schema';
import { withinScope, type Actor } from '../../platform/actor';
import { escapeLike, type Db, type Tx } from '../../platform/db';
import { FALLBACK_COUNTY_CODE } from '../certificates/certificates.repository';

export type TransferRow = typeof transfer.$inferSelect;
export type TransferInsert = typeof transfer.$inferInsert;
type Handle = Db | Tx;

const fromOrg = alias(org, 'from_org');
const toOrg = alias(org, 'to_org');
const r1 = alias(region, 'r1');
const r2 = alias(region, 'r2');
const r3 = alias(region, 'r3');

// As in the mobility repository, the scope predicates name the joined tables ("from_org",
// "to_org") explicitly: Drizzle renders columns unqualified inside select fields.
const under = (path: string, column: SQL) => withinScope({ orgPath: path } as Actor, column);
/** The sending side: the org of affiliation when the transfer was requested. */
const fromUnder = (path: string) => sql`coalesce(${under(path, sql`"from_org"."path"`)}, false)`;
/** The receiving side: only when the receiving org is in the system. */
const toUnder = (path: string) => sql`coalesce(${under(path, sql`"to_org"."path"`)}, false)`;
/** A transfer is seen by both sides (issue 3 §5): the sending and the receiving subtree. */
const visibleUnder = (path: string) => sql`(${fromUnder(path)} or ${toUnder(path)})`;

/** Approved, past the letter's last valid day and still without a receipt (DOMAIN.md §3). */
const overdueSql = (today: string) =>
  sql`("transfer"."status" = 'approved' and "transfer"."due_on" < ${today}::date)`;

function fields(actor: Actor) {
  return {
    transfer,
    memberName: member.name,
    fromOrgName: fromOrg.name,
    toOrgName: sql<string>`coalesce("to_org"."name", "transfer"."to_org_text")`,
    regionName: r1.name,
    regionParentName: r2.name,
    regionGrandparentName: r3.name,
    fromInScope: sql<boolean>`${fromUnder(actor.orgPath)}`,
    toInScope: sql<boolean>`${toUnder(actor.orgPath)}`,
  };
}

function baseQuery(handle: Handle, actor: Actor) {
  return handle
    .select(fields(actor))
    .from(transfer)
    .innerJoin(member, eq(member.id, transfer.memberId))
    .innerJoin(fromOrg, eq(fromOrg.id, transfer.fromOrgId))
    .leftJoin(toOrg, eq(toOrg.id, transfer.toOrgId))
    .leftJoin(r1, eq(r1.code, transfer.toRegionCode))
    .leftJoin(r2, eq(r2.code, r1.parentCode))
    .leftJoin(r3, eq(r3.code, r2.parentCode));
}

export type TransferListRow = Awaited<ReturnType<typeof baseQuery>>[number];

/**
 * One transfer with its names and on which side it lies in the actor's scope, in one query, so
 * that a missing and an out-of-scope id are answered alike by the caller (SECURITY.md 9).
 */
export async function findWithScope(handle: Handle, actor: Actor, id: string) {
  const [row] = await baseQuery(handle, actor).where(eq(transfer.id, id));
  return row ?? null;
}

export type TransferSearch = { kind: 'pinyin'; value: string } | { kind: 'text'; value: string };

export interface TransferFilter {
  side?: 'out' | 'in' | undefined;
  status?: string | undefined;
  overdue?: boolean | undefined;
  search?: TransferSearch | undefined;
  memberId?: string | undefined;
  after?: { requestedOn: string; id: string } | undefined;
  limit: number;
}

function searchCondition(s: TransferSearch): SQL {
  if (s.kind === 'pinyin') {
    const prefix = `${escapeLike(s.value.toLowerCase())}%`;
    return sql`(${member.namePinyin} like ${prefix} or ${member.nameInitials} like ${prefix})`;
  }
  const pattern = `%${escapeLike(s.value)}%`;
  return sql`(${member.name} ilike ${pattern} or ${transfer.letterNumber} ilike ${pattern})`;
}

/**
 * The transfer list, scoped in the SQL, newest request first, keyset-paginated (SECURITY.md 27):
 * the next page starts strictly after the last row's (requested_on, id).
 */
export async function list(handle: Handle, actor: Actor, today: string, f: TransferFilter) {
  const where: (SQL | undefined)[] = [visibleUnder(actor.orgPath)];
  if (f.side === 'out') where.push(fromUnder(actor.orgPath));
  if (f.side === 'in') where.push(toUnder(actor.orgPath));
  if (f.status) where.push(eq(transfer.status, f.status));
  if (f.overdue === true) where.push(overdueSql(today));
  if (f.overdue === false) where.push(sql`not ${overdueSql(today)}`);
  if (f.search) where.push(searchCondition(f.search));
  if (f.memberId) where.push(eq(transfer.memberId, f.memberId));
  if (f.after)
    where.push(
      sql`("transfer"."requested_on", "transfer"."id") < (${f.after.requestedOn}::date, ${f.after.id}::uuid)`,
    );
  return baseQuery(handle, actor)
    .where(and(...where))
    .orderBy(desc(transfer.requestedOn), desc(transfer.id))
    .limit(f.limit + 1);
}

/** Locks a transfer for a change (the version is checked by the caller). */
export async function lockForUpdate(tx: Tx, id: string) {
  const [row] = await tx.select().from(transfer).where(eq(transfer.id, id)).for('update');
  return row ?? null;
}

/** The member's open transfer (at most one: transfer_one_open_per_member), or null. */
export async function openTransferOf(handle: Handle, memberId: string) {
  const [row] = await handle
    .select({ id: transfer.id, status: transfer.status, requestedOn: transfer.requestedOn })
    .from(transfer)
    .where(
      and(eq(transfer.memberId, memberId), sql`${transfer.status} in ('requested','approved')`),
    );
  return row ?? null;
}

export async function insertTransfer(tx: Tx, values: TransferInsert) {
  const [row] = await tx.insert(transfer).values(values).returning();
  return row!;
}

/** Optimistic locking (SECURITY.md 26): null when the version moved on. */
export async function updateTransfer(
  tx: Tx,
  id: string,
  version: number,
  values: Partial<TransferInsert>,
  at: Date,
) {
  const [row] = await tx
    .update(transfer)
    .set({ ...values, version: version + 1, updatedAt: at })
    .where(and(eq(transfer.id, id), eq(transfer.version, version)))
    .returning();
  return row ?? null;
}

/** Any org of the system, in scope or not: a destination may lie in another county. */
export async function orgById(handle: Handle, id: string) {
  const [row] = await handle
    .select({
      id: org.id,
      name: org.name,
      shortName: org.shortName,
      path: org.path,
      kind: org.kind,
      dissolvedOn: org.dissolvedOn,
    })
    .from(org)
    .where(eq(org.id, id));
  return row ?? null;
}

/**
 * Who issues the letter for a sending org, from its path (like the certificate's issuers): the
 * county code is the region code of the tree's root (the county-level org department, whose
 * name gives the letter's prefix); the issuing committee printed under the seal is the nearest
 * committee or working committee on the path (基层党委), else the root.
 */
export async function issuersOf(handle: Handle, fromOrgPath: string) {
  const ids = pathIds(fromOrgPath);
  const rows = await handle
    .select({
      id: org.id,
      name: org.name,
      shortName: org.shortName,
      kind: org.kind,
      depth: org.depth,
      regionCode: org.regionCode,
    })
    .from(org)
    .where(inArray(org.id, ids));
  const root = rows.find((r) => r.id === ids[0]);
  const committee = rows
    .filter((r) => r.kind === 'committee' || r.kind === 'working_committee')
    .sort((a, b) => b.depth - a.depth)[0];
  return {
    countyCode: root?.regionCode ?? FALLBACK_COUNTY_CODE,
    countyName: root?.shortName ?? root?.name ?? null,
    issuingOrgName: (committee ?? root)?.name ?? '',
  };
}

/** The member row for the letter (decrypted and masked by the service). */
export async function memberForLetter(handle: Handle, memberId: string) {
  const [row] = await handle
    .select({
      name: member.name,
      gender: member.gender,
      birthDate: member.birthDate,
      ethnicity: member.ethnicity,
      membership: member.membership,
      idNumberEnc: member.idNumberEnc,
    })
    .from(member)
    .where(eq(member.id, memberId));
  return row ?? null;
}

/** The member, locked: a request and a receipt of the same member queue here. */
export async function lockMember(tx: Tx, id: string) {
  const [row] = await tx.select().from(member).where(eq(member.id, id)).for('update');
  return row ?? null;
}

/** True for the violation of `transfer_one_open_per_member` (a concurrent second request). */
export function isSecondOpenTransfer(err: unknown): boolean {
  const e = err as { cause?: unknown };
  const c = (e.cause ?? e) as { code?: unknown; constraint?: unknown };
  return c.code === '23505' && c.constraint === 'transfer_one_open_per_member';
}
