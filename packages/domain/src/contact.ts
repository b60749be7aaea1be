/**
 * Keeping in touch (DOMAIN.md §4; issue 4): the 三定 schedule, the contact queue and lost contact
 * (失联). Everything here is a pure function of dates, so the same rule can be read off a table
 * test and matched by the server's SQL (`date + interval 'n months'` clamps month ends exactly as
 * addMonths does: 2024-08-31 + 6 months = 2025-02-28).
 */
import { addDays, addMonths, parseIsoDate } from './calendar';
import type { MobilityReason } from './mobility';

/** 电话 / 短信 / 微信 / 视频 / 信函 / 走访 / 返乡见面, plus the member's own report (self-service, later). */
export const CONTACT_CHANNELS = [
  'phone',
  'sms',
  'wechat',
  'video',
  'letter',
  'visit',
  'meeting',
  'self_report',
] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export const CONTACT_CHANNEL_LABELS: Record<ContactChannel, string> = {
  phone: '电话',
  sms: '短信',
  wechat: '微信',
  video: '视频',
  letter: '信函',
  visit: '走访',
  meeting: '返乡见面',
  self_report: '本人报告',
};

/**
 * Member categories with their own contact schedule. Members abroad (出国(境)) must be contacted
 * at least every 6 months (条例 Art. 34); everyone else monthly by default (DOMAIN.md §4, 定时,
 * **configurable** per org: quarterly in some places).
 */
export const CONTACT_CATEGORIES = ['domestic', 'abroad'] as const;
export type ContactCategory = (typeof CONTACT_CATEGORIES)[number];
export const CONTACT_CATEGORY_LABELS: Record<ContactCategory, string> = {
  domestic: '境内',
  abroad: '出国（境）',
};
export const DEFAULT_CONTACT_INTERVAL_MONTHS: Record<ContactCategory, number> = {
  domestic: 1,
  abroad: 6,
};
/** The longest schedule an org may set: never less often than every 6 months (Art. 34). */
export const MAX_CONTACT_INTERVAL_MONTHS = 6;

export function isValidIntervalMonths(months: number): boolean {
  return Number.isInteger(months) && months >= 1 && months <= MAX_CONTACT_INTERVAL_MONTHS;
}

/**
 * GB/T 2260 codes 71 (台湾), 81 (香港), 82 (澳门) are 境外 for the schedule: the abroad rule
 * applies. Anywhere else outside China has no region code; the officer marks those by hand.
 */
export function isAbroadRegion(code: string | null | undefined): boolean {
  return !!code && /^(71|81|82)/.test(code);
}

export function defaultContactCategory(destinationRegionCode: string | null): ContactCategory {
  return isAbroadRegion(destinationRegionCode) ? 'abroad' : 'domestic';
}

/**
 * The interval that applies: the member's own (set on the assignment), else the nearest org's
 * rule for the category (rules ordered nearest first), else the default.
 */
export function effectiveIntervalMonths(input: {
  category: ContactCategory;
  memberOverride?: number | null;
  orgRules?: readonly (number | null | undefined)[];
}): number {
  if (input.memberOverride != null) return input.memberOverride;
  for (const r of input.orgRules ?? []) if (r != null) return r;
  return DEFAULT_CONTACT_INTERVAL_MONTHS[input.category];
}

/**
 * The day the next contact is due: one interval after the last contact in which the member was
 * reached, or after the episode began (the day the member left) when nobody has reached them yet.
 * An attempt that did not reach the member does not reset the schedule.
 */
export function contactDueOn(input: {
  startOn: string;
  lastReachedOn: string | null;
  intervalMonths: number;
}): string {
  const base =
    input.lastReachedOn && input.lastReachedOn > input.startOn
      ? input.lastReachedOn
      : input.startOn;
  return addMonths(base, input.intervalMonths);
}

export const QUEUE_BUCKETS = ['overdue', 'week', 'later'] as const;
export type QueueBucket = (typeof QUEUE_BUCKETS)[number];
export const QUEUE_BUCKET_LABELS: Record<QueueBucket, string> = {
  overdue: '已逾期',
  week: '本周应联系',
  later: '未到期',
};
/** "This week" is the next seven days, today included. */
export const QUEUE_WEEK_DAYS = 7;

/** Overdue: the due day has passed. Due this week: due today or within the next six days. */
export function queueBucket(dueOn: string, today: string): QueueBucket {
  if (dueOn < today) return 'overdue';
  if (dueOn <= addDays(today, QUEUE_WEEK_DAYS - 1)) return 'week';
  return 'later';
}

/** Days past the due day (0 when not overdue). */
export function overdueDays(dueOn: string, today: string): number {
  const a = parseIsoDate(dueOn);
  const b = parseIsoDate(today);
  if (!a || !b) throw new RangeError(`not a date: ${a ? today : dueOn}`);
  const ms = Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day);
  return Math.max(0, Math.round(ms / 86_400_000));
}

/**
 * 按时联系率 (DOMAIN.md §9) = members contacted within their schedule ÷ members due. A member is
 * *due* once their first interval since leaving has run (a member who left last week is not yet
 * due); of those, *on time* are the ones whose next due day has not passed.
 */
export function isDueForRate(input: { startOn: string; intervalMonths: number }, today: string) {
  return addMonths(input.startOn, input.intervalMonths) <= today;
}

// ---------------------------------------------------------------------------------------------
// Lost contact (失联)

/** Lost after 6 months without org life, dues or a contact that reached the member (§4). */
export const LOST_CONTACT_MONTHS = 6;
/** Warnings to the branch before the 6-month mark (DOMAIN.md §4: e.g. 3 and 5; configurable). */
export const DEFAULT_WARNING_MONTHS: readonly number[] = [3, 5];

export function isValidWarningMonths(points: readonly number[]): boolean {
  return (
    points.length >= 1 &&
    points.length <= 5 &&
    points.every((p) => Number.isInteger(p) && p >= 1 && p < LOST_CONTACT_MONTHS) &&
    points.every((p, i) => i === 0 || p > points[i - 1]!)
  );
}

/** Whole calendar months from `from` to `to` (month ends clamp: 01-31 → 02-29 is one month). */
export function wholeMonthsBetween(from: string, to: string): number {
  if (to < from) return 0;
  const a = parseIsoDate(from);
  const b = parseIsoDate(to);
  if (!a || !b) throw new RangeError(`not a date: ${a ? to : from}`);
  let m = (b.year - a.year) * 12 + (b.month - a.month);
  if (addMonths(from, m) > to) m -= 1;
  return Math.max(0, m);
}

export const SIGN_OF_LIFE_KINDS = ['org_life', 'dues', 'contact', 'left'] as const;
export type SignOfLifeKind = (typeof SIGN_OF_LIFE_KINDS)[number];
export const SIGN_OF_LIFE_LABELS: Record<SignOfLifeKind, string> = {
  org_life: '参加组织生活',
  dues: '交纳党费',
  contact: '联系上本人',
  left: '外出登记',
};

export type LostContactLevel = 'ok' | 'warning' | 'lost';
export const LOST_CONTACT_LEVEL_LABELS: Record<LostContactLevel, string> = {
  ok: '正常',
  warning: '预警',
  lost: '失联',
};

export interface LostContactInput {
  /** The episode's start: nobody is counted as lost for time before they left. */
  leftOn: string;
  lastOrgLifeOn: string | null;
  lastDuesOn: string | null;
  lastReachedOn: string | null;
}

export interface LostContactStatus {
  level: LostContactLevel;
  /** The latest sign of life and what it was. */
  lastSignOn: string;
  lastSignKind: SignOfLifeKind;
  monthsWithout: number;
  /** The highest warning point reached (e.g. 3 or 5), when the level is 'warning'. */
  warningPoint: number | null;
  /** The day the member counts as lost (6 months after the last sign of life). */
  lostOn: string;
}

/**
 * Lost contact derived when read (issue 4 §4): the time since the latest of org life, dues and a
 * contact that reached the member, counted from the day the member left at the earliest. At 6
 * whole months the member is 失联; at the configured points before that, a warning. The system
 * only warns: suspension (停止党籍) and 自行脱党 are decided by the branch (条例 Art. 24, 31).
 */
export function lostContactStatus(
  input: LostContactInput,
  today: string,
  warningPoints: readonly number[] = DEFAULT_WARNING_MONTHS,
): LostContactStatus {
  const candidates: [SignOfLifeKind, string | null][] = [
    ['contact', input.lastReachedOn],
    ['org_life', input.lastOrgLifeOn],
    ['dues', input.lastDuesOn],
    ['left', input.leftOn],
  ];
  let lastSignKind: SignOfLifeKind = 'left';
  let lastSignOn = input.leftOn;
  for (const [kind, on] of candidates) {
    if (on && on > lastSignOn) {
      lastSignOn = on;
      lastSignKind = kind;
    }
  }
  const monthsWithout = wholeMonthsBetween(lastSignOn, today);
  const lostOn = addMonths(lastSignOn, LOST_CONTACT_MONTHS);
  if (lostOn <= today)
    return { level: 'lost', lastSignOn, lastSignKind, monthsWithout, warningPoint: null, lostOn };
  let warningPoint: number | null = null;
  for (const p of warningPoints) if (addMonths(lastSignOn, p) <= today) warningPoint = p;
  return {
    level: warningPoint === null ? 'ok' : 'warning',
    lastSignOn,
    lastSignKind,
    monthsWithout,
    warningPoint,
    lostOn,
  };
}

/** Reason codes of the official forms (DOMAIN.md §4), ① – ⑦. */
export const LOST_CONTACT_REASONS = [
  'work_business',
  'restructured',
  'graduated',
  'employer_changed',
  'abroad',
  'moved',
  'other',
] as const;
export type LostContactReason = (typeof LOST_CONTACT_REASONS)[number];
export const LOST_CONTACT_REASON_LABELS: Record<LostContactReason, string> = {
  work_business: '①外出务工经商',
  restructured: '②单位改制或破产',
  graduated: '③毕业后去向不明',
  employer_changed: '④工作单位改变',
  abroad: '⑤出国(境)',
  moved: '⑥居住地改变',
  other: '⑦其他',
};

/** The reason an officer most likely records, from the episode (they may change it). */
export function suggestLostContactReason(
  reason: MobilityReason | null,
  destinationRegionCode: string | null,
): LostContactReason {
  if (isAbroadRegion(destinationRegionCode)) return 'abroad';
  switch (reason) {
    case 'work':
    case 'business':
      return 'work_business';
    case 'study':
      return 'graduated';
    case 'family':
    case 'elderly_care':
      return 'moved';
    default:
      return 'other';
  }
}

// ---------------------------------------------------------------------------------------------
// Census (摸排 / 三找)

export const CENSUS_TASK_STATUSES = ['pending', 'unchanged', 'changed', 'unreachable'] as const;
export type CensusTaskStatus = (typeof CENSUS_TASK_STATUSES)[number];
export const CENSUS_TASK_STATUS_LABELS: Record<CensusTaskStatus, string> = {
  pending: '待核实',
  unchanged: '已核实·无变化',
  changed: '已核实·有变化',
  unreachable: '无法联系',
};
/** Results an officer records; `unchanged` and `changed` reached the member. */
export const CENSUS_RESULTS = ['unchanged', 'changed', 'unreachable'] as const;
export type CensusResult = (typeof CENSUS_RESULTS)[number];
export function censusResultReached(result: CensusResult): boolean {
  return result !== 'unreachable';
}
export const CENSUS_STATUSES = ['open', 'closed'] as const;
export type CensusStatus = (typeof CENSUS_STATUSES)[number];
export const CENSUS_STATUS_LABELS: Record<CensusStatus, string> = {
  open: '进行中',
  closed: '已结束',
};
