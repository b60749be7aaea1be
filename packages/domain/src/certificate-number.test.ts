import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_CERTIFICATE_PATTERN,
  checkCertificatePattern,
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
