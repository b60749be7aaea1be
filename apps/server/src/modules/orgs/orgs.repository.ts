import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { org, region, servicePoint } from '../../db/schema';
import { escapeLike, queryRows, type Db, type Tx } from '../../platform/db';
import type { Actor } from '../../platform/actor';
import { withinScope } from '../../platform/actor';

export type OrgRow = typeof org.$inferSelect;
export type ServicePointRow = typeof servicePoint.$inferSelect;
type Handle = Db | Tx;

// Written with the outer table's name spelled out: Drizzle renders `${org.id}` unqualified in
// select fields, where it would bind to the subquery's own row.
const hasChildrenSql = (includeDissolved: boolean) =>
  includeDissolved
    ? sql<boolean>`exists (select 1 from org c where c.parent_id = "org"."id")`
    : sql<boolean>`exists (select 1 from org c where c.parent_id = "org"."id" and c.dissolved_on is null)`;
const hasActiveChildrenSql = sql<boolean>`exists (select 1 from org c where c.parent_id = "org"."id" and c.dissolved_on is null)`;

/**
 * Loads an org by id and says whether it lies in the actor's scope, in one query, so the caller
 * can answer "not found" for both a missing and an out-of-scope id and still log the latter.
 */
export async function findWithScope(db: Handle, actor: Actor, id: string) {
  const [row] = await db
    .select({ org, inScope: sql<boolean>`${withinScope(actor, org.path)}` })
    .from(org)
    .where(eq(org.id, id));
  return row ?? null;
}

export async function findInScopeForUpdate(tx: Tx, actor: Actor, id: string) {
  const [row] = await tx
    .select()
    .from(org)
    .where(and(eq(org.id, id), withinScope(actor, org.path)))
    .for('update');
  return row ?? null;
}

export async function listChildren(
  db: Handle,
  actor: Actor,
  parentId: string | null,
  includeDissolved: boolean,
) {
  const where: SQL[] = [withinScope(actor, org.path)];
  // No parent: the actor's scope root itself.
  where.push(parentId ? eq(org.parentId, parentId) : eq(org.path, actor.orgPath));
  if (!includeDissolved) where.push(isNull(org.dissolvedOn));
  return db
    .select({
      org,
      hasChildren: hasChildrenSql(includeDissolved),
      hasActiveChildren: hasActiveChildrenSql,
    })
    .from(org)
    .where(and(...where))
    .orderBy(asc(org.name), asc(org.id));
}

export async function search(
  db: Handle,
  actor: Actor,
  opts: {
    q?: string | undefined;
    kind?: string | undefined;
    includeDissolved: boolean;
    after?: { name: string; id: string } | undefined;
    limit: number;
  },
) {
  const where: SQL[] = [withinScope(actor, org.path)];
  if (opts.q) {
    const like = `%${escapeLike(opts.q)}%`;
    where.push(sql`(${org.name} ilike ${like} or ${org.shortName} ilike ${like})`);
  }
  if (opts.kind) where.push(eq(org.kind, opts.kind));
  if (!opts.includeDissolved) where.push(isNull(org.dissolvedOn));
  // Keyset pagination on (name, id): stable while rows are added or removed (SECURITY.md 27).
  if (opts.after)
    where.push(sql`(${org.name}, ${org.id}) > (${opts.after.name}, ${opts.after.id})`);
  return db
    .select({
      org,
      hasChildren: hasChildrenSql(opts.includeDissolved),
      hasActiveChildren: hasActiveChildrenSql,
    })
    .from(org)
    .where(and(...where))
    .orderBy(asc(org.name), asc(org.id))
    .limit(opts.limit + 1);
}

/**
 * Names across the whole system, for choosing a host or receiving org that may lie in another
 * county (issue 3 §2 and §5). Names and kinds only: nothing else of an org outside the scope.
 */
export async function directory(db: Handle, q: string, limit: number) {
  const like = `%${escapeLike(q)}%`;
  return db
    .select({ id: org.id, name: org.name, kind: org.kind, path: org.path })
    .from(org)
    .where(
      and(
        isNull(org.dissolvedOn),
        sql`(${org.name} ilike ${like} or ${org.shortName} ilike ${like})`,
      ),
    )
    .orderBy(asc(org.name), asc(org.id))
    .limit(limit);
}

export async function namesOf(db: Handle, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: org.id, name: org.name })
    .from(org)
    .where(inArray(org.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function regionName(db: Handle, code: string | null) {
  if (!code) return null;
  const [row] = await db.select({ name: region.name }).from(region).where(eq(region.code, code));
  return row?.name ?? null;
}

export async function regionExists(db: Handle, code: string) {
  const [row] = await db.select({ code: region.code }).from(region).where(eq(region.code, code));
  return !!row;
}

export async function countChildren(db: Handle, id: string) {
  const [row] = await queryRows<{ all: number; active: number }>(
    db,
    sql`select count(*)::int as "all", count(*) filter (where dissolved_on is null)::int as active from org where parent_id = ${id}`,
  );
  return row ?? { all: 0, active: 0 };
}

export async function servicePointsOf(db: Handle, orgId: string) {
  return db
    .select()
    .from(servicePoint)
    .where(eq(servicePoint.orgId, orgId))
    .orderBy(asc(servicePoint.createdAt));
}

export async function insertOrg(tx: Tx, values: typeof org.$inferInsert) {
  const [row] = await tx.insert(org).values(values).returning();
  return row!;
}

/** Updates when the version still matches (optimistic locking, SECURITY.md 26); null otherwise. */
export async function updateOrg(
  tx: Tx,
  id: string,
  version: number,
  values: Partial<typeof org.$inferInsert>,
  at: Date,
) {
  const [row] = await tx
    .update(org)
    .set({ ...values, version: version + 1, updatedAt: at })
    .where(and(eq(org.id, id), eq(org.version, version)))
    .returning();
  return row ?? null;
}

/**
 * Re-roots a subtree: one statement rewrites every path under the old prefix, so the move is
 * all-or-nothing and costs one index range scan, however deep the subtree.
 */
export async function moveSubtree(
  tx: Tx,
  oldPrefix: string,
  newPrefix: string,
  depthDelta: number,
) {
  await tx.execute(sql`
    update org
       set path = ${newPrefix} || substr(path, ${oldPrefix.length + 1}),
           depth = depth + ${depthDelta}
     where path like ${oldPrefix + '%'}`);
}

export async function findServicePointWithScope(db: Handle, actor: Actor, id: string) {
  const [row] = await db
    .select({
      point: servicePoint,
      orgPath: org.path,
      inScope: sql<boolean>`${withinScope(actor, org.path)}`,
    })
    .from(servicePoint)
    .innerJoin(org, eq(org.id, servicePoint.orgId))
    .where(eq(servicePoint.id, id));
  return row ?? null;
}

export async function insertServicePoint(tx: Tx, values: typeof servicePoint.$inferInsert) {
  const [row] = await tx.insert(servicePoint).values(values).returning();
  return row!;
}

export async function updateServicePoint(
  tx: Tx,
  id: string,
  version: number,
  values: Partial<typeof servicePoint.$inferInsert>,
  at: Date,
) {
  const [row] = await tx
    .update(servicePoint)
    .set({ ...values, version: version + 1, updatedAt: at })
    .where(and(eq(servicePoint.id, id), eq(servicePoint.version, version)))
    .returning();
  return row ?? null;
}

export async function kindOf(db: Handle, id: string | null) {
  if (!id) return null;
  const [row] = await db.select({ kind: org.kind }).from(org).where(eq(org.id, id));
  return row?.kind ?? null;
}

/**
 * Up to this many orgs, a list (members, the ledger) starts from the scope's orgs, named in the query so that
 * PostgreSQL knows how few members they hold (a street: ~10 orgs, a county: ~200, a city: ~2,000).
 * A path prefix deep in the tree is estimated at a handful of orgs whatever its size, which sent
 * county-sized scopes into a nested loop repeating the name index scan once per org (issue 5).
 */
const NAMED_SCOPE_MAX_ORGS = 2000;

/**
 * The ids of the orgs under `path` as an array literal, or null when there are more than
 * NAMED_SCOPE_MAX_ORGS (then nothing is sent back).
 */
export async function orgIdsUnder(db: Handle, path: string): Promise<string | null> {
  const [row] = await queryRows<{ ids: string | null }>(
    db,
    sql`select case when count(*) <= ${NAMED_SCOPE_MAX_ORGS}
        then '{' || coalesce(string_agg(s.id::text, ','), '') || '}' end as ids
      from (select o.id from org o where ${withinScope({ orgPath: path } as Actor, sql`o.path`)}
        limit ${NAMED_SCOPE_MAX_ORGS + 1}) s`,
  );
  return row?.ids ?? null;
}
