import { createHash } from 'node:crypto';
import { asc, desc, gt, gte, lt, sql } from 'drizzle-orm';
import { maskAddress, maskIdNumber, maskName, maskPhone } from '@liudong/domain';
import { auditLog } from '../db/schema';
import type { Db, Tx } from './db';
import type { RequestContext } from './actor';

export type AuditResult = 'success' | 'failure' | 'denied';

export interface AuditEvent {
  action: string;
  result: AuditResult;
  targetType?: string | null;
  targetId?: string | null;
  targetLabel?: string | null;
  reason?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** For events before there is an actor (login): who the event is about. */
  actorOverride?: {
    accountId: string | null;
    username: string | null;
    /** The account's home org, so an auditor of that subtree sees the event. */
    org?: { id: string; name: string; path: string } | null;
  };
}

// Sensitive fields are masked before they reach the trail (SECURITY.md 18: no raw PII).
const MASKERS: Record<string, (v: string) => string> = {
  idNumber: (v) => maskIdNumber(v, 'detail'),
  phone: maskPhone,
  contactPhone: maskPhone,
  address: maskAddress,
  homeAddress: maskAddress,
  currentAddress: maskAddress,
  // Member records (issue 3): the emergency contact is a third person; the destination address
  // of a mobility is as personal as the member's own.
  emergencyContactName: maskName,
  emergencyContactPhone: maskPhone,
  destinationAddress: maskAddress,
};
const DROPPED = new Set(['passwordHash', 'passwordHistory', 'totpSecret', 'password']);

export function maskForAudit(
  values: Record<string, unknown> | null | undefined,
): Record<string, unknown> | null {
  if (!values) return null;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (DROPPED.has(key)) continue;
    const mask = MASKERS[key];
    out[key] =
      mask && typeof value === 'string'
        ? mask(value)
        : value instanceof Date
          ? value.toISOString()
          : value;
  }
  return out;
}

/** JSON with object keys sorted, so the hash does not depend on jsonb's key order. */
function canonical(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

type AuditRow = typeof auditLog.$inferSelect;
type HashedFields = Omit<AuditRow, 'id' | 'hash' | 'prevHash'>;

export function hashAuditRow(prevHash: string, row: HashedFields): string {
  const fields = [
    row.at.toISOString(),
    row.actorAccountId,
    row.actorUsername,
    row.role,
    row.orgId,
    row.orgName,
    row.orgPath,
    row.ip,
    row.action,
    row.targetType,
    row.targetId,
    row.targetLabel,
    row.result,
    row.reason,
    row.before,
    row.after,
    row.correlationId,
  ];
  return createHash('sha256').update(prevHash).update('\n').update(canonical(fields)).digest('hex');
}

export const AUDIT_GENESIS = 'genesis';
// Serializes audit writers so each row links to the one before it (any stable bigint works).
const AUDIT_CHAIN_LOCK = 7_120_001;

/**
 * Appends one audit record inside the caller's transaction: if this write fails, the change it
 * records is rolled back too (SECURITY.md 20).
 */
export async function writeAudit(tx: Tx | Db, ctx: RequestContext, event: AuditEvent) {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx
    .select({ hash: auditLog.hash })
    .from(auditLog)
    .orderBy(desc(auditLog.id))
    .limit(1);
  const prevHash = last?.hash ?? AUDIT_GENESIS;
  const actor = ctx.actor;
  const row: HashedFields = {
    // Truncated to milliseconds: what timestamptz stores and reads back, so the hash verifies.
    at: new Date(ctx.clock.now().getTime()),
    actorAccountId: event.actorOverride?.accountId ?? actor?.accountId ?? null,
    actorUsername: event.actorOverride?.username ?? actor?.username ?? null,
    role: actor?.role ?? null,
    orgId: actor?.orgId ?? event.actorOverride?.org?.id ?? null,
    orgName: actor?.orgName ?? event.actorOverride?.org?.name ?? null,
    orgPath: actor?.orgPath ?? event.actorOverride?.org?.path ?? null,
    ip: ctx.ip,
    action: event.action,
    targetType: event.targetType ?? null,
    targetId: event.targetId ?? null,
    targetLabel: event.targetLabel ?? null,
    result: event.result,
    reason: event.reason ?? null,
    before: maskForAudit(event.before),
    after: maskForAudit(event.after),
    correlationId: ctx.correlationId,
  };
  await tx.insert(auditLog).values({ ...row, prevHash, hash: hashAuditRow(prevHash, row) });
}

/**
 * Writes an audit record in a transaction of its own (for events that change nothing else:
 * a denied access, an audit query, a failed login).
 */
export async function writeAuditAlone(db: Db, ctx: RequestContext, event: AuditEvent) {
  await db.transaction((tx) => writeAudit(tx, ctx, event));
}

/**
 * An out-of-scope or wrong-side attempt, logged on its own (the request then fails like a
 * missing record: SECURITY.md 9). Its own transaction: the refused request writes nothing else.
 */
export async function auditDenied(
  db: Db,
  ctx: RequestContext,
  targetType: string,
  targetId: string,
  reason = 'out_of_scope',
  label?: string,
) {
  await writeAuditAlone(db, ctx, {
    action: 'access.denied',
    result: 'denied',
    targetType,
    targetId,
    targetLabel: label ?? null,
    reason,
  });
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBrokenId: number | null;
}

/** Recomputes the hash chain in id order (the `verify-audit` command, SECURITY.md 19). */
export async function verifyAuditChain(db: Db): Promise<AuditVerification> {
  let checked = 0;
  let prev: string | null = null;
  let afterId = 0;
  for (;;) {
    const batch = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.id, afterId))
      .orderBy(asc(auditLog.id))
      .limit(1000);
    if (batch.length === 0) break;
    for (const row of batch) {
      // The oldest remaining row anchors the chain (older rows may have been purged after the
      // retention period); every later row must link to its predecessor.
      const expectedPrev: string = prev ?? row.prevHash;
      const { id: _id, hash, prevHash, ...fields } = row;
      if (prevHash !== expectedPrev || hashAuditRow(prevHash, fields) !== hash) {
        return { ok: false, checked, firstBrokenId: row.id };
      }
      prev = hash;
      checked++;
      afterId = row.id;
    }
  }
  return { ok: true, checked, firstBrokenId: null };
}

/**
 * Removes audit records older than the retention period, never younger than six months
 * (SECURITY.md 21, Cybersecurity Law Art. 21). The table's trigger enforces the same floor with
 * the database's own clock, so even a wrong application clock cannot purge younger records.
 * The chain stays verifiable: the oldest remaining record becomes its anchor.
 */
export async function purgeAuditLog(db: Db, opts: { retentionMonths: number; now: Date }) {
  const months = Math.max(6, opts.retentionMonths);
  const cutoff = new Date(opts.now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('liudong.audit_purge', 'on', true)`);
    // Only a prefix of the chain goes: everything before the first record still inside the
    // retention period, so what remains links up without a gap.
    const [firstKept] = await tx
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(gte(auditLog.at, cutoff))
      .orderBy(asc(auditLog.id))
      .limit(1);
    const deleted = await tx
      .delete(auditLog)
      .where(firstKept ? lt(auditLog.id, firstKept.id) : lt(auditLog.at, cutoff))
      .returning({ id: auditLog.id });
    return { deleted: deleted.length, cutoff };
  });
}
