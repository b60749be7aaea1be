import { describe, expect, it } from 'vitest';
import { ImportOptions, type ImportColumn } from '@liudong/contracts';
import {
  columnKey,
  columnLetter,
  duplicateFields,
  fieldList,
  fieldSelectOptions,
  headerRowText,
  isXlsxFileName,
  mappingFromValues,
  mappingInitialValues,
  missingRequiredFields,
  needsDefaultOrg,
  toImportOptions,
} from './mapping-form';

const COLUMNS: ImportColumn[] = [
  { index: 0, title: '序号', field: null, source: null },
  { index: 1, title: '姓名', field: 'name', source: 'auto' },
  { index: 2, title: '身份证号码（18位）*', field: 'idNumber', source: 'saved' },
  { index: 4, title: '外出时间', field: 'leftOn', source: 'auto' },
];

describe('column letters', () => {
  it('names columns as Excel does', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });
});

describe('mapping ↔ form values', () => {
  it('starts from the server’s suggestions, keyed by sheet column index', () => {
    expect(mappingInitialValues(COLUMNS)).toEqual({
      c0: null,
      c1: 'name',
      c2: 'idNumber',
      c4: 'leftOn',
    });
  });

  it('round-trips the suggestions into the mapping, leaving unmapped columns out', () => {
    expect(mappingFromValues(COLUMNS, mappingInitialValues(COLUMNS))).toEqual([
      { index: 1, field: 'name' },
      { index: 2, field: 'idNumber' },
      { index: 4, field: 'leftOn' },
    ]);
  });

  it('takes the officer’s changes, in sheet order, and ignores cleared Selects', () => {
    const values = {
      ...mappingInitialValues(COLUMNS),
      [columnKey(4)]: undefined,
      [columnKey(0)]: 'orgName' as const,
    };
    expect(mappingFromValues([...COLUMNS].reverse(), values)).toEqual([
      { index: 0, field: 'orgName' },
      { index: 1, field: 'name' },
      { index: 2, field: 'idNumber' },
    ]);
    expect(mappingFromValues(COLUMNS, undefined)).toEqual([]);
  });

  it('finds a field chosen for two columns', () => {
    const mapping = [
      { index: 1, field: 'phone' as const },
      { index: 3, field: 'name' as const },
      { index: 5, field: 'phone' as const },
    ];
    expect([...duplicateFields(mapping)]).toEqual([['phone', [1, 5]]]);
    expect(duplicateFields(mapping.slice(0, 2)).size).toBe(0);
  });

  it('drops a missing required field once a column is mapped to it', () => {
    expect(
      missingRequiredFields(['idNumber', 'orgName'], [{ index: 7, field: 'orgName' }]),
    ).toEqual(['idNumber']);
  });

  it('asks for a default org only when no column is the org', () => {
    expect(needsDefaultOrg([{ index: 1, field: 'name' }])).toBe(true);
    expect(needsDefaultOrg([{ index: 3, field: 'orgName' }])).toBe(false);
  });
});

describe('toImportOptions', () => {
  const base = {
    mapping: mappingInitialValues(COLUMNS),
    dedupe: 'fill' as const,
    defaultOrgId: '00000000-0000-4000-8000-000000000001',
  };

  it('builds a body the contract accepts', () => {
    const options = toImportOptions(COLUMNS, {
      ...base,
      saveMapping: true,
      mappingName: ' 县模板 ',
    });
    expect(options).toEqual({
      mapping: [
        { index: 1, field: 'name' },
        { index: 2, field: 'idNumber' },
        { index: 4, field: 'leftOn' },
      ],
      dedupe: 'fill',
      defaultOrgId: '00000000-0000-4000-8000-000000000001',
      saveMappingAs: '县模板',
    });
    expect(ImportOptions.safeParse(options).success).toBe(true);
  });

  it('saves no mapping unless asked, and sends no org when none was picked', () => {
    const options = toImportOptions(COLUMNS, {
      ...base,
      defaultOrgId: undefined,
      saveMapping: false,
      mappingName: '县模板',
    });
    expect(options.saveMappingAs).toBeNull();
    expect(options.defaultOrgId).toBeNull();
    expect(ImportOptions.safeParse(options).success).toBe(true);
  });

  it('produces a body the contract rejects when a field has two columns', () => {
    const options = toImportOptions(COLUMNS, {
      ...base,
      mapping: { ...base.mapping, c0: 'name' },
    });
    expect(ImportOptions.safeParse(options).success).toBe(false);
  });
});

describe('file names and header text', () => {
  it('accepts .xlsx only, whatever the case', () => {
    expect(isXlsxFileName('名册.xlsx')).toBe(true);
    expect(isXlsxFileName('名册.XLSX ')).toBe(true);
    expect(isXlsxFileName('名册.xls')).toBe(false);
    expect(isXlsxFileName('名册.xlsm')).toBe(false);
    expect(isXlsxFileName('名册.xlsx.exe')).toBe(false);
    expect(isXlsxFileName('名册.csv')).toBe(false);
  });

  it('names the header row, or both rows of a two-row header', () => {
    expect(headerRowText({ headerRow: 3, headerRows: 1 })).toBe('第3行为表头');
    expect(headerRowText({ headerRow: 3, headerRows: 2 })).toBe('第2–3行为表头');
    expect(headerRowText({ headerRow: 1, headerRows: 0 })).toBe('第1行为表头');
  });
});

describe('field Select options', () => {
  it('lists every field once and stars the required ones', () => {
    const groups = fieldSelectOptions(['idNumber']);
    const options = groups.flatMap((group) => group.options);
    expect(new Set(options.map((o) => o.value)).size).toBe(options.length);
    expect(options.find((o) => o.value === 'idNumber')?.label).toBe('身份证号码 *');
    expect(options.find((o) => o.value === 'name')?.label).toBe('姓名');
  });

  it('joins field names for messages', () => {
    expect(fieldList(['idNumber', 'leftOn'])).toBe('身份证号码、外出时间');
  });
});
