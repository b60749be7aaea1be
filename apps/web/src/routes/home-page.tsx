import { Button, Card, Flex, Space, Typography } from 'antd';
import {
  ApartmentOutlined,
  AuditOutlined,
  IdcardOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { grantLabel } from '../features/auth/components/role-switcher';
import { activeGrant, hasPermission, useMe } from '../features/auth/hooks/use-me';
import { DashboardOverview } from '../features/dashboard/components/dashboard-overview';

export function HomePage() {
  const me = useMe();
  const navigate = useNavigate();
  const grant = activeGrant(me);
  // The figures count members: the same audience as the member records (member.read). The system,
  // security and audit admins do not have it (三员分立) and keep the shortcuts only.
  const showsDashboard = hasPermission(me, 'member.read');

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

      {showsDashboard && <DashboardOverview />}

      <Card title="快捷入口">
        <Space wrap>
          {hasPermission(me, 'org.read') && (
            <Button icon={<ApartmentOutlined />} onClick={() => void navigate('/orgs')}>
              组织管理
            </Button>
          )}
          {hasPermission(me, 'member.read') && (
            <Button icon={<IdcardOutlined />} onClick={() => void navigate('/members')}>
              党员管理
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
            !hasPermission(me, 'member.read') &&
            !hasPermission(me, 'account.read') &&
            !hasPermission(me, 'audit.read') && (
              <Typography.Text type="secondary">当前角色暂无可用功能。</Typography.Text>
            )}
        </Space>
      </Card>
    </Flex>
  );
}
