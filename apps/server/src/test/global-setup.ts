import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { isAlive, migrateDatabase, openPostgres, wrapPglite } from '../platform/db';
import { scanLogsForSecrets } from './log-scan';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgUrl: string | null;
    pgTemplate: string | null;
    logDir: string;
  }
}

/**
 * Migrates one template database per run — PGlite dumped to a tarball, and a PostgreSQL template
 * database when TEST_DATABASE_URL is set — so each test file starts from a clone in a fraction
 * of the time a fresh migration takes (ARCHITECTURE.md "Tests").
 */
export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liudong-test-'));
  const logDir = path.join(dir, 'logs');
  fs.mkdirSync(logDir);

  const pglite = await PGlite.create();
  await migrateDatabase(wrapPglite(pglite));
  const dump = await pglite.dumpDataDir('gzip');
  const templateFile = path.join(dir, 'template.tar.gz');
  fs.writeFileSync(templateFile, Buffer.from(await dump.arrayBuffer()));
  await pglite.close();

  const url = process.env.TEST_DATABASE_URL ?? null;
  let template: string | null = null;
  if (url) {
    template = `liudong_test_${process.pid}_template`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await dropTestDatabases(admin, { onlyDead: true });
    await admin.query(`create database ${template}`);
    await admin.end();
    const database = openPostgres(withDatabase(url, template), { max: 1 });
    await migrateDatabase(database);
    await database.close();
  }

  project.provide('pgliteTemplate', templateFile);
  project.provide('pgUrl', url);
  project.provide('pgTemplate', template);
  project.provide('logDir', logDir);

  return async () => {
    if (url) {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await dropTestDatabases(admin, { onlyDead: false });
      await admin.end();
    }
    // SECURITY.md 16: after the whole suite, the logs hold no ID number, phone, password or token.
    const findings = scanLogsForSecrets(logDir);
    fs.rmSync(dir, { recursive: true, force: true });
    if (findings.length > 0) {
      throw new Error(
        `日志中发现敏感信息（${findings.length} 处）：\n${findings.slice(0, 10).join('\n')}`,
      );
    }
  };
}

export function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Test databases are named liudong_test_<pid of the run>_…: a run drops its own at the end, and
 * at the start only those of runs that no longer exist, so two runs on one server (a developer's
 * and CI's) never drop each other's databases.
 */
async function dropTestDatabases(admin: pg.Client, opts: { onlyDead: boolean }) {
  const { rows } = await admin.query<{ datname: string }>(
    `select datname from pg_database where datname like 'liudong\\_test\\_%'`,
  );
  for (const r of rows) {
    const pid = Number(/^liudong_test_(\d+)_/.exec(r.datname)?.[1] ?? 0);
    const mine = pid === process.pid;
    if (opts.onlyDead ? mine || !isAlive(pid) : mine) {
      await admin.query(`drop database if exists "${r.datname}" with (force)`);
    }
  }
}
