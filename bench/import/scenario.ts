/**
 * Scenario `import` (issue 3 §10, issue 5 §2e): import of a roster of N rows (default 100,000)
 * through the import service — upload checks, streaming read, validation, encryption, one
 * transaction — versus PostgreSQL COPY of the same rows into the same table (the physical limit).
 * Target: ≥ 20% of COPY's throughput, < 500 MB peak RSS. Each measured side runs in a child
 * process of its own so that its peak memory (maxRSS) is its own.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

export interface SideResult {
  ms: number;
  rows: number;
  maxRssMb: number;
  /** The import side: its two steps and the CPU time of its process (all threads). */
  uploadMs?: number;
  commitMs?: number;
  cpuMs?: number;
  /** CPU time of the PostgreSQL server processes serving the import (null if unreadable). */
  serverCpuMs?: number | null;
  [k: string]: unknown;
}

/**
 * The figures of one round. The headline is upload + commit (what an officer must do at least);
 * commit alone is shown beside it, to tell the two passes over the file apart.
 */
function roundOf(imported: SideResult, copied: SideResult) {
  const importRate = (imported.rows / imported.ms) * 1000;
  const commitRate = (imported.rows / (imported.commitMs ?? imported.ms)) * 1000;
  const copyRate = (copied.rows / copied.ms) * 1000;
  return {
    import: {
      ...imported,
      rowsPerSecond: Math.round(importRate),
      commitRowsPerSecond: Math.round(commitRate),
    },
    copy: { ...copied, rowsPerSecond: Math.round(copyRate) },
    ratioToCopy: Number((importRate / copyRate).toFixed(3)),
    commitRatioToCopy: Number((commitRate / copyRate).toFixed(3)),
  };
}

/** Runs one side in a fresh Node process (tsx), returns the JSON line it prints last. */
function runChild(serverUrl: string, args: string[]): SideResult {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, '..', 'child.ts'), ...args],
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

export async function runImportScenario(rows: number, repeat: number, serverUrl: string) {
  console.log(`— import of ${rows.toLocaleString('en')} rows versus COPY (PostgreSQL)`);
  const file = runChild(serverUrl, ['generate', String(rows)]);
  // Each round runs both sides one after the other, so a round's ratio compares runs made under
  // the same load; the headline is the median round (the machine may be shared).
  const rounds = [];
  for (let round = 1; round <= repeat; round++) {
    const imported = runChild(serverUrl, ['import', String(rows), String(file.file)]);
    const copied = runChild(serverUrl, ['copy', String(rows)]);
    rounds.push(roundOf(imported, copied));
    const r = rounds.at(-1)!;
    console.log(
      `round ${round}/${repeat}: import ${r.import.rowsPerSecond} rows/s (${(r.import.ms / 1000).toFixed(1)} s, ` +
        `commit alone ${r.import.commitRowsPerSecond} rows/s), COPY ${r.copy.rowsPerSecond} rows/s, ` +
        `${(r.ratioToCopy * 100).toFixed(1)}%, peak RSS ${r.import.maxRssMb} MB, load ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
    );
  }
  const byRatio = [...rounds].sort((a, b) => a.ratioToCopy - b.ratioToCopy);
  const median = byRatio[Math.floor((byRatio.length - 1) / 2)]!;
  const maxRssMb = Math.max(...rounds.map((r) => r.import.maxRssMb));
  const row = {
    rows,
    fileMb: file.fileMb,
    ...median,
    targets: {
      ratioToCopyAtLeast: 0.2,
      maxRssMbBelow: 500,
      met: median.ratioToCopy >= 0.2 && maxRssMb < 500,
    },
    ...(rounds.length > 1 && {
      rounds: rounds.map((r) => ({
        importRowsPerSecond: r.import.rowsPerSecond,
        commitRowsPerSecond: r.import.commitRowsPerSecond,
        copyRowsPerSecond: r.copy.rowsPerSecond,
        ratioToCopy: r.ratioToCopy,
        maxRssMb: r.import.maxRssMb,
        cpuMs: r.import.cpuMs,
        serverCpuMs: r.import.serverCpuMs,
      })),
    }),
  };
  console.table({
    'import (upload + commit)': {
      'rows/s': median.import.rowsPerSecond,
      seconds: (median.import.ms / 1000).toFixed(1),
      'CPU s': ((median.import.cpuMs ?? 0) / 1000).toFixed(1),
      'DB CPU s':
        median.import.serverCpuMs != null ? (median.import.serverCpuMs / 1000).toFixed(1) : '',
      'peak RSS MB': median.import.maxRssMb,
    },
    'commit alone': {
      'rows/s': median.import.commitRowsPerSecond,
      seconds: ((median.import.commitMs ?? 0) / 1000).toFixed(1),
      'CPU s': '',
      'DB CPU s': '',
      'peak RSS MB': '',
    },
    COPY: {
      'rows/s': median.copy.rowsPerSecond,
      seconds: (median.copy.ms / 1000).toFixed(1),
      'CPU s': '',
      'DB CPU s': '',
      'peak RSS MB': median.copy.maxRssMb,
    },
  });
  console.log(
    `import / COPY = ${(median.ratioToCopy * 100).toFixed(1)}% (target ≥ 20%; commit alone ` +
      `${(median.commitRatioToCopy * 100).toFixed(1)}%), peak RSS ${maxRssMb} MB (target < 500 MB)` +
      `${rounds.length > 1 ? `, median of ${rounds.length} rounds` : ''}: ${row.targets.met ? 'met' : 'NOT met'}`,
  );
  return row;
}
