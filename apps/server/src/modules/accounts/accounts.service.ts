import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type {
  AccountSearchQuery,
  AccountSearchResponse,
  AccountSummary,
  CreateAccountInput,
  GrantRoleInput,
  OneTimePasswordResponse,
} from '@liudong/contracts';
import {
  ROLE_LABELS,
  checkRoleGrant,
  generateOneTimePassword,
  isLocked,
  type Role,
} from '@liudong/domain';
import { requireActor, type Actor, type RequestContext } from '../../platform/actor';
import { writeAudit, writeAuditAlone } from '../../platform/audit';
import { decodeCursor, encodeCursor } from '../../platform/cursor';
import type { Db, Tx } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { hashPassword } from '../../platform/password';
import { findWithScope as findOrgWithScope } from '../orgs/orgs.repository';
import * as repo from './accounts.repository';

const ACCOUNT = '账号';
const UsernameCursor = z.object({ username: z.string(), id: z.uuid() });

type Grant = Awaited<ReturnType<typeof repo.grantsOfAccounts>>[number];

function summarize(
  a: repo.AccountRow,
  homeOrgName: string,
  grants: Grant[],
  now: Date,
): AccountSummary {
  return {
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    status: a.disabledAt ? 'disabled' : isLocked(a.lockedUntil, now) ? 'locked' : 'active',
    homeOrgId: a.homeOrgId,
    homeOrgName,
    totpEnabled: a.totpEnabled,
    lastLoginAt: a.lastLoginAt?.toISOString() ?? null,
    grants: grants
      .filter((g) => g.accountId === a.id)
      .map((g) => ({
        id: g.id,
        role: g.role as Role,
        orgId: g.orgId,
        orgName: g.orgName,
        grantedAt: g.grantedAt.toISOString(),
      })),
  };
}

export function createAccountService(deps: { db: Db }) {
  const { db } = deps;

  async function loadInScope(ctx: RequestContext, id: string) {
    const actor = requireActor(ctx);
    const found = await repo.findWithScope(db, actor, id);
    if (!found || !found.inScope) {
      if (found) {
        await writeAuditAlone(db, ctx, {
          action: 'access.denied',
          result: 'denied',
          targetType: 'account',
          targetId: id,
          reason: 'out_of_scope',
        });
      }
      throw notFound(ACCOUNT);
    }
    return found;
  }

  /** Nobody changes their own account's roles or status: no self-escalation (SECURITY.md 12). */
  function refuseSelf(actor: Actor, accountId: string) {
    if (actor.accountId === accountId) {
      throw new AppError('forbidden', '不能对自己的账号执行此操作，请由另一位安全管理员办理');
    }
  }

  async function summaryOf(handle: Db | Tx, id: string, homeOrgName: string, now: Date) {
    const [a] = await handle.query.account.findMany({ where: (t, { eq }) => eq(t.id, id) });
    const grants = await repo.grantsOfAccounts(handle, [id]);
    return summarize(a!, homeOrgName, grants, now);
  }

  async function search(
    ctx: RequestContext,
    q: AccountSearchQuery,
  ): Promise<AccountSearchResponse> {
    const actor = requireActor(ctx);
    const rows = await repo.search(db, actor, {
      q: q.q,
      after: decodeCursor(q.cursor, UsernameCursor),
      limit: q.limit,
    });
    const page = rows.slice(0, q.limit);
    const grants = await repo.grantsOfAccounts(
      db,
      page.map((r) => r.account.id),
    );
    const now = ctx.clock.now();
    const last = page.at(-1);
    return {
      items: page.map((r) => summarize(r.account, r.homeOrgName, grants, now)),
      nextCursor:
        rows.length > q.limit && last
          ? encodeCursor({ username: last.account.username.toLowerCase(), id: last.account.id })
          : null,
    };
  }

  async function get(ctx: RequestContext, id: string) {
    const found = await loadInScope(ctx, id);
    return summaryOf(db, id, found.homeOrgName, ctx.clock.now());
  }

  async function create(
    ctx: RequestContext,
    input: CreateAccountInput,
  ): Promise<OneTimePasswordResponse> {
    const actor = requireActor(ctx);
    const home = await findOrgWithScope(db, actor, input.homeOrgId);
    if (!home || !home.inScope) throw notFound('所属组织');
    if (await repo.usernameTaken(db, input.username))
      throw new AppError('conflict', `用户名「${input.username}」已被使用`);
    const oneTimePassword = generateOneTimePassword(randomBytes(32));
    const passwordHash = await hashPassword(oneTimePassword);
    const now = ctx.clock.now();
    return db.transaction(async (tx) => {
      const a = await repo.insertAccount(tx, {
        username: input.username,
        displayName: input.displayName,
        homeOrgId: home.org.id,
        passwordHash,
        mustChangePassword: true,
        createdAt: now,
      });
      await writeAudit(tx, ctx, {
        action: 'account.create',
        result: 'success',
        targetType: 'account',
        targetId: a.id,
        targetLabel: a.username,
        after: { username: a.username, displayName: a.displayName, homeOrgId: a.homeOrgId },
      });
      return { account: summarize(a, home.org.name, [], now), oneTimePassword };
    });
  }

  async function change(
    ctx: RequestContext,
    id: string,
    action: string,
    values: Partial<repo.AccountRow>,
    opts: { endSessions: boolean },
  ) {
    const actor = requireActor(ctx);
    const found = await loadInScope(ctx, id);
    refuseSelf(actor, id);
    return db.transaction(async (tx) => {
      await repo.updateAccount(tx, id, values);
      if (opts.endSessions) await repo.endSessions(tx, id);
      await writeAudit(tx, ctx, {
        action,
        result: 'success',
        targetType: 'account',
        targetId: id,
        targetLabel: found.account.username,
      });
      return summaryOf(tx, id, found.homeOrgName, ctx.clock.now());
    });
  }

  const setDisabled = (ctx: RequestContext, id: string, disabled: boolean) =>
    change(
      ctx,
      id,
      disabled ? 'account.disable' : 'account.enable',
      { disabledAt: disabled ? ctx.clock.now() : null },
      { endSessions: disabled },
    );

  const unlock = (ctx: RequestContext, id: string) =>
    change(ctx, id, 'account.unlock', { lockedUntil: null }, { endSessions: false });

  const resetTotp = (ctx: RequestContext, id: string) =>
    change(
      ctx,
      id,
      'account.reset_totp',
      { totpEnabled: false, totpSecret: null, totpLastStep: null },
      { endSessions: true },
    );

  async function resetPassword(ctx: RequestContext, id: string): Promise<OneTimePasswordResponse> {
    const oneTimePassword = generateOneTimePassword(randomBytes(32));
    const passwordHash = await hashPassword(oneTimePassword);
    const account = await change(
      ctx,
      id,
      'account.reset_password',
      { passwordHash, mustChangePassword: true, lockedUntil: null },
      { endSessions: true },
    );
    return { account, oneTimePassword };
  }

  async function grant(ctx: RequestContext, id: string, input: GrantRoleInput) {
    const actor = requireActor(ctx);
    const found = await loadInScope(ctx, id);
    refuseSelf(actor, id);
    const target = await findOrgWithScope(db, actor, input.orgId);
    if (!target || !target.inScope) throw notFound('组织');
    return db.transaction(async (tx) => {
      const existing = await repo.grantsOfAccounts(tx, [id]);
      const check = checkRoleGrant(
        existing.map((g) => g.role as Role),
        input.role,
      );
      if (!check.ok) throw new AppError('separation_of_duties', check.message);
      const row = await repo.insertGrant(tx, {
        accountId: id,
        role: input.role,
        orgId: target.org.id,
        grantedBy: actor.accountId,
        grantedAt: ctx.clock.now(),
      });
      if (!row) throw new AppError('conflict', '该账号已在此组织担任该角色');
      await writeAudit(tx, ctx, {
        action: 'role.grant',
        result: 'success',
        targetType: 'account',
        targetId: id,
        targetLabel: found.account.username,
        after: {
          role: input.role,
          roleLabel: ROLE_LABELS[input.role],
          orgId: target.org.id,
          orgName: target.org.name,
        },
      });
      return summaryOf(tx, id, found.homeOrgName, ctx.clock.now());
    });
  }

  async function revoke(ctx: RequestContext, id: string, grantId: string) {
    const actor = requireActor(ctx);
    const found = await loadInScope(ctx, id);
    refuseSelf(actor, id);
    const g = await repo.findGrant(db, id, grantId);
    if (!g || !g.orgPath.startsWith(actor.orgPath)) throw notFound('角色');
    return db.transaction(async (tx) => {
      await repo.deleteGrant(tx, grantId);
      await writeAudit(tx, ctx, {
        action: 'role.revoke',
        result: 'success',
        targetType: 'account',
        targetId: id,
        targetLabel: found.account.username,
        before: { role: g.grant.role, orgId: g.grant.orgId, orgName: g.orgName },
      });
      return summaryOf(tx, id, found.homeOrgName, ctx.clock.now());
    });
  }

  return { search, get, create, setDisabled, unlock, resetTotp, resetPassword, grant, revoke };
}
