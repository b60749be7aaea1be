import { and, asc, eq, gte, sql } from 'drizzle-orm';
import { account, loginAttempt, org, roleGrant, session } from '../../db/schema';
import type { Db, Tx } from '../../platform/db';
import { SECURITY_POLICY_KEY } from '../../platform/security-policy';

export type AccountRow = typeof account.$inferSelect;
export type SessionRow = typeof session.$inferSelect;

export async function findAccountByUsername(db: Db | Tx, username: string) {
  const [row] = await db
    .select()
    .from(account)
    .where(sql`lower(${account.username}) = lower(${username})`);
  return row ?? null;
}

export async function findAccountById(db: Db | Tx, id: string) {
  const [row] = await db.select().from(account).where(eq(account.id, id));
  return row ?? null;
}

export async function failureTimesSince(db: Db | Tx, accountId: string, since: Date) {
  const rows = await db
    .select({ at: loginAttempt.at })
    .from(loginAttempt)
    .where(
      and(
        eq(loginAttempt.accountId, accountId),
        eq(loginAttempt.success, false),
        gte(loginAttempt.at, since),
      ),
    );
  return rows.map((r) => r.at);
}

export async function ipFailureCountSince(db: Db | Tx, ip: string, since: Date) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(loginAttempt)
    .where(
      and(eq(loginAttempt.ip, ip), eq(loginAttempt.success, false), gte(loginAttempt.at, since)),
    );
  return row?.n ?? 0;
}

export async function recordAttempt(
  db: Db | Tx,
  a: { at: Date; accountId: string | null; ip: string | null; success: boolean },
) {
  await db.insert(loginAttempt).values(a);
}

/** The grants of an account with their org, oldest first (the first is the default role). */
export async function grantsOf(db: Db | Tx, accountId: string) {
  return db
    .select({
      id: roleGrant.id,
      role: roleGrant.role,
      orgId: roleGrant.orgId,
      orgName: org.name,
      orgPath: org.path,
    })
    .from(roleGrant)
    .innerJoin(org, eq(org.id, roleGrant.orgId))
    .where(eq(roleGrant.accountId, accountId))
    .orderBy(asc(roleGrant.grantedAt), asc(roleGrant.id));
}

export async function insertSession(db: Db | Tx, row: SessionRow) {
  await db.insert(session).values(row);
}

export async function findSession(db: Db | Tx, id: string) {
  const [row] = await db.select().from(session).where(eq(session.id, id));
  return row ?? null;
}

export interface GrantRow {
  id: string;
  role: string;
  orgId: string;
  orgName: string;
  orgPath: string;
}

/**
 * Everything an authenticated request needs, in one round trip: the session, its account, the
 * account's grants with their orgs' current names and paths, and the stored security policy.
 * Four statements per request were a third of a fast page's time (bench/BENCH.md, issue 5).
 * Read fresh every time, as before: a revoked grant or a moved org applies at the next request.
 */
export async function findSessionBundle(db: Db | Tx, id: string) {
  const [row] = await db
    .select({
      session,
      account,
      policy: sql<unknown>`(select value from app_setting where key = ${SECURITY_POLICY_KEY})`,
      grants: sql<GrantRow[]>`coalesce((
        select json_agg(json_build_object('id', g.id, 'role', g.role, 'orgId', g.org_id,
                                          'orgName', o.name, 'orgPath', o.path)
                        order by g.granted_at, g.id)
          from role_grant g join org o on o.id = g.org_id
         where g.account_id = ${session.accountId}), '[]'::json)`,
    })
    .from(session)
    .leftJoin(account, eq(account.id, session.accountId))
    .where(eq(session.id, id));
  return row ?? null;
}

export async function deleteSession(db: Db | Tx, id: string) {
  await db.delete(session).where(eq(session.id, id));
}

export async function deleteSessionsOfAccount(db: Db | Tx, accountId: string) {
  await db.delete(session).where(eq(session.accountId, accountId));
}

export async function touchSession(db: Db | Tx, id: string, at: Date) {
  await db.update(session).set({ lastSeenAt: at }).where(eq(session.id, id));
}

export async function updateAccount(
  db: Db | Tx,
  id: string,
  values: Partial<Omit<AccountRow, 'id'>>,
) {
  await db.update(account).set(values).where(eq(account.id, id));
}

export async function homeOrgOf(db: Db | Tx, orgId: string) {
  const [row] = await db
    .select({ id: org.id, name: org.name, path: org.path })
    .from(org)
    .where(eq(org.id, orgId));
  return row ?? null;
}
