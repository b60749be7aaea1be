/**
 * bench/BENCH.md from the results of the latest scale runs: the machine, the dataset, every
 * measured path with its physical limit and the ratio, and each target of issue 5 §3 as met or
 * not. Written by `npm run bench -- --scale …`; committed, so that a change of figures shows in
 * review.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LoadFigures } from './load';
import type { PathFigures } from './measure';
import type { Latency } from './stats';

interface ScaleResult {
  dataset: {
    rows: Record<string, number>;
    openOutflows: number;
    generatedSeconds: number;
    databaseMb: number;
    fingerprint: string;
    seed: number;
  };
  officers: { street: { org: string; members: number }; liaison: { org: string; members: number } };
  ledger?: { figures: PathFigures[]; walk200Pages: Latency };
  search?: { figures: PathFigures[] };
  dashboard?: { figures: PathFigures[] };
  queue?: { figures: PathFigures[] };
  export?: {
    runs: {
      org: string;
      rows: number;
      ms: number;
      rowsPerSecond: number;
      mb: number;
      rssGrowthMb: number;
      copyRowsPerSecond: number;
    }[];
  };
  mixed?: {
    sessions: number;
    seconds: number;
    ratePerSession: number;
    load: LoadFigures;
    saturated: LoadFigures;
    bare: LoadFigures;
  };
  import?: {
    rows: number;
    ratioToCopy: number;
    import: { rowsPerSecond: number; maxRssMb: number };
    copy: { rowsPerSecond: number };
  };
  pglite?: { pages: ({ actor: string; path: string } & Latency)[] };
}

const yes = (ok: boolean) => (ok ? '**met**' : '**not met**');
const n = (x: number) => x.toLocaleString('en');

const allRatio = (f: PathFigures) => Number((f.api.p50 / f.rawAll.p50).toFixed(2));

function pathTable(figures: PathFigures[]) {
  const lines = [
    '| path | API p50 | p95 | p99 | req/s | raw query p50 | p95 | all reads p50 | reads | API ÷ raw query | API ÷ all reads |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const f of figures)
    lines.push(
      `| ${f.label} | ${f.api.p50} | ${f.api.p95} | ${f.api.p99} | ${f.api.perSecond} | ${f.rawMain.p50} | ${f.rawMain.p95} | ${f.rawAll.p50} | ${f.statements} | ${f.ratio}× | ${allRatio(f)}× |`,
    );
  return lines.join('\n');
}

function scaleSection(title: string, r: ScaleResult) {
  const out: string[] = [`## ${title}`, ''];
  const d = r.dataset;
  out.push(
    `Dataset (seed ${d.seed}, fingerprint \`${d.fingerprint}\`): ${n(d.rows.org ?? 0)} orgs, ${n(d.rows.member ?? 0)} members, ` +
      `${n(d.rows.mobility ?? 0)} mobility episodes (${n(d.openOutflows)} open outflows), ${n(d.rows.contact ?? 0)} contacts; ` +
      `${d.databaseMb} MB, generated with COPY in ${d.generatedSeconds} s. Street: ${r.officers.street.org} ` +
      `(${n(r.officers.street.members)} members); liaison of ${r.officers.liaison.members} members.`,
    '',
    'See [FINDINGS.md](FINDINGS.md) for the fixes (before and after) and the gaps. ' +
      'Times in ms. *API*: through HTTP on loopback, signed in, back to back on one connection. ' +
      '*raw query*: the slowest read statement the request sent, replayed as sent on a connection of its own; ' +
      '*all reads*: every read statement of the request in turn (session, policy, the query).',
    '',
  );
  const targets: string[] = [];
  const listFigures = [...(r.ledger?.figures ?? []), ...(r.search?.figures ?? [])];
  for (const [name, part] of [
    ['(a) ledger', r.ledger],
    ['(b) search', r.search],
    ['(c) dashboard', r.dashboard],
    ['(d) queue', r.queue],
  ] as const) {
    if (!part) continue;
    out.push(`### ${name}`, '', pathTable(part.figures), '');
  }
  if (r.ledger)
    out.push(
      `Walking the province ledger 200 pages deep (keyset, 50 rows a page): p50 ${r.ledger.walk200Pages.p50} ms, ` +
        `p95 ${r.ledger.walk200Pages.p95} ms, p99 ${r.ledger.walk200Pages.p99} ms.`,
      '',
    );
  if (listFigures.length > 0) {
    const worst = listFigures.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    targets.push(
      `| list and search: API p50 ≤ 1.5× its raw query (the slowest statement alone) | worst ${worst.ratio}× (${worst.label}) | ${yes(listFigures.every((f) => f.ratio <= 1.5))} |`,
    );
    const worstAll = listFigures.reduce((a, b) => (allRatio(b) > allRatio(a) ? b : a));
    targets.push(
      `| list and search: API p50 ≤ 1.5× all the SQL it issues, replayed | worst ${allRatio(worstAll)}× (${worstAll.label}) | ${yes(listFigures.every((f) => allRatio(f) <= 1.5))} |`,
    );
  }
  const province = r.dashboard?.figures[0];
  if (province && title.startsWith('Province'))
    targets.push(
      `| province dashboard p95 < 300 ms | ${province.api.p95} ms | ${yes(province.api.p95 < 300)} |`,
    );
  if (r.export) {
    out.push(
      '### (f) export (.xlsx, streamed)',
      '',
      '| org | rows | s | rows/s | MB | server RSS growth MB | COPY rows/s |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const e of r.export.runs)
      out.push(
        `| ${e.org} | ${n(e.rows)} | ${(e.ms / 1000).toFixed(1)} | ${n(e.rowsPerSecond)} | ${e.mb} | ${e.rssGrowthMb} | ${n(e.copyRowsPerSecond)} |`,
      );
    out.push('');
  }
  if (r.import) {
    out.push(
      '### (e) import',
      '',
      `${n(r.import.rows)} rows: import ${n(r.import.import.rowsPerSecond)} rows/s, COPY ${n(r.import.copy.rowsPerSecond)} rows/s, ` +
        `${(r.import.ratioToCopy * 100).toFixed(1)}% of COPY, peak RSS ${r.import.import.maxRssMb} MB.`,
      '',
    );
    targets.push(
      `| import ≥ 20% of COPY | ${(r.import.ratioToCopy * 100).toFixed(1)}% | ${yes(r.import.ratioToCopy >= 0.2)} |`,
    );
  }
  if (r.mixed) {
    const m = r.mixed;
    out.push(
      `### (g) mixed load: ${m.sessions} sessions, ${m.seconds} s (autocannon)`,
      '',
      `Paced, ${m.ratePerSession} requests a second per session: ${n(m.load.requests)} requests, ${m.load.perSecond}/s; ` +
        `p50 ${m.load.latency.p50} ms, p97.5 ${m.load.latency.p97_5}, p99 ${m.load.latency.p99}; errors ${m.load.errors}, ` +
        `timeouts ${m.load.timeouts}, non-2xx ${m.load.non2xx}. Back to back (the ceiling): ${m.saturated.perSecond}/s, ` +
        `p50 ${m.saturated.latency.p50} ms, p99 ${m.saturated.latency.p99} ms, errors ${m.saturated.errors + m.saturated.non2xx}. ` +
        `Bare route on the same server, same connections, back to back: ${m.bare.perSecond}/s, p50 ${m.bare.latency.p50} ms, ` +
        `p99 ${m.bare.latency.p99} ms.`,
      '',
      'Paced, per path:',
      '',
      '| path | requests | p50 | p95 | p99 |',
      '| --- | ---: | ---: | ---: | ---: |',
    );
    const paths = Object.entries(m.load.perPath).sort((a, b) => b[1].p95 - a[1].p95);
    for (const [p, l] of paths) out.push(`| \`${p}\` | ${l.n} | ${l.p50} | ${l.p95} | ${l.p99} |`);
    out.push('');
    const worst = paths[0];
    const clean = m.load.errors === 0 && m.load.non2xx === 0 && m.load.timeouts === 0;
    targets.push(
      `| mixed load: no endpoint p95 > 200 ms, no errors | worst p95 ${worst?.[1].p95} ms (\`${worst?.[0]}\`), ${m.load.errors + m.load.non2xx + m.load.timeouts} errors | ${yes(!!worst && worst[1].p95 <= 200 && clean)} |`,
    );
  }
  if (r.pglite) {
    out.push(
      '### Every page on PGlite',
      '',
      '| officer | path | p50 | p95 | p99 |',
      '| --- | --- | ---: | ---: | ---: |',
    );
    for (const p of r.pglite.pages)
      out.push(`| ${p.actor} | \`${p.path}\` | ${p.p50} | ${p.p95} | ${p.p99} |`);
    out.push('');
    const worst = r.pglite.pages.reduce((a, b) => (b.p95 > a.p95 ? b : a));
    targets.push(
      `| PGlite county: every page's API p95 < 100 ms | worst ${worst.p95} ms (\`${worst.path}\`) | ${yes(worst.p95 < 100)} |`,
    );
  }
  if (targets.length > 0)
    out.splice(2, 0, '| target (issue 5 §3) | figure | |', '| --- | --- | --- |', ...targets, '');
  return out.join('\n');
}

export async function writeBenchMd(
  results: Record<string, unknown>,
  resultsFile: string,
): Promise<string> {
  const machine = results.machine as {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    postgres: string;
    loadAverageAtStart: number[];
  };
  const parts = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench -- --scale province\` (and \`--scale county\`) from \`${resultsFile}\`; ` +
      'plans of the key queries in `bench/plans/`. Never part of `npm test`.',
    '',
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GiB, Node ${machine.node}, ` +
      `PostgreSQL at ${machine.postgres} on the same machine; load average at start ${machine.loadAverageAtStart.join(' ')}. ` +
      'The machine is shared: figures move by ±20% between runs.',
    '',
  ];
  if (results.province)
    parts.push(scaleSection('Province (PostgreSQL)', results.province as ScaleResult), '');
  if (results.county)
    parts.push(scaleSection('County (PostgreSQL, and PGlite)', results.county as ScaleResult), '');
  const file = path.join(import.meta.dirname, '..', 'BENCH.md');
  // Formatted as the repository's check expects (npm run format:check covers *.md).
  const prettier = await import('prettier');
  fs.writeFileSync(file, await prettier.format(parts.join('\n'), { filepath: file }));
  return file;
}
