/**
 * The mobility life cycle and the categories of the official statistics (DOMAIN.md §3, §9).
 * Code names are stable storage values; labels are what the UI and exports show.
 */

export const MOBILITY_DIRECTIONS = ['outflow', 'inflow'] as const;
export type MobilityDirection = (typeof MOBILITY_DIRECTIONS)[number];
export const MOBILITY_DIRECTION_LABELS: Record<MobilityDirection, string> = {
  outflow: '流出',
  inflow: '流入',
};

/** 登记 → 告知 → 联系 → 落实 → 服务, ending by return, transfer or an exceptional end. */
export const MOBILITY_STATUSES = [
  'registered',
  'informed',
  'contacted',
  'settled',
  'serving',
  'returned',
  'transferred',
  'ended',
] as const;
export type MobilityStatus = (typeof MOBILITY_STATUSES)[number];
export const MOBILITY_STATUS_LABELS: Record<MobilityStatus, string> = {
  registered: '已登记',
  informed: '已告知',
  contacted: '已联系',
  settled: '已落实',
  serving: '服务中',
  returned: '已返回',
  transferred: '已转出组织关系',
  ended: '已终止',
};
export const CLOSED_MOBILITY_STATUSES: readonly MobilityStatus[] = [
  'returned',
  'transferred',
  'ended',
];
export function isOpenMobilityStatus(s: MobilityStatus): boolean {
  return !CLOSED_MOBILITY_STATUSES.includes(s);
}

/**
 * The explicit transition table: each open step moves to the next, and any open step may end
 * the episode (a member may come home, or transfer, before every step is done).
 */
export const MOBILITY_TRANSITIONS: Record<MobilityStatus, readonly MobilityStatus[]> = {
  registered: ['informed', 'returned', 'transferred', 'ended'],
  informed: ['contacted', 'returned', 'transferred', 'ended'],
  contacted: ['settled', 'returned', 'transferred', 'ended'],
  settled: ['serving', 'returned', 'transferred', 'ended'],
  serving: ['returned', 'transferred', 'ended'],
  returned: [],
  transferred: [],
  ended: [],
};
export function canTransition(from: MobilityStatus, to: MobilityStatus): boolean {
  return MOBILITY_TRANSITIONS[from].includes(to);
}

/** 务工 / 经商 / 就学 / 随迁 / 养老 / 待业 / 其他 (the 《流动党员情况登记表》 reasons). */
export const MOBILITY_REASONS = [
  'work',
  'business',
  'study',
  'family',
  'elderly_care',
  'unemployed',
  'other',
] as const;
export type MobilityReason = (typeof MOBILITY_REASONS)[number];
export const MOBILITY_REASON_LABELS: Record<MobilityReason, string> = {
  work: '务工',
  business: '经商',
  study: '就学',
  family: '随迁',
  elderly_care: '养老',
  unemployed: '待业',
  other: '其他',
};

export const MOBILITY_RANGES = ['cross_province', 'within_province', 'within_city'] as const;
export type MobilityRange = (typeof MOBILITY_RANGES)[number];
export const MOBILITY_RANGE_LABELS: Record<MobilityRange, string> = {
  cross_province: '跨省（区、市）',
  within_province: '省内跨市（地、州、盟）',
  within_city: '市内跨县（市、区、旗）',
};

/** Destination unit types, rows of 党内统计 流动党员情况（一） (DOMAIN.md §9). */
export const UNIT_TYPES = [
  'government',
  'public_institution',
  'state_enterprise',
  'private_non_enterprise',
  'private_enterprise',
  'hmt_enterprise',
  'foreign_enterprise',
  'individual_business',
  'urban_community',
  'township_community',
  'village',
  'other',
  'unknown',
] as const;
export type UnitType = (typeof UNIT_TYPES)[number];
export const UNIT_TYPE_LABELS: Record<UnitType, string> = {
  government: '机关',
  public_institution: '事业单位（含人才、劳务服务中心）',
  state_enterprise: '国有及国有控股企业',
  private_non_enterprise: '民办非企业单位',
  private_enterprise: '私营企业',
  hmt_enterprise: '港澳台投资企业',
  foreign_enterprise: '外商投资企业',
  individual_business: '个体工商户',
  urban_community: '城市社区',
  township_community: '乡镇社区',
  village: '建制村',
  other: '其他',
  unknown: '不掌握流向',
};

/** Original occupation, the columns of the same table (DOMAIN.md §9). */
export const OCCUPATIONS = [
  'manager_professional',
  'skilled_worker',
  'farmer',
  'unemployed_graduate',
  'intermediary_staff',
  'other',
] as const;
export type Occupation = (typeof OCCUPATIONS)[number];
export const OCCUPATION_LABELS: Record<Occupation, string> = {
  manager_professional: '公有经济单位管理和专业技术人员',
  skilled_worker: '工勤技能人员',
  farmer: '农牧渔民',
  unemployed_graduate: '未就业的高校毕业生',
  intermediary_staff: '中介组织从业人员（律师、会计师等）',
  other: '其他',
};

/** Industry of the employer: the sections of GB/T 4754-2017. */
export const INDUSTRIES = [
  'A',
  'B',
  'C',
  'D',
  'E',
  'F',
  'G',
  'H',
  'I',
  'J',
  'K',
  'L',
  'M',
  'N',
  'O',
  'P',
  'Q',
  'R',
  'S',
  'T',
] as const;
export type Industry = (typeof INDUSTRIES)[number];
export const INDUSTRY_LABELS: Record<Industry, string> = {
  A: '农、林、牧、渔业',
  B: '采矿业',
  C: '制造业',
  D: '电力、热力、燃气及水生产和供应业',
  E: '建筑业',
  F: '批发和零售业',
  G: '交通运输、仓储和邮政业',
  H: '住宿和餐饮业',
  I: '信息传输、软件和信息技术服务业',
  J: '金融业',
  K: '房地产业',
  L: '租赁和商务服务业',
  M: '科学研究和技术服务业',
  N: '水利、环境和公共设施管理业',
  O: '居民服务、修理和其他服务业',
  P: '教育',
  Q: '卫生和社会工作',
  R: '文化、体育和娱乐业',
  S: '公共管理、社会保障和社会组织',
  T: '国际组织',
};
