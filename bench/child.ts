/**
 * One measured side of a benchmark, in its own process (see run.ts): prints one JSON line.
 *   generate <rows>        writes the synthetic roster .xlsx (not measured against anything)
 *   import <rows> <file>   imports it through the import service into a fresh database
 *   copy <rows>            COPYs the same rows, prepared as stored, into a fresh database
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { branchNames, rosterRows, writeRosterXlsx } from './import/roster';
import { copyMembers, prepareCopyLines } from './import/copy-baseline';
import { runImport } from './import/import-side';
import {
  DEFAULT_SERVER_URL,
  benchCipher,
  cpuDelta,
  dropDatabase,
  openWorld,
  recreateDatabase,
  serverCpu,
} from './lib/setup';

const BRANCHES = branchNames(50);
const serverUrl = process.env.BENCH_SERVER_URL ?? DEFAULT_SERVER_URL;
const [command, rowsArg, fileArg] = process.argv.slice(2);
const rows = Number(rowsArg);

const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const print = (o: object) => console.log(JSON.stringify(o));

if (command === 'generate') {
  const dir = path.join(os.tmpdir(), 'liudong-bench');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `roster-${rows}.xlsx`);
  const started = performance.now();
  const n = await writeRosterXlsx(file, rosterRows(rows, BRANCHES));
  print({
    file,
    rows: n,
    ms: performance.now() - started,
    fileMb: Number((fs.statSync(file).size / 2 ** 20).toFixed(1)),
    maxRssMb: maxRssMb(),
  });
} else if (command === 'import') {
  const name = 'liudong_bench_import';
  const url = await recreateDatabase(serverUrl, name);
  const world = await openWorld(url, BRANCHES);
  const rssBefore = maxRssMb();
  const serverBefore = await serverCpu(serverUrl, name);
  const result = await runImport(world, benchCipher(), fs.readFileSync(fileArg!), rows);
  const serverCpuMs = cpuDelta(serverBefore, await serverCpu(serverUrl, name));
  await world.database.close();
  await dropDatabase(serverUrl, name);
  print({ ...result, serverCpuMs, rssBeforeMb: rssBefore, maxRssMb: maxRssMb() });
} else if (command === 'copy') {
  const name = 'liudong_bench_copy';
  const url = await recreateDatabase(serverUrl, name);
  const world = await openWorld(url, BRANCHES);
  const prepStarted = performance.now();
  const lines = prepareCopyLines(rosterRows(rows, BRANCHES), world.branchIds, benchCipher());
  const prepareMs = performance.now() - prepStarted;
  await world.database.close();
  const ms = await copyMembers(url, lines);
  await dropDatabase(serverUrl, name);
  print({ rows: lines.length, ms, prepareMs, maxRssMb: maxRssMb() });
} else {
  throw new Error(`unknown command ${command}`);
}
