// The one server-side masking implementation (SECURITY.md 13; DOMAIN.md §10, PIPL Art. 28):
// lists and searches never carry a full ID number or phone number; detail views show slightly
// more. Characters are counted in Unicode code points so that a rare character outside the BMP
// (e.g. 𠮷 in a name) is masked as one character, never split into a lone surrogate.

export type IdMaskView = 'detail' | 'list';

export const MASK_CHAR = '*';

function stars(n: number): string {
  return MASK_CHAR.repeat(Math.max(0, n));
}

/** Keeps `head` leading and `tail` trailing code points and stars the rest (same length). */
function keepEnds(chars: readonly string[], head: number, tail: number): string {
  if (head + tail >= chars.length) return stars(chars.length);
  return (
    chars.slice(0, head).join('') +
    stars(chars.length - head - tail) +
    chars.slice(chars.length - tail).join('')
  );
}

/**
 * ID number: detail view shows the region code and the last 4 (110105********0023, as in
 * DOMAIN.md §10); list view shows 3 + 1. Anything that is not 15 or 18 characters long (bad
 * data) reveals at most the first 2 and last 1, and never more than a quarter of the value.
 */
export function maskIdNumber(value: string, view: IdMaskView): string {
  const chars = Array.from(value);
  const len = chars.length;
  if (len === 0) return '';
  if (len === 15 || len === 18) {
    return view === 'detail' ? keepEnds(chars, 6, 4) : keepEnds(chars, 3, 1);
  }
  const budget = Math.floor(len / 4);
  const tail = Math.min(1, budget);
  const head = Math.min(2, budget - tail);
  return keepEnds(chars, head, tail);
}

/**
 * Phone: mobile 138****5678; landline keeps the area code with its dash and the last 2
 * (0571-******21); anything else keeps only the last 2, and a value of 4 or fewer characters is
 * starred completely so that at most half of it is ever shown.
 */
export function maskPhone(value: string): string {
  const chars = Array.from(value);
  if (chars.length === 0) return '';
  if (/^1\d{10}$/.test(value)) return keepEnds(chars, 3, 4);
  const landline = /^0\d{2,3}-/.exec(value);
  if (landline && chars.length >= landline[0].length + 4) {
    return keepEnds(chars, landline[0].length, 2);
  }
  if (chars.length <= 4) return stars(chars.length);
  return keepEnds(chars, 0, 2);
}

/**
 * Address: the first 6 characters (usually province and city, e.g. 浙江省杭州市) followed by a
 * fixed '****', so the length of the street part is not revealed either. Short values keep 2.
 */
export function maskAddress(value: string): string {
  const chars = Array.from(value);
  if (chars.length === 0) return '';
  if (chars.length > 6) return chars.slice(0, 6).join('') + stars(4);
  return keepEnds(chars, 2, 0);
}

/**
 * Name for the auditor's view (SECURITY.md 12: the auditor sees PII masked): surname character
 * plus one star per remaining character (张三丰 → 张**, 欧阳 → 欧*). A one-character value is
 * starred completely rather than shown.
 */
export function maskName(value: string): string {
  const chars = Array.from(value);
  if (chars.length === 0) return '';
  return keepEnds(chars, 1, 0);
}

/** Generic masking: first and last character kept; two characters or fewer are all stars. */
export function maskText(value: string): string {
  const chars = Array.from(value);
  if (chars.length === 0) return '';
  return keepEnds(chars, 1, 1);
}
