import type { Clock, Permission, Role } from '@liudong/domain';
import { sql, type SQL, type AnyColumn } from 'drizzle-orm';
import { AppError } from './errors';

/** The signed-in person acting through one role at one org (issue 2 §6). */
export interface Actor {
  accountId: string;
  username: string;
  grantId: string;
  role: Role;
  orgId: string;
  orgName: string;
  /** Materialized path of the active org: the actor's scope is this subtree. */
  orgPath: string;
  permissions: ReadonlySet<Permission>;
}

/** What a service needs to know about the request it serves. */
export interface RequestContext {
  actor: Actor | null;
  ip: string | null;
  correlationId: string;
  clock: Clock;
}

export function requireActor(ctx: RequestContext): Actor {
  if (!ctx.actor) throw new AppError('unauthenticated', '请先登录');
  return ctx.actor;
}

export function hasPermission(actor: Actor, permission: Permission): boolean {
  return actor.permissions.has(permission);
}

/**
 * The SQL predicate that keeps a query inside the actor's subtree (ARCHITECTURE.md: scoped inside
 * the SQL, on the path-prefix index). Paths hold only uuid characters and '/', so they need no
 * LIKE escaping.
 */
export function withinScope(actor: Actor, pathColumn: AnyColumn | SQL): SQL {
  return sql`${pathColumn} like ${actor.orgPath + '%'}`;
}
