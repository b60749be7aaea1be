/**
 * The indicators of DOMAIN.md §9, each with the definition the UI shows in its tooltip. The SQL
 * that computes them lives in the server's dashboard repository; these texts are the contract
 * for what it counts.
 */
export const INDICATORS = {
  outbound: {
    label: '流出党员',
    definition:
      '组织关系在本组织（含下级）且正在外出的党员人数（流出登记未返回、未转出、未终止）。',
  },
  inbound: {
    label: '流入党员',
    definition:
      '由本组织（含下级）接收、组织关系不在本组织（含下级）的党员人数：外地流入的党员，以及在本组织报到的流出党员（流动登记未结束）。',
  },
  certificateRate: {
    label: '持证率',
    definition:
      '持有有效流动党员活动证的流出党员 ÷ 流出党员。有效：已发放、未交回或注销，且发放或最近一次年审在12个月（另加宽限期，默认3个月）以内。',
  },
  checkInRate: {
    label: '报到率',
    definition: '已到流入地党组织报到的流出党员 ÷ 有流入地党组织（接收党组织）的流出党员。',
  },
  shouldTransfer: {
    label: '应转组织关系',
    definition:
      '外出满6个月且相对固定（已落实、服务中或已报到）的流出党员，按规定应转移组织关系（条例第25、32条）。',
  },
  onTimeContactRate: {
    label: '按时联系率',
    definition: '在规定周期内联系过的党员 ÷ 应联系的党员。联系功能上线后提供。',
  },
  lostContactRate: {
    label: '失联率',
    definition: '失去联系的流动党员 ÷ 流动党员。联系功能上线后提供。',
  },
} as const;
export type IndicatorKey = keyof typeof INDICATORS;

/** A share as a percentage with one decimal, or null when there is nothing to divide by. */
export function rate(numerator: number, denominator: number): number | null {
  if (denominator <= 0) return null;
  return Math.round((numerator / denominator) * 1000) / 10;
}
