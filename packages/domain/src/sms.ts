/**
 * SMS rules (issue 4 §6): templates with variables, message length, retries and daily limits.
 * Template variables use the `${name}` form that Aliyun's and Tencent Cloud's template review
 * uses too, so an approved provider template and ours read the same.
 */

export const SMS_STATUSES = ['queued', 'sending', 'sent', 'failed', 'suppressed'] as const;
export type SmsStatus = (typeof SMS_STATUSES)[number];
export const SMS_STATUS_LABELS: Record<SmsStatus, string> = {
  queued: '待发送',
  sending: '发送中',
  sent: '已发送',
  failed: '发送失败',
  suppressed: '未发送（退订或超限）',
};

export const SMS_TEMPLATE_KINDS = ['reminder', 'warning', 'broadcast', 'notice'] as const;
export type SmsTemplateKind = (typeof SMS_TEMPLATE_KINDS)[number];
export const SMS_TEMPLATE_KIND_LABELS: Record<SmsTemplateKind, string> = {
  reminder: '联系提醒',
  warning: '失联预警',
  broadcast: '群发（红色短信）',
  notice: '通知',
};

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]{0,29})\}/g;

/** The variable names a template uses, in order of first appearance. */
export function templateVariables(body: string): string[] {
  const names: string[] = [];
  for (const m of body.matchAll(VARIABLE)) if (!names.includes(m[1]!)) names.push(m[1]!);
  return names;
}

/** Fills `${name}` variables; names without a value are reported, never sent as "${name}". */
export function renderTemplate(
  body: string,
  values: Readonly<Record<string, string | number | null | undefined>>,
): { text: string; missing: string[] } {
  const missing: string[] = [];
  const text = body.replace(VARIABLE, (_, name: string) => {
    const v = values[name];
    if (v === null || v === undefined || v === '') {
      if (!missing.includes(name)) missing.push(name);
      return '';
    }
    return String(v);
  });
  return { text, missing };
}

/**
 * Billing segments as mainland providers count them: up to 70 characters (sign included) is one
 * message; longer ones are split into 67-character parts.
 */
export function smsSegments(text: string): number {
  const n = [...text].length;
  return n <= 70 ? 1 : Math.ceil(n / 67);
}
/** Providers refuse longer texts (Aliyun: 500 characters with the sign). */
export const SMS_MAX_CHARS = 500;

/** Attempts before a message is left as failed. */
export const SMS_MAX_ATTEMPTS = 5;
const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];

/** Delay before the next try after `attempts` failed tries, or null when it is given up. */
export function smsRetryDelayMs(attempts: number): number | null {
  if (attempts >= SMS_MAX_ATTEMPTS) return null;
  return RETRY_DELAYS_MS[Math.min(attempts, RETRY_DELAYS_MS.length) - 1] ?? RETRY_DELAYS_MS[0]!;
}

/** Per-day limits (configurable): per phone number, and for the whole installation. */
export const DEFAULT_SMS_DAILY_LIMITS = { perPhone: 5, total: 5000 } as const;

/**
 * Templates a new installation starts with (editable). The reminder and warning texts are what
 * the daily job sends; a broadcast uses any active template of kind 'broadcast'.
 */
export const DEFAULT_SMS_TEMPLATES: readonly {
  name: string;
  kind: SmsTemplateKind;
  body: string;
}[] = [
  {
    name: '联系提醒',
    kind: 'reminder',
    body: '${name}同志：您联系的流动党员中有${overdue}人已逾期、${week}人本周应联系，请及时联系并登记。',
  },
  {
    name: '失联预警',
    kind: 'warning',
    body: '${name}同志：党员${member}已${months}个月未参加组织生活、未交纳党费且未联系上，请及时查找。',
  },
  {
    name: '节日问候',
    kind: 'broadcast',
    body: '${name}同志：值此${festival}之际，向在外奔波的您致以节日问候！离乡不离党，流动不流失，家乡党组织始终牵挂着您。',
  },
  {
    name: '学习通知',
    kind: 'broadcast',
    body: '${name}同志：${topic}学习资料已发布，请通过所在党组织或网上党支部参加学习。',
  },
];
