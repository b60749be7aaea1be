import { describe, expect, it } from 'vitest';
import { computeIdCheckChar, type SheetField } from '@liudong/domain';
import {
  SheetDate,
  SheetError,
  SheetLongNumber,
  type CellValue,
  type SheetRow,
} from '../../platform/xlsx-reader';
import { excelSerial, legacyIdNumber } from './import.fixtures';
import { maskedValue, orgLookup, parseRow, type RowContext } from './import-rows';

const first17 = '51010719800115013';
const ID = first17 + computeIdCheckChar(first17); // male, born 1980-01-15
const branch = {
  id: 'b1',
  name: '前进村党支部',
  path: '/t/b1/',
  kind: 'branch',
  dissolvedOn: null,
};

const FIELDS: SheetField[] = ['name', 'idNumber', 'gender', 'birthDate', 'joinedOn', 'phone'];
const ctx: RowContext = {
  kind: 'members',
  asOf: new Date('2026-11-20T02:00:00Z'),
  today: '2026-11-20',
  columns: new Map(FIELDS.map((f, i) => [f, i])),
  titles: new Map(FIELDS.map((f, i) => [i, `列${f}`])),
  findOrg: orgLookup([{ ...branch, shortName: null }]),
  defaultOrg: branch,
  matchRegion: () => ({ ok: false, message: 'unused' }),
};

const parse = (cells: (CellValue | undefined)[], filled: number[] | null = null) =>
  parseRow({ row: 7, cells, filled } as SheetRow, ctx);

describe('parseRow', () => {
  it('takes numbers and Excel dates as people mean them', () => {
    const r = parse([
      '张三',
      ID,
      '男',
      new SheetDate(excelSerial('1980-01-15')),
      2005,
      13800000000,
    ]);
    expect(r).toMatchObject({
      kind: 'ok',
      candidate: {
        row: 7,
        member: {
          name: '张三',
          idNumber: ID,
          gender: 'male',
          birthDate: '1980-01-15',
          joinedOn: '2005-01-01',
          phone: '13800000000',
        },
        org: { id: 'b1' },
      },
    });
    // 200507 and 20050701 as numbers are a month and a day, a five-digit number a serial day.
    expect(parse(['张三', ID, undefined, undefined, 200507]).kind).toBe('ok');
    const serial = parse(['张三', ID, undefined, undefined, excelSerial('2005-07-01')]);
    expect(serial.kind === 'ok' && serial.candidate.member.joinedOn).toBe('2005-07-01');
  });

  it('converts a legacy 15-digit number kept in a number cell', () => {
    const legacy = legacyIdNumber(13);
    const r = parse(['李四', Number(legacy.id15)]);
    expect(r.kind === 'ok' && r.candidate.member.idNumber).toBe(legacy.id18);
  });

  it('refuses ID numbers a number cell has rounded, by column and row', () => {
    for (const cell of [
      110105194912310020,
      new SheetLongNumber('510107198001150000'),
      '5.10107E+17',
    ]) {
      const r = parse(['王五', cell]);
      expect(r.kind).toBe('error');
      if (r.kind === 'error')
        expect(r.errors[0]).toMatchObject({
          row: 7,
          column: '列idNumber',
          message: expect.stringContaining('文本'),
        });
    }
  });

  it('reports error values, a gender against the ID and a too-early joining date', () => {
    const r = parse(['赵六', ID, '女', undefined, '1990-01-01', new SheetError('#N/A')]);
    expect(r.kind).toBe('error');
    if (r.kind !== 'error') return;
    expect(r.errors.map((e) => e.column)).toEqual(['列gender', '列joinedOn', '列phone']);
    expect(r.errors[2]!.message).toContain('#N/A');
  });

  it('skips a row whose only values were copied down from a merged cell', () => {
    expect(parse(['张三', ID], [0, 1])).toEqual({ kind: 'empty' });
    expect(parse([undefined, ' '])).toEqual({ kind: 'empty' });
  });
});

describe('maskedValue', () => {
  it('masks a messy cell in the form the value will be stored in', () => {
    const first17 = '51010419900307123';
    const id = first17 + computeIdCheckChar(first17);
    const fullWidth = id.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    const spaced = `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`;
    const expected = maskedValue('idNumber', id);
    expect(expected).toMatch(/^510\*+.$/);
    expect(maskedValue('idNumber', fullWidth)).toBe(expected);
    expect(maskedValue('idNumber', spaced)).toBe(expected);
    expect(maskedValue('phone', '137 0001 0003')).toBe(maskedValue('phone', '13700010003'));
    expect(maskedValue('name', '司马  文博')).toBe(maskedValue('name', '司马文博'));
    expect(maskedValue('employer', '某某建筑公司')).toBe('某某建筑公司');
  });
});
