/**
 * Scenarios (a)–(d) and (f) of issue 5 §2 on a generated database, each paired with its physical
 * limit in the same run. (e) import is bench/child.ts; (g) the mixed load is load.ts.
 */
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { createFieldCipher, loadKeyring } from '../../apps/server/src/platform/crypto';
import { FIELD } from '../../apps/server/src/modules/members/member-fields';
import type { BenchApp } from './app';
import type { Actors } from './actors';
import { signIn, type Session } from './client';
import { measurePath, planOf, type PathFigures } from './measure';
import { latencyOf } from './stats';

export interface ScenarioContext {
  app: BenchApp;
  raw: pg.Client;
  actors: Actors;
  keyringFile: string;
  /** Samples per measured path. */
  n: number;
  log: (line: string) => void;
}

export interface Sessions {
  province: Session;
  street: Session;
  liaison: Session;
}

export async function signInActors(app: BenchApp, actors: Actors): Promise<Sessions> {
  return {
    province: await signIn(app.url, actors.province),
    street: await signIn(app.url, actors.street),
    liaison: await signIn(app.url, actors.liaison),
  };
}

const fmt = (f: PathFigures) =>
  `${f.label}: API p50 ${f.api.p50} ms p95 ${f.api.p95} p99 ${f.api.p99} (${f.api.perSecond}/s) · ` +
  `raw query p50 ${f.rawMain.p50} ms (all ${f.statements} reads ${f.rawAll.p50}) · ×${f.ratio}`;

interface Page {
  items: unknown[];
  nextCursor: string | null;
}

/** (a) 流动党员台账 for the whole province: filtered, sorted, keyset pages deep into the list. */
export async function ledgerScenario(c: ScenarioContext, s: Sessions) {
  const city = (
    await c.raw.query<{ id: string; name: string }>(
      `select o.id, o.name from org o where o.depth = 2
        order by (select count(*) from mobility y join member m on m.id = y.member_id
                   join org b on b.id = m.org_id where b.path like o.path || '%'
                   and y.direction = 'outflow' and y.ended_on is null) desc limit 1`,
    )
  ).rows[0]!;
  const base = '/api/mobilities?direction=outflow&limit=50';
  const filtered = `/api/mobilities?direction=outflow&status=settled&orgId=${city.id}&limit=50`;
  // Walk the unfiltered outbound ledger 200 pages deep (10,000 rows), timing every page.
  const walk: number[] = [];
  let cursor: string | null = null;
  let deepCursor: string | null = null;
  for (let page = 1; page <= 200; page++) {
    const url: string = cursor ? `${base}&cursor=${encodeURIComponent(cursor)}` : base;
    const t = performance.now();
    const body: Page = await s.province.json<Page>(url);
    walk.push(performance.now() - t);
    cursor = body.nextCursor;
    if (page === 199) deepCursor = cursor;
    if (!cursor) break;
  }
  const figures = [
    await measurePath(c.app, s.province, c.raw, 'ledger, province, page 1', base, c.n),
    await measurePath(
      c.app,
      s.province,
      c.raw,
      'ledger, province, page 200 (rows 9,951–10,000)',
      `${base}&cursor=${encodeURIComponent(deepCursor ?? '')}`,
      c.n,
    ),
    await measurePath(
      c.app,
      s.province,
      c.raw,
      `ledger, ${city.name}, 已落实 (settled)`,
      filtered,
      c.n,
    ),
  ];
  figures.forEach((f) => c.log(fmt(f)));
  return { figures, walk200Pages: latencyOf(walk), filterOrg: city.name };
}

/** (b) 党员 search over a million members: a name, pinyin initials, an exact ID number. */
export async function searchScenario(c: ScenarioContext, s: Sessions) {
  const [row] = (
    await c.raw.query<{
      name: string;
      name_initials: string;
      name_pinyin: string;
      id_number_enc: string;
    }>(
      `select name, name_initials, name_pinyin, id_number_enc from member
        where id_number_enc is not null order by id
        offset (select count(*) / 2 from member) limit 1`,
    )
  ).rows;
  const cipher = createFieldCipher(
    loadKeyring({
      env: { LIUDONG_KEYRING_FILE: c.keyringFile },
      dataDir: '/nonexistent',
      embedded: false,
    }),
  );
  const idNumber = cipher.decrypt(row!.id_number_enc, FIELD.idNumber.context);
  const q = (text: string) => `/api/members?q=${encodeURIComponent(text)}&limit=50`;
  const figures = [
    await measurePath(c.app, s.province, c.raw, 'search, name', q(row!.name), c.n),
    await measurePath(
      c.app,
      s.province,
      c.raw,
      'search, pinyin initials',
      q(row!.name_initials),
      c.n,
    ),
    await measurePath(c.app, s.province, c.raw, 'search, full pinyin', q(row!.name_pinyin), c.n),
    await measurePath(c.app, s.province, c.raw, 'search, exact ID number', q(idNumber), c.n),
    await measurePath(
      c.app,
      s.street,
      c.raw,
      'search, name, in one street',
      q(row!.name.slice(0, 1)),
      c.n,
    ),
  ];
  figures.forEach((f) => c.log(fmt(f)));
  return { figures };
}

/** (c) 首页 indicators for the province and for one street. */
export async function dashboardScenario(c: ScenarioContext, s: Sessions) {
  const figures = [
    await measurePath(c.app, s.province, c.raw, 'dashboard, province', '/api/dashboard', c.n),
    await measurePath(
      c.app,
      s.street,
      c.raw,
      `dashboard, ${c.actors.street.orgName}`,
      '/api/dashboard',
      c.n,
    ),
  ];
  figures.forEach((f) => c.log(fmt(f)));
  return { figures };
}

/** (d) A liaison's overdue queue, and the street's. */
export async function queueScenario(c: ScenarioContext, s: Sessions) {
  const figures = [
    await measurePath(
      c.app,
      s.liaison,
      c.raw,
      `queue, liaison (${c.actors.liaison.members} members), overdue`,
      '/api/contacts/queue?view=mine&bucket=overdue',
      c.n,
    ),
    await measurePath(
      c.app,
      s.liaison,
      c.raw,
      'queue summary, liaison',
      '/api/contacts/queue/summary?view=mine',
      c.n,
    ),
    await measurePath(
      c.app,
      s.street,
      c.raw,
      'queue, street, overdue',
      '/api/contacts/queue?view=org&bucket=overdue',
      c.n,
    ),
  ];
  figures.forEach((f) => c.log(fmt(f)));
  return { figures };
}

/**
 * (f) Export of about 100,000 members (the city closest to that size) as .xlsx, versus COPY of
 * the same rows to stdout; the server's memory is sampled every 20 ms during the download.
 */
export async function exportScenario(c: ScenarioContext, s: Sessions) {
  const { rows } = await c.raw.query<{ id: string; name: string; path: string; n: string }>(
    `select o.id, o.name, o.path, count(*) as n from org o
       join org b on b.path like o.path || '%' join member m on m.org_id = b.id
      where o.depth = 2 group by o.id, o.name, o.path
      order by abs(count(*) - 100000) limit 1`,
  );
  const city = rows[0]!;
  const runs = [];
  for (const size of ['small', 'large'] as const) {
    // A street first (a few thousand rows), then the city: the growth of RSS should not scale.
    const target =
      size === 'large'
        ? city
        : (
            await c.raw.query<{ id: string; name: string; path: string; n: string }>(
              `select o.id, o.name, o.path, count(*) as n from org o
                 join org b on b.path like o.path || '%' join member m on m.org_id = b.id
                where o.id = $1 group by o.id, o.name, o.path`,
              [c.actors.street.orgId],
            )
          ).rows[0]!;
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const t = performance.now();
    const res = await s.province.request('GET', `/api/members/export.xlsx?orgId=${target.id}`);
    let bytes = 0;
    for await (const chunk of res.body!) bytes += (chunk as Uint8Array).byteLength;
    const ms = performance.now() - t;
    clearInterval(timer);
    if (res.status !== 200) throw new Error(`export: ${res.status}`);
    // The physical limit: PostgreSQL reading the same members and writing them out as text.
    const copyStarted = performance.now();
    let copyRows = 0;
    const stream = c.raw.query(
      copyTo(
        `copy (select m.* from member m join org b on b.id = m.org_id
                where b.path like '${target.path}%') to stdout`,
      ),
    );
    for await (const chunk of stream) {
      for (const byte of chunk as Buffer) if (byte === 10) copyRows += 1;
    }
    const copyMs = performance.now() - copyStarted;
    const n = Number(target.n);
    runs.push({
      org: target.name,
      rows: n,
      ms: Math.round(ms),
      rowsPerSecond: Math.round((n / ms) * 1000),
      mb: Number((bytes / 2 ** 20).toFixed(1)),
      rssGrowthMb: Math.round((peak - before) / 2 ** 20),
      copyMs: Math.round(copyMs),
      copyRowsPerSecond: Math.round((n / copyMs) * 1000),
      copyRows,
    });
    const r = runs.at(-1)!;
    c.log(
      `export ${r.org}: ${r.rows} rows in ${(r.ms / 1000).toFixed(1)} s (${r.rowsPerSecond}/s, ${r.mb} MB), ` +
        `RSS +${r.rssGrowthMb} MB; COPY ${r.copyRowsPerSecond}/s`,
    );
  }
  return { runs };
}

export async function plansOf(c: ScenarioContext, all: PathFigures[]) {
  const plans: Record<string, string> = {};
  for (const f of all)
    plans[f.label] = `-- ${f.path}\n${f.mainSql.text}\n\n${await planOf(c.raw, f.mainSql)}\n`;
  return plans;
}
