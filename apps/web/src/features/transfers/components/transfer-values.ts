import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import type { Transfer, TransferAbilities, TransferLetter } from '@liudong/contracts';
import {
  GENDER_LABELS,
  MEMBERSHIP_LABELS,
  TRANSFER_STATUS_LABELS,
  isOpenTransferStatus,
  receiptDateProblem,
  type TransferStatus,
} from '@liudong/domain';
// Type only: this module stays free of antd, so that its tests run without a DOM.
import type { OrgChoiceMode } from '../../orgs/components/org-directory-select';
import { orgChoice } from '../../mobility/components/mobility-form-values';
import { blankToNull } from '../../../ui/format';
import type { TransferFilters } from '../api/transfers-api';

/** The tabs of the transfers page. */
export const TRANSFER_VIEWS = ['out', 'in', 'overdue', 'all'] as const;
export type TransferView = (typeof TRANSFER_VIEWS)[number];
export const TRANSFER_VIEW_LABELS: Record<TransferView, string> = {
  out: '转出',
  in: '转入',
  overdue: '逾期未回执',
  all: '全部',
};

/** The `?view=` of the page URL, or 全部 when absent or unknown. */
export function parseTransferView(value: string | null | undefined): TransferView {
  return (TRANSFER_VIEWS as readonly string[]).includes(value ?? '')
    ? (value as TransferView)
    : 'all';
}

/**
 * The list query of a tab plus the other filters. 逾期未回执 spans both sides; being overdue
 * implies the letter is out without a receipt, so a status filter does not apply there.
 */
export function transferFilters(
  view: TransferView,
  other: { status?: TransferStatus | null; q?: string; memberId?: string | null },
): TransferFilters {
  const filters: TransferFilters = {};
  if (view === 'out' || view === 'in') filters.side = view;
  if (view === 'overdue') filters.overdue = 'true';
  else if (other.status) filters.status = other.status;
  const q = other.q?.trim();
  if (q) filters.q = q;
  if (other.memberId) filters.memberId = other.memberId;
  return filters;
}

export const TRANSFER_STATUS_COLORS: Record<TransferStatus, string> = {
  requested: 'processing',
  approved: 'orange',
  completed: 'success',
  rejected: 'error',
  cancelled: 'default',
};

export const TRANSFER_STATUS_OPTIONS = (
  Object.keys(TRANSFER_STATUS_LABELS) as TransferStatus[]
).map((value) => ({ value, label: TRANSFER_STATUS_LABELS[value] }));

/** '逾期5天' for a letter past its last valid day without a receipt; null otherwise. */
export function overdueLabel(t: Pick<Transfer, 'overdue' | 'overdueDays'>): string | null {
  if (!t.overdue) return null;
  return t.overdueDays > 0 ? `逾期${t.overdueDays}天` : '已逾期';
}

export const RECEIPT_SOURCE_LABELS: Record<'system' | 'paper', string> = {
  system: '系统内接收',
  paper: '纸质回执',
};

/** Which receipts this actor may record: the receiving org confirms, the sender logs paper. */
export function receiptSources(
  abilities: Pick<TransferAbilities, 'receive' | 'recordPaperReceipt'>,
): ('system' | 'paper')[] {
  const sources: ('system' | 'paper')[] = [];
  if (abilities.receive) sources.push('system');
  if (abilities.recordPaperReceipt) sources.push('paper');
  return sources;
}

/** A letter exists once the transfer was approved (a cancelled one keeps its number). */
export function hasLetter(t: Pick<Transfer, 'letterNumber'>): boolean {
  return t.letterNumber !== null;
}

/** The member's transfer still under way (requested or letter out), if any. */
export function openTransferOf<T extends Pick<Transfer, 'status'>>(
  transfers: readonly T[],
): T | null {
  return transfers.find((t) => isOpenTransferStatus(t.status)) ?? null;
}

/** '接收党组织（所在地）': the region shows for an org outside the system. */
export function destinationText(
  t: Pick<Transfer, 'toOrgId' | 'toOrgName' | 'toRegionName'>,
): string {
  if (t.toOrgId || !t.toRegionName) return t.toOrgName;
  return `${t.toOrgName}（${t.toRegionName}）`;
}

export interface RequestFormValues {
  toOrgMode?: OrgChoiceMode;
  toOrgId?: string | null;
  toOrgText?: string;
  toRegionCode?: string | null;
  reason?: string;
}

/** The body of POST /api/transfers (checked against the contract by the caller). */
export function toRequestInput(memberId: string, values: RequestFormValues) {
  const to = orgChoice(values.toOrgMode, values.toOrgId, values.toOrgText);
  return {
    memberId,
    toOrgId: to.orgId,
    toOrgText: to.text,
    // An org in the system has its own region; only a name as written needs one.
    toRegionCode: to.text ? (values.toRegionCode ?? null) : null,
    reason: values.reason?.trim() ?? '',
  };
}

export interface DecisionFormValues {
  decision?: 'approve' | 'reject';
  note?: string;
}

export function toDecideInput(values: DecisionFormValues, version: number) {
  return { decision: values.decision, note: blankToNull(values.note), version };
}

export interface ReceiptFormValues {
  source?: 'system' | 'paper';
  receivedOn?: Dayjs | null;
  note?: string;
}

export function toReceiveInput(values: ReceiptFormValues, version: number) {
  return {
    source: values.source,
    receivedOn: values.receivedOn ? values.receivedOn.format('YYYY-MM-DD') : '',
    note: blankToNull(values.note),
    version,
  };
}

/** Dates a receipt may carry: from the letter's issue day up to today (the domain rule). */
export function receiptDateDisabled(
  date: Dayjs,
  letterIssuedOn: string | null,
  today: Dayjs = dayjs(),
): boolean {
  const iso = (d: Dayjs) => d.format('YYYY-MM-DD');
  return receiptDateProblem(iso(date), letterIssuedOn, iso(today)) !== null;
}

// ——— The printed letter (介绍信) ———

/** A blank to write in by hand; the short one for a month or a day. */
export const BLANK = '＿＿＿＿';
export const SHORT_BLANK = '＿＿';

/** '2026年3月1日', or blanks for a date to be written by hand. */
export function chineseDate(iso: string | null | undefined): string {
  if (!iso) return `${BLANK}年${SHORT_BLANK}月${SHORT_BLANK}日`;
  return dayjs(iso).format('YYYY年M月D日');
}

/** A label from the code, or the value as the API gave it (it may already be a label). */
function labelOf(labels: Record<string, string>, value: string | null): string | null {
  if (!value) return null;
  return labels[value] ?? value;
}

/** Days from the letter's issue to its last valid day, e.g. 30 for '有效期30天'. */
export function validityDays(issuedOn: string | null, dueOn: string | null): number | null {
  if (!issuedOn || !dueOn) return null;
  return dayjs(dueOn).diff(dayjs(issuedOn), 'day');
}

/**
 * '男，35岁，汉族，正式党员，身份证号码 510104********1234': the member as the letter describes
 * them. Unknown facts are left as blanks to write in; the ID number stays masked (SECURITY.md 13).
 */
export function memberParticulars(member: TransferLetter['member']): string {
  const membership = labelOf(MEMBERSHIP_LABELS, member.membership) ?? BLANK;
  return [
    labelOf(GENDER_LABELS, member.gender) ?? BLANK,
    member.age === null ? `${BLANK}岁` : `${member.age}岁`,
    member.ethnicity ?? BLANK,
    membership.endsWith('党员') ? membership : `${membership}党员`,
    `身份证号码 ${member.idNumberMasked ?? BLANK}`,
  ].join('，');
}

/** The letter's one sentence: who, and from which org to which org. */
export function introductionText(letter: TransferLetter): string {
  const t = letter.transfer;
  return `兹介绍${letter.member.name}同志（${memberParticulars(letter.member)}）的党员组织关系由${t.fromOrgName}转去${destinationText(t)}，请接洽。`;
}

/** The receipt's sentence, addressed back to the issuing org. */
export function receiptText(letter: TransferLetter): string {
  const number = letter.transfer.letterNumber ?? BLANK;
  return `你处${number}介绍信所介绍的${letter.member.name}同志的党员组织关系已转达我处，特此回复。`;
}
