import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  placeName,
  PROVINCE_PREFIXES,
  cityCodeOf,
  isRegionCode,
  isSameProvince,
  isWithinRegion,
  provinceCodeOf,
  regionAncestors,
  regionLevel,
} from './region';

describe('isRegionCode', () => {
  it.each([
    ['110000', true], // 北京市
    ['110105', true], // 北京市朝阳区
    ['510000', true], // 四川省
    ['511900', true], // 巴中市
    ['511922', true], // 南江县
    ['429004', true], // 仙桃市 (county-level, directly under the province)
    ['710000', true], // 台湾省
    ['810000', true], // 香港
    ['820000', true], // 澳门
    ['100000', false], // no province 10
    ['160000', false],
    ['200000', false],
    ['660000', false],
    ['830000', false],
    ['990000', false],
    ['110001', false], // a county directly under 00: not a GB/T 2260 structure
    ['11010', false],
    ['1101050', false],
    ['11010a', false],
    ['', false],
    ['１１０１０５', false], // full-width digits are not normalized here
  ])('%j → %s', (code, expected) => {
    expect(isRegionCode(code)).toBe(expected);
  });
});

describe('levels and ancestors', () => {
  it.each([
    ['110000', 'province', '110000', null, []],
    ['110100', 'city', '110000', '110100', ['110000']],
    ['110105', 'county', '110000', '110100', ['110000', '110100']],
    ['511922', 'county', '510000', '511900', ['510000', '511900']],
    ['429004', 'county', '420000', '429000', ['420000', '429000']],
  ] as const)('%s', (code, level, province, city, ancestors) => {
    expect(regionLevel(code)).toBe(level);
    expect(provinceCodeOf(code)).toBe(province);
    expect(cityCodeOf(code)).toBe(city);
    expect(regionAncestors(code)).toEqual(ancestors);
  });

  it('throws for an invalid code', () => {
    expect(() => regionLevel('123')).toThrow(RangeError);
    expect(() => provinceCodeOf('990000')).toThrow(RangeError);
    expect(() => cityCodeOf('')).toThrow(RangeError);
    expect(() => regionAncestors('11010x')).toThrow(RangeError);
  });

  it('compares regions', () => {
    expect(isWithinRegion('110105', '110000')).toBe(true);
    expect(isWithinRegion('110105', '110100')).toBe(true);
    expect(isWithinRegion('110105', '110105')).toBe(true);
    expect(isWithinRegion('110000', '110105')).toBe(false);
    expect(isWithinRegion('120105', '110000')).toBe(false);
    expect(isWithinRegion('110105', 'x')).toBe(false);
    expect(isSameProvince('511922', '510104')).toBe(true);
    expect(isSameProvince('511922', '440305')).toBe(false);
    expect(isSameProvince('', '')).toBe(false);
  });
});

const regionCode = fc
  .tuple(
    fc.constantFrom(...PROVINCE_PREFIXES),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 99 }),
  )
  .map(
    ([p, c, d]) => `${p}${String(c).padStart(2, '0')}${String(c === 0 ? 0 : d).padStart(2, '0')}`,
  );

describe('region properties', () => {
  it('ancestors are valid, strictly higher and enclose the code', () => {
    const rank = { province: 0, city: 1, county: 2 };
    fc.assert(
      fc.property(regionCode, (code) => {
        expect(isRegionCode(code)).toBe(true);
        const ancestors = regionAncestors(code);
        expect(ancestors).toHaveLength(rank[regionLevel(code)]);
        ancestors.forEach((a, i) => {
          expect(isRegionCode(a)).toBe(true);
          expect(rank[regionLevel(a)]).toBe(i);
          expect(isWithinRegion(code, a)).toBe(true);
        });
        expect(provinceCodeOf(code).slice(0, 2)).toBe(code.slice(0, 2));
      }),
    );
  });

  it('rejects any string that is not six ASCII digits', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), (s) => {
        fc.pre(!/^\d{6}$/.test(s));
        expect(isRegionCode(s)).toBe(false);
      }),
    );
  });
});

describe('placeName', () => {
  it.each([
    [['四川省', '成都市', '锦江区'], '四川省成都市锦江区'],
    [['北京市', '市辖区', '朝阳区'], '北京市朝阳区'],
    [['海南省', '省直辖县级行政区划', '琼海市'], '海南省琼海市'],
    [['广东省', null, null], '广东省'],
    [[null, null, null], null],
  ] as const)('%j → %s', (names, expected) => {
    expect(placeName(names)).toBe(expected);
  });
});
