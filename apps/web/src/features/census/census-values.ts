import dayjs, { type Dayjs } from 'dayjs';
import type { CensusCounts, CensusTask, CensusTaskStatus } from '@liudong/contracts';
import {
  CENSUS_RESULTS,
  CENSUS_TASK_STATUSES,
  CENSUS_TASK_STATUS_LABELS,
  CONTACT_CHANNELS,
  CONTACT_CHANNEL_LABELS,
  type CensusResult,
  type ContactChannel,
} from '@liudong/domain';
import { blankToNull } from '../../ui/format';

// Pure helpers of the census pages (摸排 / 三找, issue 4 §5; DOMAIN.md §4): no antd, so that the
// tests run without a DOM.

/** The short words of the 核实 form's radio; the keys 1, 2, 3 pick them in that order. */
export const CENSUS_RESULT_LABELS: Record<CensusResult, string> = {
  unchanged: '无变化',
  changed: '有变化',
  unreachable: '无法联系',
};

export const CENSUS_RESULT_OPTIONS = CENSUS_RESULTS.map((value, index) => ({
  value,
  label: `${CENSUS_RESULT_LABELS[value]}（${index + 1}）`,
}));

/** The result a digit key picks in the 核实 form ('1' → 无变化 …), or null for any other key. */
export function resultForKey(key: string): CensusResult | null {
  const index = Number(key) - 1;
  return Number.isInteger(index) ? (CENSUS_RESULTS[index] ?? null) : null;
}

/**
 * How an officer reaches a member during a census. 本人报告 is the member's own report, which
 * arrives by itself (issue 4 §2), not something an officer records in a census.
 */
export const CENSUS_CHANNELS = CONTACT_CHANNELS.filter((c) => c !== 'self_report');
export const CENSUS_CHANNEL_OPTIONS = CENSUS_CHANNELS.map((value) => ({
  value,
  label: CONTACT_CHANNEL_LABELS[value],
}));

export const TASK_STATUS_OPTIONS = CENSUS_TASK_STATUSES.map((value) => ({
  value,
  label: CENSUS_TASK_STATUS_LABELS[value],
}));

/** antd tag colours per task status: pending stands out, an unreachable member is a warning. */
export const TASK_STATUS_COLORS: Record<CensusTaskStatus, string> = {
  pending: 'processing',
  unchanged: 'success',
  changed: 'cyan',
  unreachable: 'warning',
};

/** Tasks with a result (无变化, 有变化 or 无法联系). */
export const verifiedCount = (counts: CensusCounts) => counts.total - counts.pending;

/**
 * The share of tasks with a result, in whole per cent. 100 only when nothing is pending: a
 * campaign with one task left must not read "100%" because of rounding.
 */
export function progressPercent(counts: CensusCounts): number {
  if (counts.total <= 0) return 0;
  if (counts.pending <= 0) return 100;
  return Math.min(99, Math.floor((verifiedCount(counts) * 100) / counts.total));
}

/** "已核实 12 / 30". */
export const progressText = (counts: CensusCounts) =>
  `已核实 ${verifiedCount(counts)} / ${counts.total}`;

/** The closed campaign's summary line (what the register counts). */
export function campaignSummary(counts: CensusCounts): string {
  const parts = [
    `共 ${counts.total} 人`,
    `无变化 ${counts.unchanged} 人`,
    `有变化 ${counts.changed} 人`,
    `无法联系 ${counts.unreachable} 人`,
  ];
  if (counts.pending > 0) parts.push(`未核实 ${counts.pending} 人`);
  return parts.join('，');
}

/** The sentence of the 结束摸排 confirmation: what stays pending says so. */
export function closeConfirmText(name: string, counts: CensusCounts): string {
  const pending =
    counts.pending > 0
      ? `还有 ${counts.pending} 人未核实，结束后在登记表中记为“待核实”，不能再核实。`
      : '全部任务已核实。';
  return `结束「${name}」：${pending}结束后本次摸排只读，可下载登记表。`;
}

/**
 * The festival a census runs at (DOMAIN.md §4: Spring Festival, Mid-Autumn), guessed from the
 * month: December to March is the coming or current Spring Festival, August to October the
 * Mid-Autumn and National Day holidays. Other months name the month.
 */
export function defaultCampaignName(today: string): string {
  const date = dayjs(today);
  const year = date.year();
  const month = date.month() + 1;
  let when: string;
  if (month === 12) when = `${year + 1}年春节`;
  else if (month <= 3) when = `${year}年春节`;
  else if (month >= 8 && month <= 10) when = `${year}年中秋国庆`;
  else when = `${year}年${month}月`;
  return `${when}流动党员集中摸排`;
}

/** A new campaign runs from today for a month (editable). */
export function defaultCampaignPeriod(today: string): [string, string] {
  const start = dayjs(today);
  return [start.format('YYYY-MM-DD'), start.add(1, 'month').format('YYYY-MM-DD')];
}

/**
 * The 核实日期 the form starts with: today, kept inside the campaign's period (a campaign that
 * ended yesterday is verified on its last day), and never a day still to come.
 */
export function defaultVerifiedOn(today: string, period: { startsOn: string; endsOn: string }) {
  // Before the period starts there is no day both in it and past: today, and the server says why.
  return today > period.endsOn ? period.endsOn : today;
}

/** Days the 核实日期 picker offers: inside the period and not after today. */
export function verifiedOnDisabled(
  date: Dayjs,
  period: { startsOn: string; endsOn: string },
  today: string,
): boolean {
  const day = date.format('YYYY-MM-DD');
  return day < period.startsOn || day > period.endsOn || day > today;
}

export interface VerifyFormValues {
  result?: CensusResult;
  verifiedOn?: Dayjs | null;
  channel?: ContactChannel;
  note?: string;
  destinationRegionCode?: string | null;
  destinationAddress?: string;
  employer?: string;
}

/**
 * The body of POST /api/census/:id/tasks/:taskId (checked against the contract by the caller).
 * Only 有变化 carries the new whereabouts, with the episode's version (optimistic locking).
 */
export function toVerifyInput(
  task: Pick<CensusTask, 'version' | 'mobilityVersion'>,
  values: VerifyFormValues,
) {
  const changed = values.result === 'changed';
  return {
    result: values.result,
    verifiedOn: values.verifiedOn ? values.verifiedOn.format('YYYY-MM-DD') : '',
    channel: values.channel,
    note: blankToNull(values.note),
    version: task.version,
    ...(changed
      ? {
          whereabouts: {
            destinationRegionCode: values.destinationRegionCode ?? '',
            destinationAddress: blankToNull(values.destinationAddress),
            employer: blankToNull(values.employer),
          },
          ...(task.mobilityVersion !== null ? { mobilityVersion: task.mobilityVersion } : {}),
        }
      : {}),
  };
}

/**
 * Where 保存并核实下一位 goes from `currentId` in the list on screen: the next pending task below
 * it, else the first pending one above it; null when none is left on this page.
 */
export function nextPendingTask<T extends Pick<CensusTask, 'id' | 'status'>>(
  items: readonly T[],
  currentId: string,
): T | null {
  const index = items.findIndex((task) => task.id === currentId);
  const pending = (task: T) => task.status === 'pending' && task.id !== currentId;
  return (
    items.slice(index + 1).find(pending) ?? items.slice(0, Math.max(index, 0)).find(pending) ?? null
  );
}

/** The task list's query: empty filters left out, so the URL stays short. */
export function taskFilters(input: {
  orgId: string | null;
  status: CensusTaskStatus | null;
  q: string;
}) {
  return {
    ...(input.orgId ? { orgId: input.orgId } : {}),
    ...(input.status ? { status: input.status } : {}),
    ...(input.q.trim() ? { q: input.q.trim() } : {}),
  };
}

/** "2026-01-20 至 2026-02-28". */
export const periodText = (startsOn: string, endsOn: string) => `${startsOn} 至 ${endsOn}`;

const VERIFY_FORM_FIELDS = new Set<PropertyKey>([
  'result',
  'verifiedOn',
  'channel',
  'note',
  'destinationRegionCode',
  'destinationAddress',
  'employer',
]);

/**
 * Where a contract issue of VerifyCensusTaskInput shows in the 核实 form: the whereabouts' fields
 * are the form's own (`whereabouts.employer` → `employer`; the whole object → the place), the rest
 * by name; null for what the form has no field for (the versions), shown above the form instead.
 */
export function verifyIssueField(path: readonly PropertyKey[]): string | null {
  const [head, sub] = path;
  if (head === 'whereabouts') return typeof sub === 'string' ? sub : 'destinationRegionCode';
  return head !== undefined && VERIFY_FORM_FIELDS.has(head) ? String(head) : null;
}
