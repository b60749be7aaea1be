import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ROLE_PERMISSIONS, childPath } from '@liudong/domain';
import { account, org } from '../../db/schema';
import {
  KeyringDocument,
  createFieldCipher,
  encodeKeyringForEnv,
  generateKeyringDocument,
  loadKeyring,
} from '../../platform/crypto';
import { openEmbedded, openPostgres, queryRows, type Database } from '../../platform/db';
import { withDatabase } from '../../test/global-setup';
import { registerSecret, testDatabaseKinds } from '../../test/harness';
import { buildSheet, fixtureOptions, syntheticPeople } from './import.fixtures';
import { createImportService } from './imports.service';

/**
 * SECURITY.md 25: kill -9 during an import leaves nothing half-written. A child process commits
 * a large batch; it is killed with SIGKILL as soon as it reports writing; the database then holds
 * not one row of it, and the same batch commits completely afterwards.
 */

const ROWS = 12_000;
const NOW = '2026-11-20T02:00:00Z';
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** A database a second process can open: PGlite on disk, or a PostgreSQL database by URL. */
async function sharedDatabase(kind: 'pglite' | 'postgres') {
  if (kind === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liudong-crash-'));
    const template = new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
    const seed = await PGlite.create(path.join(dir, 'pgdata'), { loadDataDir: template });
    await seed.close();
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    return { env: { CRASH_DATA_DIR: dir }, open: () => openEmbedded(dir) };
  }
  const url = inject('pgUrl')!;
  const name = `${inject('pgTemplate')!.replace(/_template$/, '')}_crash_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name} template ${inject('pgTemplate')}`);
  await admin.end();
  cleanups.push(async () => {
    const a = new pg.Client({ connectionString: url });
    await a.connect();
    await a.query(`drop database if exists ${name} with (force)`);
    await a.end();
  });
  const dbUrl = withDatabase(url, name);
  return { env: { CRASH_DB_URL: dbUrl }, open: async () => openPostgres(dbUrl, { max: 2 }) };
}

const count = async (database: Database, table: string) =>
  (
    await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from ${sql.identifier(table)}`,
    )
  )[0]!.n;

for (const kind of testDatabaseKinds()) {
  describe(`import killed mid-commit [${kind}]`, () => {
    it(
      'leaves nothing half-written, and the batch commits afterwards',
      { timeout: 240_000 },
      async () => {
        const shared = await sharedDatabase(kind);
        const document = KeyringDocument.parse(JSON.parse(generateKeyringDocument()));
        const keyringEnv = encodeKeyringForEnv(document);
        const cipher = createFieldCipher(
          loadKeyring({ env: { LIUDONG_KEYRING: keyringEnv }, dataDir: '/x', embedded: false }),
        );

        // Setup: an org, a branch, an officer and an uploaded batch of many rows.
        let database = await shared.open();
        const townId = randomUUID();
        const branchId = randomUUID();
        const townPath = childPath(null, townId);
        await database.db.insert(org).values([
          { id: townId, path: townPath, depth: 1, name: '崩溃测试镇党委', kind: 'committee' },
          {
            id: branchId,
            parentId: townId,
            path: childPath(townPath, branchId),
            depth: 2,
            name: '崩溃测试村党支部',
            kind: 'branch',
          },
        ]);
        const [officer] = await database.db
          .insert(account)
          .values({
            username: 'crash-officer',
            displayName: 'crash',
            passwordHash: 'x',
            homeOrgId: townId,
          })
          .returning();
        const actor = {
          accountId: officer!.id,
          username: 'crash-officer',
          role: 'committee_officer' as const,
          orgId: townId,
          orgName: '崩溃测试镇党委',
          orgPath: townPath,
        };
        const ctx = {
          actor: {
            ...actor,
            grantId: officer!.id,
            permissions: new Set(ROLE_PERMISSIONS.committee_officer),
          },
          ip: null,
          correlationId: 'crash-setup',
          clock: { now: () => new Date(NOW) },
        };
        const people = syntheticPeople(ROWS, 9001);
        const file = await buildSheet({
          headers: ['姓名', '身份证号码'],
          rows: people.map((p) => [p.name, p.idNumber]),
        });
        for (const p of people.slice(0, 50)) registerSecret(p.idNumber);
        const service = createImportService({ db: database.db, cipher });
        const preview = await service.upload(
          ctx,
          { kind: 'members', fileName: 'crash.xlsx' },
          file,
        );
        const options = fixtureOptions(branchId);
        await database.close();

        // The child commits; it is killed at its first "writing" line.
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', path.join(import.meta.dirname, 'import-crash.child.ts')],
          {
            env: {
              ...process.env,
              ...shared.env,
              LIUDONG_KEYRING: keyringEnv,
              CRASH_ACTOR: JSON.stringify(actor),
              CRASH_BATCH: preview.id,
              CRASH_OPTIONS: JSON.stringify(options),
              CRASH_NOW: NOW,
            },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        const stderr: string[] = [];
        child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
        const exited = new Promise<NodeJS.Signals | null>((resolve) =>
          child.on('exit', (_code, signal) => resolve(signal)),
        );
        let sawWriting = false;
        let finished = false;
        for await (const line of readline.createInterface({ input: child.stdout })) {
          const l = JSON.parse(line) as { type: string; phase?: string; done?: number };
          if (l.type === 'finished') finished = true;
          if (l.type === 'progress' && l.phase === 'writing' && !sawWriting) {
            sawWriting = true;
            child.kill('SIGKILL');
          }
        }
        expect(await exited, stderr.join('')).toBe('SIGKILL');
        expect(sawWriting).toBe(true);
        expect(finished).toBe(false);

        // Nothing of the batch is in the database; the batch is still waiting.
        database = await shared.open();
        try {
          expect(await count(database, 'member')).toBe(0);
          expect(await count(database, 'import_batch_item')).toBe(0);
          const [batch] = await queryRows<{ status: string }>(
            database.db,
            sql`select status from import_batch where id = ${preview.id}`,
          );
          expect(batch!.status).toBe('uploaded');
          expect(
            await queryRows(
              database.db,
              sql`select 1 from audit_log where action = 'import.commit'`,
            ),
          ).toEqual([]);

          // And it can be run again, in full.
          const again = createImportService({ db: database.db, cipher });
          const done = await again.commit(ctx, preview.id, options);
          expect(done).toMatchObject({ status: 'committed', createdCount: ROWS });
          expect(await count(database, 'member')).toBe(ROWS);
        } finally {
          await database.close();
        }
      },
    );
  });
}
