/** Latency figures of one measured path: percentiles by nearest rank, throughput per second. */
export interface Latency {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
  /** Requests (or statements) per second, measured back to back on one connection. */
  perSecond: number;
}

const round = (x: number) => Number(x.toFixed(2));

export function latencyOf(samplesMs: readonly number[], wallMs?: number): Latency {
  if (samplesMs.length === 0) throw new Error('no samples');
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  const total = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    mean: round(total / sorted.length),
    max: round(sorted.at(-1)!),
    perSecond: round((sorted.length / (wallMs ?? total)) * 1000),
  };
}

/** Runs `fn` `warmup` times unmeasured, then `n` times back to back; the samples in ms. */
export async function sample(
  n: number,
  fn: (i: number) => Promise<unknown>,
  warmup = 3,
): Promise<Latency> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  return latencyOf(samples, performance.now() - started);
}
