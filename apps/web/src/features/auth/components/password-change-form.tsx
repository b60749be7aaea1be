import { Button, Form, Input } from 'antd';
import { useMutation } from '@tanstack/react-query';
import type { StepResponse } from '@liudong/contracts';
import { checkPasswordPolicy } from '@liudong/domain';
import { ErrorAlert } from '../../../ui/error-alert';
import { changePassword } from '../api/auth-api';
import { PasswordPolicyHints } from './password-policy-hints';

interface PasswordFormValues {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

export interface PasswordChangeFormProps {
  username: string;
  /** "初始密码" at first login, "当前密码" later. */
  currentLabel?: string;
  submitLabel?: string;
  formId?: string;
  /** Hide the form's own submit button (a modal renders its own). */
  hideSubmit?: boolean;
  onChanged: (response: StepResponse) => unknown;
  onError?: (error: unknown) => unknown;
  onPendingChange?: (isPending: boolean) => void;
}

export function PasswordChangeForm({
  username,
  currentLabel = '当前密码',
  submitLabel = '确认修改',
  formId = 'password-change-form',
  hideSubmit = false,
  onChanged,
  onError,
  onPendingChange,
}: PasswordChangeFormProps) {
  const [form] = Form.useForm<PasswordFormValues>();
  const newPassword = Form.useWatch('newPassword', form) ?? '';
  const mutation = useMutation({
    mutationFn: (values: PasswordFormValues) =>
      changePassword({ currentPassword: values.currentPassword, newPassword: values.newPassword }),
    onMutate: () => onPendingChange?.(true),
    onSettled: () => onPendingChange?.(false),
    onSuccess: async (response) => {
      form.resetFields();
      await onChanged(response);
    },
    onError: (error) => onError?.(error),
  });

  return (
    <Form<PasswordFormValues>
      form={form}
      id={formId}
      layout="vertical"
      requiredMark={false}
      onFinish={(values) => mutation.mutate(values)}
      disabled={mutation.isPending}
    >
      <ErrorAlert error={mutation.error} style={{ marginBottom: 16 }} />
      <Form.Item
        label={currentLabel}
        name="currentPassword"
        rules={[{ required: true, message: `请输入${currentLabel}` }]}
      >
        <Input.Password autoFocus autoComplete="current-password" maxLength={256} />
      </Form.Item>
      <Form.Item
        label="新密码"
        name="newPassword"
        dependencies={['currentPassword']}
        extra={<PasswordPolicyHints password={newPassword} username={username} />}
        rules={[
          { required: true, message: '请输入新密码' },
          ({ getFieldValue }) => ({
            validator: (_, value: string | undefined) => {
              if (!value) return Promise.resolve();
              const [first] = checkPasswordPolicy(value, { username });
              if (first) return Promise.reject(new Error(first.message));
              if (value === getFieldValue('currentPassword')) {
                return Promise.reject(new Error('新密码不能与当前密码相同'));
              }
              return Promise.resolve();
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" maxLength={256} />
      </Form.Item>
      <Form.Item
        label="确认新密码"
        name="confirmPassword"
        dependencies={['newPassword']}
        rules={[
          { required: true, message: '请再次输入新密码' },
          ({ getFieldValue }) => ({
            validator: (_, value: string | undefined) =>
              !value || value === getFieldValue('newPassword')
                ? Promise.resolve()
                : Promise.reject(new Error('两次输入的新密码不一致')),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" maxLength={256} />
      </Form.Item>
      <Button
        type="primary"
        htmlType="submit"
        block
        loading={mutation.isPending}
        style={hideSubmit ? { display: 'none' } : undefined}
      >
        {submitLabel}
      </Button>
    </Form>
  );
}
