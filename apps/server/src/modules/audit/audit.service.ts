import { z } from 'zod';
import type { AuditQuery, AuditSearchResponse, AuditVerifyResponse } from '@liudong/contracts';
import { requireActor, type RequestContext } from '../../platform/actor';
import { verifyAuditChain, writeAuditAlone } from '../../platform/audit';
import { decodeCursor, encodeCursor } from '../../platform/cursor';
import type { Db } from '../../platform/db';
import * as repo from './audit.repository';

const IdCursor = z.object({ id: z.number().int().positive() });

export function createAuditService(deps: { db: Db }) {
  const { db } = deps;

  async function search(ctx: RequestContext, q: AuditQuery): Promise<AuditSearchResponse> {
    const actor = requireActor(ctx);
    const rows = await repo.search(db, actor, {
      actor: q.actor,
      action: q.action,
      targetType: q.targetType,
      targetId: q.targetId,
      result: q.result,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      beforeId: decodeCursor(q.cursor, IdCursor)?.id,
      limit: q.limit,
    });
    // Reading the trail is itself an audited event (SECURITY.md 18).
    const { cursor: _c, limit: _l, ...filters } = q;
    await writeAuditAlone(db, ctx, {
      action: 'audit.query',
      result: 'success',
      targetType: 'audit_log',
      after: filters,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        id: String(r.id),
        at: r.at.toISOString(),
        actorUsername: r.actorUsername,
        role: r.role,
        orgName: r.orgName,
        ip: r.ip,
        action: r.action,
        targetType: r.targetType,
        targetId: r.targetId,
        targetLabel: r.targetLabel,
        result: r.result as 'success' | 'failure' | 'denied',
        reason: r.reason,
        before: r.before ?? null,
        after: r.after ?? null,
      })),
      nextCursor: rows.length > q.limit && last ? encodeCursor({ id: last.id }) : null,
    };
  }

  async function verify(ctx: RequestContext): Promise<AuditVerifyResponse> {
    requireActor(ctx);
    const result = await verifyAuditChain(db);
    await writeAuditAlone(db, ctx, {
      action: 'audit.verify',
      result: result.ok ? 'success' : 'failure',
      targetType: 'audit_log',
      after: { checked: result.checked, firstBrokenId: result.firstBrokenId },
    });
    return {
      ok: result.ok,
      checked: result.checked,
      firstBrokenId: result.firstBrokenId == null ? null : String(result.firstBrokenId),
    };
  }

  return { search, verify };
}
