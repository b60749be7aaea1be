import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from '../db/schema';
import regionRows from '../db/seed/regions.json' with { type: 'json' };

/** One handle type for both drivers (ARCHITECTURE.md: the same schema runs on both). */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle; services pass it to repositories so a change and its audit commit together. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DbKind;
  /** The embedded instance, when kind is pglite (for backup and test cloning). */
  pglite?: PGlite;
  pool?: pg.Pool;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../db/migrations');

/** Escapes LIKE/ILIKE wildcards in user text (searches match it literally). */
export function escapeLike(q: string): string {
  return q.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Runs a raw query and returns its rows, the same on both drivers. */
export async function queryRows<T>(db: Db | Tx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export function openPostgres(url: string, opts: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
  // A dropped idle connection must not crash the process; the next query gets a new one.
  pool.on('error', () => undefined);
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return { db, kind: 'postgres', pool, close: () => pool.end() };
}

/** An in-memory or restored embedded database without a lock file (tests, tools). */
export function wrapPglite(pglite: PGlite): Database {
  const db = drizzlePglite(pglite, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    pglite,
    close: async () => {
      if (!pglite.closed) await pglite.close();
    },
  };
}

export class DataDirLockedError extends Error {
  constructor(
    readonly lockFile: string,
    readonly pid: number,
  ) {
    super(
      `数据目录正被另一个进程（PID ${pid}）使用：${lockFile}。` +
        '两个进程同时打开内嵌数据库会静默丢失数据，请先停止那个进程。',
    );
  }
}

/** Whether a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function isAlive(pid: number): boolean {
  // pid 0 would signal our own process group and always "succeed".
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock files this process holds: a second open from the same process is refused too. */
const heldLocks = new Set<string>();

/**
 * Takes the data directory's lock file, atomically (O_EXCL). Two PGlite processes on one data
 * directory silently lose writes (ARCHITECTURE.md), so a second process is refused while the
 * first is alive; a lock left by a dead process (kill -9, power loss) is taken over.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(path.resolve(dataDir), 'liudong.lock');
  if (heldLocks.has(lockFile)) throw new DataDirLockedError(lockFile, process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockFile, 'wx');
      fs.writeSync(fd, JSON.stringify({ pid: process.pid, host: os.hostname(), at: new Date() }));
      fs.closeSync(fd);
      heldLocks.add(lockFile);
      return () => {
        heldLocks.delete(lockFile);
        try {
          const owner = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as { pid: number };
          if (owner.pid === process.pid) fs.unlinkSync(lockFile);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let pid = 0;
      try {
        pid = (JSON.parse(fs.readFileSync(lockFile, 'utf8')) as { pid: number }).pid;
      } catch {
        // Unreadable lock (crash while writing it): treat as stale.
      }
      // Our own pid in a lock we do not hold is a leftover whose pid was reused: stale.
      if (pid && pid !== process.pid && isAlive(pid)) throw new DataDirLockedError(lockFile, pid);
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`无法获取数据目录锁：${lockFile}`);
}

export function pgliteDataPath(dataDir: string) {
  return path.join(dataDir, 'pgdata');
}

/** Opens the embedded database under DATA_DIR, guarded by the lock file. */
export async function openEmbedded(dataDir: string): Promise<Database> {
  const release = acquireDataDirLock(dataDir);
  try {
    const pglite = await PGlite.create(pgliteDataPath(dataDir));
    const wrapped = wrapPglite(pglite);
    return {
      ...wrapped,
      close: async () => {
        try {
          if (!pglite.closed) {
            // Flush everything to the data files before the process goes (issue 2 §2).
            await pglite.query('CHECKPOINT');
            await pglite.close();
          }
        } finally {
          release();
        }
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

export async function openDatabase(cfg: {
  databaseUrl?: string | undefined;
  dataDir: string;
}): Promise<Database> {
  return cfg.databaseUrl ? openPostgres(cfg.databaseUrl) : openEmbedded(cfg.dataDir);
}

/**
 * Applies the drizzle-kit migrations (the same files on both databases) and seeds the region
 * table the first time. Safe to run at every start-up.
 */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as never, { migrationsFolder: MIGRATIONS_DIR });
  } else {
    await migratePg(database.db as never, { migrationsFolder: MIGRATIONS_DIR });
  }
  await seedRegions(database.db);
}

async function seedRegions(db: Db) {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from region`);
  if ((row?.n ?? 0) > 0) return;
  await db.execute(sql`
    insert into region (code, name, level, parent_code)
    select code, name, level, "parentCode"
    from jsonb_to_recordset(${JSON.stringify(regionRows)}::jsonb)
      as r(code text, name text, level text, "parentCode" text)
    on conflict (code) do nothing`);
}
