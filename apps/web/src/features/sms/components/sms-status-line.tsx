import { Alert, Skeleton, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { smsStatusQuery } from '../api/sms-api';
import type { SmsStatus } from '@liudong/contracts';
import { SMS_STATUS_COLORS, driverText } from '../sms-values';

/**
 * Which driver sends (GET /api/sms/status): the default 'record' driver never sends (issue 4 §6),
 * which people must see before they think a greeting went out.
 */
export function SmsStatusLine() {
  const status = useQuery(smsStatusQuery());
  if (status.isPending) return <Skeleton.Input active size="small" block />;
  if (status.error) return <Alert type="error" showIcon title={status.error.message} />;
  const isRecord = status.data.driver === 'record';
  return (
    <Alert
      type={isRecord ? 'warning' : 'info'}
      showIcon
      title={driverText(status.data)}
      role="status"
    />
  );
}

export function SmsStatusTag({ status, label }: { status: SmsStatus; label: string }) {
  return (
    <Tag color={SMS_STATUS_COLORS[status]} style={{ marginInlineEnd: 0 }}>
      {label}
    </Tag>
  );
}
