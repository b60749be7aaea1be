import { App, Button, Dropdown, Space, type MenuProps } from 'antd';
import { DownOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import type { AccountSummary, OneTimePasswordResponse } from '@liudong/contracts';
import { resetPassword, resetTotp, setAccountDisabled, unlockAccount } from '../api/accounts-api';
import { useInvalidateAccounts } from '../hooks/use-invalidate-accounts';

type Action = 'toggle' | 'unlock' | 'resetPassword' | 'resetTotp';

/** Row actions of the account table: each asks for confirmation where it cannot be undone. */
export function AccountActions({
  account,
  canManage,
  canGrant,
  onGrant,
  onPasswordReset,
}: {
  account: AccountSummary;
  canManage: boolean;
  canGrant: boolean;
  onGrant: (account: AccountSummary) => void;
  onPasswordReset: (result: OneTimePasswordResponse) => void;
}) {
  const { message, modal } = App.useApp();
  const invalidateAccounts = useInvalidateAccounts();
  const isDisabled = account.status === 'disabled';
  const who = `「${account.displayName}（${account.username}）」`;

  const mutation = useMutation({
    mutationFn: async (action: Action) => {
      switch (action) {
        case 'toggle':
          await setAccountDisabled(account.id, !isDisabled);
          return isDisabled ? '账号已启用' : '账号已停用，其现有会话已失效';
        case 'unlock':
          await unlockAccount(account.id);
          return '账号已解锁';
        case 'resetTotp':
          await resetTotp(account.id);
          return '双因素认证已重置，用户下次登录时需重新绑定';
        case 'resetPassword':
          onPasswordReset(await resetPassword(account.id));
          return null;
      }
    },
    onSuccess: async (text) => {
      if (text) message.success(text);
      await invalidateAccounts();
    },
    onError: (error) => message.error(error.message),
  });

  const confirm = (action: Action) => {
    const run = () => mutation.mutateAsync(action).catch(() => undefined);
    if (action === 'unlock') return void run();
    const texts: Record<
      Exclude<Action, 'unlock'>,
      { title: string; content: string; ok: string }
    > = {
      toggle: isDisabled
        ? { title: `启用账号${who}？`, content: '启用后该账号可以重新登录。', ok: '启用' }
        : {
            title: `停用账号${who}？`,
            content: '停用后该账号不能登录，当前会话将立即失效；可随时重新启用。',
            ok: '停用',
          },
      resetPassword: {
        title: `重置${who}的密码？`,
        content: '将生成新的一次性密码（只显示一次），原密码立即失效，用户登录后须修改密码。',
        ok: '重置密码',
      },
      resetTotp: {
        title: `重置${who}的双因素认证？`,
        content: '原验证器将立即失效，用户下次登录时须重新扫码绑定。请先核实用户身份。',
        ok: '重置',
      },
    };
    const text = texts[action];
    modal.confirm({
      title: text.title,
      content: text.content,
      okText: text.ok,
      okButtonProps: { danger: action !== 'toggle' || !isDisabled },
      cancelText: '取消',
      onOk: run,
    });
  };

  const items: MenuProps['items'] = [
    { key: 'toggle', label: isDisabled ? '启用' : '停用', danger: !isDisabled },
    { key: 'unlock', label: '解锁', disabled: account.status !== 'locked' },
    { key: 'resetPassword', label: '重置密码' },
    { key: 'resetTotp', label: '重置双因素', disabled: !account.totpEnabled },
  ];

  return (
    <Space size={0}>
      {canGrant && (
        <Button type="link" size="small" onClick={() => onGrant(account)}>
          授予角色
        </Button>
      )}
      {canManage && (
        <Dropdown
          trigger={['click']}
          menu={{ items, onClick: ({ key }) => confirm(key as Action) }}
          disabled={mutation.isPending}
        >
          <Button type="link" size="small" loading={mutation.isPending}>
            更多 <DownOutlined style={{ fontSize: 10 }} />
          </Button>
        </Dropdown>
      )}
    </Space>
  );
}
