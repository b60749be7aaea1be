// Deterministic synthetic people for demo data and tests. Real member data must never be used
// outside production (PIPL Art. 28; DOMAIN.md §10), so demos and tests draw names, ID numbers,
// phones and birth dates from a seeded generator: the same seed always gives the same people.
// The values are made up; they are well-formed, not looked up, and describe nobody on purpose.

import {
  ageOn,
  chinaDateOf,
  formatIsoDate,
  fromDayNumber,
  parseIsoDate,
  subtractYears,
  toDayNumber,
} from './calendar';
import { ID_NUMBER_MIN_BIRTH_YEAR, computeIdCheckChar } from './id-number';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, maxInclusive]. */
  int(min: number, maxInclusive: number): number;
  pick<T>(arr: readonly T[]): T;
  /** Picks an item with probability proportional to its (non-negative) weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
  /** A shuffled copy. */
  shuffle<T>(arr: readonly T[]): T[];
}

// splitmix32 turns any 32-bit seed, including 0 and small consecutive seeds, into well-mixed
// state words for sfc32 (Chris Doty-Humphrey's "small fast chaotic" PRNG, PractRand-clean).
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A seeded pseudo-random generator (sfc32). Not for secrets: the server uses crypto for those. */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`Invalid seed: ${seed}`);
  const mix = splitmix32(Math.trunc(seed));
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();

  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next(); // sfc32's recommended warm-up

  const int = (min: number, maxInclusive: number): number => {
    if (!Number.isInteger(min) || !Number.isInteger(maxInclusive) || maxInclusive < min) {
      throw new RangeError(`Invalid range [${min}, ${maxInclusive}]`);
    }
    return min + Math.floor(next() * (maxInclusive - min + 1));
  };

  const pick = <T>(arr: readonly T[]): T => {
    if (arr.length === 0) throw new RangeError('pick from an empty array');
    return arr[int(0, arr.length - 1)] as T;
  };

  const weighted = <T>(items: readonly (readonly [T, number])[]): T => {
    const total = items.reduce((sum, [, w]) => sum + (w > 0 ? w : 0), 0);
    if (!(total > 0)) throw new RangeError('weighted needs a positive total weight');
    let r = next() * total;
    for (const [item, w] of items) {
      if (w <= 0) continue;
      if (r < w) return item;
      r -= w;
    }
    // Floating-point rounding can leave r a hair above the last weight.
    const last = [...items].reverse().find(([, w]) => w > 0);
    return (last as readonly [T, number])[0];
  };

  const chance = (p: number): boolean => next() < p;

  const shuffle = <T>(arr: readonly T[]): T[] => {
    const out = [...arr];
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(0, i);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  };

  return { next, int, pick, weighted, chance, shuffle };
}

// --- names ------------------------------------------------------------------------------------

// Common surnames, roughly in order of frequency (so the weights fall with the rank).
export const SYNTHETIC_SURNAMES: readonly string[] = Array.from(
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文',
);

export const SYNTHETIC_COMPOUND_SURNAMES: readonly string[] = [
  '欧阳',
  '司马',
  '诸葛',
  '上官',
  '东方',
  '慕容',
  '皇甫',
  '令狐',
  '司徒',
  '尉迟',
];

const MALE_GIVEN = Array.from(
  '伟强磊军勇杰涛超刚建国辉鹏飞斌宇浩凯健俊帆帅旭龙峰波鑫博志海成亮东晨阳轩睿然德福胜利振兴宏永长金山松柏庆义忠诚信礼仁力武学晖毅',
);
const FEMALE_GIVEN = Array.from(
  '芳娜敏静丽艳娟秀霞桂英玉兰萍红丹颖婷雪琳晶倩慧莉燕梅玲云欣佳思梦雅诗涵怡琦瑶璐蕾薇菲芸蓉岚月琴凤洁彩淑珍',
);
const NEUTRAL_GIVEN = Array.from('明华平文林宁晓小春秋冬夏立新光荣清青喜安和智民生子梓嘉晴朝益');

/** The distinct given-name characters the generator uses (~150). */
export const SYNTHETIC_GIVEN_NAME_CHARS: readonly string[] = [
  ...new Set([...MALE_GIVEN, ...FEMALE_GIVEN, ...NEUTRAL_GIVEN]),
];
const GIVEN_BY_GENDER = {
  male: [...new Set([...MALE_GIVEN, ...NEUTRAL_GIVEN])],
  female: [...new Set([...FEMALE_GIVEN, ...NEUTRAL_GIVEN])],
};

const SURNAME_WEIGHTS: readonly (readonly [string, number])[] = [
  ...SYNTHETIC_SURNAMES.map((s, rank) => [s, 100 / (rank + 8)] as const),
  // Compound surnames are rare: about 2% of names.
  ...SYNTHETIC_COMPOUND_SURNAMES.map((s) => [s, 0.5] as const),
];

/** A made-up Chinese name: a surname and a one- or two-character given name. */
export function syntheticName(rng: Rng, opts?: { gender?: 'male' | 'female' }): string {
  const chars = opts?.gender ? GIVEN_BY_GENDER[opts.gender] : SYNTHETIC_GIVEN_NAME_CHARS;
  const surname = rng.weighted(SURNAME_WEIGHTS);
  const first = rng.pick(chars);
  return rng.chance(0.3) ? surname + first : surname + first + rng.pick(chars);
}

// --- ID numbers, phones, birth dates ------------------------------------------------------------

/**
 * A well-formed 18-character ID number (GB 11643-1999) for the given region, birth date and
 * gender: a random sequence code whose last digit has the right parity (odd = male) and the
 * ISO 7064 MOD 11-2 check character.
 */
export function syntheticIdNumber(
  rng: Rng,
  opts: { regionCode: string; birthDate: string; gender: 'male' | 'female' },
): string {
  if (!/^\d{6}$/.test(opts.regionCode)) {
    throw new RangeError(`Invalid region code: ${opts.regionCode}`);
  }
  const birth = parseIsoDate(opts.birthDate);
  if (!birth || birth.year < ID_NUMBER_MIN_BIRTH_YEAR) {
    throw new RangeError(`Invalid birth date: ${opts.birthDate}`);
  }
  // 001–999, never 000: odd numbers for men, even for women.
  const seq = opts.gender === 'male' ? 2 * rng.int(0, 499) + 1 : 2 * rng.int(1, 499);
  const first17 =
    opts.regionCode + opts.birthDate.replaceAll('-', '') + String(seq).padStart(3, '0');
  return first17 + computeIdCheckChar(first17);
}

// Mobile number segments in use by China Mobile, China Unicom, China Telecom and China
// Broadnet (MIIT numbering plan).
// prettier-ignore
export const SYNTHETIC_MOBILE_PREFIXES: readonly string[] = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139',
  '147', '150', '151', '152', '153', '155', '156', '157', '158', '159',
  '166', '172', '173', '175', '176', '177', '178',
  '180', '181', '182', '183', '184', '185', '186', '187', '188', '189',
  '191', '192', '193', '195', '196', '197', '198', '199',
];

export function syntheticMobile(rng: Rng): string {
  let rest = '';
  for (let i = 0; i < 8; i++) rest += String(rng.int(0, 9));
  return rng.pick(SYNTHETIC_MOBILE_PREFIXES) + rest;
}

/**
 * A birth date (YYYY-MM-DD) such that the person's age in completed years on `asOf` (a calendar
 * day in China) lies in [minAge, maxAge], uniform over the days of that range.
 */
export function syntheticBirthDate(
  rng: Rng,
  opts: { minAge: number; maxAge: number; asOf: Date },
): string {
  const { minAge, maxAge } = opts;
  if (!Number.isInteger(minAge) || !Number.isInteger(maxAge) || minAge < 0 || maxAge < minAge) {
    throw new RangeError(`Invalid age range [${minAge}, ${maxAge}]`);
  }
  const today = parseIsoDate(chinaDateOf(opts.asOf));
  if (!today) throw new RangeError('Invalid asOf');
  // Youngest: minAge exactly today. Oldest: the day after the one that would make them maxAge+1.
  const latest = toDayNumber(subtractYears(today, minAge));
  const earliest = toDayNumber(subtractYears(today, maxAge + 1)) + 1;
  const birthDate = formatIsoDate(fromDayNumber(rng.int(earliest, latest)));
  // Guard the arithmetic above with the definition of age (cheap, and catches leap-day slips).
  const age = ageOn(birthDate, opts.asOf);
  if (age < minAge || age > maxAge) throw new Error(`syntheticBirthDate: age ${age} out of range`);
  return birthDate;
}
