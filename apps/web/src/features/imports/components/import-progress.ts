import type { ImportProgress } from '../api/imports-api';
import { IMPORT_PHASE_LABELS } from './import-labels';

export type ImportPhase = ImportProgress['phase'];

/**
 * Where each phase sits on the one bar, in percent. The server reports each phase on its own
 * (done/total rows); one bar that only moves forward reads better than three that restart. The
 * shares are rough: writing (encryption, blind indexes, audit) takes most of the time.
 */
const PHASE_SPANS: Record<ImportPhase, readonly [from: number, to: number]> = {
  reading: [0, 10],
  checking: [10, 40],
  writing: [40, 100],
};

/** The whole import's percent (0–100, whole numbers) from one progress line. */
export function progressPercent(
  progress: Pick<ImportProgress, 'phase' | 'done' | 'total'>,
): number {
  const [from, to] = PHASE_SPANS[progress.phase];
  const share = progress.total > 0 ? Math.min(Math.max(progress.done / progress.total, 0), 1) : 0;
  return Math.floor(from + (to - from) * share);
}

/** '写入 120 / 500 行' under the bar. */
export function progressText(progress: Pick<ImportProgress, 'phase' | 'done' | 'total'>): string {
  const label = IMPORT_PHASE_LABELS[progress.phase];
  if (progress.total <= 0) return `${label}中…`;
  const count = (n: number) => n.toLocaleString('zh-CN');
  return `${label} ${count(Math.min(progress.done, progress.total))} / ${count(progress.total)} 行`;
}
