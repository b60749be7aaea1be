import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(REPO_ROOT, 'apps/server/bin/liudong.mjs');
const WEB_INDEX = path.join(REPO_ROOT, 'apps/web/dist/index.html');

const START_TIMEOUT_MS = 90_000;
const SEED_TIMEOUT_MS = 150_000;
const STOP_TIMEOUT_MS = 20_000;

export interface RunningServer {
  baseUrl: string;
  /** `embedded` (PGlite in a temp DATA_DIR) or `postgres` (a database created for this run). */
  db: 'embedded' | 'postgres';
  /**
   * The one-time passwords printed once on first start, by username (`admin`, `security`). Empty
   * when the database was seeded with demo data: the seed creates accounts, so the first start
   * creates (and prints) none.
   */
  oneTimePasswords: ReadonlyMap<string, string>;
  /** Everything the server wrote so far (for failure messages). */
  output: () => string;
  stop: () => Promise<void>;
}

/** A port nobody listens on right now (the server binds it a moment later). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/**
 * Parses the block printed once by `printOneTimePasswords` (apps/server/src/modules/accounts/
 * bootstrap.ts): lines like `  组织部管理员  账号：admin   一次性密码：XXXX`.
 */
export function parseOneTimePasswords(stdout: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of stdout.matchAll(/账号：(\S+)\s+一次性密码：(\S+)/g)) {
    const [, username, password] = match;
    if (username && password) found.set(username, password);
  }
  return found;
}

/** A fresh PostgreSQL database for one run, created through the admin URL and dropped after. */
async function createDatabase(adminUrl: string) {
  const name = `liudong_e2e_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        await admin.query(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.end();
      }
    },
  };
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface StartOptions {
  /**
   * Fill the empty database with the fictional demo county before the server starts, as an
   * operator would: `liudong seed-demo --seed N --password P`, with the server's own environment
   * (same DATA_DIR, DATABASE_URL and keyring). Its demo accounts (`zhibu`, `shenji`, …) share
   * `password` and need no password change; admin roles still enrol TOTP at first login.
   */
  seedDemo?: { seed: number; password: string };
  /**
   * Extra environment for the server (and the seed, which runs with the server's environment), as
   * an operator would set it, e.g. the SMS driver and a faster background tick. Applied after the
   * defaults above, so it may override them; DATABASE_URL and the keyring stay the run's own.
   */
  env?: Readonly<Record<string, string>>;
}

/** Runs `liudong seed-demo` to completion; fails with its output when it does not succeed. */
async function runSeedDemo(
  env: NodeJS.ProcessEnv,
  seed: { seed: number; password: string },
): Promise<string> {
  const args = [CLI, 'seed-demo', '--seed', String(seed.seed), '--password', seed.password];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = await new Promise<number | string | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`seed-demo did not finish in ${SEED_TIMEOUT_MS} ms\n${output}`));
    }, SEED_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal);
    });
  });
  if (exited !== 0) throw new Error(`seed-demo failed (${exited})\n${output}`);
  return output;
}

/**
 * Starts the real server as a person would (`liudong start`) on a free port with an empty
 * database: PGlite in a fresh temp DATA_DIR, or — when E2E_DATABASE_URL is set — a PostgreSQL
 * database created for this run. Resolves once /api/health answers 200 and the one-time passwords
 * of the first accounts have been read from stdout — or, with `seedDemo`, once the demo county is
 * in the database and /api/health answers (no one-time passwords then: see StartOptions).
 */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  if (!existsSync(WEB_INDEX)) {
    throw new Error('apps/web/dist is missing: run `npm run build` (or `npm run test:e2e`) first');
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'liudong-e2e-'));
  const adminUrl = process.env.E2E_DATABASE_URL;
  const database = adminUrl ? await createDatabase(adminUrl) : null;
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;

  let seedOutput = '';
  let stdout = '';
  let stderr = '';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    ...options.env,
  };
  delete env.DATABASE_URL;
  if (database) {
    env.DATABASE_URL = database.url;
    // A server on PostgreSQL needs a configured keyring (no embedded key file): give it one,
    // through a key file as an operator would.
    const keyringFile = path.join(dataDir, 'keyring.e2e.json');
    const key = () => randomBytes(32).toString('base64');
    await writeFile(
      keyringFile,
      JSON.stringify({ active: 'k1', keys: { k1: key() }, blindIndexKey: key() }),
      { mode: 0o600 },
    );
    env.LIUDONG_KEYRING_FILE = keyringFile;
  }
  if (options.seedDemo) {
    try {
      seedOutput = await runSeedDemo(env, options.seedDemo);
    } catch (error) {
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
      throw error;
    }
  }
  const child = spawn(process.execPath, [CLI, 'start'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const output = () =>
    (seedOutput ? `--- seed-demo ---\n${seedOutput}\n` : '') +
    `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      // The server checkpoints and closes the database on SIGTERM; give it time to do so.
      if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
    }
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    let passwords = new Map<string, string>();
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`server exited (${child.exitCode ?? child.signalCode})\n${output()}`);
      }
      if (Date.now() > deadline) throw new Error(`server did not become healthy\n${output()}`);
      const healthy = await fetch(`${baseUrl}/api/health`)
        .then((response) => response.status === 200)
        .catch(() => false);
      passwords = parseOneTimePasswords(stdout);
      if (healthy && (options.seedDemo || (passwords.has('admin') && passwords.has('security'))))
        break;
      await sleep(250);
    }
    return {
      baseUrl,
      db: database ? 'postgres' : 'embedded',
      oneTimePasswords: passwords,
      output,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
