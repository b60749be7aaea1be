import { useState } from 'react';
import { Avatar, Button, Dropdown, Space, type MenuProps } from 'antd';
import {
  ApiOutlined,
  DownOutlined,
  KeyOutlined,
  LogoutOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { requiresTotp } from '@liudong/domain';
import { activeGrant, useMe } from '../hooks/use-me';
import { useSignOut } from '../hooks/use-session';
import { ChangePasswordModal } from './change-password-modal';

export function UserMenu() {
  const me = useMe();
  const signOut = useSignOut();
  const [isPasswordOpen, setPasswordOpen] = useState(false);
  // Admin roles are those that need the second factor (SECURITY.md 4).
  const grant = activeGrant(me);
  const isAdmin = grant !== null && requiresTotp(grant.role);

  const items: MenuProps['items'] = [
    { key: 'password', icon: <KeyOutlined />, label: '修改密码' },
    ...(isAdmin ? [{ key: 'docs', icon: <ApiOutlined />, label: '接口文档' }] : []),
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: '退出登录', danger: true },
  ];

  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'password') setPasswordOpen(true);
    if (key === 'docs') window.open('/api/docs', '_blank', 'noopener,noreferrer');
    if (key === 'logout') void signOut();
  };

  return (
    <>
      <Dropdown menu={{ items, onClick }} trigger={['click']} placement="bottomRight">
        <Button type="text" aria-label="用户菜单" style={{ height: 40 }}>
          <Space>
            <Avatar size="small" icon={<UserOutlined />} style={{ backgroundColor: '#8c8c8c' }} />
            <span>{me.account.displayName}</span>
            <DownOutlined style={{ fontSize: 10 }} />
          </Space>
        </Button>
      </Dropdown>
      <ChangePasswordModal open={isPasswordOpen} onClose={() => setPasswordOpen(false)} />
    </>
  );
}
