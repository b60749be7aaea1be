/**
 * `npm run bench -- --scale province|county`: generate (or --reuse) the dataset, add the bench
 * officers, start the real server on it and run scenarios (a)–(g) of issue 5, each beside its
 * physical limit; at county scale also every page's API on PGlite. Returns the figures for
 * bench/results/<date>.json; plans of the key queries go to bench/plans/<scale>/.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createActors, type Actors } from './actors';
import { startBenchApp, type BenchApp } from './app';
import { signIn, type Session } from './client';
import { SESSION_RATE, pagesOf, runLoad } from './load';
import type { PathFigures } from './measure';
import { pgliteCopyOf } from './pglite-county';
import {
  dashboardScenario,
  exportScenario,
  ledgerScenario,
  plansOf,
  queueScenario,
  searchScenario,
  signInActors,
  type ScenarioContext,
} from './scenarios';
import { sample } from './stats';
import { runImportScenario } from '../import/scenario';

const BENCH_DIR = path.join(import.meta.dirname, '..');
const REPO = path.join(BENCH_DIR, '..');
/** A common surname: the search a street officer types most. */
const SEARCH_TEXT = '张';

export interface ScaleOptions {
  scale: 'province' | 'county';
  seed: number;
  reuse: boolean;
  samples: number;
  loadSeconds: number;
  importRows: number;
  repeat: number;
  serverUrl: string;
  only: string[] | undefined;
}

function databaseUrlOf(serverUrl: string, name: string) {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function runScale(o: ScaleOptions) {
  const want = (name: string) => !o.only || o.only.includes(name);
  const log = (line: string) => console.log(line);
  const manifestFile = path.join(BENCH_DIR, 'results', 'tmp', `generated-${o.scale}.json`);
  if (!o.reuse || !fs.existsSync(manifestFile)) {
    log(`— generating the ${o.scale} (seed ${o.seed})`);
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(BENCH_DIR, 'generate', 'main.ts'),
        '--scale',
        o.scale,
        '--seed',
        String(o.seed),
        '--database-url',
        o.serverUrl,
      ],
      { stdio: 'inherit', cwd: REPO },
    );
    if (r.status !== 0) throw new Error(`generator failed (${r.status})`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as {
    database: string;
    keyringFile: string;
    totalSeconds: number;
    databaseMb: number;
    openOutflows: number;
    tables: Record<string, { rows: number }>;
    digest: string;
  };
  const keyringFile = path.resolve(REPO, manifest.keyringFile);
  const databaseUrl = databaseUrlOf(o.serverUrl, manifest.database);
  const actors = await createActors(databaseUrl, 50);
  log(
    `officers: province admin, ${actors.street.orgName} (${actors.street.members} members), ` +
      `liaison of ${actors.liaison.members} members, ${actors.load.length} load sessions`,
  );
  const out: Record<string, unknown> = {
    dataset: {
      seed: o.seed,
      fingerprint: manifest.digest,
      rows: Object.fromEntries(Object.entries(manifest.tables).map(([t, f]) => [t, f.rows])),
      openOutflows: manifest.openOutflows,
      generatedSeconds: manifest.totalSeconds,
      databaseMb: manifest.databaseMb,
    },
    officers: {
      street: { org: actors.street.orgName, members: actors.street.members },
      liaison: { org: actors.liaison.orgName, members: actors.liaison.members },
    },
  };

  const app = await startBenchApp({ databaseUrl, keyringFile });
  const raw = new pg.Client({ connectionString: databaseUrl });
  await raw.connect();
  try {
    const sessions = await signInActors(app, actors);
    const c: ScenarioContext = { app, raw, actors, keyringFile, n: o.samples, log };
    const measured: PathFigures[] = [];
    const keep = <T extends { figures: PathFigures[] }>(r: T) => {
      measured.push(...r.figures);
      return r;
    };
    if (want('ledger')) out.ledger = keep(await ledgerScenario(c, sessions));
    if (want('search')) out.search = keep(await searchScenario(c, sessions));
    if (want('dashboard')) out.dashboard = keep(await dashboardScenario(c, sessions));
    if (want('queue')) out.queue = keep(await queueScenario(c, sessions));
    if (want('plans') && measured.length > 0) {
      const dir = path.join(BENCH_DIR, 'plans', o.scale);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      for (const [label, plan] of Object.entries(await plansOf(c, measured)))
        fs.writeFileSync(path.join(dir, `${slug(label)}.txt`), plan);
      log(`plans: ${path.relative(process.cwd(), dir)}`);
    }
    if (want('export')) out.export = await exportScenario(c, sessions);
    if (want('mixed')) out.mixed = await mixedScenario(app, actors, o.loadSeconds, log);
  } finally {
    await raw.end();
    await app.close();
  }
  if (want('import') && o.scale === 'province')
    out.import = await runImportScenario(o.importRows, o.repeat, o.serverUrl);
  if (want('pglite') && o.scale === 'county')
    out.pglite = await pgliteScenario(databaseUrl, keyringFile, actors, o.samples, log);
  return out;
}

function slug(label: string) {
  return label
    .toLowerCase()
    .replace(/\([^)]*\)/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** (g): every session's pages answer 200 once, then the load, then the bare route. */
async function mixedScenario(
  app: BenchApp,
  actors: Actors,
  seconds: number,
  log: (l: string) => void,
) {
  const sessions = actors.load.map((s) => ({ cookie: s.cookie, paths: pagesOf(s, SEARCH_TEXT) }));
  for (const s of sessions)
    for (const p of s.paths) {
      const res = await fetch(`${app.url}${p}`, { headers: { cookie: `liudong_sid=${s.cookie}` } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`mixed load: ${p} answers ${res.status}`);
    }
  log(`— mixed load: ${sessions.length} sessions, ${SESSION_RATE} requests/s each, ${seconds} s`);
  const paced = await runLoad(app.url, seconds, sessions, SESSION_RATE);
  log(`— mixed load: ${sessions.length} sessions back to back, ${Math.min(seconds, 15)} s`);
  const saturated = await runLoad(app.url, Math.min(seconds, 15), sessions);
  const bare = await runLoad(
    app.url,
    Math.min(seconds, 10),
    sessions.map(() => ({ cookie: null, paths: ['/bench/bare'] })),
  );
  const worst = Object.entries(paced.perPath).sort((a, b) => b[1].p95 - a[1].p95)[0];
  log(
    `mixed, paced: ${paced.requests} requests, ${paced.perSecond}/s, p50 ${paced.latency.p50} ms, ` +
      `p99 ${paced.latency.p99} ms, errors ${paced.errors}, non-2xx ${paced.non2xx}; worst p95 ` +
      `${worst?.[0]} ${worst?.[1].p95} ms. Back to back: ${saturated.perSecond}/s, p50 ` +
      `${saturated.latency.p50} ms; bare route ${bare.perSecond}/s p50 ${bare.latency.p50} ms`,
  );
  return {
    sessions: sessions.length,
    seconds,
    ratePerSession: SESSION_RATE,
    load: paced,
    saturated,
    bare,
  };
}

/** County preset on PGlite: the API of every page the three officers open, p95 each. */
async function pgliteScenario(
  databaseUrl: string,
  keyringFile: string,
  actors: Actors,
  n: number,
  log: (l: string) => void,
) {
  const copyStarted = performance.now();
  const { pglite, rows } = await pgliteCopyOf(databaseUrl);
  log(`PGlite: ${rows} rows copied in ${((performance.now() - copyStarted) / 1000).toFixed(1)} s`);
  const app = await startBenchApp({ pglite, keyringFile });
  try {
    const who: Record<string, Session> = {
      province: await signIn(app.url, actors.province),
      street: await signIn(app.url, actors.street),
      liaison: await signIn(app.url, actors.liaison),
    };
    const anyMember = (
      await pglite.query<{ id: string }>(
        `select m.id from member m join org b on b.id = m.org_id
        where b.path like (select path from org where id = $1) || '%' order by m.id limit 1`,
        [actors.street.orgId],
      )
    ).rows[0]!.id;
    const pages: [string, string][] = [
      ...pagesOf({ role: 'org_admin' }, SEARCH_TEXT).map(
        (p) => ['province', p] as [string, string],
      ),
      ...pagesOf({ role: 'committee_officer' }, SEARCH_TEXT).map(
        (p) => ['street', p] as [string, string],
      ),
      ['street', `/api/members/${anyMember}`],
      ['street', `/api/members/${anyMember}/contacts`],
      ['street', `/api/members/${anyMember}/certificates`],
      ['street', '/api/contacts/lost/registers?kind=found'],
      ['street', '/api/contacts/lost/registers?kind=not_found'],
      ['street', '/api/sms/outbox'],
      ['street', '/api/orgs/children'],
      ...pagesOf({ role: 'liaison' }, SEARCH_TEXT).map((p) => ['liaison', p] as [string, string]),
    ];
    const figures = [];
    for (const [actor, p] of pages) {
      const latency = await sample(n, () => who[actor]!.get(p));
      figures.push({ actor, path: p, ...latency });
      log(`PGlite ${actor} ${p}: p50 ${latency.p50} ms p95 ${latency.p95} ms`);
    }
    return { rowsCopied: rows, pages: figures };
  } finally {
    await app.close();
  }
}
