/**
 * The headline indicators of the home page, with the definitions shown in their tooltips
 * (DOMAIN.md §9, 党内统计 流动党员情况). Values come in later issues; until then the page shows "—"
 * and never a made-up number.
 */
export interface IndicatorDefinition {
  key: string;
  title: string;
  /** Count or ratio: ratios are shown as percentages. */
  unit: 'people' | 'percent';
  definition: string;
}

export const HOME_INDICATORS: readonly IndicatorDefinition[] = [
  {
    key: 'outflow',
    title: '流出党员',
    unit: 'people',
    definition: '组织关系在本组织（含下级组织）、当前处于流出状态的党员人数。',
  },
  {
    key: 'inflow',
    title: '流入党员',
    unit: 'people',
    definition: '流入本地区、在本组织（含下级组织）报到或接受管理的党员人数。',
  },
  {
    key: 'certificateRate',
    title: '持证率',
    unit: 'percent',
    definition: '持证率 = 持有有效《流动党员活动证》的流出党员 ÷ 流出党员。',
  },
  {
    key: 'checkInRate',
    title: '报到率',
    unit: 'percent',
    definition: '报到率 = 已向流入地党组织报到的流出党员 ÷ 已明确流入地党组织的流出党员。',
  },
  {
    key: 'onTimeContactRate',
    title: '按时联系率',
    unit: 'percent',
    definition: '按时联系率 = 在规定联系周期内得到联系的党员 ÷ 应联系的党员。',
  },
  {
    key: 'lostContactRate',
    title: '失联率',
    unit: 'percent',
    definition:
      '失联率 = 失联党员 ÷ 流动党员。失联指连续6个月以上未参加组织生活、未交纳党费且去向不明。',
  },
];

export const INDICATOR_PENDING_TEXT = '该指标将在后续版本提供';
