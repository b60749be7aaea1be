import { DEFAULT_SECURITY_POLICY, SecurityPolicy } from '@liudong/contracts';
import type { z } from 'zod';

/** The "(c)" defaults of SECURITY.md, the same object the server falls back to. */
export { DEFAULT_SECURITY_POLICY };

export type PolicyUnit = '次' | '分钟' | '小时' | '天' | '个月';

/** A form field name: one key, or a group and a key (antd's nested name path). */
export type PolicyPath =
  | ['lockout', keyof SecurityPolicy['lockout']]
  | ['ipThrottle', keyof SecurityPolicy['ipThrottle']]
  | [Exclude<keyof SecurityPolicy, 'lockout' | 'ipThrottle'>];

export interface PolicyField {
  path: PolicyPath;
  label: string;
  unit: PolicyUnit;
  /** What the setting does, shown under the field; the default and the range are added to it. */
  help: string;
  min: number;
  max: number;
  defaultValue: number;
}

export interface PolicyGroup {
  key: string;
  title: string;
  description: string;
  fields: PolicyField[];
}

const shape = SecurityPolicy.shape;

function schemaOf(path: PolicyPath): z.ZodNumber {
  if (path.length === 2) {
    const [group, key] = path;
    return (shape[group].shape as Record<string, z.ZodNumber>)[key]!;
  }
  return shape[path[0]];
}

export function policyValue(policy: SecurityPolicy, path: PolicyPath): number {
  if (path.length === 2) {
    const [group, key] = path;
    return (policy[group] as Record<string, number>)[key]!;
  }
  return policy[path[0]];
}

function field(path: PolicyPath, label: string, unit: PolicyUnit, help: string): PolicyField {
  // The range is read from the contract schema, so the form and the server never disagree.
  const schema = schemaOf(path);
  return {
    path,
    label,
    unit,
    help,
    min: schema.minValue ?? 0,
    max: schema.maxValue ?? Number.MAX_SAFE_INTEGER,
    defaultValue: policyValue(DEFAULT_SECURITY_POLICY, path),
  };
}

export const POLICY_GROUPS: PolicyGroup[] = [
  {
    key: 'lockout',
    title: '登录失败锁定',
    description: '同一账号连续输错密码时自动锁定，防止暴力猜测密码。',
    fields: [
      field(
        ['lockout', 'maxFailures'],
        '锁定阈值',
        '次',
        '统计时段内密码错误达到此次数，账号即被锁定。',
      ),
      field(
        ['lockout', 'windowMinutes'],
        '锁定统计时段',
        '分钟',
        '只统计此时段内的失败次数，更早的失败不再计入。',
      ),
      field(
        ['lockout', 'lockMinutes'],
        '锁定时长',
        '分钟',
        '锁定到期后自动解除；安全管理员也可在“账号与角色”中提前解锁。',
      ),
    ],
  },
  {
    key: 'ipThrottle',
    title: '同一 IP 限流',
    description: '来自同一 IP 地址的登录失败（不分账号）过多时，暂时拒绝该地址的登录。',
    fields: [
      field(
        ['ipThrottle', 'maxFailures'],
        '限流阈值',
        '次',
        '统计时段内同一 IP 登录失败达到此次数即被限流。',
      ),
      field(
        ['ipThrottle', 'windowMinutes'],
        '限流统计时段',
        '分钟',
        '只统计此时段内来自该 IP 的失败次数。',
      ),
    ],
  },
  {
    key: 'session',
    title: '会话超时',
    description: '超时后须重新登录（含双因素验证）。修改后对新的请求立即生效。',
    fields: [
      field(['idleMinutes'], '空闲超时', '分钟', '无任何操作超过此时长，会话即失效。'),
      field(
        ['absoluteHours'],
        '会话最长时长',
        '小时',
        '自登录起超过此时长，无论是否在操作，会话都将失效。',
      ),
    ],
  },
  {
    key: 'password',
    title: '密码策略',
    description: '密码长度和复杂度规则固定，不在此处配置。',
    fields: [
      field(
        ['adminPasswordMaxAgeDays'],
        '管理员密码有效期',
        '天',
        '管理员角色的密码使用超过此天数须修改，到期前会提示。',
      ),
      field(['passwordHistory'], '密码历史', '次', '新密码不得与最近此次数内用过的密码相同。'),
    ],
  },
  {
    key: 'audit',
    title: '审计日志',
    description: '依《网络安全法》第二十一条，网络日志留存不少于六个月。',
    fields: [
      field(
        ['auditRetentionMonths'],
        '审计日志保留期限',
        '个月',
        '审计日志至少保存此时长，到期后方可清理。',
      ),
    ],
  },
];

export const POLICY_FIELDS: PolicyField[] = POLICY_GROUPS.flatMap((group) => group.fields);

export function policyFieldKey(path: PolicyPath): string {
  return path.join('.');
}

export function formatPolicyValue(value: number, unit: PolicyUnit): string {
  return `${value} ${unit}`;
}

export interface PolicyChange {
  key: string;
  label: string;
  before: string;
  after: string;
}

/** The fields whose value differs, in form order, as `label: before → after` material. */
export function diffPolicy(before: SecurityPolicy, after: SecurityPolicy): PolicyChange[] {
  return POLICY_FIELDS.filter(
    (f) => policyValue(before, f.path) !== policyValue(after, f.path),
  ).map((f) => ({
    key: policyFieldKey(f.path),
    label: f.label,
    before: formatPolicyValue(policyValue(before, f.path), f.unit),
    after: formatPolicyValue(policyValue(after, f.path), f.unit),
  }));
}

/**
 * `body.lockout.maxFailures` (a detail of the server's 400 `validation_failed`) → the form field
 * it is about, or null.
 */
export function fieldOfServerPath(path: unknown): PolicyField | null {
  if (typeof path !== 'string') return null;
  const key = path.replace(/^body\./, '');
  return POLICY_FIELDS.find((f) => policyFieldKey(f.path) === key) ?? null;
}
