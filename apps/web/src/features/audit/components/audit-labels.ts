import { AUDIT_ACTION_LABELS } from '@liudong/contracts';
import { ROLE_LABELS, isRole } from '@liudong/domain';

export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? action;
}

export function auditRoleLabel(role: string | null): string {
  if (!role) return '—';
  return isRole(role) ? ROLE_LABELS[role] : role;
}

/** The kinds of object an audit record is about (`targetType`), as the auditor calls them. */
export const AUDIT_TARGET_TYPE_LABELS: Record<string, string> = {
  org: '组织',
  member: '党员',
  mobility: '流动登记',
  certificate: '活动证',
  account: '账号',
  service_point: '服务站点',
  role_grant: '角色',
  region: '行政区划',
  audit_log: '审计日志',
  app_setting: '系统配置',
  route: '接口',
};

export const AUDIT_TARGET_TYPE_OPTIONS = Object.entries(AUDIT_TARGET_TYPE_LABELS).map(
  ([value, label]) => ({ value, label }),
);

/** 组织, 账号…; a type this version does not know yet is shown as it is. */
export function auditTargetTypeLabel(targetType: string | null): string {
  if (!targetType) return '—';
  return AUDIT_TARGET_TYPE_LABELS[targetType] ?? targetType;
}

export function auditTargetLabel(entry: {
  targetType: string | null;
  targetId: string | null;
  targetLabel: string | null;
}): string {
  if (entry.targetLabel) return entry.targetLabel;
  if (entry.targetType || entry.targetId) {
    return [entry.targetType && auditTargetTypeLabel(entry.targetType), entry.targetId]
      .filter(Boolean)
      .join(' · ');
  }
  return '—';
}
