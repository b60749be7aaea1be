import { Alert, App, Form, Modal, Select } from 'antd';
import { useMutation } from '@tanstack/react-query';
import type { AccountSummary } from '@liudong/contracts';
import { ROLES, ROLE_LABELS, checkRoleGrant, type Role } from '@liudong/domain';
import { ErrorAlert } from '../../../ui/error-alert';
import { OrgLookupSelect } from '../../orgs/components/org-lookup-select';
import { grantRole } from '../api/accounts-api';
import { useInvalidateAccounts } from '../hooks/use-invalidate-accounts';

const FORM_ID = 'grant-role-form';

export const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

/** 授予角色: a role at an org. 三员分立 is checked here for early feedback and by the server. */
export function GrantRoleModal({
  account,
  onClose,
}: {
  account: AccountSummary | null;
  onClose: () => void;
}) {
  const [form] = Form.useForm<{ role: Role; orgId: string }>();
  const { message } = App.useApp();
  const invalidateAccounts = useInvalidateAccounts();
  const role = Form.useWatch('role', form);
  const conflict =
    account && role
      ? checkRoleGrant(
          account.grants.map((grant) => grant.role),
          role,
        )
      : null;

  const mutation = useMutation({
    mutationFn: (values: { role: Role; orgId: string }) => {
      if (!account) throw new Error('未选择账号');
      return grantRole(account.id, values);
    },
    onSuccess: async (updated) => {
      message.success(`已为「${updated.displayName}」授予角色`);
      await invalidateAccounts();
      onClose();
    },
  });

  return (
    <Modal
      title={account ? `授予角色 · ${account.displayName}（${account.username}）` : '授予角色'}
      open={account !== null}
      onCancel={onClose}
      okText="授予"
      okButtonProps={{ htmlType: 'submit', form: FORM_ID, loading: mutation.isPending }}
      destroyOnHidden
    >
      <ErrorAlert error={mutation.error} style={{ marginBottom: 16 }} />
      {conflict && !conflict.ok && (
        <Alert type="warning" showIcon title={conflict.message} style={{ marginBottom: 16 }} />
      )}
      <Form
        form={form}
        id={FORM_ID}
        layout="vertical"
        disabled={mutation.isPending}
        onFinish={(values) => mutation.mutate(values)}
      >
        <Form.Item label="角色" name="role" rules={[{ required: true, message: '请选择角色' }]}>
          <Select options={ROLE_OPTIONS} placeholder="请选择角色" />
        </Form.Item>
        <Form.Item
          label="任职组织"
          name="orgId"
          extra="该角色的管辖范围为所选组织及其全部下级组织"
          rules={[{ required: true, message: '请选择任职组织' }]}
        >
          <OrgLookupSelect />
        </Form.Item>
      </Form>
    </Modal>
  );
}
