/**
 * `npm run bench [-- --rows N] [-- --repeat N] [-- --server-url URL]`: the import scenario alone
 * (issue 3 §10), or
 * `npm run bench -- --scale province|county [--seed N] [--reuse] [--samples N] [--load-seconds N]`:
 * every scenario of issue 5 on a generated dataset (bench/scale/run-scale.ts).
 * Never part of npm test. Figures go to bench/results/<date>.json and to stdout; the scale run
 * also writes bench/BENCH.md and the query plans in bench/plans/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SERVER_URL } from './lib/setup';
import { runImportScenario } from './import/scenario';
import { runScale } from './scale/run-scale';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    'server-url': { type: 'string' },
    repeat: { type: 'string', default: '1' },
    scale: { type: 'string' },
    seed: { type: 'string', default: '1' },
    reuse: { type: 'boolean', default: false },
    samples: { type: 'string', default: '100' },
    'load-seconds': { type: 'string', default: '30' },
    only: { type: 'string', multiple: true },
  },
});
const positive = (name: string, v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
  return n;
};
const rows = positive('rows', values.rows);
const repeat = positive('repeat', values.repeat);
const serverUrl =
  values['server-url'] ??
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  DEFAULT_SERVER_URL;

export const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  memoryGb: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  postgres: serverUrl.replace(/\/\/[^@]*@/, '//'),
  loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
};

let results: Record<string, unknown>;
if (values.scale) {
  if (values.scale !== 'province' && values.scale !== 'county')
    throw new Error('--scale must be province or county');
  results = {
    [values.scale]: await runScale({
      scale: values.scale,
      seed: positive('seed', values.seed),
      reuse: values.reuse,
      samples: positive('samples', values.samples),
      loadSeconds: positive('load-seconds', values['load-seconds']),
      importRows: rows,
      repeat,
      serverUrl,
      only: values.only,
    }),
  };
} else {
  results = { import: await runImportScenario(rows, repeat, serverUrl) };
}

const date = new Date().toISOString().slice(0, 10);
const out = path.join(import.meta.dirname, 'results', `${date}.json`);
const previous = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, 'utf8')) as object) : {};
fs.mkdirSync(path.dirname(out), { recursive: true });
const merged = { ...previous, machine, at: new Date().toISOString(), ...results };
fs.writeFileSync(out, JSON.stringify(merged, null, 2) + '\n');
console.log(`results: ${path.relative(process.cwd(), out)}`);
if (values.scale) {
  const { writeBenchMd } = await import('./scale/report');
  const md = await writeBenchMd(merged, path.relative(path.join(import.meta.dirname, '..'), out));
  console.log(`table: ${path.relative(process.cwd(), md)}`);
}
