import { Alert } from 'antd';
import type { StepResponse } from '@liudong/contracts';
import { PasswordChangeForm } from './password-change-form';

/** Step: 修改初始密码. A one-time password must be replaced before anything else (SECURITY.md 7). */
export function ChangePasswordStep({
  username,
  onDone,
  onError,
}: {
  username: string;
  onDone: (response: StepResponse) => Promise<unknown>;
  onError: (error: unknown) => Promise<unknown>;
}) {
  return (
    <>
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        title="首次登录或密码已重置、已过期，请先设置新密码。"
      />
      <PasswordChangeForm
        username={username}
        currentLabel="当前密码（初始密码）"
        submitLabel="修改密码并继续"
        onChanged={onDone}
        onError={onError}
      />
    </>
  );
}
