import type { ThemeConfig } from 'antd';

// Calm, official look: the Party red as the brand colour, neutral greys everywhere else, system
// fonts only (the machine is offline and the CSP forbids external origins).
export const BRAND_RED = '#c8161d';

// Focused fields in neutral grey, not the brand red, so that a field being edited never looks like
// a field with an error.
const calmFields = {
  hoverBorderColor: '#8c8c8c',
  activeBorderColor: '#434343',
  activeShadow: '0 0 0 2px rgba(0, 0, 0, 0.08)',
};

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
    Input: calmFields,
    InputNumber: calmFields,
    DatePicker: calmFields,
    Select: {
      hoverBorderColor: calmFields.hoverBorderColor,
      activeBorderColor: calmFields.activeBorderColor,
      activeOutlineColor: 'rgba(0, 0, 0, 0.08)',
    },
  },
};
