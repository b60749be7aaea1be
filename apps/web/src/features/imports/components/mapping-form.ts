import type { DedupeMode, ImportColumn, ImportOptions, ImportPreview } from '@liudong/contracts';
import type { SheetField } from '@liudong/domain';
import { blankToNull } from '../../../ui/format';
import { SHEET_FIELD_GROUPS, SHEET_FIELD_LABELS } from './import-labels';

/** One Select per sheet column, keyed 'c<index>' (the sheet's 0-based column index). */
export type MappingValues = Record<string, SheetField | null | undefined>;

/** The 核对列 form: the column mapping and the officer's other decisions. */
export interface ImportFormValues {
  mapping: MappingValues;
  dedupe: DedupeMode;
  defaultOrgId?: string | null;
  saveMapping?: boolean;
  mappingName?: string;
}

export type MappingEntry = ImportOptions['mapping'][number];

export const columnKey = (index: number) => `c${index}`;

/** 'A', 'B', … 'Z', 'AA' — the column as Excel names it. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

/** The server's suggestions (saved mapping or built-in titles) as the form's starting values. */
export function mappingInitialValues(columns: readonly ImportColumn[]): MappingValues {
  return Object.fromEntries(columns.map((column) => [columnKey(column.index), column.field]));
}

/** The chosen fields as ImportOptions.mapping, in sheet order; columns left empty are ignored. */
export function mappingFromValues(
  columns: readonly ImportColumn[],
  values: MappingValues | undefined,
): MappingEntry[] {
  return [...columns]
    .sort((a, b) => a.index - b.index)
    .flatMap((column) => {
      const field = values?.[columnKey(column.index)];
      return field ? [{ index: column.index, field }] : [];
    });
}

/** Fields chosen for more than one column (the contract allows one column per field). */
export function duplicateFields(mapping: readonly MappingEntry[]): Map<SheetField, number[]> {
  const byField = new Map<SheetField, number[]>();
  for (const { index, field } of mapping)
    byField.set(field, [...(byField.get(field) ?? []), index]);
  for (const [field, indexes] of byField) if (indexes.length < 2) byField.delete(field);
  return byField;
}

/**
 * The required fields still without a column. The server names the required fields that its
 * suggestion left unmapped; once the officer maps one of them it is no longer missing.
 */
export function missingRequiredFields(
  serverMissing: readonly SheetField[],
  mapping: readonly MappingEntry[],
): SheetField[] {
  const mapped = new Set(mapping.map((entry) => entry.field));
  return serverMissing.filter((field) => !mapped.has(field));
}

/** Without an org column every row goes to the default org, so one must be chosen. */
export const needsDefaultOrg = (mapping: readonly MappingEntry[]) =>
  !mapping.some((entry) => entry.field === 'orgName');

/** The body of check and commit (validate it with the ImportOptions schema before sending). */
export function toImportOptions(
  columns: readonly ImportColumn[],
  values: ImportFormValues,
): ImportOptions {
  return {
    mapping: mappingFromValues(columns, values.mapping),
    dedupe: values.dedupe,
    defaultOrgId: values.defaultOrgId ?? null,
    saveMappingAs: values.saveMapping ? blankToNull(values.mappingName) : null,
  };
}

/** Upload accepts .xlsx only (.xls and .xlsm macros are refused, SECURITY.md 24). */
export function isXlsxFileName(name: string): boolean {
  return /\.xlsx$/i.test(name.trim());
}

/** '第3行为表头', or '第2–3行为表头' for a two-row header. */
export function headerRowText(preview: Pick<ImportPreview, 'headerRow' | 'headerRows'>): string {
  const first = preview.headerRow - Math.max(preview.headerRows, 1) + 1;
  return first < preview.headerRow
    ? `第${first}–${preview.headerRow}行为表头`
    : `第${preview.headerRow}行为表头`;
}

/** The field Select's options, grouped; a required field is marked with a star. */
export function fieldSelectOptions(required: readonly SheetField[] = []) {
  const isRequired = new Set(required);
  return SHEET_FIELD_GROUPS.map((group) => ({
    label: group.label,
    title: group.label,
    options: group.fields.map((field) => ({
      value: field,
      label: isRequired.has(field) ? `${SHEET_FIELD_LABELS[field]} *` : SHEET_FIELD_LABELS[field],
    })),
  }));
}

/** '身份证号码、姓名' for messages. */
export const fieldList = (fields: Iterable<SheetField>) =>
  [...fields].map((field) => SHEET_FIELD_LABELS[field]).join('、');
