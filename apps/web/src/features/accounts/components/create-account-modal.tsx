import { Form, Input, Modal } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { z } from 'zod';
import { CreateAccountInput, type OneTimePasswordResponse } from '@liudong/contracts';
import { ErrorAlert } from '../../../ui/error-alert';
import { showZodErrors } from '../../../ui/zod-form';
import { OrgLookupSelect } from '../../orgs/components/org-lookup-select';
import { createAccount } from '../api/accounts-api';
import { useInvalidateAccounts } from '../hooks/use-invalidate-accounts';

const FORM_ID = 'create-account-form';

interface CreateAccountValues {
  username: string;
  displayName: string;
  homeOrgId: string;
}

/** 新建账号: the server answers with a one-time password, which the caller shows once. */
export function CreateAccountModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (result: OneTimePasswordResponse) => void;
}) {
  const [form] = Form.useForm<CreateAccountValues>();
  const invalidateAccounts = useInvalidateAccounts();
  const mutation = useMutation({
    mutationFn: (values: CreateAccountValues) => {
      const parsed = CreateAccountInput.safeParse(values);
      if (!parsed.success) throw parsed.error;
      return createAccount(parsed.data);
    },
    onSuccess: async (result) => {
      await invalidateAccounts();
      onCreated(result);
    },
    onError: (error) => {
      if (error instanceof z.ZodError) showZodErrors(form, error);
    },
  });

  return (
    <Modal
      title="新建账号"
      open={open}
      onCancel={onClose}
      okText="创建"
      okButtonProps={{ htmlType: 'submit', form: FORM_ID, loading: mutation.isPending }}
      destroyOnHidden
    >
      <ErrorAlert
        error={mutation.error instanceof z.ZodError ? null : mutation.error}
        style={{ marginBottom: 16 }}
      />
      <Form<CreateAccountValues>
        form={form}
        id={FORM_ID}
        layout="vertical"
        disabled={mutation.isPending}
        onFinish={(values) => mutation.mutate(values)}
      >
        <Form.Item
          label="用户名"
          name="username"
          extra="3–32位字母、数字、下划线、点或短横线，创建后不可修改"
          rules={[
            { required: true, message: '请输入用户名' },
            {
              pattern: /^[a-zA-Z0-9_.-]{3,32}$/,
              message: '用户名为3–32位字母、数字、下划线、点或短横线',
            },
          ]}
        >
          <Input autoFocus autoComplete="off" maxLength={32} />
        </Form.Item>
        <Form.Item
          label="姓名"
          name="displayName"
          rules={[
            { required: true, whitespace: true, message: '请输入姓名' },
            { max: 40, message: '姓名不超过40个字' },
          ]}
        >
          <Input maxLength={40} autoComplete="off" />
        </Form.Item>
        <Form.Item
          label="所属组织"
          name="homeOrgId"
          rules={[{ required: true, message: '请选择所属组织' }]}
        >
          <OrgLookupSelect />
        </Form.Item>
      </Form>
    </Modal>
  );
}
