import { parseArgs } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { ROLES, type Role } from '@liudong/domain';
import { account, session } from '../db/schema';
import { ConfigError, loadConfig } from '../platform/config';
import { DataDirLockedError, migrateDatabase, openDatabase, type Database } from '../platform/db';
import { verifyAuditChain, writeAudit } from '../platform/audit';
import { hashPassword } from '../platform/password';
import { AppError } from '../platform/errors';
import { generateOneTimePassword, systemClock } from '@liudong/domain';
import { randomBytes } from 'node:crypto';
import {
  createAccountWithRoles,
  ensureRootOrg,
  printOneTimePasswords,
} from '../modules/accounts/bootstrap';
import { backupDatabase, restoreDatabase } from '../platform/backup';
import { seedDemo } from './seed-demo';
import { describeSafely } from '../platform/safe-error';
import { openCipher } from '../platform/keys';
import {
  KeyringDocument,
  KeyringError,
  encodeKeyringForEnv,
  generateKeyringDocument,
} from '../platform/crypto';

const HELP = `流动党员动态管理系统 — 命令行

用法: liudong <命令> [选项]    (或 npm run cli -- <命令> [选项])

  start                         启动服务（等同于 npm start）
  migrate                       创建/升级数据库结构
  create-admin --username U [--display-name 名称] [--role org_admin|security_admin|system_admin|auditor]
                                新建管理员账号，打印一次性密码
  reset-password --username U [--reset-totp]
                                重置密码（并解锁），打印一次性密码
  backup [--out 文件]           备份数据库（默认写入 DATA_DIR/backups/）
  restore <文件> --yes          用备份覆盖当前数据库（先停止服务）
  seed-demo [--seed N] [--password P]
                                生成虚构的演示县数据（可重复：同一 seed 得到同样的数据）
  verify-audit                  校验审计日志哈希链
  keyring-generate              生成新的字段加密密钥环（用于 PostgreSQL 部署的 LIUDONG_KEYRING）

环境变量: DATABASE_URL（使用 PostgreSQL 服务器）, DATA_DIR（内嵌数据库目录，默认 ./data）, PORT, HOST`;

const cliCtx = { actor: null, ip: null, correlationId: 'cli', clock: systemClock };

async function withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(loadConfig());
  try {
    await migrateDatabase(database);
    return await fn(database);
  } finally {
    await database.close();
  }
}

export async function main(argv: string[]) {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      username: { type: 'string' },
      'display-name': { type: 'string' },
      role: { type: 'string' },
      'reset-totp': { type: 'boolean' },
      out: { type: 'string' },
      yes: { type: 'boolean' },
      seed: { type: 'string' },
      password: { type: 'string' },
    },
  });
  try {
    switch (command) {
      case 'start': {
        const { startServer } = await import('../server');
        await startServer();
        return;
      }
      case 'migrate':
        await withDatabase(async (d) => console.log(`数据库结构已是最新（${d.kind}）`));
        return;
      case 'create-admin': {
        if (!values.username) throw new AppError('validation_failed', '请用 --username 指定用户名');
        const role = (values.role ?? 'org_admin') as Role;
        if (!ROLES.includes(role)) throw new AppError('validation_failed', `未知角色：${role}`);
        await withDatabase(async ({ db }) => {
          const created = await db.transaction(async (tx) => {
            const root = await ensureRootOrg(tx, systemClock);
            return createAccountWithRoles(tx, {
              username: values.username!,
              displayName: values['display-name'] ?? values.username!,
              orgId: root.id,
              roles: [role],
              clock: systemClock,
            });
          });
          printOneTimePasswords([
            { username: created.account.username, password: created.password, role },
          ]);
        });
        return;
      }
      case 'reset-password': {
        if (!values.username) throw new AppError('validation_failed', '请用 --username 指定用户名');
        await withDatabase(async ({ db }) => {
          const password = generateOneTimePassword(randomBytes(32));
          const passwordHash = await hashPassword(password);
          await db.transaction(async (tx) => {
            const [a] = await tx
              .select()
              .from(account)
              .where(sql`lower(${account.username}) = lower(${values.username!})`);
            if (!a) throw new AppError('not_found', `账号「${values.username}」不存在`);
            await tx
              .update(account)
              .set({
                passwordHash,
                mustChangePassword: true,
                lockedUntil: null,
                ...(values['reset-totp']
                  ? { totpEnabled: false, totpSecret: null, totpLastStep: null }
                  : {}),
              })
              .where(eq(account.id, a.id));
            await tx.delete(session).where(eq(session.accountId, a.id));
            await writeAudit(tx, cliCtx, {
              action: values['reset-totp'] ? 'account.reset_totp' : 'account.reset_password',
              result: 'success',
              targetType: 'account',
              targetId: a.id,
              targetLabel: a.username,
              actorOverride: { accountId: null, username: 'cli' },
            });
          });
          printOneTimePasswords([{ username: values.username!, password, role: '' }]);
        });
        return;
      }
      case 'backup':
        await withDatabase(async (d) => {
          const result = await backupDatabase(d, {
            out: values.out,
            dataDir: loadConfig().dataDir,
          });
          console.log(
            `备份完成：${result.file}（${result.tables.map((t) => `${t.name} ${t.rows}`).join('，')}）`,
          );
        });
        return;
      case 'restore': {
        const file = positionals[0];
        if (!file) throw new AppError('validation_failed', '请指定备份文件');
        if (!values.yes)
          throw new AppError(
            'validation_failed',
            '恢复会覆盖当前数据库的全部数据。确认无误后加 --yes 再执行。',
          );
        await withDatabase(async (d) => {
          const result = await restoreDatabase(d, file);
          console.log(
            `恢复完成，校验一致：${result.tables.map((t) => `${t.name} ${t.rows}`).join('，')}`,
          );
        });
        return;
      }
      case 'seed-demo':
        await withDatabase(async (database) => {
          const cipher = await openCipher(database, { dataDir: loadConfig().dataDir });
          const started = Date.now();
          const result = await seedDemo(database.db, {
            seed: values.seed ? Number(values.seed) : 20260701,
            password: values.password,
            cipher,
          });
          console.log(result.summary);
          console.log(`用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`);
        });
        return;
      case 'verify-audit':
        await withDatabase(async ({ db }) => {
          const r = await verifyAuditChain(db);
          if (r.ok) console.log(`审计日志完整：已校验 ${r.checked} 条`);
          else {
            console.error(
              `审计日志被篡改：第 ${r.firstBrokenId} 条记录与哈希链不符（此前 ${r.checked} 条正常）`,
            );
            process.exitCode = 1;
          }
        });
        return;
      case 'keyring-generate': {
        // Printed for the operator to store in a secret manager; never written to the repository.
        const document = generateKeyringDocument();
        console.log(
          [
            '新的密钥环（请妥善保管，丢失后已加密的数据将无法解密）：',
            '',
            document,
            '',
            '作为环境变量使用：',
            `LIUDONG_KEYRING=${encodeKeyringForEnv(KeyringDocument.parse(JSON.parse(document)))}`,
            '或保存为文件（权限 0600）并设置 LIUDONG_KEYRING_FILE=<文件路径>。',
          ].join('\n'),
        );
        return;
      }
      case undefined:
      case 'help':
      case '--help':
        console.log(HELP);
        return;
      default:
        console.error(`未知命令：${command}\n\n${HELP}`);
        process.exitCode = 2;
    }
  } catch (err) {
    if (
      err instanceof AppError ||
      err instanceof DataDirLockedError ||
      err instanceof ConfigError ||
      err instanceof KeyringError
    ) {
      console.error(err.message);
      process.exitCode = 1;
      return;
    }
    // Never print a failed query's parameters: they may hold personal data (SECURITY.md 16).
    const safe = describeSafely(err);
    console.error(`命令执行失败：${safe.message}\n${safe.stack ?? ''}`);
    process.exitCode = 1;
  }
}
