/**
 * `npm run bench [-- --rows N] [-- --server-url URL]`: the benchmarks, never part of npm test.
 * Each measured side runs in a child process of its own so that its peak memory (maxRSS) is its
 * own; figures go to bench/results/<date>.json and to stdout as a table.
 *
 * Scenario `import` (issue 3 §10): import of a roster of N rows (default 100,000) through the
 * import service — upload checks, streaming read, validation, encryption, one transaction — versus
 * PostgreSQL COPY of the same rows into the same table (the physical limit). Target: ≥ 20% of
 * COPY's throughput, < 500 MB peak RSS.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SERVER_URL } from './lib/setup';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    'server-url': { type: 'string' },
    scenario: { type: 'string', multiple: true },
  },
});
const rows = Number(values.rows);
if (!Number.isInteger(rows) || rows < 1) throw new Error('--rows must be a positive integer');
const serverUrl =
  values['server-url'] ??
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  DEFAULT_SERVER_URL;
const scenarios = values.scenario ?? ['import'];

export interface SideResult {
  ms: number;
  rows: number;
  maxRssMb: number;
  [k: string]: unknown;
}

/** Runs one side in a fresh Node process (tsx), returns the JSON line it prints last. */
function runChild(args: string[]): SideResult {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'child.ts'), ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, BENCH_SERVER_URL: serverUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 24,
    },
  );
  const last = out.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as SideResult;
}

const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  memoryGb: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  postgres: serverUrl.replace(/\/\/[^@]*@/, '//'),
};

const results: Record<string, unknown> = {};
for (const scenario of scenarios) {
  if (scenario !== 'import') throw new Error(`unknown scenario ${scenario}`);
  console.log(`— import of ${rows.toLocaleString('en')} rows versus COPY (PostgreSQL)`);
  const file = runChild(['generate', String(rows)]);
  const imported = runChild(['import', String(rows), String(file.file)]);
  const copied = runChild(['copy', String(rows)]);
  const importRate = (imported.rows / imported.ms) * 1000;
  const copyRate = (copied.rows / copied.ms) * 1000;
  const row = {
    rows,
    fileMb: file.fileMb,
    import: { ...imported, rowsPerSecond: Math.round(importRate) },
    copy: { ...copied, rowsPerSecond: Math.round(copyRate) },
    ratioToCopy: Number((importRate / copyRate).toFixed(3)),
    targets: {
      ratioToCopyAtLeast: 0.2,
      maxRssMbBelow: 500,
      met: importRate / copyRate >= 0.2 && imported.maxRssMb < 500,
    },
  };
  results.import = row;
  console.table({
    import: {
      'rows/s': row.import.rowsPerSecond,
      seconds: (imported.ms / 1000).toFixed(1),
      'peak RSS MB': imported.maxRssMb,
    },
    COPY: {
      'rows/s': row.copy.rowsPerSecond,
      seconds: (copied.ms / 1000).toFixed(1),
      'peak RSS MB': copied.maxRssMb,
    },
  });
  console.log(
    `import / COPY = ${(row.ratioToCopy * 100).toFixed(1)}% (target ≥ 20%), peak RSS ${imported.maxRssMb} MB (target < 500 MB): ${row.targets.met ? 'met' : 'NOT met'}`,
  );
}

const date = new Date().toISOString().slice(0, 10);
const out = path.join(import.meta.dirname, 'results', `${date}.json`);
const previous = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, 'utf8')) as object) : {};
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(
  out,
  JSON.stringify({ ...previous, machine, at: new Date().toISOString(), ...results }, null, 2) +
    '\n',
);
console.log(`results: ${path.relative(process.cwd(), out)}`);
