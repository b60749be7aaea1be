import { addMonths } from './calendar';
/**
 * 流动党员活动证 numbers: issued by the county-level org department, unique per county and year
 * (DOMAIN.md §3). The format is configurable with tokens; the default reads like
 * 511900-2026-00017. Allocation without gaps is the database's job (a counter row per county and
 * year, incremented in the issuing transaction); this module only formats and parses.
 */

export const DEFAULT_CERTIFICATE_PATTERN = '{county}-{year}-{seq:5}';

export interface CertificateNumberParts {
  county: string;
  year: number;
  seq: number;
}

const TOKEN = /\{(county|year|yy|seq(?::(\d))?)\}/g;

/** Chinese reasons a pattern cannot produce unique numbers per county and year; empty if fine. */
export function checkCertificatePattern(pattern: string): string[] {
  const problems: string[] = [];
  const seq = [...pattern.matchAll(/\{seq(?::(\d))?\}/g)];
  if (seq.length !== 1) problems.push('编号格式必须包含且只包含一个序号 {seq:位数}');
  else {
    const width = Number(seq[0]![1] ?? 0);
    if (width < 3 || width > 8) problems.push('序号位数应在3到8位之间，例如 {seq:5}');
  }
  if (!/\{year\}|\{yy\}/.test(pattern)) problems.push('编号格式必须包含年份 {year} 或 {yy}');
  if (!pattern.includes('{county}')) problems.push('编号格式必须包含县级代码 {county}');
  const rest = pattern.replace(TOKEN, '');
  if (/[{}]/.test(rest)) problems.push('编号格式中有无法识别的占位符');
  if (rest.length > 12) problems.push('编号格式中的固定文字过长');
  return problems;
}

export function formatCertificateNumber(pattern: string, parts: CertificateNumberParts): string {
  return pattern.replace(TOKEN, (_m, token: string, width?: string) => {
    if (token === 'county') return parts.county;
    if (token === 'year') return String(parts.year);
    if (token === 'yy') return String(parts.year % 100).padStart(2, '0');
    const w = Number(width ?? 0);
    const s = String(parts.seq);
    if (w && s.length > w) throw new RangeError(`序号 ${parts.seq} 超出 ${w} 位`);
    return s.padStart(w, '0');
  });
}

function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Reads a number back into its parts (for the public verification page), or null. */
export function parseCertificateNumber(
  pattern: string,
  value: string,
): CertificateNumberParts | null {
  const names: string[] = [];
  let source = '';
  let last = 0;
  for (const m of pattern.matchAll(TOKEN)) {
    source += escapeRegExp(pattern.slice(last, m.index));
    const token = m[1]!;
    if (token === 'county') source += '(\\d{6})';
    else if (token === 'year') source += '(\\d{4})';
    else if (token === 'yy') source += '(\\d{2})';
    else source += m[2] ? `(\\d{${m[2]}})` : '(\\d+)';
    names.push(token.startsWith('seq') ? 'seq' : token);
    last = (m.index ?? 0) + m[0].length;
  }
  source += escapeRegExp(pattern.slice(last));
  const match = new RegExp(`^${source}$`).exec(value.trim());
  if (!match) return null;
  const got: Record<string, string> = {};
  names.forEach((n, i) => (got[n] = match[i + 1]!));
  const year = got.year ? Number(got.year) : got.yy ? 2000 + Number(got.yy) : NaN;
  if (!got.county || !Number.isFinite(year) || !got.seq) return null;
  return { county: got.county, year, seq: Number(got.seq) };
}

/**
 * Life of a certificate: `issued` (held by the member), `returned` (handed back on return),
 * `cancelled` (withdrawn, with a reason), `void` (reported lost and replaced by a new number).
 */
export const CERTIFICATE_STATUSES = ['issued', 'returned', 'cancelled', 'void'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

export const CERTIFICATE_STATUS_LABELS: Record<CertificateStatus, string> = {
  issued: '已发放',
  returned: '已交回',
  cancelled: '已注销',
  void: '已作废（遗失补办）',
};

/** Months after the last annual review (年审) before a certificate stops counting as valid. */
export const CERTIFICATE_REVIEW_MONTHS = 12;
/** The configurable grace after the review is due (DOMAIN.md §3: **configurable**). */
export const DEFAULT_CERTIFICATE_GRACE_MONTHS = 3;

/** The last day a certificate counts as valid without a new review. */
export function certificateValidThrough(
  c: { issuedOn: string; lastReviewedOn: string | null },
  graceMonths: number = DEFAULT_CERTIFICATE_GRACE_MONTHS,
): string {
  const from = c.lastReviewedOn && c.lastReviewedOn > c.issuedOn ? c.lastReviewedOn : c.issuedOn;
  return addMonths(from, CERTIFICATE_REVIEW_MONTHS + graceMonths);
}

/**
 * Valid for statistics (持证率, DOMAIN.md §9): issued (not returned, cancelled or void) and issued
 * or reviewed within the last 12 months plus the grace, counted in calendar months; the last day
 * is included. 31 January + 13 months is 28 (29) February; 29 February + 12 months is 28 February.
 */
export function isCertificateValid(
  c: { status: string; issuedOn: string; lastReviewedOn: string | null },
  opts: { asOf: string; graceMonths?: number },
): boolean {
  if (c.status !== 'issued') return false;
  return opts.asOf <= certificateValidThrough(c, opts.graceMonths);
}
