import { randomBytes, randomUUID } from 'node:crypto';
import { asc, isNull, sql } from 'drizzle-orm';
import {
  childPath,
  generateOneTimePassword,
  systemClock,
  type Clock,
  type Role,
} from '@liudong/domain';
import { account, org, roleGrant } from '../../db/schema';
import { queryRows, type Db, type Tx } from '../../platform/db';
import { writeAudit } from '../../platform/audit';
import { hashPassword } from '../../platform/password';
import { AppError } from '../../platform/errors';

const systemCtx = (clock: Clock) => ({ actor: null, ip: null, correlationId: 'cli', clock });
const SYSTEM = { accountId: null, username: 'system' };

export const DEFAULT_ROOT_ORG_NAME = '本级党委（请修改名称）';

/** The first root org, created on an empty database so the first admin has somewhere to stand. */
export async function ensureRootOrg(
  tx: Tx,
  clock: Clock,
  name = DEFAULT_ROOT_ORG_NAME,
  id: string = randomUUID(),
) {
  const [root] = await tx
    .select()
    .from(org)
    .where(isNull(org.parentId))
    .orderBy(asc(org.createdAt))
    .limit(1);
  if (root) return root;
  const now = clock.now();
  const [row] = await tx
    .insert(org)
    .values({
      id,
      parentId: null,
      path: childPath(null, id),
      depth: 1,
      name,
      kind: 'committee',
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await writeAudit(tx, systemCtx(clock), {
    action: 'org.create',
    result: 'success',
    targetType: 'org',
    targetId: id,
    targetLabel: name,
    actorOverride: SYSTEM,
  });
  return row!;
}

/**
 * Creates an account with a one-time password and roles at an org. Used by first start,
 * `create-admin` and the demo seed. The password must be changed at first login (SECURITY.md 7).
 */
export async function createAccountWithRoles(
  tx: Tx,
  opts: {
    username: string;
    displayName: string;
    orgId: string;
    roles: Role[];
    clock: Clock;
    password?: string;
    mustChangePassword?: boolean;
  },
) {
  const [taken] = await queryRows<{ id: string }>(
    tx,
    sql`select id from account where lower(username) = lower(${opts.username})`,
  );
  if (taken) throw new AppError('conflict', `用户名「${opts.username}」已被使用`);
  const password = opts.password ?? generateOneTimePassword(randomBytes(32));
  const now = opts.clock.now();
  const [a] = await tx
    .insert(account)
    .values({
      username: opts.username,
      displayName: opts.displayName,
      passwordHash: await hashPassword(password),
      mustChangePassword: opts.mustChangePassword ?? true,
      passwordChangedAt: opts.mustChangePassword === false ? now : null,
      homeOrgId: opts.orgId,
      createdAt: now,
    })
    .returning();
  // Grants keep the order given (the first is the role a session starts in).
  for (const [i, role] of opts.roles.entries()) {
    await tx.insert(roleGrant).values({
      accountId: a!.id,
      role,
      orgId: opts.orgId,
      grantedAt: new Date(now.getTime() + i),
    });
  }
  await writeAudit(tx, systemCtx(opts.clock), {
    action: 'account.create',
    result: 'success',
    targetType: 'account',
    targetId: a!.id,
    targetLabel: a!.username,
    actorOverride: SYSTEM,
    after: { username: a!.username, roles: opts.roles, orgId: opts.orgId },
  });
  return { account: a!, password };
}

/**
 * On a fresh install there is no default password (SECURITY.md 7): the first accounts get random
 * one-time passwords, printed once by the caller. Two accounts, because 三员分立 forbids one
 * account holding the security admin role beside any other (SECURITY.md 12): `admin` is the org
 * department admin who builds the tree; `security` creates the other accounts and grants roles.
 */
export async function ensureFirstAdmin(db: Db, clock: Clock = systemClock) {
  return db.transaction(async (tx) => {
    const [row] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from account`);
    if ((row?.n ?? 0) > 0) return null;
    const root = await ensureRootOrg(tx, clock);
    const admin = await createAccountWithRoles(tx, {
      username: 'admin',
      displayName: '组织部管理员',
      orgId: root.id,
      roles: ['org_admin'],
      clock,
    });
    const security = await createAccountWithRoles(tx, {
      username: 'security',
      displayName: '安全管理员',
      orgId: root.id,
      roles: ['security_admin'],
      clock,
    });
    return [admin, security] as const;
  });
}

export function printOneTimePasswords(
  accounts: { username: string; password: string; role: string }[],
  out: (s: string) => void = (s) => process.stdout.write(s),
) {
  out(
    [
      '',
      '================ 流动党员动态管理系统 ================',
      ...accounts.map((a) => `  ${a.role}  账号：${a.username}   一次性密码：${a.password}`),
      '  密码只显示这一次；首次登录后必须修改密码并绑定双因素认证。',
      '======================================================',
      '',
    ].join('\n'),
  );
}
