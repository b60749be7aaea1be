import type {
  Broadcast,
  BroadcastFilter,
  BroadcastInput,
  BroadcastPreview,
  OutboxItem,
  SmsStatus,
  SmsStatusResponse,
  SmsTemplate,
} from '@liudong/contracts';
import {
  SMS_MAX_CHARS,
  SMS_STATUSES,
  SMS_STATUS_LABELS,
  SMS_TEMPLATE_KINDS,
  SMS_TEMPLATE_KIND_LABELS,
  renderTemplate,
  smsSegments,
  templateVariables,
} from '@liudong/domain';

// Pure helpers of the SMS page (issue 4 §6): templates, compose, outbox. No antd, so that the
// tests run without a DOM.

/** `${name}` is the recipient's name, filled per message by the server; never asked for. */
export const RECIPIENT_VARIABLE = 'name';

/** What a variable means, for the inputs of a broadcast and the template editor. */
export const VARIABLE_LABELS: Record<string, string> = {
  name: '收件人姓名',
  festival: '节日',
  topic: '学习主题',
  overdue: '逾期人数',
  week: '本周应联系人数',
  member: '党员姓名',
  months: '月数',
};

export const variableLabel = (name: string) => VARIABLE_LABELS[name] ?? name;

/**
 * Sample values for the template editor's preview: fictional, only to show length and wording.
 * An unknown variable shows as 〔name〕 so that the author sees where it lands.
 */
export const SAMPLE_VALUES: Record<string, string> = {
  name: '王建华',
  festival: '春节',
  topic: '党的二十届四中全会精神',
  overdue: '3',
  week: '2',
  member: '李红梅',
  months: '4',
};

/** The variables a broadcast's sender fills in (all but the recipient's name). */
export function broadcastParamNames(template: Pick<SmsTemplate, 'body'>): string[] {
  return templateVariables(template.body).filter((v) => v !== RECIPIENT_VARIABLE);
}

export interface TextPreview {
  text: string;
  /** Characters as providers count them (code points); the sign is added by the provider. */
  chars: number;
  segments: number;
  variables: string[];
  /** Variables without a value (a broadcast's params still to fill in). */
  missing: string[];
  tooLong: boolean;
}

/**
 * A template's text with `values`; variables without a value take the sample value when
 * `useSamples` (the editor), else stay missing (the compose form, where they must be filled).
 */
export function previewText(
  body: string,
  values: Readonly<Record<string, string | undefined>>,
  useSamples: boolean,
): TextPreview {
  const variables = templateVariables(body);
  const filled: Record<string, string | undefined> = {};
  for (const v of variables) {
    const own = values[v]?.trim();
    filled[v] = own ? own : useSamples ? (SAMPLE_VALUES[v] ?? `〔${v}〕`) : undefined;
  }
  const { text, missing } = renderTemplate(body, filled);
  const chars = [...text].length;
  return {
    text,
    chars,
    segments: chars === 0 ? 0 : smsSegments(text),
    variables,
    missing,
    tooLong: chars > SMS_MAX_CHARS,
  };
}

/** "58 字 · 1 条" / "140 字 · 3 条（按 67 字一条计费）". */
export function lengthText(preview: Pick<TextPreview, 'chars' | 'segments'>): string {
  const base = `${preview.chars} 字 · ${preview.segments} 条`;
  return preview.segments > 1 ? `${base}（超过70字按每67字一条计费）` : base;
}

export const TEMPLATE_KIND_OPTIONS = SMS_TEMPLATE_KINDS.map((value) => ({
  value,
  label: SMS_TEMPLATE_KIND_LABELS[value],
}));

/** Templates a broadcast may use: active ones of kind 'broadcast' (DEFAULT_SMS_TEMPLATES). */
export const broadcastTemplates = (templates: readonly SmsTemplate[]) =>
  templates.filter((t) => t.active && t.kind === 'broadcast');

export type BroadcastDirection = BroadcastFilter['direction'];
export const BROADCAST_DIRECTION_OPTIONS: { value: BroadcastDirection; label: string }[] = [
  { value: 'all', label: '全部流动党员' },
  { value: 'outflow', label: '流出党员' },
  { value: 'inflow', label: '流入党员' },
];

export interface ComposeValues {
  templateId?: string | null;
  params?: Record<string, string | undefined>;
  orgId?: string | null;
  direction?: BroadcastDirection;
  destinationRegionCode?: string | null;
}

/**
 * The body of the preview and of the broadcast itself: only the chosen template's own params
 * (trimmed, blanks left out so that the server names what is missing).
 */
export function toBroadcastInput(
  values: ComposeValues,
  template: Pick<SmsTemplate, 'body'> | null,
): BroadcastInput {
  const params: Record<string, string> = {};
  for (const name of template ? broadcastParamNames(template) : []) {
    const value = values.params?.[name]?.trim();
    if (value) params[name] = value;
  }
  return {
    templateId: values.templateId ?? '',
    filter: {
      orgId: values.orgId ?? '',
      direction: values.direction ?? 'all',
      destinationRegionCode: values.destinationRegionCode ?? null,
    },
    params,
  };
}

/** The same request twice gives the same key: a preview belongs to exactly one request. */
export const broadcastKey = (input: BroadcastInput) =>
  JSON.stringify([
    input.templateId,
    input.filter.orgId,
    input.filter.direction,
    input.filter.destinationRegionCode ?? null,
    Object.entries(input.params).sort(([a], [b]) => a.localeCompare(b)),
  ]);

/** Why 发送 is not offered for a preview, or null when it may be sent. */
export function sendBlocker(preview: BroadcastPreview): string | null {
  if (preview.missingVariables.length > 0) {
    return `请先填写：${preview.missingVariables.map(variableLabel).join('、')}`;
  }
  if (preview.recipients <= 0) return '没有可发送的收件人';
  if (preview.remainingToday <= 0) return '今日短信发送量已达上限，请明天再发';
  return null;
}

/** A warning that does not stop sending: more recipients than today's allowance. */
export function limitWarning(preview: BroadcastPreview): string | null {
  if (preview.remainingToday > 0 && preview.recipients > preview.remainingToday) {
    return `今日剩余可发送 ${preview.remainingToday} 条，超出部分将不会发出（记为未发送）`;
  }
  return null;
}

/** The confirmation's sentence. */
export const sendConfirmText = (preview: Pick<BroadcastPreview, 'recipients'>) =>
  `将向 ${preview.recipients} 人发送短信`;

/** Messages still on their way: the outbox looks again while any is on screen. */
export const isPendingSms = (status: SmsStatus) => status === 'queued' || status === 'sending';

export function outboxRefetchInterval(
  items: readonly Pick<OutboxItem, 'status'>[] | undefined,
  ms: number,
): number | false {
  return items?.some((item) => isPendingSms(item.status)) ? ms : false;
}

export const SMS_STATUS_OPTIONS = SMS_STATUSES.map((value) => ({
  value,
  label: SMS_STATUS_LABELS[value],
}));

export const SMS_STATUS_COLORS: Record<SmsStatus, string> = {
  queued: 'default',
  sending: 'processing',
  sent: 'success',
  failed: 'error',
  suppressed: 'warning',
};

/** A broadcast's messages per status, in the order people read them; zero counts left out. */
export function broadcastCounts(
  counts: Broadcast['counts'],
): { status: SmsStatus; count: number }[] {
  return (['sent', 'queued', 'failed', 'suppressed'] as const)
    .map((status) => ({ status, count: counts[status] }))
    .filter((entry) => entry.count > 0);
}

/** The status line over the tabs: which driver, and today's use of the limit. */
export function driverText(status: SmsStatusResponse): string {
  return status.driver === 'record'
    ? `当前为记录模式，短信只记入发件箱，不会真正发出。今日已记录 ${status.sentToday} 条（每日上限 ${status.dailyLimit} 条）`
    : `短信通过阿里云短信服务发送。今日已发送 ${status.sentToday} / ${status.dailyLimit} 条`;
}
