import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cron } from 'croner';
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { purgeAuditLog } from './audit';
import { backupDatabase } from './backup';
import { queryRows, type Database, type Db } from './db';
import { describeSafely } from './safe-error';
import { loadSecurityPolicy } from './security-policy';

const KEEP_BACKUPS = 7;

/** Removes all but the newest `keep` backups (names sort by their timestamp). */
export function pruneBackups(dir: string, keep = KEEP_BACKUPS) {
  if (!fs.existsSync(dir)) return [];
  const files = fs
    .readdirSync(dir)
    .filter((f) => /^liudong-.*\.jsonl\.gz$/.test(f))
    .sort();
  const old = files.slice(0, Math.max(0, files.length - keep));
  for (const f of old) fs.rmSync(path.join(dir, f));
  return old;
}

/**
 * Deletes temporary export files older than `maxAgeMs` (SECURITY.md 17: within an hour (c)).
 * Exports delete their own file when they finish; this catches those left by a crashed process.
 */
export function sweepTempExports(dir = os.tmpdir(), maxAgeMs = 3_600_000, now = Date.now()) {
  const removed: string[] = [];
  for (const f of fs.readdirSync(dir)) {
    if (!/^liudong-export-.*\.xlsx$/.test(f)) continue;
    const full = path.join(dir, f);
    try {
      if (now - fs.statSync(full).mtimeMs > maxAgeMs) {
        fs.rmSync(full, { force: true });
        removed.push(f);
      }
    } catch {
      // Gone meanwhile: nothing to do.
    }
  }
  return removed;
}

/**
 * Uploaded import files whose batch was neither committed nor undone within its time: the batch
 * becomes 'expired' and its (encrypted) file is deleted, in one statement pair per run
 * (SECURITY.md 17). Idempotent, so several instances on one PostgreSQL may all run it.
 */
export async function sweepExpiredImports(db: Db, now = new Date()) {
  return db.transaction(async (tx) => {
    const expired = await queryRows<{ id: string }>(
      tx,
      sql`update import_batch set status = 'expired', version = version + 1
           where status = 'uploaded' and expires_at <= ${now.toISOString()}::timestamptz
       returning id`,
    );
    // Also any file whose batch is no longer open (a crash between the two statements of a
    // commit cannot happen — one transaction — but a restore of an old backup can bring one).
    const files = await queryRows<{ batch_id: string }>(
      tx,
      sql`delete from import_file f using import_batch b
           where b.id = f.batch_id and b.status <> 'uploaded'
       returning f.batch_id`,
    );
    return { expired: expired.length, filesDeleted: files.length };
  });
}

/**
 * Nightly upkeep in the server process: the audit retention purge (SECURITY.md 21; idempotent,
 * so several instances on one PostgreSQL may all run it) and, for the embedded store only, a
 * backup into DATA_DIR/backups keeping the last seven (a PostgreSQL server has its own backups).
 */
export function startMaintenance(opts: {
  database: Database;
  dataDir: string;
  log: FastifyBaseLogger;
}) {
  const { database, dataDir, log } = opts;
  const sweep = () => {
    const removed = sweepTempExports();
    if (removed.length > 0) log.warn({ removed: removed.length }, 'removed stale export files');
  };
  const sweepImports = async () => {
    try {
      const { expired, filesDeleted } = await sweepExpiredImports(database.db);
      if (expired + filesDeleted > 0)
        log.info({ expired, filesDeleted }, 'expired import uploads removed');
    } catch (err) {
      log.error({ err: describeSafely(err) }, 'import upload sweep failed');
    }
  };
  sweep();
  void sweepImports();
  const jobs = [
    new Cron('*/10 * * * *', { protect: true }, sweep),
    // Uploads live 50 minutes; a sweep every 5 deletes them within the hour (SECURITY.md 17).
    new Cron('*/5 * * * *', { protect: true }, sweepImports),
    new Cron('15 2 * * *', { timezone: 'Asia/Shanghai', protect: true }, async () => {
      try {
        const policy = await loadSecurityPolicy(database.db);
        const { deleted } = await purgeAuditLog(database.db, {
          retentionMonths: policy.auditRetentionMonths,
          now: new Date(),
        });
        log.info({ deleted }, 'audit retention purge done');
      } catch (err) {
        log.error({ err: describeSafely(err) }, 'audit retention purge failed');
      }
    }),
  ];
  if (database.kind === 'pglite') {
    jobs.push(
      new Cron('30 2 * * *', { timezone: 'Asia/Shanghai', protect: true }, async () => {
        try {
          const { file } = await backupDatabase(database, { dataDir });
          const removed = pruneBackups(path.dirname(file));
          log.info({ file: path.basename(file), removed: removed.length }, 'nightly backup done');
        } catch (err) {
          log.error({ err: describeSafely(err) }, 'nightly backup failed');
        }
      }),
    );
  }
  return () => jobs.forEach((j) => j.stop());
}
