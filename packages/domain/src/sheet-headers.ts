/**
 * Matching the column titles of real ledgers to our fields (issue 3 §6). Titles vary by county
 * and by year's template; these are the usual ones. Matching ignores spaces, full-width forms,
 * required-field stars and notes in brackets: "身份证号码（18位）*" → idNumber.
 */

export const SHEET_FIELDS = {
  name: ['姓名', '党员姓名', '名字'],
  gender: ['性别'],
  ethnicity: ['民族'],
  birthDate: ['出生日期', '出生年月', '出生时间'],
  idNumber: ['身份证号', '身份证号码', '公民身份号码', '身份证', '证件号码', '身份证件号码'],
  education: ['学历', '文化程度', '最高学历'],
  phone: ['联系电话', '手机', '手机号', '手机号码', '联系方式', '电话', '电话号码'],
  homeAddress: ['家庭住址', '户籍地址', '家庭地址', '住址', '户籍所在地'],
  currentAddress: ['现居住地', '现住址', '现居住地址', '居住地址'],
  joinedOn: ['入党时间', '入党日期', '入党年月'],
  fullMemberOn: ['转正时间', '转正日期', '转正年月'],
  membership: ['党员类别', '人员类别', '党员类型', '正式/预备'],
  orgName: [
    '所在党组织',
    '所在党支部',
    '党组织名称',
    '支部名称',
    '所属党组织',
    '所在支部',
    '党支部',
  ],
  partyPosts: ['党内职务', '职务'],
  emergencyContactName: ['紧急联系人', '紧急联系人姓名'],
  emergencyContactPhone: ['紧急联系人电话', '紧急联系电话'],
  leftOn: ['外出时间', '流出时间', '外出日期', '流出日期', '外出务工时间'],
  destination: ['流入地', '外出地点', '流向', '外出去向', '现工作地', '外出地', '流入地区'],
  destinationAddress: ['外出详细地址', '流入地详细地址', '外出地址', '务工地址'],
  employer: ['工作单位', '务工单位', '外出工作单位', '就业单位'],
  industry: ['所在行业', '行业', '从事行业'],
  reason: ['外出原因', '流动原因', '外出事由'],
  certificateNumber: [
    '流动党员活动证号',
    '活动证编号',
    '活动证号',
    '流动党员活动证编号',
    '活动证号码',
  ],
  hostOrg: ['流入地党组织', '接收党组织', '报到党组织', '流入地党组织名称'],
  checkedInOn: ['报到时间', '报到日期'],
} as const;
export type SheetField = keyof typeof SHEET_FIELDS;

/** The comparable form of a title. */
export function normalizeHeader(title: string): string {
  return title
    .normalize('NFKC') // full-width letters, digits and brackets to their plain forms
    .replace(/\s+/g, '')
    .replace(/[*＊※]/g, '')
    .replace(/\(.*?\)|\[.*?\]|【.*?】/g, '')
    .replace(/[:：]$/, '')
    .toLowerCase();
}

const INDEX = new Map<string, SheetField>();
for (const [field, titles] of Object.entries(SHEET_FIELDS) as [SheetField, readonly string[]][]) {
  for (const t of titles) INDEX.set(normalizeHeader(t), field);
}

export function matchHeader(title: string): SheetField | null {
  return INDEX.get(normalizeHeader(title)) ?? null;
}

/**
 * Maps a header row to column indexes. The first column wins when two titles mean the same
 * field (e.g. 联系电话 and 手机号); the later ones are reported as duplicates so the preview can
 * show them.
 */
export function matchHeaders(titles: readonly (string | null | undefined)[]): {
  columns: Partial<Record<SheetField, number>>;
  unmatched: { index: number; title: string }[];
  duplicates: { index: number; title: string; field: SheetField }[];
} {
  const columns: Partial<Record<SheetField, number>> = {};
  const unmatched: { index: number; title: string }[] = [];
  const duplicates: { index: number; title: string; field: SheetField }[] = [];
  titles.forEach((raw, index) => {
    const title = (raw ?? '').trim();
    if (!title) return;
    const field = matchHeader(title);
    if (!field) unmatched.push({ index, title });
    else if (columns[field] !== undefined) duplicates.push({ index, title, field });
    else columns[field] = index;
  });
  return { columns, unmatched, duplicates };
}
