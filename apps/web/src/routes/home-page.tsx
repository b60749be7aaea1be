import { Button, Card, Empty, Flex, Space, Typography } from 'antd';
import {
  ApartmentOutlined,
  AuditOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { isSeparatedAdminRole } from '@liudong/domain';
import { grantLabel } from '../features/auth/components/role-switcher';
import { activeGrant, hasPermission, useMe } from '../features/auth/hooks/use-me';
import { IndicatorCards } from '../features/dashboard/components/indicator-cards';

export function HomePage() {
  const me = useMe();
  const navigate = useNavigate();
  const grant = activeGrant(me);
  // The indicators are business data: the system, security and audit admins do not see them (三员分立).
  const showsIndicators = grant !== null && !isSeparatedAdminRole(grant.role);

  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Title level={3} style={{ marginBottom: 4 }}>
          工作台
        </Typography.Title>
        <Typography.Text type="secondary">
          {grant ? `当前身份：${grantLabel(grant)}` : '当前账号尚未授予角色，请联系安全管理员。'}
        </Typography.Text>
      </div>

      {showsIndicators && (
        <>
          <IndicatorCards />
          <Card title="统计图表">
            <Empty description="流出、流入分布及趋势图表将在后续版本提供" />
          </Card>
        </>
      )}

      <Card title="快捷入口">
        <Space wrap>
          {hasPermission(me, 'org.read') && (
            <Button icon={<ApartmentOutlined />} onClick={() => void navigate('/orgs')}>
              组织管理
            </Button>
          )}
          {hasPermission(me, 'account.read') && (
            <Button icon={<TeamOutlined />} onClick={() => void navigate('/accounts')}>
              账号与角色
            </Button>
          )}
          {hasPermission(me, 'security_policy.manage') && (
            <Button
              icon={<SafetyCertificateOutlined />}
              onClick={() => void navigate('/security-policy')}
            >
              安全策略
            </Button>
          )}
          {hasPermission(me, 'audit.read') && (
            <Button icon={<AuditOutlined />} onClick={() => void navigate('/audit')}>
              审计日志
            </Button>
          )}
          {!hasPermission(me, 'org.read') &&
            !hasPermission(me, 'account.read') &&
            !hasPermission(me, 'audit.read') && (
              <Typography.Text type="secondary">当前角色暂无可用功能。</Typography.Text>
            )}
        </Space>
      </Card>
    </Flex>
  );
}
