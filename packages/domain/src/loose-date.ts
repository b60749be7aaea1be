import { formatIsoDate, isValidDateParts } from './calendar';

/**
 * Dates as people type them into ledgers (issue 3 §6): Excel serial numbers, 2019.03, 2019年3月,
 * 2019-3-5, 2019/3/5, 20190305, full-width digits, a trailing 日 or 份. A month or a year alone is
 * kept with its precision, and stored as the first day of it.
 */
export type LooseDateResult =
  { ok: true; date: string; precision: 'day' | 'month' | 'year' } | { ok: false; message: string };

const MIN_YEAR = 1900;
const MAX_YEAR = 2100;

function toAscii(s: string) {
  return s
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[／．－]/g, (c) => ({ '／': '/', '．': '.', '－': '-' })[c]!);
}

function result(
  year: number,
  month: number,
  day: number,
  precision: 'day' | 'month' | 'year',
): LooseDateResult {
  if (year < MIN_YEAR || year > MAX_YEAR)
    return { ok: false, message: `年份 ${year} 不在合理范围内（${MIN_YEAR}–${MAX_YEAR}）` };
  if (!isValidDateParts(year, month, day))
    return { ok: false, message: `日期 ${year}年${month}月${day}日 不存在` };
  return { ok: true, date: formatIsoDate({ year, month, day }), precision };
}

/**
 * Excel's day numbers count from 1900-01-01 = 1 and include the non-existent 1900-02-29 (60),
 * a bug kept for Lotus 1-2-3 compatibility: serials from 61 on are one day ahead.
 */
export function excelSerialToDate(serial: number): LooseDateResult {
  if (!Number.isInteger(serial) || serial < 1 || serial > 73050) {
    return { ok: false, message: `无法识别的日期数值 ${serial}` };
  }
  if (serial === 60) return { ok: false, message: '日期 1900年2月29日 不存在' };
  const base = Date.UTC(1899, 11, serial < 60 ? 31 : 30);
  const d = new Date(base + serial * 86_400_000);
  return result(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 'day');
}

export function parseLooseDate(input: unknown): LooseDateResult {
  if (input instanceof Date) {
    if (Number.isNaN(input.getTime())) return { ok: false, message: '日期无效' };
    // Spreadsheet readers give date cells as UTC midnight of the calendar day.
    return result(input.getUTCFullYear(), input.getUTCMonth() + 1, input.getUTCDate(), 'day');
  }
  if (typeof input === 'number') return excelSerialToDate(input);
  if (typeof input !== 'string') return { ok: false, message: '日期格式无法识别' };
  const s = toAscii(input)
    .replace(/\s+/g, '')
    .replace(/(日|号|份)$/, '');
  if (s === '') return { ok: false, message: '日期为空' };
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})$/.exec(s)))
    return result(+m[1]!, +m[2]!, +m[3]!, 'day');
  if ((m = /^(\d{4})(\d{2})(\d{2})$/.exec(s))) return result(+m[1]!, +m[2]!, +m[3]!, 'day');
  if ((m = /^(\d{4})[-/.年](\d{1,2})月?$/.exec(s))) return result(+m[1]!, +m[2]!, 1, 'month');
  if ((m = /^(\d{4})(\d{2})$/.exec(s))) return result(+m[1]!, +m[2]!, 1, 'month');
  if ((m = /^(\d{4})年?$/.exec(s))) return result(+m[1]!, 1, 1, 'year');
  if ((m = /^(\d{5})(\.0+)?$/.exec(s))) return excelSerialToDate(+m[1]!);
  return {
    ok: false,
    message: `日期“${input.trim().slice(0, 20)}”格式无法识别，请写成 2019-03-05 或 2019年3月`,
  };
}
