import { Tag } from 'antd';
import type { AuditResult } from '@liudong/contracts';

export const AUDIT_RESULT_LABELS: Record<AuditResult, { label: string; color: string }> = {
  success: { label: '成功', color: 'green' },
  failure: { label: '失败', color: 'red' },
  denied: { label: '拒绝', color: 'orange' },
};

export function AuditResultTag({ result }: { result: AuditResult }) {
  const { label, color } = AUDIT_RESULT_LABELS[result];
  return <Tag color={color}>{label}</Tag>;
}
