import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { generateSync } from 'otplib';
import { inject } from 'vitest';
import { childPath, fixedClock, type FixedClock, type OrgKind, type Role } from '@liudong/domain';
import { buildApp } from '../app';
import {
  createFieldCipher,
  encodeKeyringForEnv,
  generateKeyringDocument,
  loadKeyring,
  KeyringDocument,
} from '../platform/crypto';
import { account, member, org, roleGrant } from '../db/schema';
import {
  FIELD,
  idNumberBlindIndex,
  nameKeys,
  phoneBlindIndex,
} from '../modules/members/member-fields';
import { openPostgres, wrapPglite, type Database, type DbKind } from '../platform/db';
import { hashPassword } from '../platform/password';
import { newTotpSecret } from '../platform/totp';
import { SESSION_COOKIE } from '../platform/session-token';
import type { AppConfig } from '../platform/config';
import { SECRETS_FILE } from './log-scan';
import { withDatabase } from './global-setup';

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (ARCHITECTURE.md "Tests"). */
export function testDatabaseKinds(): DbKind[] {
  return inject('pgTemplate') ? ['pglite', 'postgres'] : ['pglite'];
}

/** A private, migrated database cloned from the run's template. */
export async function openTestDatabase(kind: DbKind): Promise<Database> {
  if (kind === 'pglite') {
    const tarball = fs.readFileSync(inject('pgliteTemplate'));
    const pglite = await PGlite.create({ loadDataDir: new Blob([tarball]) });
    return wrapPglite(pglite);
  }
  const url = inject('pgUrl')!;
  // Named after the run's template (liudong_test_<pid>_…), so only this run drops it.
  const name = `${inject('pgTemplate')!.replace(/_template$/, '')}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name} template ${inject('pgTemplate')}`);
  await admin.end();
  const database = openPostgres(withDatabase(url, name), { max: 5 });
  return {
    ...database,
    close: async () => {
      await database.close();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** Values the log scan must never find (SECURITY.md 16). */
export function registerSecret(value: string) {
  fs.appendFileSync(path.join(inject('logDir'), SECRETS_FILE), `${value}\n`);
}

export const TEST_PASSWORD = 'Test-Passw0rd-2026';

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir: '/nonexistent',
    databaseUrl: undefined,
    logLevel: 'info',
    trustProxy: false,
    cookieSecure: false,
    webDistDir: '/nonexistent',
    ...overrides,
  };
}

/** A fresh keyring per test process: tests never share or commit key material. */
export function testCipher() {
  const document = KeyringDocument.parse(JSON.parse(generateKeyringDocument()));
  return createFieldCipher(
    loadKeyring({
      env: { LIUDONG_KEYRING: encodeKeyringForEnv(document) },
      dataDir: '/nonexistent',
      embedded: false,
    }),
  );
}

export interface TestOrg {
  id: string;
  path: string;
  depth: number;
  name: string;
  kind: OrgKind;
}

export async function createTestApp(kind: DbKind, opts: { now?: string } = {}) {
  const database = await openTestDatabase(kind);
  const clock: FixedClock = fixedClock(opts.now ?? '2026-11-20T02:00:00Z');
  const logFile = path.join(inject('logDir'), `${randomUUID()}.log`);
  const logStream = fs.createWriteStream(logFile);
  const cipher = testCipher();
  const app = await buildApp({
    database,
    config: testConfig(),
    cipher,
    clock,
    version: 'test',
    logStream,
  });
  await app.ready();
  const db = database.db;
  registerSecret(TEST_PASSWORD);

  async function addOrg(
    parent: TestOrg | null,
    name: string,
    kind: OrgKind = 'committee',
  ): Promise<TestOrg> {
    const id = randomUUID();
    const p = childPath(parent?.path ?? null, id);
    const depth = (parent?.depth ?? 0) + 1;
    await db.insert(org).values({ id, parentId: parent?.id ?? null, path: p, depth, name, kind });
    return { id, path: p, depth, name, kind };
  }

  /**
   * A member row written the way the API writes it (encrypted fields, blind indexes, pinyin
   * keys), for tests that need one without going through POST /api/members.
   */
  async function addMember(
    home: { id: string } | null,
    o: {
      name?: string;
      gender?: 'male' | 'female';
      idNumber?: string;
      phone?: string;
      joinedOn?: string | null;
      membership?: 'full' | 'probationary';
    } = {},
  ) {
    const name = o.name ?? `测试党员${randomUUID().slice(0, 4)}`;
    const [row] = await db
      .insert(member)
      .values({
        orgId: home?.id ?? null,
        name,
        ...nameKeys(name),
        gender: o.gender ?? 'male',
        idNumberEnc: o.idNumber ? cipher.encrypt(o.idNumber, FIELD.idNumber.context) : null,
        idNumberBidx: o.idNumber ? idNumberBlindIndex(cipher, o.idNumber) : null,
        phoneEnc: o.phone ? cipher.encrypt(o.phone, FIELD.phone.context) : null,
        phoneBidx: o.phone ? phoneBlindIndex(cipher, o.phone) : null,
        joinedOn: o.joinedOn ?? null,
        membership: o.membership ?? 'full',
      })
      .returning();
    return { id: row!.id, name, version: row!.version };
  }

  /**
   * A ready-to-use account: password set, no forced change, and TOTP enrolled when the role
   * requires it (the secret is returned so the test can compute codes).
   */
  async function addUser(
    username: string,
    grants: { role: Role; org: TestOrg }[],
    o: { totp?: boolean; mustChangePassword?: boolean; password?: string } = {},
  ) {
    const needsTotp =
      o.totp ??
      grants.some((g) =>
        ['org_admin', 'system_admin', 'security_admin', 'auditor'].includes(g.role),
      );
    const totpSecret = needsTotp ? newTotpSecret() : null;
    const [a] = await db
      .insert(account)
      .values({
        username,
        displayName: username,
        passwordHash: await hashPassword(o.password ?? TEST_PASSWORD),
        mustChangePassword: o.mustChangePassword ?? false,
        passwordChangedAt: clock.now(),
        totpSecret,
        totpEnabled: needsTotp,
        homeOrgId: grants[0]?.org.id ?? (await addOrg(null, `${username} home`)).id,
      })
      .returning();
    const grantIds: string[] = [];
    for (const [i, g] of grants.entries()) {
      // Distinct times keep the order given: the first grant is the session's starting role.
      const grantedAt = new Date(clock.now().getTime() + i);
      const [row] = await db
        .insert(roleGrant)
        .values({ accountId: a!.id, role: g.role, orgId: g.org.id, grantedAt })
        .returning();
      grantIds.push(row!.id);
    }
    return { id: a!.id, username, totpSecret, grantIds };
  }

  function totpCode(secret: string) {
    return generateSync({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });
  }

  /** Logs in through the real endpoints (password, then TOTP when enrolled). */
  async function login(
    user: { username: string; totpSecret: string | null },
    password = TEST_PASSWORD,
  ) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: user.username, password },
    });
    if (res.statusCode !== 200)
      throw new Error(`login ${user.username} failed: ${res.statusCode} ${res.body}`);
    const client = clientFor(cookieOf(res));
    await client.refreshCsrf();
    if ((res.json() as { next: string }).next === 'totp' && user.totpSecret) {
      const step = await client.post('/api/auth/totp', { code: totpCode(user.totpSecret) });
      if (step.statusCode !== 200) throw new Error(`totp ${user.username} failed: ${step.body}`);
      client.cookie = cookieOf(step);
      // A code is accepted once per 30-second step: move on so the next login gets a new one.
      clock.advance(31_000);
    }
    await client.refreshCsrf();
    return client;
  }

  function cookieOf(res: { cookies: { name: string; value: string }[] }) {
    const c = res.cookies.find((x) => x.name === SESSION_COOKIE);
    if (!c) throw new Error('no session cookie');
    registerSecret(c.value);
    return c.value;
  }

  function clientFor(cookie: string) {
    const client = {
      cookie,
      csrf: '',
      async refreshCsrf() {
        const me = await app.inject({
          method: 'GET',
          url: '/api/auth/me',
          cookies: { [SESSION_COOKIE]: client.cookie },
        });
        if (me.statusCode === 200) {
          client.csrf = (me.json() as { csrfToken: string }).csrfToken;
          registerSecret(client.csrf);
        }
        return me;
      },
      request(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) {
        return app.inject({
          method,
          url,
          cookies: { [SESSION_COOKIE]: client.cookie },
          headers: method === 'GET' ? {} : { 'x-csrf-token': client.csrf },
          ...(payload === undefined ? {} : { payload: payload as object }),
        });
      },
      get: (url: string) => client.request('GET', url),
      post: (url: string, payload?: unknown) => client.request('POST', url, payload ?? {}),
      patch: (url: string, payload: unknown) => client.request('PATCH', url, payload),
      del: (url: string) => client.request('DELETE', url),
    };
    return client;
  }

  return {
    app,
    database,
    db,
    kind,
    clock,
    cipher,
    addOrg,
    addMember,
    addUser,
    login,
    totpCode,
    clientFor,
    cookieOf,
    async close() {
      await app.close();
      await database.close();
      logStream.end();
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;
export type TestClient = Awaited<ReturnType<TestApp['login']>>;
