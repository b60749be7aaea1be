import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { isValidPhone, normalizePhoneInput, parsePhone } from './phone';

describe('parsePhone: mobile', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['+8613812345678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['8613812345678', '13812345678'],
    ['008613812345678', '13812345678'],
    ['+86-138-1234-5678', '13812345678'],
    ['１３８１２３４５６７８', '13812345678'],
    ['＋８６\u3000１３８－１２３４－５６７８', '13812345678'],
    ['138—1234—5678', '13812345678'],
    ['19912345678', '19912345678'],
  ])('%j → %s', (raw, phone) => {
    expect(parsePhone(raw)).toEqual({ ok: true, phone, kind: 'mobile' });
  });
});

describe('parsePhone: landline', () => {
  it.each([
    ['010-12345678', '010-12345678'],
    ['01012345678', '010-12345678'],
    ['021-1234567', '021-1234567'],
    ['0571-87654321', '0571-87654321'],
    ['057187654321', '0571-87654321'],
    ['0571 8765 4321', '0571-87654321'],
    ['0571-8765-4321', '0571-87654321'],
    ['(0571)87654321', '0571-87654321'],
    ['（０５７１）８７６５４３２１', '0571-87654321'],
    ['010-12345678-123', '010-12345678-123'],
    ['010-1234567-8', '010-1234567-8'],
    ['01012345678-123456', '010-12345678-123456'],
    ['0311-7654321-12', '0311-7654321-12'],
    ['+86 10 12345678', '010-12345678'],
    ['0086-571-87654321', '0571-87654321'],
    // a dash after the wrong digit is a readability slip: the digits decide
    ['0101-2345678', '010-12345678'],
  ])('%j → %s', (raw, phone) => {
    expect(parsePhone(raw)).toEqual({ ok: true, phone, kind: 'landline' });
  });
});

describe('parsePhone: invalid', () => {
  it.each([
    '',
    '12812345678', // 12x is not a mobile prefix
    '1381234567', // 10 digits
    '138123456789', // 12 digits
    '+8713812345678',
    '13812345678-1',
    '010-123456', // local number too short
    '010-123456789', // too long
    '0571-876543', // too short for a 4-digit area code
    '010-12345678-1234567', // extension too long
    '010--12345678',
    '12345',
    'abc',
    '138１２３4567８x',
    '400-123-4567',
  ])('%j', (raw) => {
    expect(parsePhone(raw)).toEqual({ ok: false, message: '手机号码或固定电话格式不正确' });
    expect(isValidPhone(raw)).toBe(false);
  });
});

describe('normalizePhoneInput', () => {
  it('maps full-width characters and dashes', () => {
    expect(normalizePhoneInput(' （０１０）１２３４ ５６７８－１２ ')).toBe('010-12345678-12');
    expect(normalizePhoneInput('010–12345678')).toBe('010-12345678');
  });
});

// --- properties -----------------------------------------------------------------------------

const digitString = (min: number, max: number) =>
  fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max })
    .map((a) => a.join(''));
const mobile = fc
  .tuple(fc.integer({ min: 3, max: 9 }), digitString(9, 9))
  .map(([second, rest]) => `1${second}${rest}`);
const toFullWidth = (s: string) =>
  s.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('parsePhone properties', () => {
  it('normalizes any formatting of a mobile number to its 11 digits', () => {
    const prefix = fc.constantFrom('', '+86', '86', '0086', '+86 ', '+86-');
    const sep = fc.constantFrom('', ' ', '-', '\u3000');
    fc.assert(
      fc.property(mobile, prefix, sep, fc.boolean(), (m, p, s, fullWidth) => {
        let raw = `${p}${m.slice(0, 3)}${s}${m.slice(3, 7)}${s}${m.slice(7)}`;
        if (fullWidth) raw = toFullWidth(raw);
        expect(parsePhone(raw)).toEqual({ ok: true, phone: m, kind: 'mobile' });
      }),
    );
  });

  it('accepts landlines with either area-code length and keeps the digits', () => {
    const area = fc.oneof(
      fc.constantFrom('010', '020', '021', '022', '023', '024', '025', '027', '028', '029'),
      fc.tuple(fc.integer({ min: 3, max: 9 }), digitString(2, 2)).map(([a, b]) => `0${a}${b}`),
    );
    const ext = fc.option(digitString(1, 6), { nil: undefined });
    fc.assert(
      fc.property(area, digitString(7, 8), ext, fc.boolean(), (a, local, x, dashed) => {
        const main = dashed ? `${a}-${local}` : `${a}${local}`;
        const raw = x ? `${main}-${x}` : main;
        const expected = x ? `${a}-${local}-${x}` : `${a}-${local}`;
        expect(parsePhone(raw)).toEqual({ ok: true, phone: expected, kind: 'landline' });
      }),
    );
  });

  it('is a fixed point on its own output', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789-+ ()'.split('')), maxLength: 20 }),
        (raw) => {
          const r = parsePhone(raw);
          if (r.ok) expect(parsePhone(r.phone)).toEqual(r);
        },
      ),
    );
  });

  it('rejects anything containing a letter', () => {
    fc.assert(
      fc.property(
        mobile,
        fc.integer({ min: 0, max: 11 }),
        fc.constantFrom(...'aZx#'.split('')),
        (m, i, ch) => {
          expect(isValidPhone(m.slice(0, i) + ch + m.slice(i))).toBe(false);
        },
      ),
    );
  });

  it('never returns a mobile number that is not 11 digits with a valid prefix', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 25 }), (raw) => {
        const r = parsePhone(raw);
        if (r.ok && r.kind === 'mobile') expect(r.phone).toMatch(/^1[3-9]\d{9}$/);
        if (r.ok && r.kind === 'landline')
          expect(r.phone).toMatch(/^0\d{2,3}-\d{7,8}(?:-\d{1,6})?$/);
      }),
    );
  });
});
