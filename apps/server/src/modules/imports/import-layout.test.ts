import { describe, expect, it } from 'vitest';
import type { SheetRow } from '../../platform/xlsx-reader';
import { detectLayout, missingRequired, suggestColumns, titleMatcher } from './import-layout';

/** Rows as the reader gives them; `filled` marks cells copied from a merged area. */
const row = (
  n: number,
  cells: (string | undefined)[],
  filled: number[] | null = null,
): SheetRow => ({
  row: n,
  cells,
  filled,
});

describe('detectLayout (where the header of a real sheet is)', () => {
  it('skips title rows and a "填报单位：" line, and reads a one-row header', () => {
    const layout = detectLayout([
      row(1, ['2026年流动党员台账', '2026年流动党员台账', '2026年流动党员台账'], [1, 2]),
      row(2, ['填报单位：某镇党委', undefined, '填报时间：2026年']),
      row(3, ['姓名', '身份证号码', '联系电话']),
      row(4, ['张三', '510107198001011234', '13800000000']),
    ]);
    expect(layout).toEqual({
      headerRow: 3,
      headerRows: 1,
      columns: [
        { index: 0, title: '姓名', field: 'name' },
        { index: 1, title: '身份证号码', field: 'idNumber' },
        { index: 2, title: '联系电话', field: 'phone' },
      ],
    });
  });

  it('joins a group row below the first known titles (merged down and across)', () => {
    const layout = detectLayout([
      row(3, ['姓名', '外出情况', '外出情况'], [2]),
      row(4, ['姓名', '外出时间', '流入地'], [0]),
      row(5, ['张三', '2019.03', '广东深圳']),
    ]);
    expect(layout).toMatchObject({ headerRow: 4, headerRows: 2 });
    expect(layout!.columns).toEqual([
      { index: 0, title: '姓名', field: 'name' },
      { index: 1, title: '外出情况/外出时间', field: 'leftOn' },
      { index: 2, title: '外出情况/流入地', field: 'destination' },
    ]);
  });

  it('joins a group row above a header whose upper titles are all unknown', () => {
    const layout = detectLayout([
      row(1, ['基本信息', '基本信息', '党员信息', '党员信息'], [1, 3]),
      row(2, ['姓名', '身份证号', '入党时间', '转正时间']),
    ]);
    expect(layout).toMatchObject({ headerRow: 2, headerRows: 2 });
    expect(layout!.columns.map((c) => c.title)).toEqual([
      '基本信息/姓名',
      '基本信息/身份证号',
      '党员信息/入党时间',
      '党员信息/转正时间',
    ]);
    expect(layout!.columns.map((c) => c.field)).toEqual([
      'name',
      'idNumber',
      'joinedOn',
      'fullMemberOn',
    ]);
  });

  it('does not take a data row for a second header row', () => {
    const layout = detectLayout([
      row(1, ['姓名', '性别', '身份证号码']),
      row(2, ['张三', '男', '510107198001011234']),
    ]);
    expect(layout).toMatchObject({ headerRow: 1, headerRows: 1 });
  });

  it('falls back to a row with one known title, and gives up without any', () => {
    expect(detectLayout([row(1, ['名字', '证件', '单位'])])).toMatchObject({ headerRow: 1 });
    expect(detectLayout([row(1, ['甲', '乙']), row(2, ['1', '2'])])).toBeNull();
  });

  it('lets the first column win when two titles mean the same field', () => {
    const layout = detectLayout([row(1, ['姓名', '手机号', '联系电话'])])!;
    expect(layout.columns.map((c) => c.field)).toEqual(['name', 'phone', null]);
  });
});

describe('suggestColumns (saved mappings first, then the built-in titles)', () => {
  const saved = [
    {
      id: 'm1',
      name: '乡镇模板',
      columns: [
        { title: '名字', field: 'name' },
        { title: '证件', field: 'idNumber' },
      ],
    },
  ];

  it('applies a saved mapping whose titles match, and auto-matches the rest', () => {
    const layout = detectLayout([row(1, ['名字', '证件', '联系电话'])], titleMatcher(saved))!;
    const { columns, mapping } = suggestColumns(layout, saved);
    expect(mapping?.name).toBe('乡镇模板');
    expect(columns.map((c) => [c.field, c.source])).toEqual([
      ['name', 'saved'],
      ['idNumber', 'saved'],
      ['phone', 'auto'],
    ]);
    expect(
      missingRequired(
        'ledger',
        columns.map((c) => c.field),
      ),
    ).toEqual(['leftOn', 'destination']);
  });

  it('ignores a saved mapping that matches too little of the sheet', () => {
    const layout = detectLayout([row(1, ['名字', '身份证号码', '联系电话'])])!;
    const { columns, mapping } = suggestColumns(layout, saved);
    expect(mapping).toBeNull();
    expect(columns.map((c) => c.source)).toEqual(['auto', 'auto', 'auto']);
  });
});
