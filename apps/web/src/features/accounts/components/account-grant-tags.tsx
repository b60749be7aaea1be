import { App, Flex, Popconfirm, Tag, Tooltip } from 'antd';
import { CloseOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import type { AccountSummary } from '@liudong/contracts';
import { ROLE_LABELS } from '@liudong/domain';
import { formatDateTime } from '../../../ui/format';
import { revokeRole } from '../api/accounts-api';
import { useInvalidateAccounts } from '../hooks/use-invalidate-accounts';

/** The account's roles as `组织 · 角色` tags; with role.grant each can be revoked after a confirm. */
export function AccountGrantTags({
  account,
  canRevoke,
}: {
  account: AccountSummary;
  canRevoke: boolean;
}) {
  const { message } = App.useApp();
  const invalidateAccounts = useInvalidateAccounts();
  const mutation = useMutation({
    mutationFn: (grantId: string) => revokeRole(account.id, grantId),
    onSuccess: async () => {
      message.success('角色已撤销');
      await invalidateAccounts();
    },
    onError: (error) => message.error(error.message),
  });

  if (account.grants.length === 0) return <Tag>未授予角色</Tag>;
  return (
    <Flex wrap gap={4}>
      {account.grants.map((grant) => {
        const label = `${grant.orgName} · ${ROLE_LABELS[grant.role]}`;
        return (
          <Tooltip key={grant.id} title={`授予时间：${formatDateTime(grant.grantedAt)}`}>
            <Tag color="blue" style={{ marginInlineEnd: 0, whiteSpace: 'normal' }}>
              {label}
              {canRevoke && (
                <Popconfirm
                  title="撤销角色"
                  description={`确认撤销「${account.displayName}」的「${label}」角色？`}
                  okText="撤销"
                  okButtonProps={{ danger: true }}
                  cancelText="取消"
                  onConfirm={() => mutation.mutateAsync(grant.id).catch(() => undefined)}
                >
                  <CloseOutlined
                    role="button"
                    aria-label={`撤销角色 ${label}`}
                    style={{ marginInlineStart: 6, fontSize: 10, cursor: 'pointer' }}
                  />
                </Popconfirm>
              )}
            </Tag>
          </Tooltip>
        );
      })}
    </Flex>
  );
}
