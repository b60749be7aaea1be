import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { account, org, roleGrant, session } from '../../db/schema';
import { escapeLike, type Db, type Tx } from '../../platform/db';
import { withinScope, type Actor } from '../../platform/actor';

type Handle = Db | Tx;
export type AccountRow = typeof account.$inferSelect;

/** Accounts are in scope when their home org is in the actor's subtree. */
export async function findWithScope(db: Handle, actor: Actor, id: string) {
  const [row] = await db
    .select({
      account,
      homeOrgName: org.name,
      inScope: sql<boolean>`${withinScope(actor, org.path)}`,
    })
    .from(account)
    .innerJoin(org, eq(org.id, account.homeOrgId))
    .where(eq(account.id, id));
  return row ?? null;
}

export async function search(
  db: Handle,
  actor: Actor,
  opts: {
    q?: string | undefined;
    after?: { username: string; id: string } | undefined;
    limit: number;
  },
) {
  const where: SQL[] = [withinScope(actor, org.path)];
  if (opts.q) {
    const like = `%${escapeLike(opts.q)}%`;
    where.push(sql`(${account.username} ilike ${like} or ${account.displayName} ilike ${like})`);
  }
  if (opts.after) {
    where.push(
      sql`(lower(${account.username}), ${account.id}) > (${opts.after.username}, ${opts.after.id})`,
    );
  }
  return db
    .select({ account, homeOrgName: org.name })
    .from(account)
    .innerJoin(org, eq(org.id, account.homeOrgId))
    .where(and(...where))
    .orderBy(sql`lower(${account.username})`, asc(account.id))
    .limit(opts.limit + 1);
}

export async function grantsOfAccounts(db: Handle, accountIds: string[]) {
  if (accountIds.length === 0) return [];
  return db
    .select({
      id: roleGrant.id,
      accountId: roleGrant.accountId,
      role: roleGrant.role,
      orgId: roleGrant.orgId,
      orgName: org.name,
      orgPath: org.path,
      grantedAt: roleGrant.grantedAt,
    })
    .from(roleGrant)
    .innerJoin(org, eq(org.id, roleGrant.orgId))
    .where(inArray(roleGrant.accountId, accountIds))
    .orderBy(asc(roleGrant.grantedAt), asc(roleGrant.id));
}

export async function usernameTaken(db: Handle, username: string) {
  const [row] = await db
    .select({ id: account.id })
    .from(account)
    .where(sql`lower(${account.username}) = lower(${username})`);
  return !!row;
}

export async function insertAccount(tx: Tx, values: typeof account.$inferInsert) {
  const [row] = await tx.insert(account).values(values).returning();
  return row!;
}

export async function updateAccount(
  tx: Tx,
  id: string,
  values: Partial<typeof account.$inferInsert>,
) {
  const [row] = await tx
    .update(account)
    .set({ ...values, version: sql`${account.version} + 1` })
    .where(eq(account.id, id))
    .returning();
  return row!;
}

export async function insertGrant(tx: Tx, values: typeof roleGrant.$inferInsert) {
  const [row] = await tx.insert(roleGrant).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export async function findGrant(db: Handle, accountId: string, grantId: string) {
  const [row] = await db
    .select({ grant: roleGrant, orgName: org.name, orgPath: org.path })
    .from(roleGrant)
    .innerJoin(org, eq(org.id, roleGrant.orgId))
    .where(and(eq(roleGrant.id, grantId), eq(roleGrant.accountId, accountId)));
  return row ?? null;
}

export async function deleteGrant(tx: Tx, grantId: string) {
  // Sessions acting through this grant lose it at once (FK: on delete set null).
  await tx.delete(roleGrant).where(eq(roleGrant.id, grantId));
}

export async function endSessions(tx: Tx, accountId: string) {
  await tx.delete(session).where(eq(session.accountId, accountId));
}
