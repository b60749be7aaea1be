import { AUDIT_ACTION_LABELS } from '@liudong/contracts';
import { ROLE_LABELS, isRole } from '@liudong/domain';

export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? action;
}

export function auditRoleLabel(role: string | null): string {
  if (!role) return '—';
  return isRole(role) ? ROLE_LABELS[role] : role;
}

export function auditTargetLabel(entry: {
  targetType: string | null;
  targetId: string | null;
  targetLabel: string | null;
}): string {
  if (entry.targetLabel) return entry.targetLabel;
  if (entry.targetType || entry.targetId) {
    return [entry.targetType, entry.targetId].filter(Boolean).join(' · ');
  }
  return '—';
}
