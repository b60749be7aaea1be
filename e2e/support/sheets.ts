import ExcelJS from 'exceljs';
import { computeIdCheckChar, convertIdNumber15To18, maskIdNumber } from '@liudong/domain';

// Spreadsheets for the import journey (issue 3 §6), written with exceljs the way a county's
// roster really arrives: a title row and a "填报单位：…" line above a two-row header (group titles
// 基本情况 / 党员信息 merged across their columns, the other titles merged down), the org column
// merged down over the members, ID numbers as text with spaces, full-width, and a legacy 15-digit
// one kept in a number cell, dates as Excel dates, bare serial numbers and 2019.03 / 2019年3月 /
// 2019-3-5 text, and empty-looking rows at the end. Synthetic people only: made-up names (rare
// compound surnames, so that no demo member shares one), region code 510107 and GB 11643 check
// characters computed here.

export interface RosterEntry {
  /** The name as the member list shows it (the sheet may pad it with spaces). */
  name: string;
  gender: 'male' | 'female';
  /** The 18-character number the import stores (a 15-digit one converted, GB 11643). */
  idNumber: string;
  /** Excel's row number of this person in the sheet. */
  row: number;
}

type Cell = string | number | Date | null;

/** The first 17 digits plus the GB 11643 check character. */
const withCheck = (first17: string) => first17 + computeIdCheckChar(first17);
const FULL_WIDTH = (s: string) =>
  s.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
/** 1900-system serial of a calendar day (what Excel stores for a date). */
const excelSerial = (iso: string) =>
  Math.round((Date.parse(`${iso}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000);
const utcDate = (iso: string) => new Date(`${iso}T00:00:00Z`);

const LEGACY_ID15 = '510107680915123';

/** The six people, each written in another of the usual messy ways. */
const PEOPLE = [
  {
    name: '欧阳晓岚',
    nameCell: '欧阳晓岚',
    gender: 'female',
    idNumber: withCheck('51010719860412024'),
    idCell: (id: string): Cell => id,
    birth: '1986.04',
    ethnicity: '汉族',
    joined: '2012.06',
    phone: '13912340001',
  },
  {
    name: '司马文博',
    // Padded to line up with three-character names; stored without the spaces.
    nameCell: '司马  文博',
    gender: 'male',
    idNumber: withCheck('51010719791103013'),
    idCell: (id: string): Cell => `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`,
    birth: utcDate('1979-11-03'),
    ethnicity: '汉',
    joined: '2005年7月',
    phone: '139 1234 0002',
  },
  {
    name: '上官秋菊',
    nameCell: '上官秋菊',
    gender: 'female',
    idNumber: withCheck('51010719900220046'),
    idCell: (id: string): Cell => ` ${FULL_WIDTH(id)}\u3000`,
    birth: '1990年2月',
    ethnicity: '彝族',
    joined: '2016-3-5',
    phone: '13912340003',
  },
  {
    name: '诸葛明远',
    nameCell: '诸葛明远',
    gender: 'male',
    // A legacy 15-digit number in a number cell (15 digits fit a double exactly).
    idNumber: convertIdNumber15To18(LEGACY_ID15),
    idCell: (): Cell => Number(LEGACY_ID15),
    birth: '1968-9-15',
    ethnicity: '汉族',
    joined: excelSerial('1995-07-01'),
    phone: '139 1234 0004',
  },
  {
    name: '东方若溪',
    nameCell: '东方若溪',
    gender: 'female',
    idNumber: withCheck('51010719920808028'),
    idCell: (id: string): Cell => id,
    birth: excelSerial('1992-08-08'),
    ethnicity: '汉族',
    joined: utcDate('2018-06-30'),
    phone: '13912340005',
  },
  {
    name: '慕容清和',
    nameCell: '慕容清和',
    gender: 'male',
    idNumber: withCheck('51010719830125051'),
    idCell: (id: string): Cell => id,
    birth: '1983-01-25',
    ethnicity: '汉族',
    joined: '2009-3-5',
    phone: '13912340006',
  },
] as const;

/** The title row and the 填报单位 line come first; the two header rows are rows 3 and 4. */
export const ROSTER_HEADER_ROWS = [3, 4] as const;
const FIRST_DATA_ROW = 5;

/** The two mistakes of the first version of the sheet, by person. */
export const ROSTER_MISTAKES = {
  /** 东方若溪: the last character of the ID number mistyped. */
  wrongCheckCharacter: 4,
  /** 慕容清和: joined on a day that does not exist. */
  impossibleDate: 5,
} as const;
export const IMPOSSIBLE_JOIN_DATE = '2009-2-30';

/** The ID number with a check character that is not the right one. */
function wrongCheck(idNumber: string): string {
  const right = idNumber.slice(-1);
  const wrong = right === 'X' ? '0' : String((Number(right) + 1) % 10);
  return idNumber.slice(0, 17) + wrong;
}

/** The people of the roster as the import stores them, with their Excel row numbers. */
export function rosterPeople(): RosterEntry[] {
  return PEOPLE.map((p, i) => ({
    name: p.name,
    gender: p.gender,
    idNumber: p.idNumber,
    row: FIRST_DATA_ROW + i,
  }));
}

/** How the member list shows an ID number (first 3 and last character, SECURITY.md 13). */
export const listMaskedIdNumber = (idNumber: string) => maskIdNumber(idNumber, 'list');

/**
 * The messy roster of the branch `orgName`. With `mistakes`, the first version: one ID number
 * with a wrong check character and one impossible join date (ROSTER_MISTAKES); without, the same
 * sheet corrected.
 */
export async function buildMessyRosterSheet(opts: {
  orgName: string;
  mistakes: boolean;
}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('党员花名册');
  const width = 10;
  ws.addRow([`${opts.orgName}党员花名册（2026年）`]);
  ws.mergeCells(1, 1, 1, width);
  ws.addRow([`填报单位：${opts.orgName}`, null, null, null, null, null, null, '填报时间：2026年']);
  ws.addRow([
    '序号',
    '姓名',
    '基本情况',
    null,
    null,
    null,
    '党员信息',
    null,
    '所在党支部',
    '联系电话',
  ]);
  ws.addRow([null, null, '性别', '出生年月', '身份证号码', '民族', '入党时间', '党员类别']);
  for (const range of ['A3:A4', 'B3:B4', 'C3:F3', 'G3:H3', 'I3:I4', 'J3:J4']) ws.mergeCells(range);

  for (const [i, p] of PEOPLE.entries()) {
    let idCell = p.idCell(p.idNumber);
    let joined: Cell = p.joined;
    if (opts.mistakes && i === ROSTER_MISTAKES.wrongCheckCharacter) idCell = wrongCheck(p.idNumber);
    if (opts.mistakes && i === ROSTER_MISTAKES.impossibleDate) joined = IMPOSSIBLE_JOIN_DATE;
    const row = ws.addRow([
      i + 1,
      p.nameCell,
      // Padded gender, as typed to centre it.
      i === 2 ? ` ${p.gender === 'male' ? '男' : '女'} ` : p.gender === 'male' ? '男' : '女',
      p.birth,
      idCell,
      p.ethnicity,
      joined,
      '正式党员',
      i === 0 ? opts.orgName : null,
      p.phone,
    ]);
    row.eachCell((cell) => {
      if (cell.value instanceof Date) cell.numFmt = 'yyyy"年"m"月"d"日"';
    });
  }
  // The org column merged down over all the members.
  const last = FIRST_DATA_ROW + PEOPLE.length - 1;
  ws.mergeCells(`I${FIRST_DATA_ROW}:I${last}`);
  // Trailing rows: empty, a pre-filled 序号 only, blank-looking cells, another 序号.
  ws.addRow([]);
  ws.addRow([PEOPLE.length + 1]);
  ws.addRow([null, ' ', '', null, '\u3000']);
  ws.addRow([PEOPLE.length + 3]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The rows of the first worksheet of an .xlsx as cell texts (for the downloaded report). */
export async function readSheetRows(file: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  if (!ws) return [];
  const rows: string[][] = [];
  ws.eachRow((row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cell.text.trim();
    });
    rows.push(Array.from(cells, (text) => text ?? ''));
  });
  return rows;
}

// --- 流动党员台账 (the ledger a county keeps of its members away) ---------------------------------
//
// For the ledger import journey (issue 3 §6, kind 'ledger'): a branch's 流动党员台账 as counties
// keep it — a title row and a 填报单位 line above a one-row header, no org column (the branch's
// own ledger: every row goes to the default org), leaving dates as 2025.03 / 2025年6月 / 2025-8-1
// text and one real Excel date, destinations written as place names, full (广东省深圳市南山区) or
// short (四川成都双流区), and a 备注 column the import does not take. Five NEW synthetic people:
// compound surnames and given-name characters that `syntheticName` never uses (so that no demo
// member shares a name), region code 510104 (no demo ID number uses it), GB 11643 check
// characters computed here.

export interface LedgerEntry {
  name: string;
  gender: 'male' | 'female';
  /** The 18-character number the import stores. */
  idNumber: string;
  /** Excel's row number of this person in the sheet. */
  row: number;
  /** 外出时间 as the import stores it (YYYY-MM-DD; a month alone is its first day). */
  leftOn: string;
  /** 流入地 as the ledger page names the place (province, city and county in full). */
  destinationName: string;
  /** The destination city as the dashboard's 主要流入地 names it. */
  city: string;
  employer: string;
}

const LEDGER_PEOPLE = [
  {
    name: '公孙墨砚',
    gender: 'male',
    idNumber: withCheck('51010419850317031'),
    joined: '2009.07',
    phone: '13700010001',
    leftOnCell: '2025.03' as Cell,
    leftOn: '2025-03-01',
    destinationCell: '广东省深圳市南山区',
    destinationName: '广东省深圳市南山区',
    city: '深圳市',
    employer: '深圳墨砚电子测试有限公司',
    industry: '制造业',
    reason: '务工',
    note: '',
  },
  {
    name: '宇文蔚然',
    gender: 'female',
    idNumber: withCheck('51010419900708042'),
    joined: '2014年6月',
    phone: '13700010002',
    leftOnCell: '2025年6月' as Cell,
    leftOn: '2025-06-01',
    destinationCell: '四川省成都市武侯区',
    destinationName: '四川省成都市武侯区',
    city: '成都市',
    employer: '成都蔚然餐饮测试有限公司',
    industry: '住宿和餐饮业',
    reason: '经商',
    note: '夫妻同在成都经营餐馆',
  },
  {
    name: '夏侯砚秋',
    gender: 'male',
    idNumber: withCheck('51010419781123015'),
    joined: '2003-7-1',
    phone: '137 0001 0003',
    leftOnCell: '2025-8-1' as Cell,
    leftOn: '2025-08-01',
    // The short way of writing it: province and city without 省 / 市.
    destinationCell: '广东深圳宝安区',
    destinationName: '广东省深圳市宝安区',
    city: '深圳市',
    employer: '深圳宝安砚秋建筑测试有限公司',
    industry: '建筑业',
    // A synonym of 务工.
    reason: '外出务工',
    note: '',
  },
  {
    name: '端木澄溪',
    gender: 'female',
    idNumber: withCheck('51010419950214028'),
    joined: '2017.05',
    phone: '13700010004',
    // Typed as a date: Excel keeps it as a date cell.
    leftOnCell: utcDate('2025-04-15') as Cell,
    leftOn: '2025-04-15',
    destinationCell: '四川成都双流区',
    destinationName: '四川省成都市双流区',
    city: '成都市',
    employer: '成都澄溪软件测试有限公司',
    industry: '信息传输、软件和信息技术服务业',
    reason: '务工',
    note: '',
  },
  {
    name: '南宫骁翊',
    gender: 'male',
    idNumber: withCheck('51010419880930057'),
    joined: '2012年10月',
    phone: '13700010005',
    leftOnCell: '2025年9月' as Cell,
    leftOn: '2025-09-01',
    destinationCell: '广东省深圳市福田区',
    destinationName: '广东省深圳市福田区',
    city: '深圳市',
    employer: '深圳福田骁翊物流测试有限公司',
    industry: '交通运输、仓储和邮政业',
    reason: '务工',
    note: '预计外出两年',
  },
] as const;

/** The title row and the 填报单位 line come first; the header is row 3. */
export const LEDGER_HEADER_ROW = 3;
const LEDGER_FIRST_DATA_ROW = LEDGER_HEADER_ROW + 1;

/** The ledger's column titles, as counties write them; 备注 is not imported. */
export const LEDGER_TITLES = [
  '序号',
  '姓名',
  '性别',
  '身份证号码',
  '入党时间',
  '联系电话',
  '外出时间',
  '流入地',
  '工作单位',
  '所在行业',
  '外出原因',
  '备注',
] as const;

/** The people of the ledger as the import stores them, with their Excel row numbers. */
export function ledgerPeople(): LedgerEntry[] {
  return LEDGER_PEOPLE.map((p, i) => ({
    name: p.name,
    gender: p.gender,
    idNumber: p.idNumber,
    row: LEDGER_FIRST_DATA_ROW + i,
    leftOn: p.leftOn,
    destinationName: p.destinationName,
    city: p.city,
    employer: p.employer,
  }));
}

/** The 流动党员台账 of the branch `orgName` (see above), ready to upload. */
export async function buildLedgerSheet(opts: { orgName: string }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('流动党员台账');
  const width = LEDGER_TITLES.length;
  ws.addRow([`${opts.orgName}流动党员台账（2025年）`]);
  ws.mergeCells(1, 1, 1, width);
  const line = Array<Cell>(width).fill(null);
  line[0] = `填报单位：${opts.orgName}`;
  line[8] = '填报时间：2025年10月';
  ws.addRow(line);
  ws.addRow([...LEDGER_TITLES]);
  for (const [i, p] of LEDGER_PEOPLE.entries()) {
    const row = ws.addRow([
      i + 1,
      p.name,
      p.gender === 'male' ? '男' : '女',
      p.idNumber,
      p.joined,
      p.phone,
      p.leftOnCell,
      p.destinationCell,
      p.employer,
      p.industry,
      p.reason,
      p.note || null,
    ]);
    row.eachCell((cell) => {
      if (cell.value instanceof Date) cell.numFmt = 'yyyy"年"m"月"d"日"';
    });
  }
  // A pre-filled 序号 below the last person: not a data row.
  ws.addRow([LEDGER_PEOPLE.length + 1]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
