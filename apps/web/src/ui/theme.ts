import type { ThemeConfig } from 'antd';

// Calm, official look: the Party red as the brand colour, neutral greys everywhere else, system
// fonts only (the machine is offline and the CSP forbids external origins).
export const BRAND_RED = '#c8161d';

export const appTheme: ThemeConfig = {
  token: {
    colorPrimary: BRAND_RED,
    colorLink: '#a8071a',
    borderRadius: 4,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Layout: { headerBg: '#ffffff', siderBg: '#ffffff', bodyBg: '#f5f6f8' },
    Menu: { itemSelectedBg: '#fff1f0' },
  },
};
