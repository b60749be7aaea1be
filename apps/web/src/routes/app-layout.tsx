import { Suspense, useMemo, useState, type ReactNode } from 'react';
import { Alert, Grid, Layout, Menu, type MenuProps } from 'antd';
import {
  ApartmentOutlined,
  AuditOutlined,
  EnvironmentOutlined,
  HomeOutlined,
  IdcardOutlined,
  ImportOutlined,
  MessageOutlined,
  NodeIndexOutlined,
  PhoneOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  SwapOutlined,
  TeamOutlined,
  UserSwitchOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import dayjs from 'dayjs';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { hasPermission, useMe, type PermissionName } from '../features/auth/hooks/use-me';
import { RoleSwitcher } from '../features/auth/components/role-switcher';
import { UserMenu } from '../features/auth/components/user-menu';
import { NotificationBell } from '../features/contacts/components/notification-bell';
import { PageSpin } from '../ui/page-spin';
import { ProductMark } from '../ui/product-mark';

interface NavItem {
  path: string;
  label: string;
  icon: ReactNode;
  permission?: PermissionName;
}

// 三员分立: each admin sees only their own pages; the server enforces the same permissions.
const NAV_ITEMS: NavItem[] = [
  { path: '/', label: '首页', icon: <HomeOutlined /> },
  { path: '/orgs', label: '组织管理', icon: <ApartmentOutlined />, permission: 'org.read' },
  { path: '/members', label: '党员管理', icon: <IdcardOutlined />, permission: 'member.read' },
  {
    path: '/mobilities',
    label: '流动党员台账',
    icon: <SwapOutlined />,
    permission: 'member.read',
  },
  {
    path: '/transfers',
    label: '组织关系转接',
    icon: <NodeIndexOutlined />,
    permission: 'member.read',
  },
  { path: '/contacts', label: '联系工作', icon: <PhoneOutlined />, permission: 'contact.log' },
  {
    path: '/liaisons',
    label: '联络员与三定',
    icon: <UserSwitchOutlined />,
    permission: 'liaison.assign',
  },
  {
    path: '/lost-contact',
    label: '失联预警',
    icon: <WarningOutlined />,
    permission: 'member.read',
  },
  { path: '/census', label: '摸排', icon: <ScheduleOutlined />, permission: 'contact.log' },
  { path: '/sms', label: '短信', icon: <MessageOutlined />, permission: 'sms.send' },
  { path: '/imports', label: 'Excel导入', icon: <ImportOutlined />, permission: 'member.import' },
  { path: '/accounts', label: '账号与角色', icon: <TeamOutlined />, permission: 'account.read' },
  {
    path: '/security-policy',
    label: '安全策略',
    icon: <SafetyCertificateOutlined />,
    permission: 'security_policy.manage',
  },
  { path: '/audit', label: '审计日志', icon: <AuditOutlined />, permission: 'audit.read' },
  {
    path: '/regions',
    label: '行政区划',
    icon: <EnvironmentOutlined />,
    permission: 'system.manage',
  },
];

const PASSWORD_EXPIRY_WARNING_DAYS = 14;

export function AppLayout() {
  const me = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const phone = !Grid.useBreakpoint().md;

  const menuItems: MenuProps['items'] = useMemo(
    () =>
      NAV_ITEMS.filter((item) => !item.permission || hasPermission(me, item.permission)).map(
        (item) => ({ key: item.path, icon: item.icon, label: item.label }),
      ),
    [me],
  );
  const selectedKey = `/${location.pathname.split('/')[1] ?? ''}`;

  const expiresAt = me.account.passwordExpiresAt ? dayjs(me.account.passwordExpiresAt) : null;
  const expiresSoon =
    expiresAt !== null && expiresAt.diff(dayjs(), 'day') < PASSWORD_EXPIRY_WARNING_DAYS;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        className="app-sider"
        width={220}
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        breakpoint="lg"
        // On a phone (liaisons work from one) the menu folds away entirely behind antd's tab.
        collapsedWidth={phone ? 0 : 80}
        theme="light"
        style={{ borderRight: '1px solid #f0f0f0' }}
      >
        <ProductMark collapsed={collapsed} />
        <Menu
          mode="inline"
          items={menuItems}
          selectedKeys={[selectedKey]}
          onClick={({ key }) => {
            if (phone) setCollapsed(true);
            void navigate(key);
          }}
          style={{ borderInlineEnd: 'none' }}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          className="app-header"
          style={{
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'flex-end',
            gap: 16,
            padding: phone ? '0 12px' : '0 24px',
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <NotificationBell />
          <RoleSwitcher />
          <UserMenu />
        </Layout.Header>
        <Layout.Content className="app-content" style={{ padding: phone ? 12 : 24 }}>
          {expiresSoon && expiresAt && (
            <Alert
              className="no-print"
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title={`您的密码将于 ${expiresAt.format('YYYY年M月D日')} 到期，请及时在右上角用户菜单中修改密码。`}
            />
          )}
          <Suspense fallback={<PageSpin />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
