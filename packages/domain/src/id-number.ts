// 公民身份号码 (citizen identity number), GB 11643-1999.
// Layout of the 18-character number: 6-digit address code (GB/T 2260 region at issue time),
// 8-digit birth date YYYYMMDD, 3-digit sequence code (odd = male, even = female), check character.
// The legacy 15-digit number (before 1999) has a 6-digit birth date YYMMDD (all 19YY) and no check
// character.

import { chinaDateOf, formatIsoDate, isValidDateParts } from './calendar';

export type IdNumberResult =
  | {
      ok: true;
      idNumber: string;
      birthDate: string;
      gender: 'male' | 'female';
      regionCode: string;
      convertedFrom15: boolean;
    }
  | { ok: false; error: 'format' | 'checksum' | 'birth_date'; message: string };

export type IdNumberError = Extract<IdNumberResult, { ok: false }>['error'];

export const ID_NUMBER_MESSAGES = {
  format: '身份证号码格式不正确，应为18位（或15位旧号码）',
  scientificNotation:
    '身份证号码已被表格软件转换为科学计数法，原号码无法恢复，请将该列设为文本格式后重新填写',
  checksum: '身份证号码校验位不正确，请核对',
  birthDate: '身份证号码中的出生日期无效',
} as const;

// GB 11643-1999 §8.2: weight of position i (1-based from the left) is 2^(18-i) mod 11.
const CHECK_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
// ISO 7064 MOD 11-2: the check value for a weighted sum S is (12 - S mod 11) mod 11, written with
// 'X' for 10. Indexed here by S mod 11 directly.
const CHECK_CHARS = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'] as const;

// The earliest birth year accepted. GB 11643 itself shows a number born in 1880, but no living
// Party member is born before 1900 and such dates are almost always typing errors.
export const ID_NUMBER_MIN_BIRTH_YEAR = 1900;

const FULL_WIDTH_ZERO = 0xff10;

// \s covers the ideographic space U+3000, NBSP and the BOM; zero-width characters come along
// when a number is copied from a web page or a chat message.
const INVISIBLE = /[\s\u200b-\u200d\u2060]/gu;

/**
 * Spreadsheets turn an 18-digit number typed into a numeric cell into e.g. 1.10105E+17 and drop
 * the last digits: such a value cannot be repaired, only recognised and reported.
 */
export function looksLikeScientificNotation(raw: string): boolean {
  return /^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$/.test(raw.replace(INVISIBLE, ''));
}

/**
 * Removes all whitespace (incl. the ideographic space U+3000) and zero-width characters, converts
 * full-width digits and Ｘ/ｘ to ASCII and upper-cases the check character x.
 */
export function normalizeIdNumber(raw: string): string {
  const compact = raw.replace(INVISIBLE, '');
  if (looksLikeScientificNotation(compact)) return compact;
  return compact
    .replace(/[０-９]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - FULL_WIDTH_ZERO + 48))
    .replace(/[xXｘＸ]/gu, 'X');
}

/** GB 11643-1999: ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function computeIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('computeIdCheckChar expects 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += Number(first17[i]) * (CHECK_WEIGHTS[i] ?? 0);
  }
  return CHECK_CHARS[sum % 11] ?? '';
}

/** Legacy 15-digit number → 18 characters: century '19' inserted into the birth date. */
export function convertIdNumber15To18(id15: string): string {
  if (!/^\d{15}$/.test(id15)) throw new RangeError('convertIdNumber15To18 expects 15 digits');
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return first17 + computeIdCheckChar(first17);
}

function fail(error: IdNumberError, message: string): IdNumberResult {
  return { ok: false, error, message };
}

/**
 * Parses and validates an ID number. Accepts 18 characters (17 digits + digit or X) or a legacy
 * 15-digit number, which is converted. The birth date must exist, be in or after 1900 and not
 * after `asOf` (default now, as a calendar day in China).
 */
export function parseIdNumber(raw: string, opts?: { asOf?: Date }): IdNumberResult {
  if (looksLikeScientificNotation(raw))
    return fail('format', ID_NUMBER_MESSAGES.scientificNotation);
  const value = normalizeIdNumber(raw);

  let idNumber: string;
  let convertedFrom15: boolean;
  if (/^\d{17}[\dX]$/.test(value)) {
    idNumber = value;
    convertedFrom15 = false;
  } else if (/^\d{15}$/.test(value)) {
    idNumber = convertIdNumber15To18(value);
    convertedFrom15 = true;
  } else {
    return fail('format', ID_NUMBER_MESSAGES.format);
  }

  // The birth date is checked before the check character: a mistyped date usually breaks both,
  // and "the birth date is invalid" tells the user where to look.
  const year = Number(idNumber.slice(6, 10));
  const month = Number(idNumber.slice(10, 12));
  const day = Number(idNumber.slice(12, 14));
  if (year < ID_NUMBER_MIN_BIRTH_YEAR || !isValidDateParts(year, month, day)) {
    return fail('birth_date', ID_NUMBER_MESSAGES.birthDate);
  }
  const birthDate = formatIsoDate({ year, month, day });
  if (birthDate > chinaDateOf(opts?.asOf ?? new Date())) {
    return fail('birth_date', ID_NUMBER_MESSAGES.birthDate);
  }

  // A converted 15-digit number gets a freshly computed check character, so this cannot fail.
  if (computeIdCheckChar(idNumber.slice(0, 17)) !== idNumber[17]) {
    return fail('checksum', ID_NUMBER_MESSAGES.checksum);
  }

  // GB 11643-1999 §5.3: the sequence code's last digit (17th character) is odd for men.
  const gender = Number(idNumber[16]) % 2 === 1 ? 'male' : 'female';
  return {
    ok: true,
    idNumber,
    birthDate,
    gender,
    regionCode: idNumber.slice(0, 6),
    convertedFrom15,
  };
}

export function isValidIdNumber(raw: string): boolean {
  return parseIdNumber(raw).ok;
}
