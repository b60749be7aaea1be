import { Tag } from 'antd';
import type { AccountStatus } from '@liudong/contracts';

const STATUS: Record<AccountStatus, { label: string; color: string }> = {
  active: { label: '正常', color: 'green' },
  locked: { label: '已锁定', color: 'orange' },
  disabled: { label: '已停用', color: 'default' },
};

export function AccountStatusTag({ status }: { status: AccountStatus }) {
  const { label, color } = STATUS[status];
  return <Tag color={color}>{label}</Tag>;
}
