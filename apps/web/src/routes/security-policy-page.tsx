import { Card, Flex, Skeleton, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { securityPolicyQuery } from '../features/security-policy/api/security-policy-api';
import { SecurityPolicyForm } from '../features/security-policy/components/security-policy-form';
import { ErrorAlert } from '../ui/error-alert';

/** 安全策略 (security admin): lockout, IP throttle, session timeouts, password and audit rules. */
export function SecurityPolicyPage() {
  const policy = useQuery(securityPolicyQuery());

  if (!policy.data) {
    return (
      <Flex vertical gap={16}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          安全策略
        </Typography.Title>
        {policy.error ? (
          <ErrorAlert error={policy.error} />
        ) : (
          <Card>
            <Skeleton active paragraph={{ rows: 8 }} />
          </Card>
        )}
      </Flex>
    );
  }
  // A new form (fresh initial values, nothing marked as changed) whenever the saved policy changes.
  return <SecurityPolicyForm key={JSON.stringify(policy.data)} saved={policy.data} />;
}
