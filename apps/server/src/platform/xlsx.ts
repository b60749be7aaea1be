import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';

/** A cell the writer accepts: text or nothing. No formula object can be passed (SECURITY.md 22). */
export type SheetCell = string | null;

export interface SheetColumn {
  title: string;
  width: number;
}

/**
 * Our small interface over exceljs's streaming writer: one sheet, a merged watermark line, a
 * header row, then data rows, each committed at once so memory stays flat however many rows.
 * Cells are written as plain strings only; the caller makes them literal (modules/exports).
 */
export interface SheetWriter {
  row(cells: readonly SheetCell[]): void;
  /** Finishes the workbook and waits until the output stream has flushed. */
  finish(): Promise<void>;
}

export function createSheetWriter(
  stream: Writable,
  opts: { sheetName: string; watermark: string; columns: readonly SheetColumn[] },
): SheetWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useSharedStrings: false,
    useStyles: true,
  });
  const sheet = workbook.addWorksheet(opts.sheetName, {
    views: [{ state: 'frozen', ySplit: 2 }],
  });
  sheet.columns = opts.columns.map((c) => ({ width: c.width }));

  const mark = sheet.getRow(1);
  mark.getCell(1).value = opts.watermark;
  mark.getCell(1).font = { bold: true, color: { argb: 'FFC00000' } };
  sheet.mergeCells(1, 1, 1, Math.max(opts.columns.length, 1));
  mark.commit();

  const header = sheet.addRow(opts.columns.map((c) => c.title));
  header.font = { bold: true };
  header.commit();

  return {
    row(cells) {
      // A string value is stored as a string cell by exceljs (never parsed as a formula).
      sheet.addRow([...cells]).commit();
    },
    async finish() {
      sheet.commit();
      await workbook.commit();
    },
  };
}
