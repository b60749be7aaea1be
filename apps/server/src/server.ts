import { buildApp } from './app';
import { loadConfig, type AppConfig } from './platform/config';
import { migrateDatabase, openDatabase } from './platform/db';
import { openCipher } from './platform/keys';
import { startMaintenance } from './platform/maintenance';
import { VERSION } from './platform/version';
import { ensureFirstAdmin, printOneTimePasswords } from './modules/accounts/bootstrap';

/** `npm start` / `liudong start`: open (and lock) the database, migrate, serve. */
export async function startServer(config: AppConfig = loadConfig()) {
  const database = await openDatabase(config);
  let closing = false;
  try {
    await migrateDatabase(database);
    const first = await ensureFirstAdmin(database.db);
    if (first) {
      printOneTimePasswords([
        { username: first[0].account.username, password: first[0].password, role: '组织部管理员' },
        { username: first[1].account.username, password: first[1].password, role: '安全管理员  ' },
      ]);
    }
    const cipher = await openCipher(database, { dataDir: config.dataDir });
    const app = await buildApp({ database, config, cipher, version: VERSION });
    const shutdown = async (signal: string) => {
      if (closing) return;
      closing = true;
      app.log.info({ signal }, 'shutting down');
      // Stop taking requests, then checkpoint and close the database (issue 2 §2).
      stopMaintenance();
      await app.close();
      await database.close();
      process.exit(0);
    };
    const stopMaintenance = startMaintenance({ database, dataDir: config.dataDir, log: app.log });
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    await app.listen({ port: config.port, host: config.host });
    app.log.info(
      { db: database.kind, dataDir: database.kind === 'pglite' ? config.dataDir : undefined },
      `listening on http://${config.host}:${config.port}`,
    );
    return app;
  } catch (err) {
    await database.close();
    throw err;
  }
}
