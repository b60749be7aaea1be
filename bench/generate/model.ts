/**
 * The shape of the generated province (issue 5 §1): scale presets, deterministic ids and random
 * streams, and the weighted tables the people and their mobility are drawn from. Proportions
 * follow DOMAIN.md §1 (about 15% of members mobile, 94% of them holding a certificate) and the
 * usual picture of Sichuan's outflow: most go to Chengdu, Guangdong, the Yangtze delta,
 * Chongqing and Beijing, and work in construction, manufacturing (garments), catering,
 * transport and mining.
 */
import { createRng, type Rng } from '@liudong/domain';

// The demo county's distributions where a province looks the same (education, unit types,
// occupations, reasons, life-cycle steps, employer words, posts): one copy, in the demo seed.
export {
  EDUCATION,
  EMPLOYER_WORDS,
  OCCUPATION,
  OPEN_STATUS,
  POSTS,
  REASON,
  STEPS,
  UNIT_TYPE,
} from '../../apps/server/src/cli/seed-members';

export type Scale = 'county' | 'province';

export interface Preset {
  members: number;
  /** Open outflows aimed at (the draw is random, the figure close). */
  outflows: number;
  /** Cities and counties of the province taken (all of them for the province). */
  cities: number | null;
  countiesPerCity: number | null;
  townships: [number, number];
  branchesPerTownship: [number, number];
}

export const PRESETS: Record<Scale, Preset> = {
  province: {
    members: 1_000_000,
    outflows: 150_000,
    cities: null,
    countiesPerCity: null,
    townships: [18, 30],
    branchesPerTownship: [4, 8],
  },
  // One county of 巴中市 (DOMAIN.md §1: 19,641 members, 2,801 mobile).
  county: {
    members: 20_000,
    outflows: 3_000,
    cities: 1,
    countiesPerCity: 1,
    townships: [22, 22],
    branchesPerTownship: [20, 32],
  },
};

export const PROVINCE_CODE = '510000';

/** 32-bit mix (murmur3 finaliser) of a few integers: the seed of one entity's random stream. */
export function mix(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** Namespaces of ids and random streams. */
export const NS = {
  org: 1,
  member: 2,
  mobility: 3,
  certificate: 4,
  liaison: 5,
  assignment: 6,
  contact: 7,
  participation: 8,
  branchMembers: 11,
  branchEpisodes: 12,
  episode: 13,
  person: 14,
  tree: 15,
  account: 16,
} as const;

export function rngFor(seed: number, ns: number, index: number): Rng {
  return createRng(mix(seed, ns, index));
}

/** A uniform draw in [0, 1) that depends only on (seed, ns, index): no stream to replay. */
export function unit(seed: number, ns: number, index: number): number {
  return mix(seed, ns, index, 0x5bd1e995) / 4294967296;
}

const hex = (n: number, width: number) => (n >>> 0).toString(16).padStart(8, '0').slice(-width);

/**
 * A deterministic UUID (version 4 layout) for the index-th row of a namespace. The first 32 bits
 * are a bijection of the index (odd multiplier and xor-shifts), so ids never collide within a
 * namespace, and the namespace sits in the second group, so they never collide across tables;
 * the rest is hashed. Ids therefore look random in index order, like real v4 ids (b-tree page
 * splits and keyset order behave as in production, not as with sequential keys).
 */
export function uuidOf(seed: number, ns: number, index: number): string {
  let x = (index ^ mix(seed, ns)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  const r1 = mix(seed, ns, index, 1);
  const r2 = mix(seed, ns, index, 2);
  return (
    `${hex(x, 8)}-${hex(ns, 4)}-4${hex(r1, 3)}-${hex(0x8000 | ((r1 >>> 16) & 0x3fff), 4)}-` +
    `${hex(r2, 8)}${hex(r1 >>> 4, 4)}`
  );
}

export const ETHNICITIES: [string, number][] = [
  ['汉族', 94],
  ['彝族', 2.5],
  ['藏族', 1.5],
  ['羌族', 0.5],
  ['土家族', 0.5],
  ['苗族', 0.5],
  ['回族', 0.5],
];
/** GB/T 4754 sections (INDUSTRIES): construction, manufacturing (garments), catering, … */
export const INDUSTRY: [string, number][] = [
  ['E', 27],
  ['C', 20],
  ['H', 12],
  ['G', 10],
  ['B', 9],
  ['F', 7],
  ['O', 6],
  ['A', 3],
  ['I', 2],
  ['Q', 2],
  ['P', 2],
];

export interface Destination {
  cityCode: string;
  city: string;
  weight: number;
}

/** Where the province's members go: a few provinces and cities take most of them. */
export const DESTINATIONS: Destination[] = [
  { cityCode: '510100', city: '成都市', weight: 22 },
  { cityCode: '440300', city: '深圳市', weight: 10 },
  { cityCode: '441900', city: '东莞市', weight: 9 },
  { cityCode: '440100', city: '广州市', weight: 9 },
  { cityCode: '320500', city: '苏州市', weight: 7 },
  { cityCode: '310100', city: '上海市', weight: 7 },
  { cityCode: '500100', city: '重庆市', weight: 6 },
  { cityCode: '440600', city: '佛山市', weight: 5 },
  { cityCode: '330100', city: '杭州市', weight: 5 },
  { cityCode: '110100', city: '北京市', weight: 5 },
  { cityCode: '330200', city: '宁波市', weight: 4 },
  { cityCode: '350200', city: '厦门市', weight: 3 },
  { cityCode: '650100', city: '乌鲁木齐市', weight: 2 },
  { cityCode: '150600', city: '鄂尔多斯市', weight: 2 },
  { cityCode: '540100', city: '拉萨市', weight: 1 },
];

export const PLACE_WORDS = [
  '华兴',
  '鑫源',
  '恒达',
  '锦程',
  '顺通',
  '宏远',
  '金桥',
  '安泰',
  '广汇',
  '盛世',
  '青山',
  '白马',
  '龙泉',
  '柏林',
  '石桥',
  '红旗',
  '新华',
  '双河',
  '黄桷',
  '桂花',
];
export const TOWN_SUFFIX: [string, number][] = [
  ['镇', 60],
  ['乡', 25],
  ['街道', 15],
];
export const WORK_NOTES = [
  '在工地从事钢筋工作，收入稳定',
  '在服装厂流水线工作，已转为正式工',
  '在餐馆从事厨师工作',
  '从事货运驾驶，经常跑长途',
  '在矿山从事井下作业，注意安全',
  '在电子厂工作，本月加班较多',
];
export const THINKING_NOTES = [
  '思想稳定，关心家乡发展',
  '表示在外遵守纪律，按时交纳党费',
  '希望多参加线上组织生活',
  '关注家中老人和子女情况',
];
export const DIFFICULTIES = ['子女入学手续', '社保转移接续', '工资拖欠', '住房困难'];
