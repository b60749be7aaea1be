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
    definition:
      '在规定周期内联系上的流出党员 ÷ 应联系的流出党员。应联系：外出已满一个联系周期（默认每月一次，出国（境）每6个月一次，可按组织设置）；按时：距上次联系上本人（没有则自外出之日起）未超过一个周期。只联系未联系上不算按时。',
  },
  lostContactRate: {
    label: '失联率',
    definition:
      '失去联系的流出党员 ÷ 流出党员。失联：自最近一次参加组织生活、交纳党费或联系上本人（没有则自外出之日起）已满6个月；到3个月、5个月（可设置）时提前预警。系统只提示，是否停止党籍由党组织决定（条例第24、31条）。',
  },
} as const;
export type IndicatorKey = keyof typeof INDICATORS;

/** A share as a percentage with one decimal, or null when there is nothing to divide by. */
export function rate(numerator: number, denominator: number): number | null {
  if (denominator <= 0) return null;
  return Math.round((numerator / denominator) * 1000) / 10;
}
