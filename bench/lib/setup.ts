/**
 * A fresh benchmark database on the PostgreSQL server: created, migrated with the app's own
 * migrations, given a small org tree and an acting officer. Never the app's or the tests'
 * databases: the name is liudong_bench_<scenario>.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { ROLE_PERMISSIONS, fixedClock } from '@liudong/domain';
import { account, org, roleGrant } from '../../apps/server/src/db/schema';
import { migrateDatabase, openPostgres, type Database } from '../../apps/server/src/platform/db';
import type { RequestContext } from '../../apps/server/src/platform/actor';
import {
  KeyringDocument,
  createFieldCipher,
  encodeKeyringForEnv,
  generateKeyringDocument,
  loadKeyring,
} from '../../apps/server/src/platform/crypto';

export const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

function withDatabase(serverUrl: string, name: string) {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function recreateDatabase(serverUrl: string, name: string): Promise<string> {
  if (!/^liudong_bench_[a-z0-9_]+$/.test(name)) throw new Error(`refusing database name ${name}`);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return withDatabase(serverUrl, name);
}

export async function dropDatabase(serverUrl: string, name: string) {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

/** A key ring made for this run only (bench data is synthetic, but keys are never committed). */
export function benchCipher() {
  const document = KeyringDocument.parse(JSON.parse(generateKeyringDocument()));
  return createFieldCipher(
    loadKeyring({
      env: { LIUDONG_KEYRING: encodeKeyringForEnv(document) },
      dataDir: '/nonexistent',
      embedded: false,
    }),
  );
}

export interface BenchWorld {
  database: Database;
  countyId: string;
  branchIds: Map<string, string>;
  ctx: RequestContext;
}

/** County committee → one town committee → the named branches; an org admin at the county. */
export async function openWorld(url: string, branchNames: readonly string[]): Promise<BenchWorld> {
  const database = openPostgres(url, { max: 4 });
  await migrateDatabase(database);
  const db = database.db;
  const countyId = randomUUID();
  const townId = randomUUID();
  const countyPath = `/${countyId}/`;
  const townPath = `${countyPath}${townId}/`;
  await db.insert(org).values([
    {
      id: countyId,
      parentId: null,
      path: countyPath,
      depth: 1,
      name: '基准测试县委',
      kind: 'committee',
      regionCode: '511922',
    },
    {
      id: townId,
      parentId: countyId,
      path: townPath,
      depth: 2,
      name: '基准测试镇党委',
      kind: 'committee',
      regionCode: '511922',
    },
  ]);
  const branchIds = new Map<string, string>();
  const rows = branchNames.map((name) => {
    const id = randomUUID();
    branchIds.set(name, id);
    return { id, parentId: townId, path: `${townPath}${id}/`, depth: 3, name, kind: 'branch' };
  });
  await db.insert(org).values(rows);
  const accountId = randomUUID();
  const grantId = randomUUID();
  await db.insert(account).values({
    id: accountId,
    username: 'bench',
    displayName: '基准测试',
    passwordHash: 'x',
    homeOrgId: countyId,
  });
  await db.insert(roleGrant).values({ id: grantId, accountId, role: 'org_admin', orgId: countyId });
  const ctx: RequestContext = {
    actor: {
      accountId,
      username: 'bench',
      grantId,
      role: 'org_admin',
      orgId: countyId,
      orgName: '基准测试县委',
      orgPath: countyPath,
      permissions: new Set(ROLE_PERMISSIONS.org_admin),
    },
    ip: '127.0.0.1',
    correlationId: 'bench',
    clock: fixedClock(new Date('2026-11-21T02:00:00Z')),
  };
  return { database, countyId, branchIds, ctx };
}

/**
 * CPU time (ms) used so far by each PostgreSQL server process of one database, read from /proc
 * (the server runs on this machine in the benchmark set-up); empty when it cannot be read. The
 * difference of two readings (cpuDelta) shows how the wall time of a run splits between this
 * process and the database.
 */
export async function serverCpu(serverUrl: string, database: string): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = $1',
      [database],
    );
    for (const { pid } of rows) {
      // Fields 14 and 15 of /proc/<pid>/stat: user and system time in clock ticks (1/100 s),
      // counted after the command name, which is in parentheses and may hold spaces.
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
    }
  } catch {
    out.clear();
  } finally {
    await admin.end();
  }
  return out;
}

/** CPU ms between two readings of serverCpu (processes gone by the second one are left out). */
export function cpuDelta(before: Map<number, number>, after: Map<number, number>): number | null {
  if (after.size === 0) return null;
  let ms = 0;
  for (const [pid, now] of after) ms += now - (before.get(pid) ?? 0);
  return ms;
}
