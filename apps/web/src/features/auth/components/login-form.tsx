import { Button, Form, Input } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import type { LoginInput } from '@liudong/contracts';
import { ErrorAlert } from '../../../ui/error-alert';
import { login } from '../api/auth-api';

/** Step 1: username and password. Wrong password, unknown user and a locked account look alike. */
export function LoginForm({ onSignedIn }: { onSignedIn: () => Promise<unknown> }) {
  const mutation = useMutation({
    mutationFn: login,
    onSuccess: () => onSignedIn(),
  });
  return (
    <Form<LoginInput>
      layout="vertical"
      requiredMark={false}
      size="large"
      onFinish={(values) => mutation.mutate(values)}
    >
      <ErrorAlert error={mutation.error} style={{ marginBottom: 16 }} />
      <Form.Item
        label="用户名"
        name="username"
        rules={[{ required: true, message: '请输入用户名' }]}
      >
        <Input
          autoFocus
          autoComplete="username"
          prefix={<UserOutlined style={{ color: '#bfbfbf' }} />}
          maxLength={64}
        />
      </Form.Item>
      <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
        <Input.Password
          autoComplete="current-password"
          prefix={<LockOutlined style={{ color: '#bfbfbf' }} />}
          maxLength={256}
        />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={mutation.isPending}>
        登录
      </Button>
    </Form>
  );
}
