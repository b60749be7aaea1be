import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { excelSerialToDate, parseLooseDate } from './loose-date';

describe('parseLooseDate (dates as ledgers hold them)', () => {
  it.each([
    ['2019-3-5', '2019-03-05', 'day'],
    ['2019/03/05', '2019-03-05', 'day'],
    ['2019.3.5', '2019-03-05', 'day'],
    ['2019年3月5日', '2019-03-05', 'day'],
    ['２０１９年３月５日', '2019-03-05', 'day'],
    ['20190305', '2019-03-05', 'day'],
    [' 2019.03 ', '2019-03-01', 'month'],
    ['2019年3月', '2019-03-01', 'month'],
    ['2019年3月份', '2019-03-01', 'month'],
    ['2019-3', '2019-03-01', 'month'],
    ['201903', '2019-03-01', 'month'],
    ['2019年', '2019-01-01', 'year'],
    ['43529', '2019-03-05', 'day'],
    [43529, '2019-03-05', 'day'],
    [new Date(Date.UTC(2019, 2, 5)), '2019-03-05', 'day'],
    ['2024-2-29', '2024-02-29', 'day'],
  ] as const)('%j → %s (%s)', (input, date, precision) => {
    expect(parseLooseDate(input)).toEqual({ ok: true, date, precision });
  });

  it.each([
    ['2023-2-29'],
    ['2019-13'],
    ['2019.3.32'],
    ['三月'],
    [''],
    ['1850-01-01'],
    [60],
    [-3],
    [1.5],
    [null],
  ])('refuses %j with a Chinese message', (input) => {
    const r = parseLooseDate(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('knows Excel’s 1900 leap-year bug', () => {
    expect(excelSerialToDate(1)).toMatchObject({ date: '1900-01-01' });
    expect(excelSerialToDate(59)).toMatchObject({ date: '1900-02-28' });
    expect(excelSerialToDate(61)).toMatchObject({ date: '1900-03-01' });
    expect(excelSerialToDate(45658)).toMatchObject({ date: '2025-01-01' });
  });

  it('round-trips every day between 1950 and 2090 through each written form', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1950-01-01T00:00:00Z'),
          max: new Date('2090-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          const [y, m, day] = iso.split('-').map(Number) as [number, number, number];
          for (const written of [
            iso,
            `${y}年${m}月${day}日`,
            `${y}.${m}.${day}`,
            `${y}/${m}/${day}`,
          ]) {
            expect(parseLooseDate(written)).toEqual({ ok: true, date: iso, precision: 'day' });
          }
          const serial = Math.round(
            (Date.UTC(y, m - 1, day) - Date.UTC(1899, 11, 30)) / 86_400_000,
          );
          expect(parseLooseDate(serial)).toEqual({ ok: true, date: iso, precision: 'day' });
        },
      ),
    );
  });
});
