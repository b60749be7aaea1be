import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  ONE_TIME_PASSWORD_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  checkPasswordPolicy,
  describePasswordPolicy,
  generateOneTimePassword,
  passwordCharClass,
  passwordClasses,
} from './password-policy';

const codes = (password: string, username = 'zhangsan') =>
  checkPasswordPolicy(password, { username }).map((v) => v.code);

describe('checkPasswordPolicy', () => {
  it.each([
    ['Abcdefgh1234', []],
    ['abcdefgh123!', []],
    ['ABCDEFGH123!', []],
    ['abcdefghABC!', []],
    ['党员管理系统abcd1234', []], // CJK counts as "other"
    ['abcd efgh 1234', []], // a space is "other"
    ['Abcdefgh123', ['too_short']], // 11
    ['abcdefgh1234', ['too_few_classes']],
    ['abcdefghijkl', ['too_few_classes']],
    ['abc', ['too_short', 'too_few_classes']],
    ['', ['too_short', 'too_few_classes']],
    ['Zhangsan2024!', ['contains_username']],
    ['ZHANGSAN2024!', ['contains_username']],
    ['my-zhangsan-Pw1', ['contains_username']],
  ])('%j → %j', (password, expected) => {
    expect(codes(password)).toEqual(expected);
  });

  it('counts length in code points, not UTF-16 units', () => {
    // 𠮷 is one code point but two UTF-16 units: 6 × 𠮷 + 'Ab1ab' is 11 code points.
    const eleven = '𠮷'.repeat(6) + 'Ab1ab';
    expect(eleven.length).toBe(17);
    expect(codes(eleven)).toEqual(['too_short']);
    expect(codes(eleven + 'c')).toEqual([]);
  });

  it('accepts exactly the minimum and maximum length', () => {
    const base = 'Aa1';
    expect(codes(base + 'x'.repeat(PASSWORD_MIN_LENGTH - 3))).toEqual([]);
    expect(codes(base + 'x'.repeat(PASSWORD_MIN_LENGTH - 4))).toEqual(['too_short']);
    expect(codes(base + 'x'.repeat(PASSWORD_MAX_LENGTH - 3))).toEqual([]);
    expect(codes(base + 'x'.repeat(PASSWORD_MAX_LENGTH - 2))).toEqual(['too_long']);
  });

  it('checks the username only from 3 characters on', () => {
    expect(codes('ab-Password-123', 'ab')).toEqual([]);
    expect(codes('abc-Password-123', 'abc')).toEqual(['contains_username']);
    expect(codes('ABC-Password-123', ' Abc ')).toEqual(['contains_username']);
    expect(codes('Password-123', '')).toEqual([]);
  });

  it('gives Chinese messages', () => {
    const v = checkPasswordPolicy('zhangsan', { username: 'zhangsan' });
    expect(v.map((x) => x.message)).toEqual([
      '密码至少需要12个字符',
      expect.stringContaining('至少3类'),
      '密码不能包含用户名',
    ]);
    expect(checkPasswordPolicy('x'.repeat(129), { username: 'u' })[0]?.message).toBe(
      '密码不能超过128个字符',
    );
  });

  it('classifies characters', () => {
    expect(['a', 'Z', '5', '!', '党', 'é', ' '].map(passwordCharClass)).toEqual([
      'lower',
      'upper',
      'digit',
      'other',
      'other',
      'other',
      'other',
    ]);
  });

  it('has a one-sentence description that states the numbers', () => {
    const text = describePasswordPolicy();
    expect(text).toContain(String(PASSWORD_MIN_LENGTH));
    expect(text).toContain(String(PASSWORD_MAX_LENGTH));
    expect(text).toContain('用户名');
    expect(text.match(/。/g)).toHaveLength(1);
  });
});

describe('checkPasswordPolicy properties', () => {
  it('reports too_short exactly when there are fewer than 12 code points', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (pw) => {
        const short = Array.from(pw).length < PASSWORD_MIN_LENGTH;
        expect(codes(pw, 'u').includes('too_short')).toBe(short);
      }),
    );
  });

  it('reports too_few_classes exactly when fewer than 3 classes occur', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (pw) => {
        const classes = new Set<string>();
        for (const c of pw) {
          classes.add(/[a-z]/.test(c) ? 'l' : /[A-Z]/.test(c) ? 'u' : /[0-9]/.test(c) ? 'd' : 'o');
        }
        expect(codes(pw, 'u').includes('too_few_classes')).toBe(classes.size < 3);
      }),
    );
  });

  it('always flags a password that embeds the username in any case', () => {
    const username = fc.string({
      unit: fc.constantFrom(...'abcXYZ_.9'.split('')),
      minLength: 3,
      maxLength: 10,
    });
    fc.assert(
      fc.property(username, fc.string(), fc.string(), fc.boolean(), (u, before, after, upper) => {
        const pw = before + (upper ? u.toUpperCase() : u) + after;
        expect(codes(pw, u)).toContain('contains_username');
      }),
    );
  });
});

describe('generateOneTimePassword', () => {
  const bytes = fc.uint8Array({ minLength: 16, maxLength: 64 });

  it('always satisfies the policy and avoids look-alike characters', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        const pw = generateOneTimePassword(b);
        expect(Array.from(pw)).toHaveLength(ONE_TIME_PASSWORD_LENGTH);
        expect(checkPasswordPolicy(pw, { username: 'admin' })).toEqual([]);
        expect(pw).not.toMatch(/[0O1lIo]/);
        expect(passwordClasses(pw)).toEqual(new Set(['lower', 'upper', 'digit']));
      }),
    );
  });

  it('never contains the given username, even one cut out of the password itself', () => {
    fc.assert(
      fc.property(
        bytes,
        fc.integer({ min: 0, max: 17 }),
        fc.integer({ min: 3, max: 12 }),
        fc.boolean(),
        (b, start, len, upper) => {
          const plain = generateOneTimePassword(b);
          const cut = plain.slice(start, start + len);
          fc.pre(cut.length >= 3);
          const username = upper ? cut.toUpperCase() : cut.toLowerCase();
          const pw = generateOneTimePassword(b, { username });
          expect(checkPasswordPolicy(pw, { username })).toEqual([]);
          expect(pw).toHaveLength(ONE_TIME_PASSWORD_LENGTH);
        },
      ),
    );
  });

  it('avoids a username in degenerate input', () => {
    const zeros = new Uint8Array(32);
    const plain = generateOneTimePassword(zeros);
    const username = plain.slice(5, 8);
    expect(plain.toLowerCase()).toContain(username.toLowerCase());
    expect(checkPasswordPolicy(generateOneTimePassword(zeros, { username }), { username })).toEqual(
      [],
    );
  });

  it('is a function of the bytes, and different bytes give different passwords', () => {
    const a = new Uint8Array(32).fill(7);
    const b = new Uint8Array(32).fill(7);
    b[31] = 8;
    expect(generateOneTimePassword(a)).toBe(generateOneTimePassword(new Uint8Array(a)));
    expect(generateOneTimePassword(a)).not.toBe(generateOneTimePassword(b));
  });

  it('spreads the characters: 200 passwords from distinct bytes are all distinct', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const b = new Uint8Array(32);
      b[0] = i;
      b[31] = 255 - i;
      seen.add(generateOneTimePassword(b));
    }
    expect(seen.size).toBe(200);
  });

  it('refuses too few random bytes', () => {
    expect(() => generateOneTimePassword(new Uint8Array(15))).toThrow(RangeError);
  });
});
