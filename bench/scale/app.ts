/**
 * The app as the scenarios measure it: the real Fastify server (buildApp, listening on loopback,
 * the same routes, hooks, session checks and serializers as `liudong start`) on a generated
 * database, in this process so that the SQL each request issues can be captured and replayed as
 * the request's physical limit. Background work (the croner tick) is not started: it would add
 * load that no request asked for.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { buildApp } from '../../apps/server/src/app';
import { loadConfig } from '../../apps/server/src/platform/config';
import { openPostgres, wrapPglite, type Database } from '../../apps/server/src/platform/db';
import { openCipher } from '../../apps/server/src/platform/keys';
import type { PGlite } from '@electric-sql/pglite';

/** One statement as the driver sent it (text and parameters), for replay. */
export interface Statement {
  text: string;
  values: unknown[];
  rowMode?: 'array';
}

export interface BenchApp {
  url: string;
  database: Database;
  /** Runs `fn` and returns the statements it sent on any connection of the app's pool. */
  capture(fn: () => Promise<unknown>): Promise<Statement[]>;
  close(): Promise<void>;
}

type QueryFn = (...args: unknown[]) => unknown;

/**
 * Wraps `query` on every client the pool opens (pool.query and transactions both go through one), recording what is
 * sent while a capture runs. The wrapper costs one property read per query when not capturing.
 */
function instrumentPool(pool: pg.Pool, sink: { current: Statement[] | null }) {
  const record = (a: unknown, b: unknown) => {
    if (!sink.current) return;
    if (typeof a === 'string') sink.current.push({ text: a, values: (b as unknown[]) ?? [] });
    else if (a && typeof a === 'object' && 'text' in a) {
      const q = a as { text: string; values?: unknown[]; rowMode?: 'array' };
      sink.current.push({
        text: q.text,
        values: (b as unknown[]) ?? q.values ?? [],
        ...(q.rowMode && { rowMode: q.rowMode }),
      });
    }
  };
  const wrap = (target: { query: QueryFn }) => {
    const original = target.query.bind(target);
    target.query = (...args: unknown[]) => {
      record(args[0], args[1]);
      return original(...args);
    };
  };
  // Only the clients: pool.query checks out a client and calls its query, so wrapping both would
  // record every statement twice.
  const wrapped = new WeakSet<object>();
  pool.on('connect', (client) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    wrap(client as unknown as { query: QueryFn });
  });
}

export async function startBenchApp(
  opts: { databaseUrl: string; keyringFile: string } | { pglite: PGlite; keyringFile: string },
): Promise<BenchApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liudong-bench-app-'));
  const env = {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    LIUDONG_KEYRING_FILE: opts.keyringFile,
    ...('databaseUrl' in opts && { DATABASE_URL: opts.databaseUrl }),
  };
  const config = loadConfig(env);
  const sink: { current: Statement[] | null } = { current: null };
  let database: Database;
  if ('databaseUrl' in opts) {
    // The pool size `liudong start` uses (openDatabase → openPostgres defaults).
    database = openPostgres(opts.databaseUrl);
    instrumentPool(database.pool!, sink);
  } else {
    database = wrapPglite(opts.pglite);
  }
  const cipher = await openCipher(database, { dataDir, env });
  const app = await buildApp({ database, config, cipher, version: 'bench' });
  // The "bare route" of the mixed load: HTTP, routing and serialization on this same server,
  // without a session or a query — what the server costs before any work is done.
  app.get('/bench/bare', { config: { auth: 'public' } }, async () => ({ ok: true }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    database,
    async capture(fn) {
      if (database.kind !== 'postgres') throw new Error('capture needs PostgreSQL');
      const statements: Statement[] = [];
      sink.current = statements;
      try {
        await fn();
      } finally {
        sink.current = null;
      }
      return statements;
    },
    async close() {
      await app.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
