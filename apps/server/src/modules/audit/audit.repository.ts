import { and, desc, eq, gte, lt, lte, or, isNull, sql, type SQL } from 'drizzle-orm';
import { auditLog } from '../../db/schema';
import type { Db } from '../../platform/db';
import { withinScope, type Actor } from '../../platform/actor';

export interface AuditFilter {
  actor?: string | undefined;
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  result?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  beforeId?: number | undefined;
  limit: number;
}

/**
 * Newest first, keyset on id. Scoped to events of the auditor's subtree plus events with no org
 * (e.g. a login attempt for an unknown username, which names no one).
 */
export async function search(db: Db, actor: Actor, f: AuditFilter) {
  const where: SQL[] = [or(withinScope(actor, auditLog.orgPath), isNull(auditLog.orgPath))!];
  if (f.actor) where.push(sql`lower(${auditLog.actorUsername}) = lower(${f.actor})`);
  if (f.action) where.push(eq(auditLog.action, f.action));
  if (f.targetType) where.push(eq(auditLog.targetType, f.targetType));
  if (f.targetId) where.push(eq(auditLog.targetId, f.targetId));
  if (f.result) where.push(eq(auditLog.result, f.result));
  if (f.from) where.push(gte(auditLog.at, f.from));
  if (f.to) where.push(lte(auditLog.at, f.to));
  if (f.beforeId) where.push(lt(auditLog.id, f.beforeId));
  return db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(f.limit + 1);
}
