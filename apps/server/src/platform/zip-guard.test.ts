import { describe, expect, it } from 'vitest';
import {
  buildSheet,
  buildZip,
  macroWorkbook,
  minimalXlsxEntries,
  zipBomb,
} from '../modules/imports/import.fixtures';
import { AppError } from './errors';
import { XLSX_LIMITS, guardXlsx, inspectZip, isUnsafeEntryName } from './zip-guard';

/** The rejection's reason code, or 'accepted'. */
async function verdict(buf: Buffer, fileName = 'roster.xlsx', limits = XLSX_LIMITS) {
  try {
    await guardXlsx(buf, fileName, limits);
    return 'accepted';
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(e.code).toBe('validation_failed');
    // Every rejection says what is wrong, in Chinese.
    expect(e.message).toMatch(/[\u4e00-\u9fa5]/);
    return (e.details as { reason: string }).reason;
  }
}

describe('zip-guard (SECURITY.md 24: rejected before parsing)', () => {
  it('accepts a real workbook and a minimal hand-made one', async () => {
    const real = await buildSheet({ headers: ['姓名', '身份证号码'], rows: [['张三', '1']] });
    expect(await verdict(real)).toBe('accepted');
    expect(await verdict(buildZip(minimalXlsxEntries()))).toBe('accepted');
    const dir = await guardXlsx(real, 'x.xlsx');
    expect(dir.entries.has('xl/workbook.xml')).toBe(true);
  });

  it('refuses wrong magic numbers, legacy .xls and other files renamed', async () => {
    expect(await verdict(Buffer.from('%PDF-1.7 not a workbook at all, padded to length'))).toBe(
      'not_xlsx',
    );
    const ole2 = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(600),
    ]);
    expect(await verdict(ole2)).toBe('legacy_or_encrypted');
    expect(await verdict(Buffer.alloc(0))).toBe('empty');
    // A ZIP that is not a spreadsheet (a renamed .docx-like package).
    const entries = minimalXlsxEntries();
    entries[0] = {
      name: '[Content_Types].xml',
      data: Buffer.from(
        '<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      ),
    };
    expect(await verdict(buildZip(entries))).toBe('not_spreadsheet');
    // A truncated file has no end of central directory.
    const whole = buildZip(minimalXlsxEntries());
    expect(await verdict(whole.subarray(0, whole.length - 30))).toBe('corrupt');
  });

  it('refuses macros: the .xlsm name, a vbaProject.bin part, a macro content type', async () => {
    const ok = buildZip(minimalXlsxEntries());
    expect(await verdict(ok, '名册.xlsm')).toBe('macro');
    expect(await verdict(macroWorkbook(), '名册.xlsx')).toBe('macro');
    const withVba = buildZip([
      ...minimalXlsxEntries(),
      { name: 'xl/vbaProject.bin', data: Buffer.from('VBA') },
    ]);
    expect(await verdict(withVba)).toBe('macro');
    const err = await guardXlsx(withVba, 'a.xlsx').catch((e: AppError) => e);
    expect((err as AppError).message).toContain('宏');
  });

  it('refuses other extensions', async () => {
    const ok = buildZip(minimalXlsxEntries());
    expect(await verdict(ok, '名册.xls')).toBe('legacy_or_encrypted');
    expect(await verdict(ok, '名册.csv')).toBe('not_xlsx');
    expect(await verdict(ok, '名册.XLSX')).toBe('accepted');
  });

  it('refuses zip-slip names', async () => {
    for (const name of [
      '../../etc/cron.d/x',
      'xl/../../evil.xml',
      '/abs/path.xml',
      'C:/x.xml',
      'xl\\evil.xml',
    ]) {
      expect(isUnsafeEntryName(name)).toBe(true);
      const zip = buildZip([...minimalXlsxEntries(), { name, data: Buffer.from('x') }]);
      expect(await verdict(zip)).toBe('unsafe_path');
    }
    expect(isUnsafeEntryName('xl/worksheets/sheet1.xml')).toBe(false);
  });

  it('refuses too many entries, from the directory, before inflating anything', async () => {
    const many = buildZip([
      ...minimalXlsxEntries(),
      ...Array.from({ length: XLSX_LIMITS.maxEntries }, (_, i) => ({
        name: `xl/media/image${i}.png`,
        data: Buffer.from([i % 256]),
        method: 0 as const,
      })),
    ]);
    expect(await verdict(many)).toBe('too_many_entries');
  });

  it('refuses a declared uncompressed size over the limit, and a lying one while inflating', async () => {
    const limits = { ...XLSX_LIMITS, maxTotalUncompressed: 8 * 1024 * 1024 };
    // Honest headers: refused from the directory alone.
    expect(
      await verdict(zipBomb({ inflatedMb: 16, declaredSize: 16 * 1024 * 1024 }), 'a.xlsx', limits),
    ).toBe('too_large_uncompressed');
    // Lying headers (4 KB declared): refused by the counting inflate.
    expect(await verdict(zipBomb({ inflatedMb: 16 }), 'a.xlsx', limits)).toBe(
      'too_large_uncompressed',
    );
  });

  it('refuses overlapping entries and a local name that differs from the directory', async () => {
    const zip = buildZip(minimalXlsxEntries());
    // Point the second central header at the first local header.
    const dir = inspectZip(zip);
    const cdStart = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const second = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), cdStart + 4);
    const overlapped = Buffer.from(zip);
    overlapped.writeUInt32LE(0, second + 42);
    expect(dir.entries.size).toBe(5);
    expect(await verdict(overlapped)).toBe('corrupt');
  });

  it('inflates a zip bomb with lying headers in constant memory (< 200 MB RSS)', async () => {
    // 1 GB of inflated data in a file of about 1 MB, declaring 4 KB for its worksheet.
    const bomb = zipBomb({ inflatedMb: 1024 });
    expect(bomb.length).toBeLessThan(XLSX_LIMITS.maxFileBytes);
    global.gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    try {
      expect(await verdict(bomb)).toBe('too_large_uncompressed');
      // Declaring just under the total limit makes the inflate run to it: the worst case.
      expect(await verdict(zipBomb({ inflatedMb: 1024, declaredSize: 500 * 1024 * 1024 }))).toBe(
        'too_large_uncompressed',
      );
    } finally {
      clearInterval(timer);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(peak - base).toBeLessThan(200 * 1024 * 1024);
  });
});
