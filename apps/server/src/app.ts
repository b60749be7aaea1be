import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Clock } from '@liudong/domain';
import { systemClock } from '@liudong/domain';
import type { ErrorBody } from '@liudong/contracts';
import type { AppConfig } from './platform/config';
import type { Database } from './platform/db';
import type { FieldCipher } from './platform/crypto';
import { AppError, STATUS_OF } from './platform/errors';
import { loggerOptions } from './platform/logger';
import { describeSafely } from './platform/safe-error';
import { writeAuditAlone } from './platform/audit';
import { SESSION_COOKIE, safeEqual } from './platform/session-token';
import type { RouteAuth } from './platform/http';
import { createAuthService } from './modules/auth/auth.service';
import { registerAuthRoutes } from './modules/auth/auth.routes';
import { registerOrgRoutes } from './modules/orgs/orgs.routes';
import { registerAccountRoutes } from './modules/accounts/accounts.routes';
import { registerAuditRoutes } from './modules/audit/audit.routes';
import { registerRegionRoutes } from './modules/regions/regions.routes';
import { registerHealthRoutes } from './modules/health/health.routes';
import { registerSecurityPolicyRoutes } from './modules/security-policy/security-policy.routes';
import { registerDashboardRoutes } from './modules/dashboard/dashboard.routes';
import { registerMemberRoutes } from './modules/members/members.routes';
import { registerMobilityRoutes } from './modules/mobility/mobility.routes';
import { registerCertificateRoutes } from './modules/certificates/certificates.routes';
import { registerExportRoutes } from './modules/exports/exports.routes';
import { registerTransferRoutes } from './modules/transfers/transfers.routes';
import { registerImportRoutes } from './modules/imports/imports.routes';
import { registerContactRoutes } from './modules/contacts/contacts.routes';
import { registerCensusRoutes } from './modules/census/census.routes';
import { registerSmsRoutes } from './modules/sms/sms.routes';
import { registerNotificationRoutes } from './modules/notifications/notifications.routes';

export interface AppDeps {
  database: Database;
  config: AppConfig;
  /** Field encryption for ID numbers, phones and addresses (SECURITY.md 15). */
  cipher: FieldCipher;
  clock?: Clock;
  version?: string;
  /** A pino destination for tests that read the logs (SECURITY.md 16). */
  logStream?: NodeJS.WritableStream;
}

export interface RouteEntry {
  method: string;
  url: string;
  auth: RouteAuth;
  permission: string | undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function buildApp(
  deps: AppDeps,
): Promise<FastifyInstance & { routeTable: RouteEntry[] }> {
  const { database, config } = deps;
  const clock = deps.clock ?? systemClock;
  const db = database.db;
  const logOpts = loggerOptions(config.logLevel);
  const app = Fastify({
    logger: deps.logStream ? { ...logOpts, stream: deps.logStream } : logOpts,
    genReqId: () => randomUUID(),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Set before any plugin: encapsulated plugins keep the handler they were registered with, and
  // every error, theirs too, must leave in the one shape.
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const send = (status: number, body: ErrorBody) => reply.status(status).send(body);
    if (err instanceof AppError) {
      return send(STATUS_OF[err.code], {
        error: { code: err.code, message: err.message, details: err.details },
      });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({
        path: [err.validationContext, v.instancePath.replace(/^\//, '').replaceAll('/', '.')]
          .filter(Boolean)
          .join('.'),
        message: v.message ?? '无效',
      }));
      return send(400, {
        error: {
          code: 'validation_failed',
          message: `请求内容有误：${details.map((d) => (d.path ? `${d.path} ${d.message}` : d.message)).join('；')}`,
          details,
        },
      });
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return send(413, { error: { code: 'payload_too_large', message: '提交的内容过大' } });
    }
    if (
      err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ||
      err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      err.statusCode === 400
    ) {
      return send(400, { error: { code: 'validation_failed', message: '请求格式不正确' } });
    }
    if (err.statusCode === 429) {
      return send(429, { error: { code: 'rate_limited', message: '请求过于频繁，请稍后再试' } });
    }
    // Unknown errors: logged with the correlation id; the response says nothing more (SECURITY.md 31).
    req.log.error(
      { err: describeSafely(err), serialization: isResponseSerializationError(err) },
      'unhandled error',
    );
    return send(500, {
      error: {
        code: 'internal',
        message: `系统内部错误，请联系管理员（错误编号 ${String(req.id)}）`,
        details: { correlationId: String(req.id) },
      },
    });
  });

  // Every route is listed with its guard, so the authorization matrix test can fail when a
  // route has no entry (SECURITY.md 8).
  const routeTable: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routeTable.push({
        method,
        url: route.url,
        auth: route.config?.auth ?? 'active',
        permission: route.config?.permission,
      });
    }
  });

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd renders CSS-in-JS <style> tags.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        // Only behind TLS: on plain http://localhost it would break every request.
        upgradeInsecureRequests: config.cookieSecure ? [] : null,
      },
    },
    // HSTS only means something over TLS.
    strictTransportSecurity: config.cookieSecure,
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: {
        title: '流动党员动态管理系统 API',
        version: deps.version ?? '0.0.0',
        description: '所有接口以 JSON 交互；错误统一为 { error: { code, message, details } }。',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  app.decorateRequest('ctx', null as never);
  app.decorateRequest('session', null);

  const auth = createAuthService({ db });

  app.addHook('onRequest', async (req, reply) => {
    req.ctx = { actor: null, ip: req.ip ?? null, correlationId: String(req.id), clock };
    reply.header('x-correlation-id', String(req.id));
    if (!req.url.startsWith('/api/')) return;
    // API responses may carry personal data: never cached (SECURITY.md 17).
    reply.header('cache-control', 'no-store');
    // The API docs page describes the API only, no data: public like /api/openapi.json.
    const guard: RouteAuth = req.url.startsWith('/api/docs')
      ? 'public'
      : (req.routeOptions.config?.auth ?? 'active');
    if (guard === 'public' || !req.routeOptions.url) return;

    const token = req.cookies[SESSION_COOKIE];
    if (!token) throw new AppError('unauthenticated', '请先登录');
    const s = await auth.loadSession(token, req.ctx);
    req.session = s;
    req.ctx.actor = s.actor;

    // Every state-changing request carries the session's CSRF token (SECURITY.md 6).
    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, s.session.csrfToken)) {
        throw new AppError('csrf_failed', '页面已过期，请刷新后重试');
      }
    }
    if (guard === 'pending') return;
    if (s.session.stage !== 'done') {
      throw new AppError('stage_required', '请先完成登录步骤', { stage: s.session.stage });
    }
    if (!s.actor) throw new AppError('forbidden', '该账号尚未被授予任何角色，请联系安全管理员');
    const needed = req.routeOptions.config?.permission;
    if (needed && !s.actor.permissions.has(needed)) {
      await writeAuditAlone(db, req.ctx, {
        action: 'access.denied',
        result: 'denied',
        targetType: 'route',
        targetLabel: `${req.method} ${req.routeOptions.url}`,
        reason: `missing ${needed}`,
      });
      throw new AppError('forbidden', '没有执行此操作的权限');
    }
  });

  const services = {
    db,
    cipher: deps.cipher,
    clock,
    config,
    auth,
    version: deps.version ?? '0.0.0',
    kind: database.kind,
  };
  // The contract of issue 2: the OpenAPI document at a stable address (the docs page is /api/docs).
  app.get('/api/openapi.json', { schema: { hide: true }, config: { auth: 'public' } }, () =>
    app.swagger(),
  );
  await app.register(async (api) => {
    registerHealthRoutes(api, services);
    registerAuthRoutes(api, services);
    registerOrgRoutes(api, services);
    registerAccountRoutes(api, services);
    registerAuditRoutes(api, services);
    registerRegionRoutes(api, services);
    registerSecurityPolicyRoutes(api, services);
    registerDashboardRoutes(api, services);
    registerMemberRoutes(api, services);
    registerMobilityRoutes(api, services);
    registerCertificateRoutes(api, services);
    registerExportRoutes(api, services);
    registerTransferRoutes(api, services);
    registerImportRoutes(api, services);
    registerContactRoutes(api, services);
    registerCensusRoutes(api, services);
    registerSmsRoutes(api, services);
    registerNotificationRoutes(api, services);
  });

  // The built web app, with client-side routes falling back to index.html.
  const webIndex = path.join(config.webDistDir, 'index.html');
  if (fs.existsSync(webIndex)) {
    await app.register(fastifyStatic, { root: config.webDistDir, wildcard: false });
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith('/api/')) {
        return reply.type('text/html').sendFile('index.html');
      }
      return reply.status(404).send({ error: { code: 'not_found', message: '接口不存在' } });
    });
  } else {
    app.setNotFoundHandler((_req, reply) =>
      reply.status(404).send({ error: { code: 'not_found', message: '接口不存在' } }),
    );
  }

  return Object.assign(app, { routeTable }) as unknown as FastifyInstance & {
    routeTable: RouteEntry[];
  };
}

export type AppServices = {
  db: Database['db'];
  cipher: FieldCipher;
  clock: Clock;
  config: AppConfig;
  auth: ReturnType<typeof createAuthService>;
  version: string;
  kind: Database['kind'];
};
