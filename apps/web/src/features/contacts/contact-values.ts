import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import type {
  CreateContactInput,
  LiaisonCandidate,
  LostContactReason,
  LostItem,
  QueueItem,
  QueueSummary,
} from '@liudong/contracts';
import {
  CONTACT_CHANNELS,
  CONTACT_CHANNEL_LABELS,
  LOST_CONTACT_REASONS,
  LOST_CONTACT_REASON_LABELS,
  type ContactChannel,
  type Role,
} from '@liudong/domain';
import { EMPTY_TEXT, blankToNull } from '../../ui/format';
import type { LostFilters, QueueFilters, QueueTab, QueueView } from './api/contacts-api';

// Pure shaping for the keeping-in-touch pages (issue 4 §7): no React, no antd, so that the rules
// of the queue, the next-member flow and the contact form are unit-tested without a DOM.

// ---------------------------------------------------------------------------------------------
// Queue

/** The tabs of 联系工作, in the URL as `?bucket=` (the reminders link to `?bucket=overdue`). */
export const QUEUE_TABS = ['overdue', 'week', 'all', 'unassigned'] as const;
export const QUEUE_TAB_LABELS: Record<QueueTab, string> = {
  overdue: '已逾期',
  week: '本周应联系',
  all: '全部',
  unassigned: '未分配联络员',
};

export function parseQueueTab(value: string | null | undefined): QueueTab {
  return (QUEUE_TABS as readonly string[]).includes(value ?? '') ? (value as QueueTab) : 'overdue';
}

export const QUEUE_VIEW_LABELS: Record<QueueView, string> = {
  mine: '我负责的',
  org: '本组织全部',
};

/**
 * A liaison works through their own list (我负责的); everyone else who logs contacts (branch and
 * committee officers, station staff) looks after the whole org first (本组织全部).
 */
export function defaultQueueView(role: Role | null | undefined): QueueView {
  return role === 'liaison' ? 'mine' : 'org';
}

export function parseQueueView(value: string | null | undefined, role: Role | null): QueueView {
  return value === 'mine' || value === 'org' ? value : defaultQueueView(role);
}

/** Members without a liaison are an org's question: the tab exists in 本组织全部 only. */
export function queueTabsFor(view: QueueView): QueueTab[] {
  return view === 'org' ? [...QUEUE_TABS] : QUEUE_TABS.filter((tab) => tab !== 'unassigned');
}

export function queueFilters(
  tab: QueueTab,
  view: QueueView,
  other: { q?: string; orgId?: string | null; liaisonId?: string | null } = {},
): QueueFilters {
  const bucket = view === 'mine' && tab === 'unassigned' ? 'overdue' : tab;
  const filters: QueueFilters = { view, bucket };
  if (other.orgId) filters.orgId = other.orgId;
  if (other.liaisonId && bucket !== 'unassigned') filters.liaisonId = other.liaisonId;
  const q = other.q?.trim();
  if (q) filters.q = q;
  return filters;
}

/** '逾期12天' for a member past the due day; null otherwise. */
export function overdueText(days: number): string | null {
  return days > 0 ? `逾期${days}天` : null;
}

/** 按时联系率 as the page prints it: '85.3%', or '—' when nobody is due yet. */
export function formatRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? EMPTY_TEXT : `${rate}%`;
}

/** The bulk assignment panel's one line: how many outbound members, how many without a liaison. */
export function unassignedSummaryText(summary: Pick<QueueSummary, 'total' | 'unassigned'>) {
  return `本组织流出党员 ${summary.total} 人，其中未分配联络员 ${summary.unassigned} 人`;
}

/**
 * 保存并登记下一位: the member after `currentId` in the list as it was when the run started
 * (`snapshot`), skipping those already logged in this run (`done`). The list is refetched after
 * each save and a logged member may leave it, so the snapshot keeps the order stable; when the
 * snapshot is used up, the first member of the fresh list not yet logged is next.
 */
export function nextInQueue(
  snapshot: readonly QueueItem[],
  currentId: string,
  done: ReadonlySet<string>,
  fresh: readonly QueueItem[] = [],
): QueueItem | null {
  const index = snapshot.findIndex((item) => item.memberId === currentId);
  const pending = (item: QueueItem) => item.memberId !== currentId && !done.has(item.memberId);
  for (const item of snapshot.slice(index + 1)) if (pending(item)) return item;
  for (const item of snapshot.slice(0, Math.max(0, index))) if (pending(item)) return item;
  return fresh.find(pending) ?? null;
}

// ---------------------------------------------------------------------------------------------
// Contact form

/** The channels a liaison records (本人报告 comes from the member's own report, later). */
export const CONTACT_CHANNEL_OPTIONS = CONTACT_CHANNELS.filter((c) => c !== 'self_report').map(
  (value) => ({ value, label: CONTACT_CHANNEL_LABELS[value] }),
);

export interface ContactFormValues {
  contactedOn?: Dayjs | null;
  channel?: ContactChannel;
  reached?: boolean;
  work?: string;
  life?: string;
  thinking?: string;
  difficulties?: string;
  followUp?: string;
  followUpNeeded?: boolean;
  orgLifeOn?: Dayjs | null;
  duesPaidOn?: Dayjs | null;
  whereaboutsChanged?: boolean;
  destinationRegionCode?: string | null;
  destinationAddress?: string;
  employer?: string;
}

/** A fresh form: today, by phone, reached (the usual call). */
export function initialContactValues(today: Dayjs = dayjs()): ContactFormValues {
  return { contactedOn: today, channel: 'phone', reached: true, followUpNeeded: false };
}

const isoDate = (value: Dayjs | null | undefined) => (value ? value.format('YYYY-MM-DD') : null);

/**
 * The form's values as the API body, for `CreateContactInput.safeParse`. What was learnt about
 * org life, dues and whereabouts is sent only when the member was reached (the contract refuses
 * it otherwise); the whereabouts carry the episode's version (optimistic locking).
 */
export function toCreateContactInput(
  values: ContactFormValues,
  memberId: string,
  mobilityVersion: number | undefined,
): Record<string, unknown> {
  const reached = values.reached ?? true;
  const input: Record<string, unknown> = {
    memberId,
    contactedOn: isoDate(values.contactedOn),
    channel: values.channel,
    reached,
    work: blankToNull(values.work),
    life: blankToNull(values.life),
    thinking: blankToNull(values.thinking),
    difficulties: blankToNull(values.difficulties),
    followUp: blankToNull(values.followUp),
    followUpNeeded: values.followUpNeeded ?? false,
  };
  if (reached) {
    input.orgLifeOn = isoDate(values.orgLifeOn);
    input.duesPaidOn = isoDate(values.duesPaidOn);
    if (values.whereaboutsChanged) {
      input.whereabouts = {
        destinationRegionCode: values.destinationRegionCode ?? '',
        destinationAddress: blankToNull(values.destinationAddress),
        employer: blankToNull(values.employer),
      };
      input.mobilityVersion = mobilityVersion;
    }
  }
  return input satisfies Partial<Record<keyof CreateContactInput, unknown>>;
}

/** The open episode as the form needs it for 去向有变化: its version and where it says now. */
export interface EpisodeSnapshot {
  version: number;
  destinationRegionCode: string | null;
  destinationName: string | null;
  employer: string | null;
}

/**
 * The episode as a queue row carries it; null when the form was opened without it (from a
 * member's page), and then the member record is read. Reading the record is an audited view
 * (DOMAIN.md §10), so the queue, where most contacts are logged, does without it.
 */
export function episodeOfTarget(target: {
  mobilityVersion?: number;
  destinationRegionCode?: string | null;
  destinationName?: string | null;
  employer?: string | null;
}): EpisodeSnapshot | null {
  if (target.mobilityVersion === undefined) return null;
  return {
    version: target.mobilityVersion,
    destinationRegionCode: target.destinationRegionCode ?? null,
    destinationName: target.destinationName ?? null,
    employer: target.employer ?? null,
  };
}

/** A contact, an org-life or a dues date cannot lie in the future (China date of the browser). */
export function isFutureDay(date: Dayjs, today: Dayjs = dayjs()): boolean {
  return date.isAfter(today, 'day');
}

/** 保存并登记下一位 by keyboard: Ctrl+Enter (⌘+Enter on a Mac). */
export function isSaveNextShortcut(event: {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
}): boolean {
  return event.key === 'Enter' && (event.ctrlKey || event.metaKey);
}

// ---------------------------------------------------------------------------------------------
// 三定

/** 定责 as most branches write it (DOMAIN.md §4): the officer may change it before assigning. */
export const DEFAULT_DUTY =
  '每月至少联系一次，了解工作生活、思想状况和困难诉求，督促参加组织生活、按时交纳党费';

/** '每月一次' / '每3个月一次'. */
export function intervalText(months: number): string {
  return months === 1 ? '每月一次' : `每${months}个月一次`;
}

// ---------------------------------------------------------------------------------------------
// Lost contact

export const LOST_TABS = ['warning', 'lost', 'found', 'not_found'] as const;
export type LostTab = (typeof LOST_TABS)[number];
export const LOST_TAB_LABELS: Record<LostTab, string> = {
  warning: '预警',
  lost: '失联',
  found: '经查找取得联系',
  not_found: '经查找仍无法联系',
};

export function parseLostTab(value: string | null | undefined): LostTab {
  return (LOST_TABS as readonly string[]).includes(value ?? '') ? (value as LostTab) : 'warning';
}

export function isRegisterTab(tab: LostTab): tab is 'found' | 'not_found' {
  return tab === 'found' || tab === 'not_found';
}

export function lostFilters(tab: 'warning' | 'lost', q?: string): LostFilters {
  const filters: LostFilters = { level: tab };
  const text = q?.trim();
  if (text) filters.q = text;
  return filters;
}

/**
 * 登记联系 from the lost-contact list: the row carries the open episode's version, destination
 * code and employer like a queue row, so 去向有变化 needs no read of the member record (an
 * audited view, DOMAIN.md §10) and the employer is not cleared by an empty field.
 */
export function lostContactTarget(item: LostItem) {
  return {
    memberId: item.memberId,
    memberName: item.memberName,
    orgName: item.orgName,
    destinationName: item.destinationName,
    employer: item.employer,
    mobilityVersion: item.mobilityVersion,
    destinationRegionCode: item.destinationRegionCode,
    lastContactOn: item.lastReachedOn,
    lostLevel: item.level,
  };
}

export const LOST_REASON_OPTIONS = LOST_CONTACT_REASONS.map((value) => ({
  value,
  label: LOST_CONTACT_REASON_LABELS[value],
}));

export function reasonLabel(code: LostContactReason | null | undefined): string {
  return code ? LOST_CONTACT_REASON_LABELS[code] : EMPTY_TEXT;
}

/** '满3个月' — the warning point a member has passed. */
export function warningPointText(point: number | null): string | null {
  return point === null ? null : `满${point}个月`;
}

// ---------------------------------------------------------------------------------------------
// Notifications

/** '刚刚', '5分钟前', '3小时前', '2天前', then the date: the bell's time column. */
export function relativeTime(iso: string, now: Dayjs = dayjs()): string {
  const at = dayjs(iso);
  const minutes = now.diff(at, 'minute');
  if (minutes < 1) return '刚刚';
  if (minutes < 60) return `${minutes}分钟前`;
  const hours = now.diff(at, 'hour');
  if (hours < 24) return `${hours}小时前`;
  const days = now.diff(at, 'day');
  if (days < 7) return `${days}天前`;
  return at.format('YYYY-MM-DD');
}

/**
 * Where a notification's link may take the app: a path inside it, never another origin (the
 * link is data from the server, and a `//host` or `javascript:` value must not become a URL).
 */
export function safeAppLink(link: string | null | undefined): string | null {
  if (!link || !link.startsWith('/') || link.startsWith('//') || link.includes('\\')) return null;
  return link;
}

// ---------------------------------------------------------------------------------------------
// Liaisons (定人)

/** An account offered as a liaison, as the picker shows it once chosen: 姓名（账号）. */
export function candidateLabel(candidate: Pick<LiaisonCandidate, 'displayName' | 'username'>) {
  return candidate.displayName === candidate.username
    ? candidate.username
    : `${candidate.displayName}（${candidate.username}）`;
}
