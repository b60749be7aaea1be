import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import {
  computeIdCheckChar,
  createRng,
  syntheticIdNumber,
  syntheticMobile,
  syntheticName,
  type Rng,
} from '@liudong/domain';
import { importBatch, importFile, importMapping } from '../../db/schema';
import type { Db } from '../../platform/db';
import type { FieldCipher } from '../../platform/crypto';

/**
 * Spreadsheets as counties really send them (issue 3 §6), built in code with exceljs, and raw
 * ZIP files crafted to attack the upload (SECURITY.md 24). Reused by the server tests and by the
 * end-to-end journeys, which write the same files for a browser to upload. Synthetic people only.
 */

// ---------------------------------------------------------------------------------------------
// Synthetic people

export interface RosterPerson {
  name: string;
  idNumber: string;
  gender: 'male' | 'female';
  birthDate: string;
  phone: string;
  joinedOn: string;
  membership: 'full' | 'probationary';
  fullMemberOn: string | null;
  education: string;
  ethnicity: string;
  homeAddress: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Made-up people with valid ID numbers (born in 成都市武侯区 510107), stable for a seed. */
export function syntheticPeople(count: number, seed = 1): RosterPerson[] {
  const rng: Rng = createRng(seed);
  const used = new Set<string>();
  const out: RosterPerson[] = [];
  while (out.length < count) {
    const gender = rng.chance(0.5) ? 'male' : 'female';
    const year = rng.int(1950, 2000);
    const birthDate = `${year}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;
    const idNumber = syntheticIdNumber(rng, { regionCode: '510107', birthDate, gender });
    if (used.has(idNumber)) continue;
    used.add(idNumber);
    const joinYear = year + rng.int(19, 24);
    const probationary = joinYear >= 2026;
    out.push({
      name: syntheticName(rng, { gender }),
      idNumber,
      gender,
      birthDate,
      phone: syntheticMobile(rng),
      joinedOn: `${Math.min(joinYear, 2025)}-${pad(rng.int(1, 12))}-01`,
      membership: probationary ? 'probationary' : 'full',
      fullMemberOn: null,
      education: rng.pick(['大学本科', '大学专科', '高中', '初中', '研究生']),
      ethnicity: rng.pick(['汉族', '彝族', '藏族']),
      homeAddress: `四川省成都市武侯区某某街道${rng.int(1, 300)}号`,
    });
  }
  return out;
}

/** A valid 15-digit legacy number (born 19YY) and the 18-character number it converts to. */
export function legacyIdNumber(seq: number): { id15: string; id18: string } {
  const id15 = `510107${'750315'}${String(seq % 1000).padStart(3, '0')}`;
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return { id15, id18: first17 + computeIdCheckChar(first17) };
}

const FULL_WIDTH = (s: string) =>
  s.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** 1900-system serial of a calendar day (what Excel stores for a date). */
export function excelSerial(isoDate: string): number {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86_400_000);
}

// ---------------------------------------------------------------------------------------------
// Spreadsheets

export type FixtureCell = string | number | Date | null;

/** A plain sheet: optional title row, a header row, data rows. */
export async function buildSheet(opts: {
  headers: readonly string[];
  rows: readonly (readonly FixtureCell[])[];
  title?: string;
  sheetName?: string;
}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(opts.sheetName ?? 'Sheet1');
  if (opts.title) {
    ws.addRow([opts.title]);
    ws.mergeCells(1, 1, 1, opts.headers.length);
  }
  ws.addRow([...opts.headers]);
  for (const r of opts.rows) {
    const row = ws.addRow(r.map((v) => (v === null ? undefined : v)));
    r.forEach((v, i) => {
      if (v instanceof Date) row.getCell(i + 1).numFmt = 'yyyy-mm-dd';
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** What the messy roster holds, row by row, for the tests to compare with. */
export interface MessyRosterRow {
  row: number;
  orgName: string;
  person: RosterPerson;
  /** The ID number as stored after the import (18 characters, 15-digit ones converted). */
  idNumber: string;
  joinedOn: string;
  phone: string;
}

/**
 * A roster as it really comes: an instructions sheet first; then a title row merged across, a
 * "填报单位：…" line, a two-row header (序号/姓名 merged down, 基本情况 and 党员信息 merged across
 * their columns), org names merged down over their members, ID numbers as text, with spaces,
 * full-width, and legacy 15-digit ones stored as numbers, dates as Excel dates, as serial
 * numbers and as 2019.03 / 2019年3月 / 2019-3-5 text, and empty rows (and a row with only its
 * 序号) at the end.
 */
export async function buildMessyRoster(opts: {
  orgNames: readonly [string, string];
  people?: RosterPerson[];
}): Promise<{ file: Buffer; rows: MessyRosterRow[]; headerRow: number }> {
  const people = opts.people ?? syntheticPeople(8, 42);
  const wb = new ExcelJS.Workbook();
  const notes = wb.addWorksheet('填表说明');
  notes.addRow(['1. 本表由各党支部填写，身份证号码请设为文本格式。']);
  notes.addRow(['2. 日期可写成 2019年3月 或 2019-3-5。']);
  const ws = wb.addWorksheet('党员名册');
  const width = 12;
  ws.addRow(['某某镇党员花名册（2026年）']);
  ws.mergeCells(1, 1, 1, width);
  ws.addRow([
    '填报单位：某某镇党委',
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    '填报时间：2026年11月',
  ]);
  ws.addRow([
    '序号',
    '姓名',
    '基本情况',
    null,
    null,
    null,
    '党员信息',
    null,
    null,
    '所在党支部',
    '联系电话',
    '家庭住址',
  ]);
  ws.addRow([
    null,
    null,
    '性别',
    '出生年月',
    '身份证号码',
    '民族',
    '入党时间',
    '转正时间',
    '党员类别',
  ]);
  ws.mergeCells('A3:A4');
  ws.mergeCells('B3:B4');
  ws.mergeCells('C3:F3');
  ws.mergeCells('G3:I3');
  ws.mergeCells('J3:J4');
  ws.mergeCells('K3:K4');
  ws.mergeCells('L3:L4');

  const rows: MessyRosterRow[] = [];
  const joinedForms: ((iso: string) => FixtureCell)[] = [
    (iso) => `${iso.slice(0, 4)}.${iso.slice(5, 7)}`, // 2019.03
    (iso) => `${iso.slice(0, 4)}年${Number(iso.slice(5, 7))}月`, // 2019年3月
    (iso) => `${iso.slice(0, 4)}-${Number(iso.slice(5, 7))}-${Number(iso.slice(8, 10))}`, // 2019-3-5
    (iso) => excelSerial(iso), // a bare serial number
    (iso) => new Date(`${iso}T00:00:00Z`), // a real date cell
  ];
  let excelRow = 5;
  for (const [i, p] of people.entries()) {
    let idCell: FixtureCell = p.idNumber;
    let idNumber = p.idNumber;
    let birthCell: FixtureCell = `${p.birthDate.slice(0, 4)}.${p.birthDate.slice(5, 7)}`;
    let gender: string = p.gender === 'male' ? '男' : '女';
    switch (i % 4) {
      case 1:
        idCell = `${p.idNumber.slice(0, 6)} ${p.idNumber.slice(6, 14)} ${p.idNumber.slice(14)}`;
        birthCell = new Date(`${p.birthDate}T00:00:00Z`);
        break;
      case 2:
        idCell = ` ${FULL_WIDTH(p.idNumber)}\u3000`;
        birthCell = `${p.birthDate.slice(0, 4)}年${Number(p.birthDate.slice(5, 7))}月`;
        gender = ` ${gender} `;
        break;
      case 3: {
        // A legacy number kept in a number cell (15 digits fit a double exactly).
        const legacy = legacyIdNumber(100 + i * 2 + (p.gender === 'male' ? 1 : 0));
        idCell = Number(legacy.id15);
        idNumber = legacy.id18;
        birthCell = '1975-3-15';
        gender = p.gender === 'male' ? '男' : '女';
        break;
      }
    }
    const joined = i % 4 === 3 ? '2001-07-01' : p.joinedOn;
    const form = joinedForms[i % joinedForms.length]!;
    // The legacy people are born 1975-03-15 whatever the synthetic birth date said.
    const person = i % 4 === 3 ? { ...p, birthDate: '1975-03-15' } : p;
    const joinedOn =
      form === joinedForms[0] || form === joinedForms[1] ? `${joined.slice(0, 7)}-01` : joined;
    const orgName = i < people.length / 2 ? opts.orgNames[0] : opts.orgNames[1];
    const first = i === 0 || i === Math.ceil(people.length / 2);
    const r = ws.addRow([
      i + 1,
      i === 5 ? `${p.name.slice(0, 1)}  ${p.name.slice(1)}` : p.name,
      gender,
      birthCell,
      idCell,
      p.ethnicity,
      form(joined),
      null,
      p.membership === 'probationary' ? '预备党员' : '正式党员',
      first ? orgName : null,
      i % 2 === 0 ? p.phone : `${p.phone.slice(0, 3)} ${p.phone.slice(3, 7)} ${p.phone.slice(7)}`,
      p.homeAddress,
    ]);
    r.eachCell((cell) => {
      if (cell.value instanceof Date) cell.numFmt = 'yyyy"年"m"月"d"日"';
    });
    rows.push({
      row: excelRow,
      orgName,
      person: { ...person, idNumber, gender: p.gender },
      idNumber,
      joinedOn,
      phone: p.phone,
    });
    excelRow++;
  }
  // The org column merged down over each branch's members.
  const half = Math.ceil(people.length / 2);
  ws.mergeCells(5, 10, 4 + half, 10);
  ws.mergeCells(5 + half, 10, 4 + people.length, 10);
  // Trailing rows that are empty, blank-looking, or hold only a pre-filled 序号.
  ws.addRow([]);
  ws.addRow([people.length + 1]);
  ws.addRow([null, ' ', '', null, '\u3000']);
  ws.addRow([people.length + 3]);
  return { file: Buffer.from(await wb.xlsx.writeBuffer()), rows, headerRow: 4 };
}

export interface LedgerEntry {
  person: RosterPerson;
  orgName: string;
  leftOn: FixtureCell;
  destination: string;
  destinationAddress?: string;
  employer?: string;
  industry?: string;
  reason?: string;
}

/** A mobility ledger with a title row and a two-row header (外出情况 merged over its columns). */
export async function buildLedger(entries: readonly LedgerEntry[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('流动党员台账');
  ws.addRow(['流动党员管理台账']);
  ws.mergeCells(1, 1, 1, 11);
  ws.addRow(['姓名', '身份证号码', '性别', '联系电话', '所在党支部', '外出情况']);
  ws.addRow([
    null,
    null,
    null,
    null,
    null,
    '外出时间',
    '流入地',
    '外出详细地址',
    '工作单位',
    '所在行业',
    '外出原因',
  ]);
  for (const c of ['A', 'B', 'C', 'D', 'E']) ws.mergeCells(`${c}2:${c}3`);
  ws.mergeCells('F2:K2');
  for (const e of entries) {
    const row = ws.addRow([
      e.person.name,
      e.person.idNumber,
      e.person.gender === 'male' ? '男' : '女',
      e.person.phone,
      e.orgName,
      e.leftOn,
      e.destination,
      e.destinationAddress ?? null,
      e.employer ?? null,
      e.industry ?? null,
      e.reason ?? null,
    ]);
    if (e.leftOn instanceof Date) row.getCell(6).numFmt = 'yyyy-mm-dd';
  }
  ws.addRow([]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------------
// Raw ZIP files, for the upload's gate

export interface RawZipEntry {
  name: string;
  data: Buffer;
  /** 8 (deflate, default) or 0 (stored). */
  method?: 0 | 8;
  /** Already-compressed bytes (with `size`): for bombs too large to hold inflated. */
  compressed?: Buffer;
  /** The inflated size to declare (a lie, for a bomb); default the real one. */
  declaredSize?: number;
  crc32?: number;
}

/** A ZIP writer small enough to make files no honest tool would write. */
export function buildZip(entries: readonly RawZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const method = e.method ?? 8;
    const body = e.compressed ?? (method === 8 ? zlib.deflateRawSync(e.data) : e.data);
    const size = e.declaredSize ?? e.data.length;
    const crc = e.crc32 ?? zlib.crc32(e.data);
    const name = Buffer.from(e.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

const CONTENT_TYPES = (main: string, extra = '') =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="${main}"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>${extra}</Types>`;
const XLSX_MAIN = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml';
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;

/** A hand-written worksheet with inline strings (no shared strings, no styles). */
export function sheetXml(rows: readonly (readonly string[])[]): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const body = rows
    .map(
      (r, i) =>
        `<row r="${i + 1}">${r
          .map(
            (v, c) =>
              `<c r="${String.fromCharCode(65 + c)}${i + 1}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`,
          )
          .join('')}</row>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData></worksheet>`;
}

/** The parts of a minimal valid workbook; tests add, drop or corrupt parts. */
export function minimalXlsxEntries(
  sheet: string = sheetXml([['姓名', '身份证号码']]),
): RawZipEntry[] {
  return [
    { name: '[Content_Types].xml', data: Buffer.from(CONTENT_TYPES(XLSX_MAIN)) },
    { name: '_rels/.rels', data: Buffer.from(ROOT_RELS) },
    { name: 'xl/workbook.xml', data: Buffer.from(WORKBOOK) },
    { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(WORKBOOK_RELS) },
    { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(sheet) },
  ];
}

/** A macro-enabled workbook (.xlsm): a VBA project and the macro content type. */
export function macroWorkbook(): Buffer {
  const entries = minimalXlsxEntries();
  entries[0] = {
    name: '[Content_Types].xml',
    data: Buffer.from(
      CONTENT_TYPES(
        'application/vnd.ms-excel.sheet.macroEnabled.main+xml',
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
      ),
    ),
  };
  entries.push({ name: 'xl/vbaProject.bin', data: Buffer.from('Attribute VB_Name = "Module1"') });
  return buildZip(entries);
}

/**
 * A zip bomb whose worksheet declares `declaredSize` bytes and inflates to `inflatedMb` MB of
 * XML-looking zeros. Built from one sync-flushed deflate block repeated, so making it costs a
 * few MB whatever it expands to.
 */
export function zipBomb(opts: { inflatedMb: number; declaredSize?: number }): Buffer {
  const block = zlib.deflateRawSync(Buffer.alloc(1024 * 1024, 0x20), {
    finishFlush: zlib.constants.Z_SYNC_FLUSH,
  });
  const end = zlib.deflateRawSync(Buffer.alloc(0));
  const compressed = Buffer.concat([...Array.from({ length: opts.inflatedMb }, () => block), end]);
  const entries = minimalXlsxEntries();
  entries[4] = {
    name: 'xl/worksheets/sheet1.xml',
    data: Buffer.alloc(0),
    compressed,
    declaredSize: opts.declaredSize ?? 4096,
    crc32: 0,
  };
  return buildZip(entries);
}

// ---------------------------------------------------------------------------------------------
// Records for the authorization matrix

let fixtureSeq = 0;

/** A valid ID number unique within the test process (birth 1985, region 510107). */
export function nextImportIdNumber(): string {
  fixtureSeq++;
  const first17 = `51010719850${(fixtureSeq % 9) + 1}${String(10 + (Math.floor(fixtureSeq / 9) % 18)).padStart(2, '0')}${String(fixtureSeq % 1000).padStart(3, '0')}`;
  return first17 + computeIdCheckChar(first17);
}

/**
 * An uploaded (or committed) batch of one valid row, written straight to the tables with its
 * file encrypted as the service stores it: what the matrix needs at each position.
 */
export async function addImportBatchFixture(
  t: { db: Db; cipher: FieldCipher },
  o: {
    orgId: string;
    status?: 'uploaded' | 'committed';
    now?: Date;
    /** Marks the batch as checked with these options' default org (the error report needs it). */
    checkedWith?: string;
  },
): Promise<string> {
  const file = await buildSheet({
    headers: ['姓名', '身份证号码'],
    rows: [[`矩阵导入${++fixtureSeq}`, nextImportIdNumber()]],
  });
  const now = o.now ?? new Date('2026-11-20T02:00:00Z');
  const status = o.status ?? 'uploaded';
  const [row] = await t.db
    .insert(importBatch)
    .values({
      kind: 'members',
      orgId: o.orgId,
      fileName: 'matrix.xlsx',
      fileSha256: `fixture-${fixtureSeq}`,
      fileSize: file.length,
      sheetName: 'Sheet1',
      sheets: ['Sheet1'],
      headerRow: 1,
      headerRows: 1,
      columns: [
        { index: 0, title: '姓名', field: 'name' },
        { index: 1, title: '身份证号码', field: 'idNumber' },
      ],
      totalRows: 1,
      ...(o.checkedWith
        ? {
            mapping: fixtureOptions(o.checkedWith).mapping,
            dedupe: 'skip',
            defaultOrgId: o.checkedWith,
          }
        : {}),
      status,
      createdAt: now,
      // Far enough ahead that the tests' clocks never pass it.
      expiresAt: new Date(now.getTime() + 365 * 86_400_000),
      committedAt: status === 'committed' ? now : null,
    })
    .returning({ id: importBatch.id });
  if (status === 'uploaded')
    await t.db.insert(importFile).values({
      batchId: row!.id,
      contentEnc: t.cipher.encrypt(file.toString('base64'), 'import_file.content'),
    });
  return row!.id;
}

export async function addImportMappingFixture(t: { db: Db }, orgId: string): Promise<string> {
  const [row] = await t.db
    .insert(importMapping)
    .values({
      orgId,
      kind: 'members',
      name: `矩阵方案${++fixtureSeq}`,
      columns: [{ title: '姓名', field: 'name' }],
      createdAt: new Date('2026-11-20T02:00:00Z'),
      updatedAt: new Date('2026-11-20T02:00:00Z'),
    })
    .returning({ id: importMapping.id });
  return row!.id;
}

/** Options for a fixture batch: its two columns, into the given branch. */
export function fixtureOptions(defaultOrgId: string) {
  return {
    mapping: [
      { index: 0, field: 'name' as const },
      { index: 1, field: 'idNumber' as const },
    ],
    dedupe: 'skip' as const,
    defaultOrgId,
  };
}
