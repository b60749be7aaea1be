import type { NotificationListResponse } from '@liudong/contracts';
import { requireActor, type RequestContext } from '../../platform/actor';
import { auditDenied } from '../../platform/audit';
import type { Db } from '../../platform/db';
import { notFound } from '../../platform/errors';
import * as repo from './notifications.repository';

/** The bell shows the newest few; older ones stay in the table. */
export const NOTIFICATION_LIST_LIMIT = 50;

const iso = (v: string | Date) => new Date(v).toISOString();

/**
 * The notification bell (issue 4 §3, §4): every signed-in account sees its own notifications
 * only, whatever role is active; another account's notification answers like a missing one.
 */
export function createNotificationService(deps: { db: Db }) {
  const { db } = deps;

  async function list(ctx: RequestContext): Promise<NotificationListResponse> {
    const actor = requireActor(ctx);
    const { items, unread } = await repo.listOwn(db, actor.accountId, NOTIFICATION_LIST_LIMIT);
    return {
      items: items.map((n) => ({
        id: n.id,
        kind: n.kind,
        title: n.title,
        body: n.body,
        link: n.link,
        readAt: n.read_at === null ? null : iso(n.read_at),
        createdAt: iso(n.created_at),
      })),
      unread,
    };
  }

  async function markRead(ctx: RequestContext, id: string) {
    const actor = requireActor(ctx);
    if (!(await repo.markRead(db, actor.accountId, id, ctx.clock.now()))) {
      // Someone else's notification is answered like a missing one, and the attempt logged.
      if (await repo.notificationExists(db, id))
        await auditDenied(db, ctx, 'notification', id, 'not_own');
      throw notFound('通知');
    }
  }

  async function markAllRead(ctx: RequestContext) {
    const actor = requireActor(ctx);
    await repo.markAllRead(db, actor.accountId, ctx.clock.now());
  }

  return { list, markRead, markAllRead };
}
