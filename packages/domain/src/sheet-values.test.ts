import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createRegionMatcher,
  normalizeLabel,
  parseEducation,
  parseGender,
  parseIndustry,
  parseMembership,
  parseReason,
  parseUnitType,
  shortRegionName,
  type RegionRow,
} from './sheet-values';
import { EDUCATION_LABELS, EDUCATIONS } from './member';
import { INDUSTRIES, INDUSTRY_LABELS, MOBILITY_REASONS, MOBILITY_REASON_LABELS } from './mobility';

describe('label parsers (cells as people type them)', () => {
  it.each([
    ['男', 'male'],
    [' 女 ', 'female'],
    ['男性', 'male'],
    ['Ｆ', 'female'],
    ['female', 'female'],
    ['未知', null],
  ])('gender %j → %j', (raw, code) => expect(parseGender(raw)).toBe(code));

  it.each([
    ['正式党员', 'full'],
    ['正 式', 'full'],
    ['预备党员', 'probationary'],
    ['预备', 'probationary'],
    ['团员', null],
  ])('membership %j → %j', (raw, code) => expect(parseMembership(raw)).toBe(code));

  it.each([
    ['大学本科', 'bachelor'],
    ['本科', 'bachelor'],
    ['大专', 'associate'],
    ['硕士研究生', 'postgraduate'],
    ['中专', 'secondary_vocational'],
    ['小学及以下', 'primary_or_below'],
    ['初中', 'junior_high'],
    ['幼儿园', null],
  ])('education %j → %j', (raw, code) => expect(parseEducation(raw)).toBe(code));

  it.each([
    ['务工', 'work'],
    ['外出务工', 'work'],
    ['经商', 'business'],
    ['上学', 'study'],
    ['其它', 'other'],
    ['旅游', null],
  ])('reason %j → %j', (raw, code) => expect(parseReason(raw)).toBe(code));

  it.each([
    ['制造业', 'C'],
    ['农、林、牧、渔业', 'A'],
    ['农林牧渔业', 'A'],
    ['信息传输、软件和信息技术服务业', 'I'],
    ['I', 'I'],
    ['ｉ', 'I'],
    ['住宿和餐饮业', 'H'],
    ['餐饮', 'H'],
    ['航天', null],
  ])('industry %j → %j', (raw, code) => expect(parseIndustry(raw)).toBe(code));

  it.each([
    ['私营企业', 'private_enterprise'],
    ['民营企业', 'private_enterprise'],
    ['事业单位', 'public_institution'],
    ['事业单位（含人才、劳务服务中心）', 'public_institution'],
    ['个体工商户', 'individual_business'],
    ['不掌握流向', 'unknown'],
  ])('unit type %j → %j', (raw, code) => expect(parseUnitType(raw)).toBe(code));

  it('reads every official label back as its code, in full-width form and with spaces too', () => {
    for (const code of EDUCATIONS) expect(parseEducation(EDUCATION_LABELS[code])).toBe(code);
    for (const code of MOBILITY_REASONS)
      expect(parseReason(` ${MOBILITY_REASON_LABELS[code]} `)).toBe(code);
    for (const code of INDUSTRIES) expect(parseIndustry(INDUSTRY_LABELS[code])).toBe(code);
    fc.assert(
      fc.property(fc.constantFrom(...INDUSTRIES), (code) => {
        const spaced = INDUSTRY_LABELS[code].split('').join(' ');
        return parseIndustry(spaced) === code;
      }),
    );
  });

  it('normalizes full-width forms, spaces and punctuation away', () => {
    expect(normalizeLabel('　Ａ、Ｂ （c） ')).toBe('abc');
  });
});

// A slice of GB/T 2260 with the shapes that matter: a municipality (placeholder city), a
// province with cities, an autonomous prefecture, a county-level city directly under a province,
// a city that shares its province's name, and a county name used in two places.
const REGIONS: RegionRow[] = [
  { code: '110000', name: '北京市', level: 'province', parentCode: null },
  { code: '110100', name: '市辖区', level: 'city', parentCode: '110000' },
  { code: '110105', name: '朝阳区', level: 'county', parentCode: '110100' },
  { code: '510000', name: '四川省', level: 'province', parentCode: null },
  { code: '510100', name: '成都市', level: 'city', parentCode: '510000' },
  { code: '510104', name: '锦江区', level: 'county', parentCode: '510100' },
  { code: '510107', name: '武侯区', level: 'county', parentCode: '510100' },
  { code: '513400', name: '凉山彝族自治州', level: 'city', parentCode: '510000' },
  { code: '513401', name: '西昌市', level: 'county', parentCode: '513400' },
  { code: '440000', name: '广东省', level: 'province', parentCode: null },
  { code: '440300', name: '深圳市', level: 'city', parentCode: '440000' },
  { code: '440305', name: '南山区', level: 'county', parentCode: '440300' },
  { code: '420000', name: '湖北省', level: 'province', parentCode: null },
  { code: '429000', name: '省直辖县级行政区划', level: 'city', parentCode: '420000' },
  { code: '429004', name: '仙桃市', level: 'county', parentCode: '429000' },
  { code: '220000', name: '吉林省', level: 'province', parentCode: null },
  { code: '220100', name: '长春市', level: 'city', parentCode: '220000' },
  { code: '220104', name: '朝阳区', level: 'county', parentCode: '220100' },
  { code: '220200', name: '吉林市', level: 'city', parentCode: '220000' },
  { code: '450000', name: '广西壮族自治区', level: 'province', parentCode: null },
  { code: '450100', name: '南宁市', level: 'city', parentCode: '450000' },
];

describe('createRegionMatcher (destination names → region codes)', () => {
  const match = createRegionMatcher(REGIONS);
  it.each([
    ['四川省成都市武侯区', '510107'],
    ['四川省成都市武侯区望江路29号', '510107'],
    ['成都市', '510100'],
    ['成都', '510100'],
    ['四川成都', '510100'],
    ['四川省', '510000'],
    ['广东深圳', '440300'],
    ['广东省深圳市南山区', '440305'],
    ['深圳南山', '440305'],
    ['北京市朝阳区', '110105'],
    ['北京朝阳', '110105'],
    ['湖北仙桃', '429004'],
    ['四川省武侯区', '510107'],
    ['凉山州西昌市', '513401'],
    ['凉山西昌', '513401'],
    ['吉林市', '220200'],
    ['吉林省吉林市', '220200'],
    ['广西南宁', '450100'],
    ['　四川省 成都市 锦江区 ', '510104'],
  ])('%j → %j', (text, code) => {
    expect(match(text)).toEqual({ ok: true, code });
  });

  it('refuses an unknown place and a county name found in two places', () => {
    const unknown = match('火星基地');
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.message).toContain('无法识别');
    const twice = match('朝阳区');
    expect(twice.ok).toBe(false);
    if (!twice.ok) expect(twice.message).toContain('重名');
    expect(match('').ok).toBe(false);
  });

  it('knows the everyday short names', () => {
    expect(shortRegionName('凉山彝族自治州', 'city')).toBe('凉山');
    expect(shortRegionName('广西壮族自治区', 'province')).toBe('广西');
    expect(shortRegionName('武侯区', 'county')).toBe('武侯');
    expect(shortRegionName('城区', 'county')).toBeNull();
  });
});
