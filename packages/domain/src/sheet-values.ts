/**
 * Cell values of imported rosters and ledgers (issue 3 §6) turned into our codes: 男/女, 学历,
 * 正式/预备党员, industry, reason and unit-type labels, and destination place names into GB/T 2260
 * region codes. People type these with spaces, full-width forms, short forms and synonyms; each
 * parser accepts the usual variants and answers null (the caller reports the row) for the rest.
 */

import {
  EDUCATION_LABELS,
  GENDER_LABELS,
  MEMBERSHIP_LABELS,
  type Education,
  type Gender,
  type Membership,
} from './member';
import {
  INDUSTRY_LABELS,
  MOBILITY_REASON_LABELS,
  UNIT_TYPE_LABELS,
  type Industry,
  type MobilityReason,
  type UnitType,
} from './mobility';

/** The comparable form of a label: NFKC (full-width → ASCII), no spaces or punctuation, lower case. */
export function normalizeLabel(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\s\u3000·•、,，;；:：.。\-—_/\\()（）[\]【】"'“”‘’]/g, '')
    .toLowerCase();
}

function withoutBrackets(label: string): string {
  return label.replace(/[（(][^）)]*[）)]/g, '');
}

/**
 * A parser for one vocabulary: the official labels (with and without a bracketed note), the
 * codes themselves, and synonyms.
 */
function labelParser<K extends string>(
  labels: Record<K, string>,
  synonyms: Partial<Record<K, readonly string[]>> = {},
): (raw: string) => K | null {
  const index = new Map<string, K>();
  const add = (text: string, code: K) => {
    const key = normalizeLabel(text);
    if (key && !index.has(key)) index.set(key, code);
  };
  for (const code of Object.keys(labels) as K[]) {
    add(labels[code], code);
    add(withoutBrackets(labels[code]), code);
  }
  for (const code of Object.keys(synonyms) as K[])
    for (const s of synonyms[code] ?? []) add(s, code);
  for (const code of Object.keys(labels) as K[]) add(code, code);
  return (raw) => index.get(normalizeLabel(raw)) ?? null;
}

export const parseGender: (raw: string) => Gender | null = labelParser(GENDER_LABELS, {
  male: ['男性', 'm', '男士'],
  female: ['女性', 'f', '女士'],
});

export const parseMembership: (raw: string) => Membership | null = labelParser(MEMBERSHIP_LABELS, {
  full: ['正式', '党员', '中共党员'],
  probationary: ['预备', '中共预备党员'],
});

export const parseEducation: (raw: string) => Education | null = labelParser(EDUCATION_LABELS, {
  postgraduate: ['博士研究生', '硕士研究生', '博士', '硕士', '研究生及以上', '研究生学历'],
  bachelor: ['本科', '大学', '大本', '本科学历'],
  associate: ['大专', '专科', '高职', '高等职业教育', '大专学历'],
  secondary_vocational: ['中等专科', '中技', '技校', '职高', '中专学历', '中等职业教育'],
  high_school: ['普通高中', '高中学历'],
  junior_high: ['初级中学', '初中学历'],
  primary_or_below: ['小学', '文盲', '半文盲', '小学以下'],
});

export const parseReason: (raw: string) => MobilityReason | null = labelParser(
  MOBILITY_REASON_LABELS,
  {
    work: ['打工', '外出务工', '务工经商', '就业', '工作'],
    business: ['做生意', '经营', '创业'],
    study: ['上学', '读书', '求学', '学习', '升学'],
    family: ['投亲', '随子女', '随迁家属', '照顾家人', '探亲'],
    elderly_care: ['异地养老', '随子女养老'],
    unemployed: ['失业', '待岗'],
    other: ['其它'],
  },
);

export const parseIndustry: (raw: string) => Industry | null = labelParser(INDUSTRY_LABELS, {
  A: ['农业', '农林牧渔', '种植业', '养殖业'],
  B: ['采矿', '矿业'],
  C: ['制造', '工业'],
  D: ['电力', '供水', '燃气'],
  E: ['建筑', '建筑施工'],
  F: ['批发零售', '零售', '商贸', '批发'],
  G: ['交通运输', '物流', '运输', '快递', '邮政'],
  H: ['住宿餐饮', '餐饮', '住宿', '餐饮业'],
  I: ['信息技术', '软件', '互联网', 'it', '信息传输软件和信息技术服务'],
  J: ['金融'],
  K: ['房地产'],
  L: ['租赁和商务服务', '商务服务'],
  M: ['科研', '科学研究', '技术服务'],
  N: ['水利', '环境和公共设施管理'],
  O: ['居民服务', '修理', '家政'],
  P: ['教育业'],
  Q: ['卫生', '医疗', '社会工作', '医疗卫生'],
  R: ['文化', '体育', '娱乐', '文体娱乐'],
  S: ['公共管理', '社会保障', '社会组织', '机关'],
  T: ['国际组织'],
});

export const parseUnitType: (raw: string) => UnitType | null = labelParser(UNIT_TYPE_LABELS, {
  government: ['党政机关', '政府机关', '国家机关'],
  public_institution: ['事业', '人才服务中心', '劳务服务中心'],
  state_enterprise: ['国有企业', '国企', '国有控股企业'],
  private_non_enterprise: ['民办非企业'],
  private_enterprise: ['民营企业', '民企', '私企', '非公企业', '非公有制企业'],
  hmt_enterprise: ['港澳台企业', '港澳台资企业'],
  foreign_enterprise: ['外资企业', '外企', '外商独资企业', '中外合资企业'],
  individual_business: ['个体', '个体户', '个体经营'],
  urban_community: ['社区'],
  township_community: [],
  village: ['村', '行政村'],
  other: ['其它'],
  unknown: ['不详', '不清楚', '去向不明', '流向不明'],
});

// ---------------------------------------------------------------------------------------------
// Destination place names → region codes

export interface RegionRow {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
}

export type RegionMatch = { ok: true; code: string } | { ok: false; message: string };

// City-level entries of GB/T 2260 that are not places (北京市 市辖区 朝阳区; 湖北省 省直辖县级
// 行政区划 仙桃市): their counties belong, as far as a written address goes, to the province.
const PLACEHOLDERS = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

const SHORT_PROVINCES: Record<string, string> = {
  内蒙古自治区: '内蒙古',
  广西壮族自治区: '广西',
  西藏自治区: '西藏',
  宁夏回族自治区: '宁夏',
  新疆维吾尔自治区: '新疆',
};
const ETHNIC =
  '(?:朝鲜|土家|苗|藏|羌|彝|布依|侗|哈尼|壮|傣|白|景颇|傈僳|回|蒙古|柯尔克孜|哈萨克|纳西|瑶|畲|黎|满|水|仡佬|佤|拉祜|傈僳|独龙|怒|普米|基诺|阿昌|德昂|布朗|毛南|仫佬|撒拉|土|东乡|保安|裕固|锡伯|达斡尔|鄂温克|鄂伦春|俄罗斯|塔吉克|乌孜别克|维吾尔|京|门巴|珞巴|高山|赫哲|塔塔尔)族?';
const AUTONOMOUS = new RegExp(`^(.{2,}?)(?:${ETHNIC})+自治(?:州|县|旗)$`);

/** The everyday short form of a division name: 四川省 → 四川, 凉山彝族自治州 → 凉山, 武侯区 → 武侯. */
export function shortRegionName(name: string, level: string): string | null {
  if (level === 'province') {
    if (SHORT_PROVINCES[name]) return SHORT_PROVINCES[name]!;
    const s = name.replace(/(省|市|特别行政区)$/, '');
    return s !== name && s.length >= 2 ? s : null;
  }
  const autonomous = AUTONOMOUS.exec(name);
  if (autonomous) return autonomous[1]!;
  const s =
    level === 'city' ? name.replace(/(市|地区|盟)$/, '') : name.replace(/(林区|区|县|市|旗)$/, '');
  return s !== name && s.length >= 2 ? s : null;
}

interface Parse {
  region: RegionRow;
  consumed: number;
  ambiguous: boolean;
}

const DEPTH: Record<string, number> = { province: 1, city: 2, county: 3 };

/**
 * Builds a matcher of written destinations against the region table: the most specific division
 * that the text starts with — 四川省成都市武侯区xx路 → 510107, 成都市 → 510100, 广东深圳 → 440300,
 * 北京朝阳区 → 110105. A text that names no known division, or a bare county name found in
 * several places, is refused with a message saying so. Results are cached per text.
 */
export function createRegionMatcher(regions: readonly RegionRow[]): (raw: string) => RegionMatch {
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const children = new Map<string, RegionRow[]>();
  for (const r of regions) {
    if (!r.parentCode) continue;
    const list = children.get(r.parentCode) ?? [];
    list.push(r);
    children.set(r.parentCode, list);
  }
  const isPlaceholder = (r: RegionRow) => PLACEHOLDERS.has(r.name);
  /** The places directly under a province: its real cities, and the counties of its placeholders. */
  const underProvince = (code: string) =>
    (children.get(code) ?? []).flatMap((c) =>
      isPlaceholder(c) ? (children.get(c.code) ?? []) : [c],
    );
  const countiesOfProvince = (code: string) =>
    (children.get(code) ?? []).flatMap((c) => children.get(c.code) ?? []);

  type Index = { names: Map<string, RegionRow[]>; maxLen: number };
  function indexOf(list: readonly RegionRow[]): Index {
    const names = new Map<string, RegionRow[]>();
    let maxLen = 0;
    const add = (n: string, r: RegionRow) => {
      const at = names.get(n) ?? [];
      if (!at.includes(r)) at.push(r);
      names.set(n, at);
      maxLen = Math.max(maxLen, n.length);
    };
    for (const r of list) {
      if (isPlaceholder(r)) continue;
      add(r.name, r);
      const short = shortRegionName(r.name, r.level);
      if (short) add(short, r);
      // 凉山彝族自治州 is written 凉山州 as often as 凉山.
      if (short && r.name.endsWith('自治州')) add(`${short}州`, r);
    }
    return { names, maxLen };
  }
  const cache = new Map<string, Index>();
  const indexFor = (key: string, list: () => readonly RegionRow[]) => {
    let idx = cache.get(key);
    if (!idx) cache.set(key, (idx = indexOf(list())));
    return idx;
  };

  function longest(idx: Index, text: string, pos: number) {
    for (let len = Math.min(idx.maxLen, text.length - pos); len >= 2; len--) {
      const found = idx.names.get(text.slice(pos, pos + len));
      if (found) return { found, len };
    }
    return null;
  }

  /** From `region` at `pos`, go down as far as the text allows. */
  function descend(region: RegionRow, text: string, pos: number, ambiguous: boolean): Parse {
    let best: Parse = { region, consumed: pos, ambiguous };
    const below =
      region.level === 'province'
        ? indexFor(`p${region.code}`, () => underProvince(region.code))
        : region.level === 'city'
          ? indexFor(`c${region.code}`, () => children.get(region.code) ?? [])
          : null;
    if (!below) return best;
    const step = longest(below, text, pos);
    if (step) {
      const next = descend(step.found[0]!, text, pos + step.len, step.found.length > 1);
      if (!next.ambiguous || !best.ambiguous) best = next;
    } else if (region.level === 'province') {
      // 四川省武侯区: the city left out; a county of the province with that name, if only one.
      const idx = indexFor(`pc${region.code}`, () => countiesOfProvince(region.code));
      const county = longest(idx, text, pos);
      if (county)
        best = {
          region: county.found[0]!,
          consumed: pos + county.len,
          ambiguous: county.found.length > 1,
        };
    }
    return best;
  }

  const provinces = indexFor('provinces', () => regions.filter((r) => r.level === 'province'));
  const cities = indexFor('cities', () => regions.filter((r) => r.level === 'city'));
  const counties = indexFor('counties', () => regions.filter((r) => r.level === 'county'));

  const results = new Map<string, RegionMatch>();
  return (raw) => {
    const text = normalizeLabel(raw);
    const cached = results.get(text);
    if (cached) return cached;
    const parses: Parse[] = [];
    for (const idx of [provinces, cities, counties]) {
      const first = longest(idx, text, 0);
      if (first) parses.push(descend(first.found[0]!, text, first.len, first.found.length > 1));
    }
    // The reading that explains the most text wins; then the more specific one.
    parses.sort(
      (a, b) =>
        b.consumed - a.consumed || (DEPTH[b.region.level] ?? 0) - (DEPTH[a.region.level] ?? 0),
    );
    const best = parses[0];
    let result: RegionMatch;
    if (!text) result = { ok: false, message: '请填写流入地' };
    else if (!best)
      result = {
        ok: false,
        message: `无法识别流入地“${raw.trim().slice(0, 30)}”，请写成“省市县”形式，如 四川省成都市武侯区`,
      };
    else if (best.ambiguous)
      result = {
        ok: false,
        message: `流入地“${raw.trim().slice(0, 30)}”有重名的地方，请写明所在的省和市`,
      };
    else result = { ok: true, code: byCode.get(best.region.code)!.code };
    results.set(text, result);
    return result;
  };
}
