// Mainland China phone numbers as members and branches type them.
// Mobile: 11 digits starting 13–19 (MIIT numbering plan), optionally with the country code
// +86 / 86 / 0086. Landline: trunk prefix 0 + area code + 7–8 digit local number, optionally an
// extension. Area codes are 3 digits for 010 (Beijing) and 02x (the large cities), 4 digits
// for every other one (03x–09x).

export type PhoneResult =
  { ok: true; phone: string; kind: 'mobile' | 'landline' } | { ok: false; message: string };

export const PHONE_MESSAGE = '手机号码或固定电话格式不正确';

const FULL_WIDTH_OFFSET = 0xfee0; // '０' (U+FF10) − '0' (U+0030), same for '＋', '－', '（', '）'

function toHalfWidth(raw: string): string {
  return raw.replace(/[０-９＋－（）]/gu, (c) =>
    String.fromCharCode(c.charCodeAt(0) - FULL_WIDTH_OFFSET),
  );
}

/**
 * Strips whitespace, maps full-width characters and the various dashes to ASCII and turns a
 * parenthesised area code '(010)' into '010-'.
 */
export function normalizePhoneInput(raw: string): string {
  return toHalfWidth(raw)
    .replace(/\s/gu, '')
    .replace(/[‐‑‒–—―−]/gu, '-')
    .replace(/^\((0\d{2,3})\)-?/u, '$1-');
}

function areaCodeLength(digitsFromTrunkZero: string): number {
  return /^0[12]/.test(digitsFromTrunkZero) ? 3 : 4;
}

function formatLandline(area: string, local: string, ext?: string): string {
  return ext ? `${area}-${local}-${ext}` : `${area}-${local}`;
}

/** Splits 0 + area code + local number written without separators, by the area-code rule. */
function splitLandline(digits: string): [area: string, local: string] | null {
  if (!/^0\d{9,11}$/.test(digits)) return null;
  const areaLen = areaCodeLength(digits);
  const local = digits.slice(areaLen);
  return /^\d{7,8}$/.test(local) ? [digits.slice(0, areaLen), local] : null;
}

function parseLandline(s: string): string | null {
  if (!/^\d+(?:-\d+)*$/.test(s)) return null;
  const groups = s.split('-');

  // 1. As typed: area-local or area-local-ext, when the area code has the right length.
  const [area = '', local = '', ext] = groups;
  if (
    (groups.length === 2 || groups.length === 3) &&
    /^0\d{2,3}$/.test(area) &&
    area.length === areaCodeLength(area) &&
    /^\d{7,8}$/.test(local) &&
    (ext === undefined || /^\d{1,6}$/.test(ext))
  ) {
    return formatLandline(area, local, ext);
  }

  // 2. A number without the area-code dash, then an extension: 01012345678-123. Tried before
  //    3. because the user put the last dash there on purpose (0101234567-8 is extension 8).
  if (groups.length >= 2) {
    const last = groups[groups.length - 1] ?? '';
    const main = splitLandline(groups.slice(0, -1).join(''));
    if (main && /^\d{1,6}$/.test(last)) return formatLandline(main[0], main[1], last);
  }

  // 3. Dashes as mere readability separators (0571-8765-4321, 01012345678): split by the rule.
  const whole = splitLandline(groups.join(''));
  if (whole) return formatLandline(...whole);
  return null;
}

/** Validates and normalizes a phone number: mobile → 11 digits, landline → '0XX-XXXXXXXX[-ext]'. */
export function parsePhone(raw: string): PhoneResult {
  const s = normalizePhoneInput(raw);

  const mobile = /^(?:\+86|0086|86)?(1[3-9]\d{9})$/.exec(s.replaceAll('-', ''));
  if (mobile?.[1]) return { ok: true, phone: mobile[1], kind: 'mobile' };

  // International form of a landline drops the trunk 0: +86 10 1234 5678 → 010-12345678.
  const domestic = s.replace(/^(?:\+86|0086)-?(?=[1-9])/u, '0');
  const landline = parseLandline(domestic);
  if (landline) return { ok: true, phone: landline, kind: 'landline' };

  return { ok: false, message: PHONE_MESSAGE };
}

export function isValidPhone(raw: string): boolean {
  return parsePhone(raw).ok;
}
