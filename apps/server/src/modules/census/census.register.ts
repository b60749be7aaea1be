import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { literalCell } from '../exports/literal-cell';

/**
 * The 摸排登记表 workbook (issue 4 §5), written with exceljs's streaming writer like every export
 * (platform/xlsx.ts has one sheet only; the register has two): sheet 1 the register, a title row
 * with the campaign's name and period, the exporter's watermark line (SECURITY.md 23), the header
 * and one row per task, each committed at once so memory stays flat; sheet 2 the counts per org.
 * Every text cell goes through literalCell: never read as a formula (SECURITY.md 22); counts and
 * the 序号 are plain numbers.
 */

export const REGISTER_COLUMNS = [
  { title: '序号', width: 6 },
  { title: '姓名', width: 12 },
  { title: '联系电话', width: 16 },
  { title: '所属党组织', width: 28 },
  { title: '流向/去向', width: 24 },
  { title: '工作单位', width: 24 },
  { title: '核实结果', width: 16 },
  { title: '核实日期', width: 12 },
  { title: '核实人', width: 12 },
  { title: '备注', width: 30 },
] as const;

export const SUMMARY_COLUMNS = [
  { title: '党组织', width: 28 },
  { title: '应核实', width: 10 },
  { title: '待核实', width: 10 },
  { title: '已核实·无变化', width: 14 },
  { title: '已核实·有变化', width: 14 },
  { title: '无法联系', width: 10 },
  { title: '完成率', width: 10 },
] as const;

export interface SummaryLine {
  orgName: string;
  total: number;
  pending: number;
  unchanged: number;
  changed: number;
  unreachable: number;
}

export interface RegisterWriter {
  /** One task row; the 序号 is added here. */
  row(cells: readonly (string | null)[]): void;
  /** Writes the summary sheet and finishes the workbook (waits for the stream to flush). */
  finish(summary: readonly SummaryLine[], total: SummaryLine): Promise<void>;
}

const rate = (s: SummaryLine) =>
  s.total === 0 ? '—' : `${Math.round(((s.total - s.pending) * 1000) / s.total) / 10}%`;

export function createRegisterWriter(
  stream: Writable,
  opts: { title: string; watermark: string },
): RegisterWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useSharedStrings: false,
    useStyles: true,
  });

  function start(name: string, columns: readonly { title: string; width: number }[]) {
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 3 }] });
    sheet.columns = columns.map((c) => ({ width: c.width }));
    const title = sheet.getRow(1);
    title.getCell(1).value = literalCell(opts.title);
    title.getCell(1).font = { bold: true, size: 14 };
    sheet.mergeCells(1, 1, 1, columns.length);
    title.commit();
    const mark = sheet.getRow(2);
    mark.getCell(1).value = literalCell(opts.watermark);
    mark.getCell(1).font = { bold: true, color: { argb: 'FFC00000' } };
    sheet.mergeCells(2, 1, 2, columns.length);
    mark.commit();
    const header = sheet.addRow(columns.map((c) => c.title));
    header.font = { bold: true };
    header.commit();
    return sheet;
  }

  const register = start('摸排登记表', REGISTER_COLUMNS);
  let n = 0;
  return {
    row(cells) {
      n += 1;
      register.addRow([n, ...cells.map(literalCell)]).commit();
    },
    async finish(summary, total) {
      register.commit();
      const sheet = start('汇总', SUMMARY_COLUMNS);
      for (const s of [...summary, total])
        sheet
          .addRow([
            literalCell(s.orgName),
            s.total,
            s.pending,
            s.unchanged,
            s.changed,
            s.unreachable,
            rate(s),
          ])
          .commit();
      sheet.commit();
      await workbook.commit();
    },
  };
}
