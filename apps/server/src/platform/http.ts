import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Permission } from '@liudong/domain';
import type { RequestContext } from './actor';
import type { AppConfig } from './config';
import { AppError } from './errors';
import { SESSION_COOKIE } from './session-token';
import type { SessionContext } from '../modules/auth/auth.service';

/**
 * How a route is guarded. `public`: anyone. `pending`: a session in any login stage (the login
 * steps themselves). `active` (the default): a session past every stage, with an active role,
 * plus the declared permission.
 */
export type RouteAuth = 'public' | 'pending' | 'active';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
    permission?: Permission;
  }
  interface FastifyRequest {
    ctx: RequestContext;
    session: SessionContext | null;
  }
}

export function setSessionCookie(reply: FastifyReply, token: string, config: AppConfig) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: config.cookieSecure,
  });
}

export function clearSessionCookie(reply: FastifyReply, config: AppConfig) {
  reply.clearCookie(SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: config.cookieSecure,
  });
}

/** The session of a route declared `pending` or `active` (the hook has loaded it). */
export function sessionOf(req: FastifyRequest): SessionContext {
  if (!req.session) throw new AppError('unauthenticated', '请先登录');
  return req.session;
}

export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;
