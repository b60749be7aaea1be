import { Alert, Flex, Skeleton, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { StepResponse } from '@liudong/contracts';
import { ErrorAlert } from '../../../ui/error-alert';
import { confirmTotpEnrolment, fetchTotpEnrolment, totpEnrolmentQueryKey } from '../api/auth-api';
import { TotpCodeForm } from './totp-code-form';

/** Groups a base32 secret in fours so that it can be typed by hand without losing one's place. */
export function groupSecret(secret: string): string {
  return secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Step: 绑定双因素认证, required for admin roles (SECURITY.md 4). The secret is fetched once and
 * never refetched while the person is scanning it (a refetch could issue a new secret).
 */
export function EnrolTotpStep({
  onDone,
  onError,
}: {
  onDone: (response: StepResponse) => Promise<unknown>;
  onError: (error: unknown) => Promise<unknown>;
}) {
  const enrolment = useQuery({
    queryKey: totpEnrolmentQueryKey,
    queryFn: fetchTotpEnrolment,
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: false,
  });

  return (
    <>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title="管理员账号须绑定双因素认证"
        description="请在手机上使用身份验证器（例如微信或支付宝中的身份验证器小程序，或任意支持 TOTP 的验证器应用）扫描下方二维码；无法扫码时，可手动输入密钥。"
      />
      {enrolment.isPending && <Skeleton.Image active style={{ width: 180, height: 180 }} />}
      <ErrorAlert error={enrolment.error} style={{ marginBottom: 16 }} />
      {enrolment.data && (
        <Flex vertical align="center" gap={8} style={{ marginBottom: 16 }}>
          <img
            src={enrolment.data.qrDataUrl}
            alt="双因素认证二维码"
            width={180}
            height={180}
            style={{ border: '1px solid #f0f0f0', borderRadius: 4, imageRendering: 'pixelated' }}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            手动输入密钥
          </Typography.Text>
          <Typography.Text
            code
            copyable={{ text: enrolment.data.secret, tooltips: ['复制密钥', '已复制'] }}
            style={{ fontSize: 14, letterSpacing: 1 }}
            aria-label="双因素认证密钥"
          >
            {groupSecret(enrolment.data.secret)}
          </Typography.Text>
        </Flex>
      )}
      <TotpCodeForm
        submitLabel="绑定并继续"
        submit={confirmTotpEnrolment}
        onDone={onDone}
        onError={onError}
      />
    </>
  );
}
