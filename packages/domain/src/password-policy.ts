// Password rules (SECURITY.md 1). GB/T 22239-2019 level 3, 8.1.4.1 a asks for complex passwords,
// which assessors read as ≥ 3 character classes. OWASP ASVS 4.0.3 V2.1.1/V2.1.2: at least 12 and
// at most 128 characters; V2.1.4: any Unicode character is allowed, so length is counted in code
// points. Where the two disagree on composition we follow 等保 and keep ASVS's length rule too.

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_MIN_CLASSES = 3;
/** Usernames shorter than this are not searched for inside the password (too many false hits). */
export const PASSWORD_USERNAME_CHECK_MIN_LENGTH = 3;

export type PasswordViolationCode =
  'too_short' | 'too_long' | 'too_few_classes' | 'contains_username';

export type PasswordViolation = { code: PasswordViolationCode; message: string };

export type PasswordCharClass = 'lower' | 'upper' | 'digit' | 'other';

export const PASSWORD_MESSAGES: Record<PasswordViolationCode, string> = {
  too_short: `密码至少需要${PASSWORD_MIN_LENGTH}个字符`,
  too_long: `密码不能超过${PASSWORD_MAX_LENGTH}个字符`,
  too_few_classes: `密码需包含大写字母、小写字母、数字、其他字符（如符号、汉字）中的至少${PASSWORD_MIN_CLASSES}类`,
  contains_username: '密码不能包含用户名',
};

/** Letters and digits are the ASCII ones; everything else (symbols, spaces, CJK, é) is 'other'. */
export function passwordCharClass(ch: string): PasswordCharClass {
  if (ch >= 'a' && ch <= 'z') return 'lower';
  if (ch >= 'A' && ch <= 'Z') return 'upper';
  if (ch >= '0' && ch <= '9') return 'digit';
  return 'other';
}

export function passwordClasses(password: string): Set<PasswordCharClass> {
  return new Set(Array.from(password, passwordCharClass));
}

/** Returns every rule the password breaks; an empty array means it is acceptable. */
export function checkPasswordPolicy(
  password: string,
  ctx: { username: string },
): PasswordViolation[] {
  const violations: PasswordViolation[] = [];
  const violation = (code: PasswordViolationCode) =>
    violations.push({ code, message: PASSWORD_MESSAGES[code] });

  const length = Array.from(password).length;
  if (length < PASSWORD_MIN_LENGTH) violation('too_short');
  if (length > PASSWORD_MAX_LENGTH) violation('too_long');
  if (passwordClasses(password).size < PASSWORD_MIN_CLASSES) violation('too_few_classes');

  const username = ctx.username.trim().toLowerCase();
  if (
    Array.from(username).length >= PASSWORD_USERNAME_CHECK_MIN_LENGTH &&
    password.toLowerCase().includes(username)
  ) {
    violation('contains_username');
  }
  return violations;
}

export function describePasswordPolicy(): string {
  return `密码长度为${PASSWORD_MIN_LENGTH}至${PASSWORD_MAX_LENGTH}个字符，须包含大写字母、小写字母、数字、其他字符（如符号、汉字）中的至少${PASSWORD_MIN_CLASSES}类，且不能包含用户名。`;
}

// --- one-time passwords (SECURITY.md 7: first admin, and resets by the security admin) ---------

export const ONE_TIME_PASSWORD_LENGTH = 20;
/** 128 bits: the least randomness accepted from the caller. */
export const ONE_TIME_PASSWORD_MIN_RANDOM_BYTES = 16;
/** What the caller should pass: more than the ~124 bits the password can hold. */
export const ONE_TIME_PASSWORD_RANDOM_BYTES = 32;

// Read aloud or copied from a terminal, so the look-alikes 0/O/o, 1/l/I are left out.
const OTP_LOWER = 'abcdefghijkmnpqrstuvwxyz';
const OTP_UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const OTP_DIGITS = '23456789';
const OTP_ALPHABET = OTP_LOWER + OTP_UPPER + OTP_DIGITS;

/** Splits a big integer built from the caller's random bytes into mixed-radix digits. */
class Draw {
  private value: bigint;

  constructor(bytes: Uint8Array) {
    let v = 0n;
    for (const b of bytes) v = (v << 8n) | BigInt(b);
    this.value = v;
  }

  /** An index in [0, n): the next mixed-radix digit of the random number. */
  below(n: number): number {
    const big = BigInt(n);
    const r = this.value % big;
    this.value /= big;
    return Number(r);
  }
}

/**
 * A 20-character one-time password from caller-supplied random bytes (the server passes
 * crypto.randomBytes(ONE_TIME_PASSWORD_RANDOM_BYTES); the domain does no I/O). It always holds a
 * lower-case letter, an upper-case letter and a digit at random positions, so it meets the class
 * rule. The bytes are read as one big number and split into mixed-radix digits (position and
 * character choices): with 32 bytes every choice is uniform to within 2^-120; with the minimum of
 * 16 the password still carries about 120 bits. If a username is given, the password never
 * contains it.
 */
export function generateOneTimePassword(
  randomBytes: Uint8Array,
  opts?: { username?: string },
): string {
  if (randomBytes.length < ONE_TIME_PASSWORD_MIN_RANDOM_BYTES) {
    throw new RangeError(
      `generateOneTimePassword needs at least ${ONE_TIME_PASSWORD_MIN_RANDOM_BYTES} random bytes`,
    );
  }
  const draw = new Draw(randomBytes);
  const free = Array.from({ length: ONE_TIME_PASSWORD_LENGTH }, (_, i) => i);
  const chars: string[] = new Array<string>(ONE_TIME_PASSWORD_LENGTH).fill('');
  for (const cls of [OTP_LOWER, OTP_UPPER, OTP_DIGITS]) {
    const [pos = 0] = free.splice(draw.below(free.length), 1);
    chars[pos] = cls[draw.below(cls.length)] ?? '';
  }
  for (const pos of free) chars[pos] = OTP_ALPHABET[draw.below(OTP_ALPHABET.length)] ?? '';

  return avoidUsername(chars, opts?.username ?? '');
}

const CLASS_ALPHABETS = [OTP_LOWER, OTP_UPPER, OTP_DIGITS];

function windowMatches(chars: readonly string[], username: string, at: number): boolean {
  const text = chars.join('').toLowerCase();
  const first = Math.max(0, at - username.length + 1);
  for (let q = first; q <= at && q + username.length <= text.length; q++) {
    if (text.startsWith(username, q)) return true;
  }
  return false;
}

/**
 * Breaks every occurrence of the username (case-insensitive, as checkPasswordPolicy compares) by
 * changing the character where it starts, preferably to one of the same class. The replacement is
 * chosen so that no occurrence covers that position any more, so the number of occurrences falls
 * with every step and the loop ends.
 */
function avoidUsername(chars: string[], rawUsername: string): string {
  const username = rawUsername.trim().toLowerCase();
  if (Array.from(username).length < PASSWORD_USERNAME_CHECK_MIN_LENGTH) return chars.join('');
  for (let at = chars.join('').toLowerCase().indexOf(username); at >= 0;) {
    const original = chars[at] ?? '';
    const sameClass = CLASS_ALPHABETS.find((a) => a.includes(original)) ?? '';
    const replacement = Array.from(sameClass + OTP_ALPHABET).find((c) => {
      if (c === original) return false;
      chars[at] = c;
      const matches = windowMatches(chars, username, at);
      chars[at] = original;
      return !matches;
    });
    // At most 10 windows of a 20-character password cover one position and each forbids one
    // character, so the 56-character alphabet always has a replacement; only a digit can run out
    // of same-class candidates (8 < 10), and then the class check below decides.
    if (replacement === undefined) break;
    chars[at] = replacement;
    at = chars.join('').toLowerCase().indexOf(username);
  }
  const password = chars.join('');
  // Fail closed rather than hand out a password that breaks the policy (not reachable in
  // practice: it would take a digit-only username of 8+ characters tiled through the password).
  if (
    password.toLowerCase().includes(username) ||
    passwordClasses(password).size < PASSWORD_MIN_CLASSES
  ) {
    throw new Error('generateOneTimePassword could not avoid the username');
  }
  return password;
}
