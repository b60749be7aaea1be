import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { buildApp } from './app';
import { startBackgroundWork } from './background';
import { loadConfig, smsConfigOf, type AppConfig } from './platform/config';
import { migrateDatabase, openDatabase } from './platform/db';
import { openCipher } from './platform/keys';
import { startMaintenance } from './platform/maintenance';
import { VERSION } from './platform/version';
import { ensureFirstAdmin, printOneTimePasswords } from './modules/accounts/bootstrap';
import {
  ensureDefaultSmsTemplates,
  templatesWithoutProviderCode,
} from './modules/sms/sms.templates';

/** `npm start` / `liudong start`: open (and lock) the database, migrate, serve. */
export async function startServer(config: AppConfig = loadConfig()) {
  const database = await openDatabase(config);
  let closing = false;
  let stopBackground: (() => Promise<void>) | null = null;
  try {
    await migrateDatabase(database);
    const first = await ensureFirstAdmin(database.db);
    if (first) {
      printOneTimePasswords([
        { username: first[0].account.username, password: first[0].password, role: '组织部管理员' },
        { username: first[1].account.username, password: first[1].password, role: '安全管理员  ' },
      ]);
    }
    await ensureDefaultSmsTemplates(database.db);
    const cipher = await openCipher(database, { dataDir: config.dataDir });
    const app = await buildApp({ database, config, cipher, version: VERSION });
    const shutdown = async (signal: string) => {
      if (closing) return;
      closing = true;
      app.log.info({ signal }, 'shutting down');
      // Stop taking requests, then checkpoint and close the database (issue 2 §2).
      stopMaintenance();
      // The running background tick finishes before the database closes.
      await stopBackground?.();
      await app.close();
      await database.close();
      process.exit(0);
    };
    const stopMaintenance = startMaintenance({ database, dataDir: config.dataDir, log: app.log });
    if (smsConfigOf(config).driver === 'aliyun') {
      const missing = await templatesWithoutProviderCode(database.db);
      if (missing.length > 0)
        app.log.warn(
          { templates: missing },
          '短信模板未填写阿里云模板编号（模板 CODE），使用这些模板的短信会发送失败：请在“短信 → 模板”中填写',
        );
    }
    // Jobs, reminders and the SMS outbox (issue 4 §3, §6); exactly once across instances.
    stopBackground = startBackgroundWork({
      database,
      cipher,
      config,
      log: app.log,
      instanceId: `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    });
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    await app.listen({ port: config.port, host: config.host });
    app.log.info(
      { db: database.kind, dataDir: database.kind === 'pglite' ? config.dataDir : undefined },
      `listening on http://${config.host}:${config.port}`,
    );
    return app;
  } catch (err) {
    await stopBackground?.();
    await database.close();
    throw err;
  }
}
