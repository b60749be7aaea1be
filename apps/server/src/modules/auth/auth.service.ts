import {
  type AuthStage,
  type ChangePasswordInput,
  type LoginInput,
  type Me,
} from '@liudong/contracts';
import {
  ROLE_PERMISSIONS,
  checkPasswordPolicy,
  decideAfterFailure,
  isIpThrottled,
  isLocked,
  requiresTotp,
  type Role,
} from '@liudong/domain';
import type { Actor, RequestContext } from '../../platform/actor';
import type { Db, Tx } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { writeAudit, writeAuditAlone } from '../../platform/audit';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../../platform/password';
import {
  loadSecurityPolicy,
  securityPolicyOf,
  type SecurityPolicy,
} from '../../platform/security-policy';
import { newToken, sessionIdOf } from '../../platform/session-token';
import { newTotpSecret, totpEnrolment, verifyTotp } from '../../platform/totp';
import * as repo from './auth.repository';

const MINUTE = 60_000;

// One message for unknown user, wrong password, locked and disabled accounts (SECURITY.md 2).
const invalidCredentials = () =>
  new AppError('invalid_credentials', '用户名或密码错误，或账号已被锁定');

export interface SessionContext {
  token: string;
  session: repo.SessionRow;
  account: repo.AccountRow;
  grants: Awaited<ReturnType<typeof repo.grantsOf>>;
  /** Set only when the session has passed every stage. */
  actor: Actor | null;
}

export function createAuthService(deps: { db: Db }) {
  const { db } = deps;

  function holdsAdminRole(grants: { role: string }[]) {
    return grants.some((g) => requiresTotp(g.role as Role));
  }

  function passwordExpired(
    a: repo.AccountRow,
    grants: { role: string }[],
    policy: SecurityPolicy,
    now: Date,
  ) {
    if (!holdsAdminRole(grants) || !a.passwordChangedAt) return false;
    return (
      now.getTime() - a.passwordChangedAt.getTime() > policy.adminPasswordMaxAgeDays * 1440 * MINUTE
    );
  }

  /** The next stage after the password was accepted (or just changed). */
  function stageAfterPassword(a: repo.AccountRow, grants: { role: string }[]): AuthStage {
    if (a.totpEnabled) return 'totp';
    if (holdsAdminRole(grants)) return 'enrol_totp';
    return 'done';
  }

  async function whoIs(a: repo.AccountRow) {
    return { accountId: a.id, username: a.username, org: await repo.homeOrgOf(db, a.homeOrgId) };
  }

  async function createSession(
    tx: Tx,
    accountId: string,
    stage: AuthStage,
    activeGrantId: string | null,
    ctx: RequestContext,
  ) {
    const token = newToken();
    const now = ctx.clock.now();
    const policy = await loadSecurityPolicy(tx);
    await repo.insertSession(tx, {
      id: sessionIdOf(token),
      accountId,
      stage,
      activeGrantId,
      csrfToken: newToken(),
      ip: ctx.ip,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + policy.absoluteHours * 60 * MINUTE),
    });
    return token;
  }

  /** Replaces the session with a new id (SECURITY.md 6: rotate on login step and role change). */
  async function rotate(
    s: SessionContext,
    changes: { stage?: AuthStage; activeGrantId?: string | null },
  ) {
    const token = newToken();
    await db.transaction(async (tx) => {
      await repo.deleteSession(tx, s.session.id);
      await repo.insertSession(tx, {
        ...s.session,
        ...changes,
        id: sessionIdOf(token),
        csrfToken: newToken(),
      });
    });
    return token;
  }

  async function login(input: LoginInput, ctx: RequestContext) {
    const now = ctx.clock.now();
    const policy = await loadSecurityPolicy(db);

    // Many failures from one address across accounts are throttled (SECURITY.md 3).
    if (ctx.ip) {
      const since = new Date(now.getTime() - policy.ipThrottle.windowMinutes * MINUTE);
      const n = await repo.ipFailureCountSince(db, ctx.ip, since);
      if (isIpThrottled(n, policy.ipThrottle)) {
        await writeAuditAlone(db, ctx, {
          action: 'auth.login',
          result: 'denied',
          reason: 'ip_throttled',
          actorOverride: { accountId: null, username: null },
        });
        throw new AppError('rate_limited', '登录尝试过于频繁，请稍后再试');
      }
    }

    const a = await repo.findAccountByUsername(db, input.username);
    if (!a) {
      await burnPasswordCheck(input.password);
      await db.transaction(async (tx) => {
        await repo.recordAttempt(tx, { at: now, accountId: null, ip: ctx.ip, success: false });
        await writeAudit(tx, ctx, {
          action: 'auth.login',
          result: 'failure',
          reason: 'unknown_account',
          actorOverride: { accountId: null, username: null },
        });
      });
      throw invalidCredentials();
    }

    const passwordOk = await verifyPassword(a.passwordHash, input.password);
    const locked = isLocked(a.lockedUntil, now);
    const who = await whoIs(a);
    if (!passwordOk || locked || a.disabledAt) {
      await db.transaction(async (tx) => {
        await repo.recordAttempt(tx, { at: now, accountId: a.id, ip: ctx.ip, success: false });
        const reason = a.disabledAt ? 'disabled' : locked ? 'locked' : 'bad_password';
        await writeAudit(tx, ctx, {
          action: 'auth.login',
          result: 'failure',
          reason,
          actorOverride: who,
        });
        if (!locked && !passwordOk) await lockIfTooManyFailures(tx, a, who, policy, ctx);
      });
      throw invalidCredentials();
    }

    const grants = await repo.grantsOf(db, a.id);
    const stage: AuthStage =
      a.mustChangePassword || passwordExpired(a, grants, policy, now)
        ? 'change_password'
        : stageAfterPassword(a, grants);
    const token = await db.transaction(async (tx) => {
      await repo.recordAttempt(tx, { at: now, accountId: a.id, ip: ctx.ip, success: true });
      await repo.updateAccount(tx, a.id, { lastLoginAt: now });
      await writeAudit(tx, ctx, {
        action: 'auth.login',
        result: 'success',
        actorOverride: who,
        after: { next: stage },
      });
      // A fresh session id at every login: a planted cookie is never promoted (SECURITY.md 6).
      return createSession(tx, a.id, stage, grants[0]?.id ?? null, ctx);
    });
    return { token, next: stage };
  }

  async function lockIfTooManyFailures(
    tx: Tx,
    a: repo.AccountRow,
    who: Awaited<ReturnType<typeof whoIs>>,
    policy: SecurityPolicy,
    ctx: RequestContext,
  ) {
    const now = ctx.clock.now();
    const since = new Date(now.getTime() - policy.lockout.windowMinutes * MINUTE);
    const failures = await repo.failureTimesSince(tx, a.id, since);
    const { lockedUntil } = decideAfterFailure(failures, { asOf: now, policy: policy.lockout });
    if (lockedUntil) {
      await repo.updateAccount(tx, a.id, { lockedUntil });
      await repo.deleteSessionsOfAccount(tx, a.id);
      await writeAudit(tx, ctx, {
        action: 'auth.lockout',
        result: 'success',
        targetType: 'account',
        targetId: a.id,
        targetLabel: a.username,
        actorOverride: who,
        after: { lockedUntil: lockedUntil.toISOString() },
      });
    }
  }

  /**
   * Resolves the cookie to a live session, enforcing the idle and absolute timeouts: an expired
   * session is deleted, so the same cookie never works again (SECURITY.md 5).
   */
  async function loadSession(token: string, ctx: RequestContext): Promise<SessionContext> {
    const expired = () => new AppError('unauthenticated', '登录已过期，请重新登录');
    const now = ctx.clock.now();
    const bundle = await repo.findSessionBundle(db, sessionIdOf(token));
    if (!bundle) throw new AppError('unauthenticated', '请先登录');
    const { session: s, account: a, grants } = bundle;
    const policy = securityPolicyOf(bundle.policy);
    const idleFor = now.getTime() - s.lastSeenAt.getTime();
    if (idleFor > policy.idleMinutes * MINUTE || now >= s.expiresAt) {
      await repo.deleteSession(db, s.id);
      throw expired();
    }
    if (!a || a.disabledAt) {
      await repo.deleteSession(db, s.id);
      throw expired();
    }
    // Writing last_seen_at at most every 15 s keeps the idle timeout exact to within that and
    // spares a write on every request.
    if (idleFor > 15_000) await repo.touchSession(db, s.id, now);
    let actor: Actor | null = null;
    if (s.stage === 'done') {
      const g = grants.find((x) => x.id === s.activeGrantId);
      if (g) {
        const role = g.role as Role;
        actor = {
          accountId: a.id,
          username: a.username,
          grantId: g.id,
          role,
          orgId: g.orgId,
          orgName: g.orgName,
          // Read fresh from the org table on every request: after a subtree move the new
          // scope applies at once (SECURITY.md 10).
          orgPath: g.orgPath,
          permissions: new Set(ROLE_PERMISSIONS[role]),
        };
      }
    }
    return { token, session: s, account: a, grants, actor };
  }

  function me(s: SessionContext): Me {
    return {
      account: {
        id: s.account.id,
        username: s.account.username,
        displayName: s.account.displayName,
        totpEnabled: s.account.totpEnabled,
        passwordExpiresAt: null,
      },
      stage: s.session.stage as AuthStage,
      grants: s.grants.map((g) => ({
        id: g.id,
        role: g.role as Role,
        orgId: g.orgId,
        orgName: g.orgName,
      })),
      activeGrantId: s.session.stage === 'done' ? s.session.activeGrantId : null,
      permissions: s.actor ? [...s.actor.permissions] : [],
      csrfToken: s.session.csrfToken,
    };
  }

  function requireStage(s: SessionContext, ...stages: AuthStage[]) {
    if (!stages.includes(s.session.stage as AuthStage)) {
      throw new AppError('stage_required', '请先完成登录步骤', { stage: s.session.stage });
    }
  }

  async function changePassword(
    s: SessionContext,
    input: ChangePasswordInput,
    ctx: RequestContext,
  ) {
    requireStage(s, 'change_password', 'done');
    const a = s.account;
    const policy = await loadSecurityPolicy(db);
    if (!(await verifyPassword(a.passwordHash, input.currentPassword))) {
      throw new AppError('password_policy', '当前密码不正确', [
        { code: 'current_password', message: '当前密码不正确' },
      ]);
    }
    const violations = checkPasswordPolicy(input.newPassword, { username: a.username });
    // No reuse of the current or the last N passwords (SECURITY.md 1).
    const recent = [a.passwordHash, ...a.passwordHistory].slice(0, policy.passwordHistory);
    for (const old of recent) {
      if (await verifyPassword(old, input.newPassword)) {
        violations.push({
          code: 'reused' as never,
          message: `新密码不能与最近${policy.passwordHistory}次使用过的密码相同`,
        });
        break;
      }
    }
    if (violations.length > 0) {
      throw new AppError(
        'password_policy',
        violations.map((v) => v.message).join('；'),
        violations,
      );
    }
    const now = ctx.clock.now();
    const passwordHash = await hashPassword(input.newPassword);
    const next: AuthStage =
      s.session.stage === 'change_password' ? stageAfterPassword(a, s.grants) : 'done';
    const token = newToken();
    const who = await whoIs(a);
    await db.transaction(async (tx) => {
      await repo.updateAccount(tx, a.id, {
        passwordHash,
        passwordHistory: recent,
        passwordChangedAt: now,
        mustChangePassword: false,
      });
      // Every other session of this account ends with the old password.
      await repo.deleteSessionsOfAccount(tx, a.id);
      await repo.insertSession(tx, {
        ...s.session,
        id: sessionIdOf(token),
        stage: next,
        csrfToken: newToken(),
      });
      await writeAudit(
        tx,
        { ...ctx, actor: s.actor },
        {
          action: 'auth.password_change',
          result: 'success',
          targetType: 'account',
          targetId: a.id,
          targetLabel: a.username,
          actorOverride: who,
        },
      );
    });
    return { token, next };
  }

  async function startTotpEnrolment(s: SessionContext, ctx: RequestContext) {
    requireStage(s, 'enrol_totp', 'done');
    if (s.session.stage === 'done' && s.account.totpEnabled) {
      throw new AppError('conflict', '已绑定双因素认证；如需更换，请联系安全管理员重置');
    }
    const secret = newTotpSecret();
    await repo.updateAccount(db, s.account.id, { totpSecret: secret, totpEnabled: false });
    void ctx;
    return totpEnrolment(secret, s.account.username);
  }

  async function confirmTotpEnrolment(s: SessionContext, code: string, ctx: RequestContext) {
    requireStage(s, 'enrol_totp', 'done');
    const a = s.account;
    const step = a.totpSecret ? await verifyTotp(a.totpSecret, code, ctx.clock, null) : null;
    const who = await whoIs(a);
    if (step == null) {
      await writeAuditAlone(db, ctx, {
        action: 'auth.totp_enrol',
        result: 'failure',
        actorOverride: who,
      });
      throw new AppError('totp_invalid', '验证码不正确，请核对手机上的验证码');
    }
    const token = newToken();
    await db.transaction(async (tx) => {
      await repo.updateAccount(tx, a.id, { totpEnabled: true, totpLastStep: step });
      await repo.deleteSession(tx, s.session.id);
      await repo.insertSession(tx, {
        ...s.session,
        id: sessionIdOf(token),
        stage: 'done',
        csrfToken: newToken(),
      });
      await writeAudit(tx, ctx, {
        action: 'auth.totp_enrol',
        result: 'success',
        actorOverride: who,
      });
    });
    return { token, next: 'done' as AuthStage };
  }

  async function verifySecondFactor(s: SessionContext, code: string, ctx: RequestContext) {
    requireStage(s, 'totp');
    const a = s.account;
    const who = await whoIs(a);
    const step =
      a.totpSecret && a.totpEnabled
        ? await verifyTotp(a.totpSecret, code, ctx.clock, a.totpLastStep)
        : null;
    if (step == null) {
      const policy = await loadSecurityPolicy(db);
      // A wrong second factor counts towards the lockout like a wrong password.
      await db.transaction(async (tx) => {
        await repo.recordAttempt(tx, {
          at: ctx.clock.now(),
          accountId: a.id,
          ip: ctx.ip,
          success: false,
        });
        await writeAudit(tx, ctx, { action: 'auth.totp', result: 'failure', actorOverride: who });
        await lockIfTooManyFailures(tx, a, who, policy, ctx);
      });
      throw new AppError('totp_invalid', '验证码不正确或已使用过，请等待下一个验证码');
    }
    const token = newToken();
    await db.transaction(async (tx) => {
      await repo.updateAccount(tx, a.id, { totpLastStep: step });
      await repo.deleteSession(tx, s.session.id);
      await repo.insertSession(tx, {
        ...s.session,
        id: sessionIdOf(token),
        stage: 'done',
        csrfToken: newToken(),
      });
      await writeAudit(tx, ctx, { action: 'auth.totp', result: 'success', actorOverride: who });
    });
    return { token, next: 'done' as AuthStage };
  }

  async function logout(s: SessionContext, ctx: RequestContext) {
    // Looked up before the transaction: PGlite has one connection, so a query on `db` inside a
    // transaction would wait for the transaction forever.
    const who = await whoIs(s.account);
    await db.transaction(async (tx) => {
      await repo.deleteSession(tx, s.session.id);
      await writeAudit(
        tx,
        { ...ctx, actor: s.actor },
        {
          action: 'auth.logout',
          result: 'success',
          actorOverride: who,
        },
      );
    });
  }

  async function switchRole(s: SessionContext, grantId: string, ctx: RequestContext) {
    requireStage(s, 'done');
    const g = s.grants.find((x) => x.id === grantId);
    if (!g) throw new AppError('not_found', '该角色不存在');
    const token = await rotate(s, { activeGrantId: g.id });
    await writeAuditAlone(db, ctx, {
      action: 'auth.switch_role',
      result: 'success',
      targetType: 'role_grant',
      targetId: g.id,
      targetLabel: `${g.orgName} · ${g.role}`,
    });
    return token;
  }

  return {
    login,
    loadSession,
    me,
    changePassword,
    startTotpEnrolment,
    confirmTotpEnrolment,
    verifySecondFactor,
    logout,
    switchRole,
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
