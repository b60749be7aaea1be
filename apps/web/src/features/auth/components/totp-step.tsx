import { Typography } from 'antd';
import type { StepResponse } from '@liudong/contracts';
import { verifyTotp } from '../api/auth-api';
import { TotpCodeForm } from './totp-code-form';

/** Step: 双因素验证, for an account that already has an authenticator. */
export function TotpStep({
  onDone,
  onError,
}: {
  onDone: (response: StepResponse) => Promise<unknown>;
  onError: (error: unknown) => Promise<unknown>;
}) {
  return (
    <>
      <Typography.Paragraph type="secondary">
        请打开手机上的身份验证器，输入当前显示的6位数字验证码。
      </Typography.Paragraph>
      <TotpCodeForm submitLabel="验证" submit={verifyTotp} onDone={onDone} onError={onError} />
    </>
  );
}
