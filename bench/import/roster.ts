/**
 * A synthetic member roster (fictional people only) as the county's officers would keep it in
 * Excel: a title row, the usual column titles, ID numbers as text. The same rows feed the import
 * (through the .xlsx file) and the COPY baseline (as the stored rows), so both write the same data.
 */
import ExcelJS from 'exceljs';
import {
  EDUCATIONS,
  EDUCATION_LABELS,
  createRng,
  syntheticBirthDate,
  syntheticIdNumber,
  syntheticMobile,
  syntheticName,
  type Rng,
} from '@liudong/domain';

export interface RosterRow {
  name: string;
  gender: 'male' | 'female';
  birthDate: string;
  idNumber: string;
  education: (typeof EDUCATIONS)[number];
  phone: string;
  homeAddress: string;
  joinedOn: string;
  membership: 'full' | 'probationary';
  fullMemberOn: string | null;
  orgName: string;
}

/** Fictional county, region code of the fictional seed (南岭县 uses a real code format only). */
const REGION = '511922';
const TODAY = '2026-11-21';
const LATEST_JOIN = '2026-10-01';
const VILLAGES = ['青石', '白沙', '柳溪', '桂花', '龙泉', '石桥', '枫林', '云台'];

export function branchNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `基准测试第${i + 1}党支部`);
}

function addDaysIso(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function* rosterRows(count: number, branches: readonly string[], seed = 20261121) {
  const rng: Rng = createRng(seed);
  const asOf = new Date('2026-11-21T00:00:00+08:00');
  const ids = new Set<string>();
  for (let i = 0; i < count; i++) {
    const gender = rng.chance(0.7) ? 'male' : 'female';
    const birthDate = syntheticBirthDate(rng, { minAge: 22, maxAge: 80, asOf });
    let idNumber = syntheticIdNumber(rng, { regionCode: REGION, birthDate, gender });
    while (ids.has(idNumber))
      idNumber = syntheticIdNumber(rng, { regionCode: REGION, birthDate, gender });
    ids.add(idNumber);
    // Joined at 18–40, never in the future; within the last year means still probationary.
    let joinedOn = addDaysIso(birthDate, 365 * 18 + 5 + rng.int(0, 365 * 22));
    if (joinedOn > LATEST_JOIN) joinedOn = addDaysIso(LATEST_JOIN, -rng.int(0, 700));
    const probationary = addDaysIso(joinedOn, 365) > TODAY;
    yield {
      name: syntheticName(rng, { gender }),
      gender,
      birthDate,
      idNumber,
      education: rng.pick(EDUCATIONS),
      phone: syntheticMobile(rng),
      homeAddress: `南岭县${rng.pick(VILLAGES)}村${rng.int(1, 12)}组${rng.int(1, 80)}号`,
      joinedOn,
      membership: probationary ? 'probationary' : 'full',
      fullMemberOn: probationary ? null : addDaysIso(joinedOn, 365),
      orgName: branches[i % branches.length]!,
    } satisfies RosterRow;
  }
}

export const ROSTER_HEADER = [
  '序号',
  '姓名',
  '性别',
  '民族',
  '出生日期',
  '身份证号码',
  '学历',
  '联系电话',
  '家庭住址',
  '入党时间',
  '转正时间',
  '党员类别',
  '所在党支部',
];

/** Writes the roster as a real Excel file would hold it (shared strings, a title row). */
export async function writeRosterXlsx(file: string, rows: Iterable<RosterRow>): Promise<number> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
  const ws = wb.addWorksheet('党员名册');
  ws.addRow(['南岭县党员名册（基准测试数据，均为虚构）']).commit();
  ws.addRow(ROSTER_HEADER).commit();
  let n = 0;
  for (const r of rows) {
    n += 1;
    ws.addRow([
      n,
      r.name,
      r.gender === 'male' ? '男' : '女',
      '汉族',
      r.birthDate,
      r.idNumber,
      EDUCATION_LABELS[r.education],
      r.phone,
      r.homeAddress,
      r.joinedOn,
      r.fullMemberOn ?? '',
      r.membership === 'full' ? '正式党员' : '预备党员',
      r.orgName,
    ]).commit();
  }
  ws.commit();
  await wb.commit();
  return n;
}
