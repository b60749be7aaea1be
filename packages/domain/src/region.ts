// 行政区划代码, GB/T 2260: six digits, two each for province, city (prefecture) and county.
// xx0000 is a province, xxxx00 a city, anything else a county-level unit. Only the structure is
// checked here; whether a code exists is a matter of the (yearly updated) code list.

export type RegionLevel = 'province' | 'city' | 'county';

// GB/T 2260 province-level codes: 11–15 North, 21–23 North-East, 31–37 East, 41–46 Central
// South, 50–54 South-West, 61–65 North-West, 71 Taiwan, 81 Hong Kong, 82 Macao.
// prettier-ignore
export const PROVINCE_PREFIXES: readonly string[] = [
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82',
];

export function isRegionCode(code: string): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  if (!PROVINCE_PREFIXES.includes(code.slice(0, 2))) return false;
  // Digits 3–4 are '00' only for the province itself: a county always belongs to a city-level
  // unit (for counties directly under a province that is the 90 group, e.g. 429004 仙桃市).
  return !(code.slice(2, 4) === '00' && code.slice(4) !== '00');
}

function assertRegionCode(code: string): void {
  if (!isRegionCode(code)) throw new RangeError(`Invalid region code: ${JSON.stringify(code)}`);
}

export function regionLevel(code: string): RegionLevel {
  assertRegionCode(code);
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'county';
}

export function provinceCodeOf(code: string): string {
  assertRegionCode(code);
  return `${code.slice(0, 2)}0000`;
}

/** The city-level code of a city or county; null for a province. */
export function cityCodeOf(code: string): string | null {
  if (regionLevel(code) === 'province') return null;
  return `${code.slice(0, 4)}00`;
}

/** The enclosing codes, province first, excluding the code itself: 110105 → [110000, 110100]. */
export function regionAncestors(code: string): string[] {
  switch (regionLevel(code)) {
    case 'province':
      return [];
    case 'city':
      return [provinceCodeOf(code)];
    case 'county':
      return [provinceCodeOf(code), `${code.slice(0, 4)}00`];
  }
}

/** True if `code` is `ancestor` or lies within it. */
export function isWithinRegion(code: string, ancestor: string): boolean {
  return (
    isRegionCode(code) &&
    isRegionCode(ancestor) &&
    (code === ancestor || regionAncestors(code).includes(ancestor))
  );
}

/** Cross-province (跨省) vs within-province mobility, as in the official statistics (DOMAIN.md §9). */
export function isSameProvince(a: string, b: string): boolean {
  return isRegionCode(a) && isRegionCode(b) && a.slice(0, 2) === b.slice(0, 2);
}

/**
 * Levels of GB/T 2260 that hold a place but are not its name (北京市 市辖区 朝阳区): left out when
 * a place is written as one name.
 */
export const REGION_PLACEHOLDERS: ReadonlySet<string> = new Set([
  '市辖区',
  '县',
  '省直辖县级行政区划',
  '自治区直辖县级行政区划',
]);

/** "四川省成都市锦江区" from province, city and county names (any of them may be missing). */
export function placeName(names: readonly (string | null)[]): string | null {
  const parts = names.filter((n): n is string => !!n && !REGION_PLACEHOLDERS.has(n));
  return parts.length > 0 ? parts.join('') : null;
}
