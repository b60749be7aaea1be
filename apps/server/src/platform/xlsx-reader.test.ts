import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildZip, minimalXlsxEntries, sheetXml } from '../modules/imports/import.fixtures';
import { AppError } from './errors';
import {
  SheetDate,
  SheetError,
  SheetLongNumber,
  XmlScanner,
  cellText,
  decodeRef,
  isDateFormat,
  openXlsx,
  type SheetRow,
} from './xlsx-reader';
import { guardXlsx } from './zip-guard';

async function readAll(buf: Buffer, sheet = 0): Promise<SheetRow[]> {
  const wb = await openXlsx(buf, await guardXlsx(buf, 'x.xlsx'));
  const rows: SheetRow[] = [];
  for await (const r of wb.rows(wb.sheets[sheet]!)) rows.push(r);
  return rows;
}

const texts = (r: SheetRow) => Array.from(r.cells, (v) => cellText(v));

describe('xlsx-reader', () => {
  it('keeps Chinese text whole across inflate chunks (shared and inline strings)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名册');
    const expected: string[] = [];
    for (let i = 0; i < 4000; i++) {
      const v = `四川省成都市武侯区某某街道${i}号院党员活动室`;
      expected.push(v);
      ws.addRow([v, `张三丰${i}`]);
    }
    const rows = await readAll(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(rows.map((r) => r.cells[0])).toEqual(expected);
    expect(rows.some((r) => texts(r).join('').includes('\uFFFD'))).toBe(false);

    // The streaming writer puts strings inline: the same must hold there.
    const chunks: Buffer[] = [];
    const { PassThrough } = await import('node:stream');
    const out = new PassThrough();
    out.on('data', (c: Buffer) => chunks.push(c));
    const sw = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false });
    const sheet = sw.addWorksheet('s');
    for (const v of expected) sheet.addRow([v]).commit();
    sheet.commit();
    await sw.commit();
    const inline = await readAll(Buffer.concat(chunks));
    expect(inline.map((r) => r.cells[0])).toEqual(expected);
  });

  it('fills merged areas from their top-left cell and says which cells were filled', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    ws.addRow(['标题']);
    ws.mergeCells('A1:C1');
    ws.addRow(['第一党支部', '甲']);
    ws.addRow([null, '乙']);
    ws.addRow([null, '丙']);
    ws.mergeCells('A2:A4');
    ws.addRow([]);
    ws.addRow(['末行', 'x']);
    const rows = await readAll(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4, 6]);
    expect(texts(rows[0]!)).toEqual(['标题', '标题', '标题']);
    expect(rows[0]!.filled).toEqual([1, 2]);
    expect(texts(rows[2]!)).toEqual(['第一党支部', '乙']);
    expect(rows[2]!.filled).toEqual([0]);
    expect(rows[1]!.filled).toBeNull();
    expect(rows[4]!.filled).toBeNull();
  });

  it('reads dates, numbers, long digit strings, booleans, formulas and errors', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    const row = ws.addRow([
      new Date(Date.UTC(2019, 2, 5)),
      43529,
      510107750315123,
      '2019.03',
      true,
      { formula: '1+1', result: 2 },
      { formula: 'NA()', result: { error: '#N/A' } },
    ]);
    row.getCell(1).numFmt = 'yyyy"年"m"月"d"日"';
    const [r] = await readAll(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(r!.cells[0]).toBeInstanceOf(SheetDate);
    expect(cellText(r!.cells[0])).toBe('2019-03-05');
    expect(r!.cells[1]).toBe(43529);
    expect(r!.cells[2]).toBe(510107750315123);
    expect(r!.cells[3]).toBe('2019.03');
    expect(r!.cells[4]).toBe(true);
    expect(r!.cells[5]).toBe(2);
    expect(r!.cells[6]).toBeInstanceOf(SheetError);

    // A program that wrote all 18 digits of a number: kept exactly, not rounded by a double.
    const sheet = `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="2"><c r="B2"><v>510107198001011234</v></c><c r="C2" t="str"><f>A1</f><v>a&amp;b</v></c><c r="D2" t="inlineStr"><is><r><t>富</t></r><r><t xml:space="preserve">文本 </t></r><rPh><t>ふりがな</t></rPh></is></c><c r="E2" t="inlineStr"><is><t>line_x000D_two</t></is></c></row></sheetData></worksheet>`;
    const entries = minimalXlsxEntries(sheet);
    const [raw] = await readAll(buildZip(entries));
    expect(raw!.row).toBe(2);
    expect(raw!.cells[0]).toBeUndefined();
    expect(raw!.cells[1]).toEqual(new SheetLongNumber('510107198001011234'));
    expect(raw!.cells[2]).toBe('a&b');
    expect(raw!.cells[3]).toBe('富文本 ');
    expect(raw!.cells[4]).toBe('line\rtwo');
  });

  it('converts 1904-system dates to the 1900 system', async () => {
    const wb = new ExcelJS.Workbook();
    wb.properties.date1904 = true;
    const ws = wb.addWorksheet('s');
    ws.addRow([new Date(Date.UTC(2019, 2, 5))]).getCell(1).numFmt = 'yyyy-mm-dd';
    const [r] = await readAll(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(cellText(r!.cells[0])).toBe('2019-03-05');
  });

  it('refuses a DOCTYPE (no entity can expand) and garbage XML', async () => {
    const evil = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>&lol;</t></is></c></row></sheetData></worksheet>`;
    await expect(readAll(buildZip(minimalXlsxEntries(evil)))).rejects.toBeInstanceOf(AppError);
  });

  it('stops inflating when the caller stops reading', async () => {
    const rows = Array.from({ length: 20000 }, (_, i) => [`行${i}`, String(i)]);
    const buf = buildZip(minimalXlsxEntries(sheetXml(rows)));
    const wb = await openXlsx(buf, await guardXlsx(buf, 'x.xlsx'));
    const got: number[] = [];
    for await (const r of wb.rows(wb.sheets[0]!)) {
      got.push(r.row);
      if (got.length === 3) break;
    }
    expect(got).toEqual([1, 2, 3]);
  });

  it('tokenizes attributes with ">" in quotes, comments and CDATA split anywhere', () => {
    const xml = `<a x="1>2" y='q'><!-- c > d --><b><![CDATA[<raw> & ]]></b><c/></a>`;
    for (let cut = 1; cut < xml.length; cut++) {
      const events: string[] = [];
      const s = new XmlScanner({
        open: (n, attrs, self) => events.push(`<${n}${attrs}${self ? '/' : ''}>`),
        close: (n) => events.push(`</${n}>`),
        text: (t) => events.push(t),
      });
      s.write(xml.slice(0, cut));
      s.write(xml.slice(cut));
      s.end();
      expect(events.filter((e) => e !== '').join('')).toBe(
        `<a x="1>2" y='q'><b><raw> & </b><c/></c></a>`,
      );
    }
  });

  /** A workbook with a shared-string table and a date style, around the given sheet XML. */
  function workbookWith(sheet: string, strings: readonly string[]): Buffer {
    const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const entries = minimalXlsxEntries(sheet).filter(
      (e) => e.name !== 'xl/_rels/workbook.xml.rels',
    );
    entries.push(
      {
        name: 'xl/_rels/workbook.xml.rels',
        data: Buffer.from(
          `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="${rel}/styles" Target="styles.xml"/></Relationships>`,
        ),
      },
      {
        name: 'xl/sharedStrings.xml',
        data: Buffer.from(
          `<?xml version="1.0"?><sst xmlns="${ns}">${strings.map((t) => `<si><t xml:space="preserve">${t}</t></si>`).join('')}</sst>`,
        ),
      },
      {
        name: 'xl/styles.xml',
        data: Buffer.from(
          `<?xml version="1.0"?><styleSheet xmlns="${ns}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>`,
        ),
      },
    );
    return buildZip(entries);
  }

  it('reads the usual cell form exactly as any other spelling of the same cells', async () => {
    // Each row twice: as Excel writes cells (read in one step), and spelled otherwise — other
    // attribute order, an extra attribute, spaces — which goes through the general events.
    const strings = ['张三', '   ', '汉族', 'a&amp;b'];
    const cells: [string, string, string][] = [
      ['t="s"', '', '<v>0</v>'],
      ['t="s"', '', '<v>1</v>'],
      ['t="s"', '', '<v>3</v>'],
      ['t="s"', '', '<v>9</v>'],
      ['', '', '<v>510107198001011234</v>'],
      ['', 's="1"', '<v>43529</v>'],
      ['', '', '<v> 12.5 </v>'],
      ['t="inlineStr"', '', '<is><t>行内</t></is>'],
      ['t="inlineStr"', '', '<is><t xml:space="preserve"> 空格 </t></is>'],
      ['t="e"', '', '<v>#N/A</v>'],
      ['t="e"', '', '<v></v>'],
      ['t="b"', '', '<v>1</v>'],
      ['t="str"', '', '<v>x_x000D_y</v>'],
      ['', 's="1"', ''],
    ];
    const rows: string[] = [];
    for (let r = 1; r <= 400; r += 2) {
      const plain = cells.map(([t, st, body], c) => {
        const attrs = ` r="${String.fromCharCode(65 + c)}${r}"${st ? ` ${st}` : ''}${t ? ` ${t}` : ''}`;
        return body ? `<c${attrs}>${body}</c>` : `<c${attrs}/>`;
      });
      const spelled = cells.map(([t, st, body], c) => {
        const attrs = `${t ? ` ${t}` : ''} r="${String.fromCharCode(65 + c)}${r + 1}"${st ? ` ${st}` : ''} cm="1" `;
        return body ? `<c${attrs}>${body}</c>` : `<c${attrs}/>`;
      });
      rows.push(`<row r="${r}">${plain.join('')}</row><row r="${r + 1}">${spelled.join('')}</row>`);
    }
    const sheet = `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows.join('')}</sheetData></worksheet>`;
    const read = await readAll(workbookWith(sheet, strings));
    expect(read).toHaveLength(400);
    for (let i = 0; i < read.length; i += 2) {
      expect(read[i + 1]!.cells).toEqual(read[i]!.cells);
    }
    expect(texts(read[0]!)).toEqual([
      '张三',
      '',
      'a&b',
      '',
      '510107198001011234',
      '2019-03-05',
      '12.5',
      '行内',
      '空格',
      '#N/A',
      '',
      '是',
      'x\ry',
    ]);
  });

  it('counts the rows with a value of their own without making the values', async () => {
    const strings = ['标题', '姓名', '身份证号码', '备注', '张三', '  ', '第一党支部'];
    const c = (ref: string, body: string, t = 's') => `<c r="${ref}" t="${t}">${body}</c>`;
    const sheet = `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
      <row r="1">${c('A1', '<v>0</v>')}</row>
      <row r="2">${c('A2', '<v>1</v>')}${c('B2', '<v>2</v>')}${c('C2', '<v>3</v>')}</row>
      <row r="3">${c('A3', '<v>4</v>')}${c('B3', '<v>510107198001011234</v>', 'n')}${c('C3', '<v>6</v>')}</row>
      <row r="4">${c('C4', '<v>6</v>')}</row>
      <row r="5">${c('A5', '<v>5</v>')}${c('B5', '<is><t> </t></is>', 'inlineStr')}</row>
      <row r="6">${c('A6', '<v></v>', 'e')}${c('C6', '<v>6</v>')}</row>
      <row r="7">${c('A7', '<v>#N/A</v>', 'e')}</row>
      <row r="8">${c('A8', '<v>4</v>')}${c('A8', '<v></v>', 'e')}</row>
      <row r="9"><c r="A9"><v>7</v></c></row>
      <row r="10">${c('A10', '<v>99</v>')}${c('B10', '<v>1</v>', 'b')}</row>
      </sheetData><mergeCells count="1"><mergeCell ref="C3:C7"/><mergeCell ref="A3:A4"/></mergeCells></worksheet>`;
    const buf = workbookWith(sheet, strings);
    const wb = await openXlsx(buf, await guardXlsx(buf, 'x.xlsx'));
    const s = wb.sheets[0]!;
    // Name and ID columns: rows 3 (both), 7 (an error value), 9 (a number) and 10 (a boolean;
    // its A cell names no string); not 4 (its name is merged down from row 3), 5 and 6 (blank,
    // an error without a code), nor 8 (the last value of its A cell is an empty error).
    expect(await wb.countRows(s, { after: 2, columns: [0, 1] })).toBe(4);
    expect(await wb.countRows(s, { after: 2, columns: [0, 1, 2] })).toBe(6);
    // Any column: every row after the header with something in it but rows 5 and 8.
    expect(await wb.countRows(s, { after: 2, columns: null })).toBe(6);
    expect(await wb.countRows(s, { after: 0, columns: null })).toBe(8);
    // The same as counting the rows read in full.
    for (const columns of [[0, 1], [0, 1, 2], null]) {
      let n = 0;
      for await (const r of wb.rows(s)) {
        const own = (i: number) => !r.filled?.includes(i) && cellText(r.cells[i]) !== '';
        if (r.row > 2 && (columns ? columns.some(own) : r.cells.some((_v, i) => own(i)))) n++;
      }
      expect(await wb.countRows(s, { after: 2, columns })).toBe(n);
    }
  });

  it('knows date formats and cell references', () => {
    expect(isDateFormat('yyyy"年"m"月"')).toBe(true);
    expect(isDateFormat('[$-F800]dddd, mmmm dd, yyyy')).toBe(true);
    expect(isDateFormat('0.00')).toBe(false);
    expect(isDateFormat('@')).toBe(false);
    expect(isDateFormat('"Day"0')).toBe(false);
    expect(decodeRef('A1')).toEqual({ col: 0, row: 1 });
    expect(decodeRef('AB12')).toEqual({ col: 27, row: 12 });
    expect(decodeRef('1A')).toBeNull();
  });
});
