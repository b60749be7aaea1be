/**
 * 组织关系转接 (DOMAIN.md §3, issue 3 §5): request → approval by the sending committee → letter
 * (介绍信, three parts and a receipt, numbered) → receipt by the receiving org → done. The home org
 * stays responsible until the receipt (条例 Art. 25), so the member's org of affiliation changes
 * only at `completed`.
 */
import { addDays, daysBetween } from './calendar';
import type { OrgKind } from './org';

export const TRANSFER_STATUSES = [
  'requested',
  'approved',
  'completed',
  'rejected',
  'cancelled',
] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];
export const TRANSFER_STATUS_LABELS: Record<TransferStatus, string> = {
  requested: '待审批',
  approved: '已开介绍信，待回执',
  completed: '已接收',
  rejected: '未批准',
  cancelled: '已撤销',
};

/** Approval issues the letter; the receipt completes the transfer. */
export const TRANSFER_TRANSITIONS: Record<TransferStatus, readonly TransferStatus[]> = {
  requested: ['approved', 'rejected', 'cancelled'],
  // A letter that expired or was never used is cancelled; the member stays where they were.
  approved: ['completed', 'cancelled'],
  completed: [],
  rejected: [],
  cancelled: [],
};

export function canTransferTransition(from: TransferStatus, to: TransferStatus): boolean {
  return TRANSFER_TRANSITIONS[from].includes(to);
}

export function isOpenTransferStatus(s: TransferStatus): boolean {
  return s === 'requested' || s === 'approved';
}

/**
 * Where the receiving org is, seen from the sending org: it decides the letter's validity.
 */
export const TRANSFER_RANGES = ['within_city', 'elsewhere'] as const;
export type TransferRange = (typeof TRANSFER_RANGES)[number];

/**
 * Validity of a letter is a local practice (DOMAIN.md §3: e.g. 10 days within a city, 30 days
 * elsewhere, 3 months at most), so it is configurable, bounded by the 3-month maximum.
 */
export interface TransferLimits {
  withinCityDays: number;
  elsewhereDays: number;
}
export const DEFAULT_TRANSFER_LIMITS: TransferLimits = { withinCityDays: 10, elsewhereDays: 30 };
export const TRANSFER_MAX_DAYS = 90;

/**
 * The range from two six-digit region codes (GB/T 2260): the same first four digits are the
 * same prefecture-level city. Unknown destination → 'elsewhere' (the longer limit).
 */
export function transferRange(fromRegion: string | null, toRegion: string | null): TransferRange {
  if (!fromRegion || !toRegion) return 'elsewhere';
  return fromRegion.slice(0, 4) === toRegion.slice(0, 4) ? 'within_city' : 'elsewhere';
}

/** The last day on which the receiving org may receive the member on this letter. */
export function letterDueOn(
  issuedOn: string,
  range: TransferRange,
  limits: TransferLimits,
): string {
  const days = range === 'within_city' ? limits.withinCityDays : limits.elsewhereDays;
  return addDays(issuedOn, Math.min(days, TRANSFER_MAX_DAYS));
}

/** Overdue: the letter is out, no receipt, and its last valid day has passed. */
export function isTransferOverdue(
  t: { status: TransferStatus; dueOn: string | null },
  today: string,
): boolean {
  return t.status === 'approved' && t.dueOn !== null && today > t.dueOn;
}

/** Days since the letter's last valid day (0 when not overdue). */
export function transferOverdueDays(
  t: { status: TransferStatus; dueOn: string | null },
  today: string,
): number {
  if (!isTransferOverdue(t, today) || !t.dueOn) return 0;
  return daysBetween(t.dueOn, today);
}

/** Letter number as printed: 〔2026〕17号, prefixed by the county's short code. */
export function formatLetterNumber(prefix: string, year: number, seq: number): string {
  return `${prefix}〔${year}〕${seq}号`;
}

/**
 * The prefix of the letters a county issues (县委组织部 → 南岭组转), from the name of the
 * county-level org (its short name or its full name, with or without 中共): the place name before
 * the first 县/区/市/旗 (自治县/自治旗 included), else its first two characters.
 */
export function letterPrefixOf(countyOrgName: string | null | undefined): string {
  const name = (countyOrgName ?? '').trim().replace(/^中共/, '');
  const place = /^(.+?)(?:自治县|自治旗|县|区|市|旗)/.exec(name)?.[1] ?? name.slice(0, 2);
  return `${place}组转`;
}

/**
 * The org kinds that can receive a member's affiliation. Temporary and online branches serve
 * members whose affiliation stays at home (DOMAIN.md §2, §3: 临时党支部 and 网上党支部 do not take
 * in 组织关系), and committees or groups hold no members directly (DOMAIN.md §7).
 */
export const TRANSFER_RECEIVING_ORG_KINDS: readonly OrgKind[] = [
  'branch',
  'general_branch',
  'mobile_party_org',
];

/**
 * The receipt's date: not before the letter was issued, not in the future. Null when fine, else
 * the message for the form.
 */
export function receiptDateProblem(
  receivedOn: string,
  letterIssuedOn: string | null,
  today: string,
): string | null {
  if (receivedOn > today) return '回执日期不能晚于今天';
  if (letterIssuedOn && receivedOn < letterIssuedOn) return '回执日期不能早于介绍信开具日期';
  return null;
}
