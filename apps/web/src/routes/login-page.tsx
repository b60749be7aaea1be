import type { ReactNode } from 'react';
import { Button, Card, Flex, Spin, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Navigate, useLocation } from 'react-router';
import { isApiError } from '../api/client';
import { ChangePasswordStep } from '../features/auth/components/change-password-step';
import { EnrolTotpStep } from '../features/auth/components/enrol-totp-step';
import { LoginForm } from '../features/auth/components/login-form';
import { TotpStep } from '../features/auth/components/totp-step';
import { useAuthSteps } from '../features/auth/hooks/use-auth-steps';
import { useMeQuery } from '../features/auth/hooks/use-me';
import { safeReturnPath } from '../features/auth/hooks/safe-return-path';
import type { LoginLocationState } from '../features/auth/hooks/use-session';
import { PRODUCT_NAME } from '../ui/product-mark';
import { BRAND_RED } from '../ui/theme';

const STAGE_TITLES = {
  login: '账号登录',
  change_password: '修改初始密码',
  enrol_totp: '绑定双因素认证',
  totp: '双因素验证',
} as const;

/**
 * Sign-in in one card: password, then whatever `Me.stage` asks for (change the initial password,
 * enrol an authenticator, enter the code). Only stage `done` leaves this page, to the page first
 * asked for.
 */
export function LoginPage() {
  const location = useLocation();
  const from = safeReturnPath((location.state as LoginLocationState | null)?.from);
  const { data: me, error, isPending } = useMeQuery();
  const { reloadMe, signOut, handleStepError } = useAuthSteps();

  const isSignedOut = !me || (isApiError(error) && error.status === 401);

  if (!isSignedOut && me.stage === 'done') return <Navigate to={from} replace />;

  let stage: keyof typeof STAGE_TITLES = 'login';
  let body: ReactNode;
  if (isPending) {
    body = (
      <Flex justify="center" style={{ padding: 48 }}>
        <Spin />
      </Flex>
    );
  } else if (isSignedOut) {
    body = <LoginForm onSignedIn={reloadMe} />;
  } else {
    stage = me.stage as Exclude<typeof me.stage, 'done'>;
    const stepProps = { onDone: reloadMe, onError: handleStepError };
    body = (
      <>
        {stage === 'change_password' && (
          <ChangePasswordStep username={me.account.username} {...stepProps} />
        )}
        {stage === 'enrol_totp' && <EnrolTotpStep {...stepProps} />}
        {stage === 'totp' && <TotpStep {...stepProps} />}
        <Flex justify="space-between" align="center" style={{ marginTop: 16 }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            当前账号：{me.account.displayName}（{me.account.username}）
          </Typography.Text>
          <Button type="link" size="small" onClick={() => void signOut()}>
            退出，重新登录
          </Button>
        </Flex>
      </>
    );
  }

  return (
    <Flex
      vertical
      align="center"
      style={{
        minHeight: '100vh',
        padding: '64px 24px 24px',
        background: `linear-gradient(180deg, ${BRAND_RED} 0, ${BRAND_RED} 240px, #f5f6f8 240px)`,
      }}
    >
      <Flex vertical align="center" style={{ marginBottom: 24, color: '#fff' }}>
        <Typography.Title level={2} style={{ color: '#fff', margin: 0, letterSpacing: 2 }}>
          {PRODUCT_NAME}
        </Typography.Title>
        <Typography.Text
          style={{ color: 'rgba(255,255,255,0.85)', marginTop: 8, letterSpacing: 4 }}
        >
          离乡不离党 · 流动不流失
        </Typography.Text>
      </Flex>
      <Card
        style={{ width: '100%', maxWidth: 440, boxShadow: '0 4px 24px rgba(0,0,0,0.08)' }}
        title={
          <Flex align="center" gap={8}>
            <SafetyCertificateOutlined style={{ color: BRAND_RED }} />
            <span>{STAGE_TITLES[stage]}</span>
          </Flex>
        }
      >
        {body}
      </Card>
      <Typography.Paragraph
        type="secondary"
        style={{ marginTop: 24, fontSize: 12, maxWidth: 440, textAlign: 'center' }}
      >
        本系统存储党员敏感个人信息，仅限授权人员使用。请妥善保管账号和验证器，切勿在公共电脑上保存密码；所有操作均记入审计日志。
      </Typography.Paragraph>
    </Flex>
  );
}
