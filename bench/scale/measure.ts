/**
 * One API path measured against its physical limit: the read statements it sent, replayed as
 * sent (text and parameters, unnamed, on one connection of their own) — what PostgreSQL needs for
 * that request with no HTTP, session check, policy, serialization or Node in between.
 */
import type pg from 'pg';
import type { BenchApp, Statement } from './app';
import type { Session } from './client';
import { sample, type Latency } from './stats';

export interface PathFigures {
  label: string;
  path: string;
  /** Through HTTP, signed in, back to back. */
  api: Latency;
  /** The slowest read statement alone (by p50): "its raw query". */
  rawMain: Latency;
  /** Every read statement of the request in turn. */
  rawAll: Latency;
  statements: number;
  /** Writes the request made (session touch, audit), not replayed. */
  writesSkipped: number;
  /** api p50 / rawMain p50. */
  ratio: number;
  mainSql: Statement;
  /** p50 of each read statement, in the order sent, with its first words. */
  reads: { sql: string; p50: number }[];
  bytes: number;
}

const isRead = (s: Statement) => /^\s*(select|with)\b/i.test(s.text);

export async function execute(client: pg.Client, s: Statement) {
  await client.query({ text: s.text, values: s.values, ...(s.rowMode && { rowMode: s.rowMode }) });
}

export async function measurePath(
  app: BenchApp,
  session: Session,
  raw: pg.Client,
  label: string,
  path: string,
  n: number,
): Promise<PathFigures> {
  let bytes = 0;
  const api = await sample(n, async () => {
    bytes = await session.get(path);
  });
  const captured = await app.capture(() => session.get(path));
  const reads = captured.filter(isRead);
  if (reads.length === 0) throw new Error(`${label}: no read statement captured`);
  const perStatement: { s: Statement; latency: Latency }[] = [];
  for (const s of reads) perStatement.push({ s, latency: await sample(n, () => execute(raw, s)) });
  const main = perStatement.reduce((a, b) => (b.latency.p50 > a.latency.p50 ? b : a));
  const rawAll = await sample(n, async () => {
    for (const s of reads) await execute(raw, s);
  });
  return {
    label,
    path,
    api,
    rawMain: main.latency,
    rawAll,
    statements: reads.length,
    writesSkipped: captured.length - reads.length,
    ratio: Number((api.p50 / main.latency.p50).toFixed(2)),
    mainSql: main.s,
    reads: perStatement.map(({ s, latency }) => ({
      sql: s.text.replace(/\s+/g, ' ').trim().slice(0, 100),
      p50: latency.p50,
    })),
    bytes,
  };
}

/**
 * The plan of a statement with its actual row counts, without timings or costs, so that the file
 * changes in review only when the plan's shape or the data does (bench/plans/).
 */
export async function planOf(raw: pg.Client, s: Statement): Promise<string> {
  const { rows } = await raw.query<{ 'QUERY PLAN': string }>({
    text: `explain (analyze, costs off, timing off, summary off) ${s.text}`,
    values: s.values,
  });
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}
