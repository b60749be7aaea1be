import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { maskAddress, maskIdNumber, maskName, maskPhone, maskText } from './masking';
import { computeIdCheckChar } from './id-number';

/** Number of positions where the masked value shows the original character. */
function revealed(original: string, masked: string): number {
  const o = Array.from(original);
  const m = Array.from(masked);
  return m.filter((c, i) => c !== '*' && c === o[i]).length;
}

/** Every shown character of `second` is also shown, at the same position, in `first`. */
function revealsNoMoreThan(first: string, second: string): boolean {
  const f = Array.from(first);
  return Array.from(second).every((c, i) => c === '*' || c === f[i]);
}

describe('maskIdNumber', () => {
  it.each([
    ['11010519491231002X', 'detail', '110105********002X'],
    ['11010519491231002X', 'list', '110**************X'],
    ['110105491231002', 'detail', '110105*****1002'],
    ['110105491231002', 'list', '110***********2'],
    ['', 'detail', ''],
    ['', 'list', ''],
    // bad data of other lengths: at most 2 + 1 and at most a quarter
    ['1101051949', 'detail', '1********9'],
    ['123', 'list', '***'],
    ['1234', 'list', '***4'],
    ['12345678', 'list', '1******8'],
    ['123456789012', 'detail', '12*********2'],
    ['1234567890123456789', 'detail', '12****************9'],
  ] as const)('%s (%s) → %s', (value, view, expected) => {
    expect(maskIdNumber(value, view)).toBe(expected);
  });
});

describe('maskPhone', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['010-12345678', '010-******78'],
    ['0571-87654321', '0571-******21'],
    ['010-12345678-123', '010-**********23'],
    ['+8613812345678', '************78'],
    ['12345', '***45'],
    ['1234', '****'],
    ['12', '**'],
    ['', ''],
  ])('%s → %s', (value, expected) => {
    expect(maskPhone(value)).toBe(expected);
  });
});

describe('maskAddress', () => {
  it.each([
    ['浙江省杭州市西湖区文三路100号', '浙江省杭州市****'],
    ['浙江省杭州市西', '浙江省杭州市****'],
    ['浙江省杭州市', '浙江****'],
    ['北京市', '北京*'],
    ['北京', '**'],
    ['', ''],
  ])('%s → %s', (value, expected) => {
    expect(maskAddress(value)).toBe(expected);
  });
});

describe('maskName', () => {
  it.each([
    ['张三丰', '张**'],
    ['张三', '张*'],
    ['欧阳', '欧*'],
    ['欧阳娜娜', '欧***'],
    ['买买提·艾力', '买*****'],
    ['𠮷田', '𠮷*'],
    ['张', '*'],
    ['', ''],
  ])('%s → %s', (value, expected) => {
    expect(maskName(value)).toBe(expected);
  });
});

describe('maskText', () => {
  it.each([
    ['abcdef', 'a****f'],
    ['abc', 'a*c'],
    ['ab', '**'],
    ['a', '*'],
    ['', ''],
    ['杭州某某科技有限公司', '杭********司'],
  ])('%s → %s', (value, expected) => {
    expect(maskText(value)).toBe(expected);
  });
});

// --- properties -----------------------------------------------------------------------------

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
const validId18 = digits(17).map((first17) => first17 + computeIdCheckChar(first17));
const mobile = fc
  .tuple(fc.integer({ min: 3, max: 9 }), digits(9))
  .map(([second, rest]) => `1${second}${rest}`);

describe('masking properties', () => {
  it('list view reveals at most 4 and detail view at most 10 characters of an ID', () => {
    fc.assert(
      fc.property(validId18, (id) => {
        expect(revealed(id, maskIdNumber(id, 'list'))).toBeLessThanOrEqual(4);
        expect(revealed(id, maskIdNumber(id, 'detail'))).toBeLessThanOrEqual(10);
      }),
    );
  });

  it('keeps the length of any ID number and phone', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.constantFrom('list', 'detail'), (s, view) => {
        const len = Array.from(s).length;
        expect(Array.from(maskIdNumber(s, view))).toHaveLength(len);
        expect(Array.from(maskPhone(s))).toHaveLength(len);
      }),
    );
  });

  it('never shows the middle 4 digits of a mobile number', () => {
    fc.assert(
      fc.property(mobile, (m) => {
        expect(maskPhone(m).slice(3, 7)).toBe('****');
      }),
    );
  });

  it('reveals at most a quarter of an ID of unexpected length', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789X'.split('')), maxLength: 40 }),
        (s) => {
          fc.pre(s.length !== 15 && s.length !== 18);
          for (const view of ['list', 'detail'] as const) {
            expect(revealed(s, maskIdNumber(s, view))).toBeLessThanOrEqual(
              Math.floor(s.length / 4),
            );
          }
        },
      ),
    );
  });

  it('reveals at most 7 characters of any phone value, and no more when masking again', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789-+'.split('')), maxLength: 20 }),
        (s) => {
          const once = maskPhone(s);
          // 7 = a mobile's 3 + 4, or a 4-digit area code with its dash + 2
          expect(revealed(s, once)).toBeLessThanOrEqual(7);
          if (s.length <= 4) expect(revealed(s, once)).toBe(0);
          expect(revealsNoMoreThan(once, maskPhone(once))).toBe(true);
        },
      ),
    );
  });

  it('masking a masked value never reveals more', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.constantFrom('list', 'detail'), (s, view) => {
        const id = maskIdNumber(s, view);
        expect(revealsNoMoreThan(id, maskIdNumber(id, view))).toBe(true);
        const name = maskName(s);
        expect(revealsNoMoreThan(name, maskName(name))).toBe(true);
        const text = maskText(s);
        expect(revealsNoMoreThan(text, maskText(text))).toBe(true);
        const address = maskAddress(s);
        expect(revealsNoMoreThan(address, maskAddress(address))).toBe(true);
      }),
    );
    fc.assert(
      fc.property(mobile, validId18, (m, id) => {
        expect(maskPhone(maskPhone(m))).not.toContain(m.slice(3, 7));
        expect(maskIdNumber(maskIdNumber(id, 'detail'), 'list')).toBe(maskIdNumber(id, 'list'));
      }),
    );
  });

  it('never shows more than first and last character of generic text or names', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme-ascii' }), (s) => {
        const len = Array.from(s).length;
        expect(revealed(s, maskText(s))).toBeLessThanOrEqual(len <= 2 ? 0 : 2);
        expect(revealed(s, maskName(s))).toBeLessThanOrEqual(len <= 1 ? 0 : 1);
        expect(Array.from(maskAddress(s)).filter((c) => c !== '*').length).toBeLessThanOrEqual(6);
      }),
    );
  });
});
