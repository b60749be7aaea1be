/**
 * A fresh benchmark database on the PostgreSQL server: created, migrated with the app's own
 * migrations, given a small org tree and an acting officer. Never the app's or the tests'
 * databases: the name is liudong_bench_<scenario>.
 */
import { randomUUID } from 'node:crypto';
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
