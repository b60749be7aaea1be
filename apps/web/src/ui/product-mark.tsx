import { Typography } from 'antd';
import { BRAND_RED } from './theme';

export const PRODUCT_NAME = '流动党员动态管理系统';

export function ProductMark({ collapsed = false }: { collapsed?: boolean }) {
  return (
    <div
      style={{
        height: 64,
        display: 'flex',
        alignItems: 'center',
        justifyContent: collapsed ? 'center' : 'flex-start',
        gap: 10,
        padding: collapsed ? 0 : '0 20px',
        borderBottom: '1px solid #f0f0f0',
        overflow: 'hidden',
        whiteSpace: 'nowrap',
      }}
    >
      <img src="/favicon.svg" alt="" width={28} height={28} />
      {!collapsed && (
        <Typography.Text strong style={{ fontSize: 15, color: BRAND_RED }}>
          {PRODUCT_NAME}
        </Typography.Text>
      )}
    </div>
  );
}
