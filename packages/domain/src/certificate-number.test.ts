import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_CERTIFICATE_PATTERN,
  DEFAULT_CERTIFICATE_GRACE_MONTHS,
  certificateValidThrough,
  checkCertificatePattern,
  isCertificateValid,
  formatCertificateNumber,
  parseCertificateNumber,
} from './certificate-number';

describe('certificate numbers', () => {
  it('formats the default pattern', () => {
    expect(
      formatCertificateNumber(DEFAULT_CERTIFICATE_PATTERN, {
        county: '511900',
        year: 2026,
        seq: 17,
      }),
    ).toBe('511900-2026-00017');
    expect(
      formatCertificateNumber('LD{county}{yy}{seq:4}', { county: '511922', year: 2026, seq: 3 }),
    ).toBe('LD511922260003');
  });

  it('refuses a sequence that no longer fits its width', () => {
    expect(() =>
      formatCertificateNumber('{county}{year}{seq:3}', { county: '511900', year: 2026, seq: 1000 }),
    ).toThrow(/超出 3 位/);
  });

  it.each([
    ['{county}-{year}-{seq:5}', []],
    ['{county}{yy}{seq:4}', []],
    ['{county}-{seq:5}', ['编号格式必须包含年份 {year} 或 {yy}']],
    ['{year}-{seq:5}', ['编号格式必须包含县级代码 {county}']],
    ['{county}-{year}', ['编号格式必须包含且只包含一个序号 {seq:位数}']],
    ['{county}-{year}-{seq:2}', ['序号位数应在3到8位之间，例如 {seq:5}']],
    ['{county}-{year}-{seq:5}-{oops}', ['编号格式中有无法识别的占位符']],
  ] as const)('pattern %s → %j', (pattern, problems) => {
    expect(checkCertificatePattern(pattern)).toEqual(problems);
  });

  it('parses back exactly what it formats, for any valid pattern choice', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          DEFAULT_CERTIFICATE_PATTERN,
          '{county}{yy}{seq:4}',
          'NO.{county}/{year}/{seq:6}',
          '{year}{county}{seq:8}',
        ),
        fc.stringMatching(/^[1-8]\d{5}$/),
        fc.integer({ min: 2000, max: 2099 }),
        fc.integer({ min: 1, max: 999 }),
        (pattern, county, year, seq) => {
          const n = formatCertificateNumber(pattern, { county, year, seq });
          expect(parseCertificateNumber(pattern, n)).toEqual({ county, year, seq });
        },
      ),
    );
  });

  it('rejects what the pattern could not have produced', () => {
    expect(parseCertificateNumber(DEFAULT_CERTIFICATE_PATTERN, '511900-2026-0017')).toBeNull();
    expect(
      parseCertificateNumber(DEFAULT_CERTIFICATE_PATTERN, "511900-2026-00017' or 1=1"),
    ).toBeNull();
    expect(parseCertificateNumber(DEFAULT_CERTIFICATE_PATTERN, '')).toBeNull();
  });
});

describe('isCertificateValid', () => {
  const issued = (issuedOn: string, lastReviewedOn: string | null = null) => ({
    status: 'issued',
    issuedOn,
    lastReviewedOn,
  });

  it.each([
    // issued, no review: 12 months + 3 months grace, last day included
    [issued('2025-01-15'), '2026-04-15', 3, true],
    [issued('2025-01-15'), '2026-04-16', 3, false],
    [issued('2025-01-15'), '2026-01-15', 0, true],
    [issued('2025-01-15'), '2026-01-16', 0, false],
    // a review restarts the year
    [issued('2024-01-15', '2025-06-30'), '2026-09-30', 3, true],
    [issued('2024-01-15', '2025-06-30'), '2026-10-01', 3, false],
    // month ends: 31 January + 13 months → end of February
    [issued('2025-01-31'), '2026-02-28', 1, true],
    [issued('2025-01-31'), '2026-03-01', 1, false],
    [issued('2023-01-31'), '2024-02-29', 1, true],
    [issued('2023-01-31'), '2024-03-01', 1, false],
    // leap day: 29 February + 12 months → 28 February
    [issued('2024-02-29'), '2025-02-28', 0, true],
    [issued('2024-02-29'), '2025-03-01', 0, false],
    // 29 February + 48 months lands on a leap day again
    [issued('2024-02-29'), '2028-02-29', 36, true],
    // 31 August + 15 months → 30 November
    [issued('2025-08-31'), '2026-11-30', 3, true],
    [issued('2025-08-31'), '2026-12-01', 3, false],
    // a year boundary inside the grace
    [issued('2025-11-30'), '2027-02-28', 3, true],
    [issued('2025-11-30'), '2027-03-01', 3, false],
  ] as const)('%j on %s with %i months grace → %s', (c, asOf, graceMonths, valid) => {
    expect(isCertificateValid(c, { asOf, graceMonths })).toBe(valid);
  });

  it('uses three months of grace by default', () => {
    expect(DEFAULT_CERTIFICATE_GRACE_MONTHS).toBe(3);
    expect(isCertificateValid(issued('2025-01-15'), { asOf: '2026-04-15' })).toBe(true);
    expect(isCertificateValid(issued('2025-01-15'), { asOf: '2026-04-16' })).toBe(false);
    expect(certificateValidThrough(issued('2025-01-15'))).toBe('2026-04-15');
  });

  it.each(['returned', 'cancelled', 'void'])('a %s certificate is never valid', (status) => {
    expect(isCertificateValid({ ...issued('2026-01-01'), status }, { asOf: '2026-01-02' })).toBe(
      false,
    );
  });

  it('a review older than the issue does not shorten the validity', () => {
    expect(certificateValidThrough(issued('2026-03-01', '2025-01-01'), 0)).toBe('2027-03-01');
  });
});
