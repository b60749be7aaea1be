import { App, Select, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { ROLE_LABELS } from '@liudong/domain';
import { switchRole } from '../api/auth-api';
import { useMe } from '../hooks/use-me';
import { useApplyRoleSwitch } from '../hooks/use-session';

export function grantLabel(grant: { orgName: string; role: keyof typeof ROLE_LABELS }): string {
  return `${grant.orgName} · ${ROLE_LABELS[grant.role]}`;
}

/** The active role at an org. Switching rotates the session and reloads everything. */
export function RoleSwitcher() {
  const me = useMe();
  const { message } = App.useApp();
  const applyRoleSwitch = useApplyRoleSwitch();
  const mutation = useMutation({
    mutationFn: switchRole,
    onSuccess: async (next) => {
      await applyRoleSwitch(next);
      const grant = next.grants.find((g) => g.id === next.activeGrantId);
      message.success(grant ? `已切换为：${grantLabel(grant)}` : '已切换角色');
    },
    onError: (error) => message.error(error.message),
  });

  if (me.grants.length === 0) return null;
  const [onlyGrant] = me.grants;
  if (me.grants.length === 1 && onlyGrant) {
    return (
      <Typography.Text type="secondary" aria-label="当前角色">
        {grantLabel(onlyGrant)}
      </Typography.Text>
    );
  }
  return (
    <Select
      aria-label="当前角色"
      value={me.activeGrantId ?? undefined}
      placeholder="选择角色"
      loading={mutation.isPending}
      disabled={mutation.isPending}
      onChange={(grantId: string) => mutation.mutate(grantId)}
      options={me.grants.map((grant) => ({ value: grant.id, label: grantLabel(grant) }))}
      style={{ minWidth: 260, maxWidth: 420 }}
      popupMatchSelectWidth={false}
    />
  );
}
