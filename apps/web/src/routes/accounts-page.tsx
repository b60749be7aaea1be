import { useState } from 'react';
import { Button, Card, Flex, Input, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import type { AccountSummary, OneTimePasswordResponse } from '@liudong/contracts';
import { usePermission } from '../features/auth/hooks/use-me';
import { accountListQuery } from '../features/accounts/api/accounts-api';
import { AccountActions } from '../features/accounts/components/account-actions';
import { AccountGrantTags } from '../features/accounts/components/account-grant-tags';
import { AccountStatusTag } from '../features/accounts/components/account-status-tag';
import { CreateAccountModal } from '../features/accounts/components/create-account-modal';
import { GrantRoleModal } from '../features/accounts/components/grant-role-modal';
import { OneTimePasswordModal } from '../features/accounts/components/one-time-password-modal';
import { ErrorAlert } from '../ui/error-alert';
import { EllipsisText } from '../ui/ellipsis-text';
import { formatDateTimeMinutes } from '../ui/format';
import { KeysetPager } from '../ui/keyset-pager';
import { useKeysetPages } from '../ui/use-keyset-pages';

/** 账号与角色 (security admin): search, keyset pages, and the account and role actions. */
export function AccountsPage() {
  const canManage = usePermission('account.manage');
  const canGrant = usePermission('role.grant');
  const [q, setQ] = useState('');
  const pages = useKeysetPages(q);
  const [isCreateOpen, setCreateOpen] = useState(false);
  const [granting, setGranting] = useState<AccountSummary | null>(null);
  const [oneTime, setOneTime] = useState<{ title: string; result: OneTimePasswordResponse } | null>(
    null,
  );
  const list = useQuery(accountListQuery(q, pages.cursor));
  const nextCursor = list.data?.nextCursor ?? null;

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          账号与角色
        </Typography.Title>
        {canManage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreateOpen(true)}>
            新建账号
          </Button>
        )}
      </Flex>
      <Card>
        <Flex vertical gap={16}>
          <Input.Search
            allowClear
            placeholder="按用户名或姓名搜索"
            aria-label="搜索账号"
            enterButton="搜索"
            maxLength={64}
            style={{ maxWidth: 420 }}
            onSearch={(value) => {
              setQ(value.trim());
              pages.reset();
            }}
          />
          <ErrorAlert error={list.error} />
          <Table<AccountSummary>
            rowKey="id"
            size="middle"
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            pagination={false}
            tableLayout="fixed"
            // Fits the content width at 1440 px; narrower windows scroll, with 用户名 and 操作 pinned.
            scroll={{ x: 1000 }}
            locale={{ emptyText: q ? '没有匹配的账号' : '暂无账号' }}
            columns={[
              {
                title: '用户名',
                dataIndex: 'username',
                width: 120,
                fixed: 'left',
                render: (username: string) => <EllipsisText>{username}</EllipsisText>,
              },
              {
                title: '姓名',
                dataIndex: 'displayName',
                width: 88,
                render: (name: string) => <EllipsisText>{name}</EllipsisText>,
              },
              {
                title: '所属组织',
                dataIndex: 'homeOrgName',
                width: 180,
                render: (name: string) => <EllipsisText>{name}</EllipsisText>,
              },
              {
                title: '状态',
                dataIndex: 'status',
                width: 76,
                render: (status: AccountSummary['status']) => <AccountStatusTag status={status} />,
              },
              {
                title: '双因素',
                dataIndex: 'totpEnabled',
                width: 76,
                render: (enabled: boolean) =>
                  enabled ? <Tag color="green">已绑定</Tag> : <Tag>未绑定</Tag>,
              },
              {
                title: '最近登录',
                dataIndex: 'lastLoginAt',
                width: 136,
                render: (at: string | null) => (at ? formatDateTimeMinutes(at) : '从未登录'),
              },
              {
                // No width: the roles take what is left and their tags wrap.
                title: '角色',
                key: 'grants',
                render: (_, account) => <AccountGrantTags account={account} canRevoke={canGrant} />,
              },
              ...(canManage || canGrant
                ? [
                    {
                      title: '操作',
                      key: 'actions',
                      width: 150,
                      fixed: 'right' as const,
                      render: (_: unknown, account: AccountSummary) => (
                        <AccountActions
                          account={account}
                          canManage={canManage}
                          canGrant={canGrant}
                          onGrant={setGranting}
                          onPasswordReset={(result) => setOneTime({ title: '密码已重置', result })}
                        />
                      ),
                    },
                  ]
                : []),
            ]}
          />
          <KeysetPager
            page={pages.page}
            hasPrev={pages.hasPrev}
            hasNext={nextCursor !== null}
            loading={list.isFetching}
            onPrev={pages.prev}
            onNext={() => nextCursor && pages.next(nextCursor)}
          />
        </Flex>
      </Card>

      <CreateAccountModal
        open={isCreateOpen}
        onClose={() => setCreateOpen(false)}
        onCreated={(result) => {
          setCreateOpen(false);
          setOneTime({ title: '账号已创建', result });
        }}
      />
      <GrantRoleModal account={granting} onClose={() => setGranting(null)} />
      <OneTimePasswordModal
        title={oneTime?.title ?? ''}
        result={oneTime?.result ?? null}
        onClose={() => setOneTime(null)}
      />
    </Flex>
  );
}
