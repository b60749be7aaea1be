import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { once } from 'node:events';
import zlib from 'node:zlib';
import { sql } from 'drizzle-orm';
import { queryRows, type Database, type Tx } from './db';
import { AppError } from './errors';

/**
 * The tables a backup holds, parents before children, with the key that orders them. Sessions
 * are left out on purpose: a restored system starts with everyone signed out. A test fails when
 * a table exists that is neither here nor in NOT_BACKED_UP, so new tables cannot be forgotten.
 */
export const BACKUP_TABLES = [
  { name: 'region', key: 'code', keyType: 'text' },
  { name: 'org', key: 'id', keyType: 'uuid' },
  { name: 'service_point', key: 'id', keyType: 'uuid' },
  { name: 'account', key: 'id', keyType: 'uuid' },
  { name: 'role_grant', key: 'id', keyType: 'uuid' },
  { name: 'member', key: 'id', keyType: 'uuid' },
  { name: 'mobility', key: 'id', keyType: 'uuid' },
  { name: 'mobility_transition', key: 'id', keyType: 'serial' },
  { name: 'certificate_counter', key: 'id', keyType: 'uuid' },
  { name: 'certificate', key: 'id', keyType: 'uuid' },
  { name: 'transfer_letter_counter', key: 'id', keyType: 'uuid' },
  { name: 'transfer', key: 'id', keyType: 'uuid' },
  { name: 'liaison', key: 'id', keyType: 'uuid' },
  { name: 'liaison_assignment', key: 'id', keyType: 'uuid' },
  { name: 'contact_schedule', key: 'id', keyType: 'uuid' },
  { name: 'contact', key: 'id', keyType: 'uuid' },
  { name: 'participation', key: 'id', keyType: 'uuid' },
  { name: 'lost_contact_note', key: 'member_id', keyType: 'uuid' },
  { name: 'census_campaign', key: 'id', keyType: 'uuid' },
  { name: 'census_task', key: 'id', keyType: 'uuid' },
  { name: 'sms_template', key: 'id', keyType: 'uuid' },
  { name: 'sms_broadcast', key: 'id', keyType: 'uuid' },
  { name: 'sms_message', key: 'id', keyType: 'uuid' },
  { name: 'sms_opt_out', key: 'phone_bidx', keyType: 'text' },
  { name: 'notification', key: 'id', keyType: 'uuid' },
  { name: 'import_mapping', key: 'id', keyType: 'uuid' },
  { name: 'import_batch', key: 'id', keyType: 'uuid' },
  { name: 'import_file', key: 'batch_id', keyType: 'uuid' },
  { name: 'import_batch_item', key: 'id', keyType: 'serial' },
  { name: 'app_setting', key: 'key', keyType: 'text' },
  { name: 'login_attempt', key: 'id', keyType: 'serial' },
  { name: 'audit_log', key: 'id', keyType: 'serial' },
] as const;
// Sessions are credentials; jobs are transient work whose effects (notifications, SMS) carry
// their own exactly-once keys, so a restore without them sends nothing twice.
// member_sign is derived from contact and participation (its triggers keep it); a restore
// rebuilds it, since replica mode bypasses those triggers while the rows are reloaded.
export const NOT_BACKED_UP = ['session', 'job', 'member_sign'];

const FORMAT = 'liudong-backup';
const BATCH = 5000;

export interface TableSummary {
  name: string;
  rows: number;
  sha256: string;
}

/**
 * Every row as the server's own JSON text, in key order. The same function feeds the backup and
 * the check after a restore, so "identical data" means identical text (SECURITY.md 29).
 */
async function* exportRows(tx: Tx, table: (typeof BACKUP_TABLES)[number]) {
  let last: string | null = null;
  for (;;) {
    const rows: { k: string; j: string }[] = await queryRows<{ k: string; j: string }>(
      tx,
      sql`select ${sql.identifier(table.key)}::text as k, row_to_json(t)::text as j
            from ${sql.identifier(table.name)} t
           where ${last === null ? sql`true` : sql`${sql.identifier(table.key)} > ${last}::${sql.raw(table.keyType === 'serial' ? 'bigint' : table.keyType)}`}
           order by ${sql.identifier(table.key)}
           limit ${BATCH}`,
    );
    if (rows.length === 0) return;
    for (const r of rows) yield r.j;
    last = rows.at(-1)!.k;
  }
}

async function snapshot<T>(database: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return database.db.transaction(async (tx) => {
    // One consistent view of every table, rendered in UTC so the text does not depend on the
    // server's time zone.
    await tx.execute(sql`set transaction isolation level repeatable read`);
    await tx.execute(sql`set local timezone = 'UTC'`);
    return fn(tx);
  });
}

async function checksums(tx: Tx): Promise<TableSummary[]> {
  const out: TableSummary[] = [];
  for (const table of BACKUP_TABLES) {
    const h = createHash('sha256');
    let rows = 0;
    for await (const j of exportRows(tx, table)) {
      h.update(j).update('\n');
      rows++;
    }
    out.push({ name: table.name, rows, sha256: h.digest('hex') });
  }
  return out;
}

export async function tableChecksums(database: Database) {
  return snapshot(database, checksums);
}

async function migrationCount(tx: Tx) {
  const [row] = await queryRows<{ n: number }>(
    tx,
    sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
  );
  return row?.n ?? 0;
}

/** Writes a gzip'd JSON-lines backup: a header, the rows, and a manifest of counts and checksums. */
export async function backupDatabase(
  database: Database,
  opts: { out?: string | undefined; dataDir: string },
) {
  const file =
    opts.out ??
    path.join(
      opts.dataDir,
      'backups',
      `liudong-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl.gz`,
    );
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.partial`;
  const gzip = zlib.createGzip();
  const sink = fs.createWriteStream(tmp, { mode: 0o600 });
  gzip.pipe(sink);
  const write = async (line: string) => {
    if (!gzip.write(line + '\n')) await once(gzip, 'drain');
  };
  const tables = await snapshot(database, async (tx) => {
    await write(
      JSON.stringify({
        format: FORMAT,
        version: 1,
        migrations: await migrationCount(tx),
        db: database.kind,
        createdAt: new Date().toISOString(),
      }),
    );
    const summary: TableSummary[] = [];
    for (const table of BACKUP_TABLES) {
      const h = createHash('sha256');
      let rows = 0;
      for await (const j of exportRows(tx, table)) {
        h.update(j).update('\n');
        rows++;
        await write(`{"t":${JSON.stringify(table.name)},"r":${j}}`);
      }
      summary.push({ name: table.name, rows, sha256: h.digest('hex') });
    }
    await write(JSON.stringify({ manifest: summary }));
    return summary;
  });
  gzip.end();
  await once(sink, 'close');
  // Renamed only when complete: a crash never leaves a truncated file that looks like a backup.
  fs.renameSync(tmp, file);
  return { file, tables };
}

/**
 * Replaces every backed-up table with the backup's rows in one transaction, then recomputes the
 * checksums and rolls back unless they match the manifest: a restore either is exact or changes
 * nothing. Needs a database owner/superuser (it bypasses triggers to reload the audit trail).
 */
export async function restoreDatabase(database: Database, file: string) {
  if (!fs.existsSync(file)) throw new AppError('not_found', `备份文件不存在：${file}`);
  const known = new Set<string>(BACKUP_TABLES.map((t) => t.name));
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`set local timezone = 'UTC'`);
    // Replica mode skips triggers (the audit trail's append-only guard) and FK checks while the
    // tables are reloaded; the checksums below prove the result.
    await tx.execute(sql`set local session_replication_role = replica`);
    const all = [...BACKUP_TABLES.map((t) => t.name), ...NOT_BACKED_UP];
    await tx.execute(sql.raw(`truncate ${all.map((n) => `"${n}"`).join(', ')}`));
    // Opened only now, right before it is read: a readline interface starts emitting lines at
    // once, and lines emitted while we awaited the statements above would be lost.
    const lines = readline.createInterface({
      input: fs.createReadStream(file).pipe(zlib.createGunzip()),
      crlfDelay: Infinity,
    });
    let header: { format?: string; migrations?: number } | null = null;
    let manifest: TableSummary[] | null = null;
    let batch: string[] = [];
    let batchTable = '';
    const flush = async () => {
      if (batch.length === 0) return;
      await tx.execute(
        sql`insert into ${sql.identifier(batchTable)} select * from json_populate_recordset(null::${sql.identifier(batchTable)}, ${`[${batch.join(',')}]`}::json)`,
      );
      batch = [];
    };
    for await (const line of lines) {
      if (!line) continue;
      if (!header) {
        header = JSON.parse(line) as { format?: string; migrations?: number };
        if (header.format !== FORMAT)
          throw new AppError('validation_failed', '这不是本系统的备份文件');
        if ((header.migrations ?? 0) > (await migrationCount(tx))) {
          throw new AppError('validation_failed', '备份来自更新版本的系统，请先升级再恢复');
        }
        continue;
      }
      if (line.startsWith('{"manifest"')) {
        manifest = (JSON.parse(line) as { manifest: TableSummary[] }).manifest;
        continue;
      }
      const m = /^\{"t":"([a-z_]+)","r":(.*)\}$/.exec(line);
      if (!m || !known.has(m[1]!)) throw new AppError('validation_failed', '备份文件已损坏');
      if (m[1] !== batchTable) {
        await flush();
        batchTable = m[1]!;
      }
      batch.push(m[2]!);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    if (!manifest) throw new AppError('validation_failed', '备份文件不完整（缺少校验清单）');
    for (const t of BACKUP_TABLES) {
      if (t.keyType === 'serial') {
        await tx.execute(
          sql`select setval(pg_get_serial_sequence(${t.name}, 'id'), coalesce((select max(id) from ${sql.identifier(t.name)}), 0) + 1, false)`,
        );
      }
    }
    await tx.execute(sql`set local session_replication_role = origin`);
    await tx.execute(sql`select member_sign_rebuild()`);
    const after = await checksums(tx);
    for (const expected of manifest) {
      const got = after.find((a) => a.name === expected.name);
      if (!got || got.rows !== expected.rows || got.sha256 !== expected.sha256) {
        throw new AppError(
          'conflict',
          `恢复后的数据与备份不一致（表 ${expected.name}），已撤销恢复`,
        );
      }
    }
    return { tables: after };
  });
}
