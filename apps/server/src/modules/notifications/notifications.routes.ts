import { z } from 'zod';
import { ErrorBody, IdParams, NotificationListResponse } from '@liudong/contracts';
import type { AppServices } from '../../app';
import type { Api } from '../../platform/http';
import { createNotificationService } from './notifications.service';

const tags = ['通知'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

/**
 * The bell. No permission: every account with an active session has its own notifications
 * (reminders to liaisons, lost-contact warnings to officers), and sees only those.
 */
export function registerNotificationRoutes(api: Api, s: AppServices) {
  const notifications = createNotificationService({ db: s.db });

  api.get(
    '/api/notifications',
    {
      schema: {
        tags,
        summary: '我的通知（最新50条）与未读数',
        response: { 200: NotificationListResponse, ...errors },
      },
    },
    (req) => notifications.list(req.ctx),
  );

  api.post(
    '/api/notifications/:id/read',
    {
      schema: {
        tags,
        summary: '将一条通知标为已读（只能是自己的）',
        params: IdParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await notifications.markRead(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/api/notifications/read-all',
    {
      schema: {
        tags,
        summary: '将我的全部通知标为已读',
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await notifications.markAllRead(req.ctx);
      return reply.status(204).send(null);
    },
  );
}
