import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  computeIdCheckChar,
  convertIdNumber15To18,
  isValidIdNumber,
  looksLikeScientificNotation,
  normalizeIdNumber,
  parseIdNumber,
} from './id-number';
import { formatIsoDate, fromDayNumber, toDayNumber } from './calendar';

const asOf = new Date('2025-06-01T00:00:00Z');

// Hand check of 110105 19491231 002 (the example in GB 11643-1999):
// digits  1  1  0  1  0  5  1  9  4  9  1  2  3  1  0  0  2
// weights 7  9 10  5  8  4  2  1  6  3  7  9 10  5  8  4  2
// products 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 → 'X'.
const BEIJING_1949 = '11010519491231002X';
// Hand check of 440524 18800101 001 (also from GB 11643-1999): products
// 28+36+0+25+16+16+2+8+48+0+0+9+0+5+0+0+2 = 195; 195 mod 11 = 8 → '4'.
const SHANTOU_1880 = '440524188001010014';

function withCheck(first17: string): string {
  return first17 + computeIdCheckChar(first17);
}

describe('computeIdCheckChar', () => {
  it.each([
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
    // 00000000000000000: sum 0 → '1'; a sum of 1 maps to '0'.
    ['00000000000000000', '1'],
    // only the last digit 1 (weight 2): sum 2 → 'X'
    ['00000000000000001', 'X'],
    // only the 8th digit 1 (weight 1): sum 1 → '0'
    ['00000001000000000', '0'],
    // only the 10th digit 1 (weight 3): sum 3 → '9'
    ['00000000010000000', '9'],
  ])('%s → %s', (first17, expected) => {
    expect(computeIdCheckChar(first17)).toBe(expected);
  });

  it('rejects anything but 17 digits', () => {
    expect(() => computeIdCheckChar('1101051949123100')).toThrow(RangeError);
    expect(() => computeIdCheckChar('1101051949123100X')).toThrow(RangeError);
  });
});

describe('normalizeIdNumber', () => {
  it.each([
    [' 110105 19491231 002x ', BEIJING_1949],
    ['１１０１０５１９４９１２３１００２Ｘ', BEIJING_1949],
    ['１１０１０５\u3000１９４９１２３１\t００２ｘ', BEIJING_1949],
    ['11010519491231002x', BEIJING_1949],
    ['\u200b110105194912\u200d31002X\ufeff', BEIJING_1949],
    ['1.10105194912310E+17', '1.10105194912310E+17'],
    ['1.10105e17', '1.10105e17'],
  ])('%j → %s', (raw, expected) => {
    expect(normalizeIdNumber(raw)).toBe(expected);
  });

  it('is idempotent', () => {
    const chars = fc.constantFrom(
      ...'0123456789xXｘＸ０１２３４５６７８９ \u3000\t.eE+-a'.split(''),
    );
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 24 }), (parts) => {
        const once = normalizeIdNumber(parts.join(''));
        expect(normalizeIdNumber(once)).toBe(once);
      }),
    );
  });
});

describe('looksLikeScientificNotation', () => {
  it.each([
    ['1.10105E+17', true],
    ['1.10105e+17', true],
    ['4.40524E17', true],
    [BEIJING_1949, false],
    ['110105491231002', false],
  ])('%s → %s', (raw, expected) => {
    expect(looksLikeScientificNotation(raw)).toBe(expected);
  });
});

describe('convertIdNumber15To18', () => {
  it('inserts the century and appends the check character', () => {
    expect(convertIdNumber15To18('110105491231002')).toBe(BEIJING_1949);
    // 44052419800101001: 28+36+0+25+16+16+2+9+48+0+0+9+0+5+0+0+2 = 196; 196 mod 11 = 9 → '3'
    expect(convertIdNumber15To18('440524800101001')).toBe('440524198001010013');
  });

  it('rejects anything but 15 digits', () => {
    expect(() => convertIdNumber15To18('11010549123100')).toThrow(RangeError);
    expect(() => convertIdNumber15To18('11010549123100X')).toThrow(RangeError);
  });
});

describe('parseIdNumber', () => {
  it('parses a valid 18-character number', () => {
    expect(parseIdNumber(BEIJING_1949, { asOf })).toEqual({
      ok: true,
      idNumber: BEIJING_1949,
      birthDate: '1949-12-31',
      gender: 'female',
      regionCode: '110105',
      convertedFrom15: false,
    });
  });

  it('parses a male number (odd 17th digit)', () => {
    const id = withCheck('32010619850315123');
    const r = parseIdNumber(id, { asOf });
    expect(r).toMatchObject({ ok: true, gender: 'male', birthDate: '1985-03-15' });
  });

  it('converts a legacy 15-digit number', () => {
    expect(parseIdNumber('110105491231002', { asOf })).toEqual({
      ok: true,
      idNumber: BEIJING_1949,
      birthDate: '1949-12-31',
      gender: 'female',
      regionCode: '110105',
      convertedFrom15: true,
    });
  });

  it('normalizes full-width input and a lower-case x', () => {
    const r = parseIdNumber(' １１０１０５ １９４９１２３１ ００２ｘ ', { asOf });
    expect(r).toMatchObject({ ok: true, idNumber: BEIJING_1949 });
  });

  it.each([
    ['', 'format'],
    ['11010519491231002', 'format'],
    ['11010519491231002XX', 'format'],
    ['1101051949123100X2', 'format'],
    ['11010519491231002Y', 'format'],
    ['A1010519491231002X', 'format'],
    ['11010549123100', 'format'],
    ['1.10105194912310E+17', 'format'],
    ['110105194912310020', 'checksum'],
    ['110105194912310021', 'checksum'],
    // GB 11643's own example has a valid check character but is born before 1900.
    [SHANTOU_1880, 'birth_date'],
  ] as const)('%j → %s', (raw, error) => {
    const r = parseIdNumber(raw, { asOf });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe(error);
  });

  it.each([
    ['20000229', true], // 2000 is a leap year (divisible by 400)
    ['20040229', true],
    ['19000229', false], // 1900 is not (divisible by 100)
    ['20010229', false],
    ['19990230', false],
    ['19990431', false],
    ['19991301', false],
    ['19990001', false],
    ['19990100', false],
    ['19000101', true],
    ['18991231', false],
    ['20250601', true], // asOf itself
    ['20250602', false], // the day after asOf
  ])('birth date %s valid: %s', (date, valid) => {
    const r = parseIdNumber(withCheck(`110105${date}002`), { asOf });
    expect(r.ok).toBe(valid);
    if (!r.ok) expect(r.error).toBe('birth_date');
  });

  it('compares the birth date with asOf as a calendar day in China (UTC+8)', () => {
    const id = withCheck('11010520250602002');
    // 2025-06-01T16:00Z is already 2025-06-02 in Beijing.
    expect(parseIdNumber(id, { asOf: new Date('2025-06-01T15:59:59Z') }).ok).toBe(false);
    expect(parseIdNumber(id, { asOf: new Date('2025-06-01T16:00:00Z') }).ok).toBe(true);
  });

  it('rejects an invalid 15-digit birth date', () => {
    const r = parseIdNumber('110105490229002', { asOf });
    expect(r).toMatchObject({ ok: false, error: 'birth_date' });
  });

  it('gives Chinese messages', () => {
    expect(parseIdNumber('123', { asOf })).toMatchObject({
      message: '身份证号码格式不正确，应为18位（或15位旧号码）',
    });
    expect(parseIdNumber('110105194912310020', { asOf })).toMatchObject({
      message: '身份证号码校验位不正确，请核对',
    });
    expect(parseIdNumber(SHANTOU_1880, { asOf })).toMatchObject({
      message: '身份证号码中的出生日期无效',
    });
    expect(parseIdNumber('1.10105E+17', { asOf })).toMatchObject({
      message: expect.stringContaining('科学计数法'),
    });
  });

  it('defaults asOf to now', () => {
    const nextYear = new Date().getUTCFullYear() + 1;
    expect(parseIdNumber(withCheck(`110105${nextYear}0101002`)).ok).toBe(false);
    expect(isValidIdNumber(BEIJING_1949)).toBe(true);
  });
});

describe('isValidIdNumber', () => {
  it('agrees with parseIdNumber', () => {
    expect(isValidIdNumber(BEIJING_1949)).toBe(true);
    expect(isValidIdNumber('110105491231002')).toBe(true);
    expect(isValidIdNumber('110105194912310020')).toBe(false);
    expect(isValidIdNumber(SHANTOU_1880)).toBe(false);
  });
});

// --- properties -----------------------------------------------------------------------------

const MIN_DAY = toDayNumber({ year: 1900, month: 1, day: 1 });
const MAX_DAY = toDayNumber({ year: 2025, month: 6, day: 1 });
const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
const birthDay = fc.integer({ min: MIN_DAY, max: MAX_DAY }).map(fromDayNumber);

const validId = fc
  .record({ region: digits(6), birth: birthDay, seq: digits(3) })
  .map(({ region, birth, seq }) => {
    const first17 = region + formatIsoDate(birth).replaceAll('-', '') + seq;
    return { id: withCheck(first17), region, birth: formatIsoDate(birth), seq };
  });

describe('parseIdNumber properties', () => {
  it('round-trips any valid number', () => {
    fc.assert(
      fc.property(validId, ({ id, region, birth, seq }) => {
        const r = parseIdNumber(id, { asOf });
        expect(r).toEqual({
          ok: true,
          idNumber: id,
          birthDate: birth,
          gender: Number(seq[2]) % 2 === 1 ? 'male' : 'female',
          regionCode: region,
          convertedFrom15: false,
        });
      }),
    );
  });

  it('rejects any single-character change', () => {
    const replacement = fc.constantFrom(...'0123456789XAa-'.split(''));
    fc.assert(
      fc.property(validId, fc.integer({ min: 0, max: 17 }), replacement, ({ id }, pos, ch) => {
        // 'x' and full-width digits are not generated: normalization would repair them
        fc.pre(id[pos] !== ch);
        const changed = id.slice(0, pos) + ch + id.slice(pos + 1);
        const r = parseIdNumber(changed, { asOf });
        expect(r.ok).toBe(false);
      }),
    );
  });

  it('converts any valid 15-digit number to a valid 18-character one', () => {
    const birth15 = fc
      .integer({
        min: toDayNumber({ year: 1900, month: 1, day: 1 }),
        max: toDayNumber({ year: 1999, month: 12, day: 31 }),
      })
      .map((n) => formatIsoDate(fromDayNumber(n)).replaceAll('-', '').slice(2));
    fc.assert(
      fc.property(digits(6), birth15, digits(3), (region, birth, seq) => {
        const id15 = region + birth + seq;
        const id18 = convertIdNumber15To18(id15);
        expect(id18).toHaveLength(18);
        expect(isValidIdNumber(id18)).toBe(true);
        expect(id18.slice(0, 6) + id18.slice(8, 17)).toBe(id15);
        expect(parseIdNumber(id15, { asOf })).toMatchObject({ ok: true, idNumber: id18 });
      }),
    );
  });

  it('never accepts a string that is not 15 or 18 characters after normalization', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        const n = normalizeIdNumber(s);
        fc.pre(n.length !== 15 && n.length !== 18);
        expect(parseIdNumber(s, { asOf })).toMatchObject({ ok: false, error: 'format' });
      }),
    );
  });
});
