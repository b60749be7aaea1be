import type { ImportKind, ImportRowError } from '@liudong/contracts';
import {
  ID_NUMBER_MESSAGES,
  PHONE_MESSAGE,
  maskAddress,
  maskIdNumber,
  maskName,
  maskPhone,
  normalizeIdNumber,
  normalizePhoneInput,
  parseEducation,
  parseGender,
  parseIdNumber,
  parseIndustry,
  parseLooseDate,
  parseMembership,
  parsePhone,
  parseReason,
  type Education,
  type Gender,
  type Industry,
  type Membership,
  type MobilityReason,
  type RegionMatch,
  type SheetField,
} from '@liudong/domain';
import {
  SheetDate,
  SheetError,
  SheetLongNumber,
  cellText,
  type CellValue,
  type SheetRow,
} from '../../platform/xlsx-reader';

/**
 * One sheet row → the record it asks for, or its errors (SECURITY.md 25: every row validated —
 * ID checksum and birth date, phone, dates, the org within the importer's scope — and reported
 * by row number and column title). Pure apart from the lookups passed in.
 */

export interface ImportOrg {
  id: string;
  name: string;
  path: string;
  kind: string;
  dissolvedOn: string | null;
}

export type OrgLookup = (
  name: string,
) => { ok: true; org: ImportOrg } | { ok: false; message: string };

export interface RowContext {
  kind: ImportKind;
  asOf: Date;
  /** Today in China, YYYY-MM-DD. */
  today: string;
  /** field → sheet column index. */
  columns: ReadonlyMap<SheetField, number>;
  /** sheet column index → title as read. */
  titles: ReadonlyMap<number, string>;
  findOrg: OrgLookup;
  defaultOrg: ImportOrg | null;
  matchRegion: (text: string) => RegionMatch;
}

/** Member fields as the sheet gives them; undefined = column absent or cell empty. */
export interface MemberValues {
  name: string;
  gender: Gender;
  birthDate: string;
  idNumber: string;
  ethnicity?: string;
  education?: Education;
  phone?: string;
  homeAddress?: string;
  currentAddress?: string;
  joinedOn?: string;
  fullMemberOn?: string;
  membership?: Membership;
  partyPosts?: string;
  emergencyContactName?: string;
  emergencyContactPhone?: string;
}

export interface EpisodeValues {
  leftOn: string;
  destinationRegionCode: string;
  /** Undefined when the sheet has no reason: a new episode is registered as 其他. */
  reason?: MobilityReason;
  destinationAddress?: string;
  employer?: string;
  industry?: Industry;
  hostOrgText?: string;
  checkedInOn?: string;
}

export interface Candidate {
  row: number;
  org: ImportOrg;
  member: MemberValues;
  episode: EpisodeValues | null;
}

export type RowResult =
  | { kind: 'empty' }
  | { kind: 'ok'; candidate: Candidate }
  | { kind: 'error'; errors: ImportRowError[] };

/** Members belong to branches, never to a committee or a Party group (DOMAIN.md §7). */
export const MEMBER_ORG_KINDS = [
  'branch',
  'general_branch',
  'temporary_branch',
  'online_branch',
  'mobile_party_org',
];

// Masked in the form the value will be stored in (spaces and full-width digits gone), so that a
// messy cell looks like every other masked value: 510***…***6, 137****0003, 司**.
const compactName = (v: string) => v.replace(/\s+/gu, '');
const MASK: Partial<Record<SheetField, (v: string) => string>> = {
  name: (v) => maskName(compactName(v)),
  idNumber: (v) => maskIdNumber(normalizeIdNumber(v), 'list'),
  phone: (v) => maskPhone(normalizePhoneInput(v)),
  homeAddress: maskAddress,
  currentAddress: maskAddress,
  emergencyContactName: (v) => maskName(compactName(v)),
  emergencyContactPhone: (v) => maskPhone(normalizePhoneInput(v)),
  destinationAddress: maskAddress,
};

/** A cell value for a report or a preview: personal data masked (SECURITY.md 13). */
export function maskedValue(field: SheetField | null, text: string): string {
  if (!text) return '';
  const mask = field ? MASK[field] : undefined;
  return mask ? mask(text) : text.slice(0, 100);
}

const HAN = /\p{Script=Han}/u;
const TEXT_LIMITS: Partial<Record<SheetField, number>> = {
  name: 40,
  ethnicity: 20,
  homeAddress: 200,
  currentAddress: 200,
  partyPosts: 100,
  emergencyContactName: 40,
  destinationAddress: 200,
  employer: 100,
  hostOrg: 100,
};

/**
 * What parseLooseDate gets for a date cell: an Excel date as its serial; a plain number typed as
 * a year or as digits (2019, 201903, 20190305) as that text, not as a serial day number.
 */
function dateInput(v: CellValue): string | number {
  if (v instanceof SheetDate) return v.serial;
  if (v instanceof SheetLongNumber) return v.digits;
  if (typeof v === 'number' && Number.isInteger(v)) {
    const digits = String(v);
    if (/^(19|20)\d{2}(\d{2}(\d{2})?)?$/.test(digits)) return digits;
    return v;
  }
  if (typeof v === 'boolean' || v instanceof SheetError) return '';
  return v;
}

function addYears(date: string, years: number): string {
  return `${String(Number(date.slice(0, 4)) + years).padStart(4, '0')}${date.slice(4)}`;
}

/** One sheet row → its record or its errors; see RowParser. */
export function parseRow(r: SheetRow, ctx: RowContext): RowResult {
  return createRowParser(ctx)(r);
}

/**
 * A parser for the rows of one run: what depends only on the run (which columns hold which
 * field) is worked out once here, not per row. Its working state lives on the instance and its
 * steps are methods, so that a row allocates no closures: at 100,000 rows, the closures and
 * their names (tsx keeps function names) cost more than some of the checks (issue 3 §10).
 */
export function createRowParser(ctx: RowContext): (r: SheetRow) => RowResult {
  const parser = new RowParser(ctx);
  return (r) => parser.parse(r);
}

class RowParser {
  /** The mapped columns, for the empty-row test. */
  private readonly mapped: number[];
  private r!: SheetRow;
  private errors: ImportRowError[] = [];

  constructor(private readonly ctx: RowContext) {
    this.mapped = [...ctx.columns.values()];
  }

  private cellOf(field: SheetField): CellValue | undefined {
    const index = this.ctx.columns.get(field);
    if (index === undefined) return undefined;
    return this.r.cells[index];
  }

  private fail(field: SheetField | null, message: string, raw?: string) {
    const index = field ? this.ctx.columns.get(field) : undefined;
    this.errors.push({
      row: this.r.row,
      column: index !== undefined ? (this.ctx.titles.get(index) ?? null) : null,
      value: raw ? maskedValue(field, raw) : null,
      message,
    });
  }

  /** Trimmed text of a cell; undefined when empty or an error value (reported). */
  private text(field: SheetField): string | undefined {
    const v = this.cellOf(field);
    if (v instanceof SheetError) {
      this.fail(field, `单元格是错误值 ${v.code}，请填写内容`, v.code);
      return undefined;
    }
    let t = cellText(v);
    if (!t) return undefined;
    const limit = TEXT_LIMITS[field];
    if (field === 'name' || field === 'emergencyContactName') {
      // Names are padded with spaces to line up (张  三); Latin names keep single spaces.
      t = HAN.test(t) ? t.replace(/\s+/g, '') : t.replace(/\s+/g, ' ');
    }
    // The limit counts characters, not UTF-16 units: a text within it in units is within it.
    if (limit && t.length > limit && Array.from(t).length > limit) {
      this.fail(field, `内容过长（不超过 ${limit} 个字）`, t);
      return undefined;
    }
    return t;
  }

  private date(field: SheetField, label: string): string | undefined {
    const v = this.cellOf(field);
    if (v === undefined || (typeof v === 'string' && v.trim() === '')) return undefined;
    if (v instanceof SheetError) {
      this.fail(field, `单元格是错误值 ${v.code}，请填写日期`, v.code);
      return undefined;
    }
    const parsed = parseLooseDate(dateInput(v));
    if (!parsed.ok) {
      this.fail(field, `${label}：${parsed.message}`, cellText(v));
      return undefined;
    }
    if (parsed.date > this.ctx.today) {
      this.fail(field, `${label}不能晚于今天`, parsed.date);
      return undefined;
    }
    return parsed.date;
  }

  private phone(field: 'phone' | 'emergencyContactPhone'): string | undefined {
    const t = this.text(field);
    if (t === undefined) return undefined;
    const parsed = parsePhone(t);
    if (parsed.ok) return parsed.phone;
    this.fail(field, PHONE_MESSAGE, t);
    return undefined;
  }

  /**
   * Empty: no mapped column holds a value typed in this row (merged values copied down, such
   * as an org merged over the rows below, do not make a row).
   */
  private isEmpty(r: SheetRow): boolean {
    for (const index of this.mapped) {
      if (r.filled?.includes(index)) continue;
      if (cellText(r.cells[index]) !== '') return false;
    }
    return true;
  }

  parse(r: SheetRow): RowResult {
    if (this.isEmpty(r)) return { kind: 'empty' };
    const ctx = this.ctx;
    this.r = r;
    const errors: ImportRowError[] = [];
    this.errors = errors;

    // --- ID number: required, GB 11643 checksum and birth date; numbers stored as numbers.
    let id: Extract<ReturnType<typeof parseIdNumber>, { ok: true }> | null = null;
    const idCell = this.cellOf('idNumber');
    if (idCell === undefined || cellText(idCell) === '') {
      this.fail('idNumber', '请填写身份证号码');
    } else if (typeof idCell === 'number' && !(Number.isSafeInteger(idCell) && idCell < 1e15)) {
      // A number cell keeps 15 significant digits: an 18-digit number has lost its last ones.
      this.fail('idNumber', ID_NUMBER_MESSAGES.scientificNotation, String(idCell));
    } else if (idCell instanceof SheetLongNumber && idCell.digits.endsWith('000')) {
      // Excel's own rounding of an 18-digit number typed into a number cell.
      this.fail('idNumber', ID_NUMBER_MESSAGES.scientificNotation, idCell.digits);
    } else {
      const raw = cellText(idCell);
      const parsed = parseIdNumber(raw, { asOf: ctx.asOf });
      if (parsed.ok) id = parsed;
      else this.fail('idNumber', parsed.message, raw);
    }

    const beforeName = errors.length;
    const name = this.text('name');
    if (name === undefined && errors.length === beforeName) this.fail('name', '请填写姓名');

    // --- Birth date and gender must agree with the ID number (GB 11643 §5.3).
    const birthCell = this.cellOf('birthDate');
    if (
      birthCell !== undefined &&
      cellText(birthCell) !== '' &&
      !(birthCell instanceof SheetError)
    ) {
      const parsed = parseLooseDate(dateInput(birthCell));
      if (!parsed.ok) this.fail('birthDate', `出生日期：${parsed.message}`, cellText(birthCell));
      else if (id) {
        const n = parsed.precision === 'day' ? 10 : parsed.precision === 'month' ? 7 : 4;
        if (parsed.date.slice(0, n) !== id.birthDate.slice(0, n))
          this.fail('birthDate', '出生日期与身份证号码中的出生日期不符', cellText(birthCell));
      }
    }
    let gender: Gender | undefined = id?.gender;
    const genderText = this.text('gender');
    if (genderText !== undefined) {
      const g = parseGender(genderText);
      if (!g) this.fail('gender', '性别应填写“男”或“女”', genderText);
      else if (id && g !== id.gender)
        this.fail(
          'gender',
          '性别与身份证号码不符（身份证号码第17位奇数为男、偶数为女）',
          genderText,
        );
      else gender ??= g;
    }

    let ethnicity = this.text('ethnicity');
    // 汉 → 汉族, 蒙古 → 蒙古族: the register writes the full name of the 民族.
    if (ethnicity && /^\p{Script=Han}{1,4}$/u.test(ethnicity) && !/(族|其他|其它)$/.test(ethnicity))
      ethnicity += '族';

    let education: Education | undefined;
    const educationText = this.text('education');
    if (educationText !== undefined) {
      const e = parseEducation(educationText);
      if (e) education = e;
      else
        this.fail(
          'education',
          `无法识别的学历“${educationText.slice(0, 20)}”，可填写：研究生、大学本科、大学专科、中专、高中、初中、小学及以下`,
          educationText,
        );
    }

    const joinedOn = this.date('joinedOn', '入党时间');
    const fullMemberOn = this.date('fullMemberOn', '转正时间');
    let membership: Membership | undefined;
    const membershipText = this.text('membership');
    if (membershipText !== undefined) {
      const m = parseMembership(membershipText);
      if (m) membership = m;
      else this.fail('membership', '党员类别应填写“正式党员”或“预备党员”', membershipText);
    }
    if (id && joinedOn && joinedOn < addYears(id.birthDate, 18))
      this.fail('joinedOn', '入党时间早于年满18周岁（《党章》第一条），请核对', joinedOn);
    if (membership === 'probationary' && fullMemberOn)
      this.fail('fullMemberOn', '预备党员尚未转正，不能填写转正时间', fullMemberOn);
    else if (joinedOn && fullMemberOn && fullMemberOn < joinedOn)
      this.fail('fullMemberOn', '转正时间不能早于入党时间', fullMemberOn);

    const memberPhone = this.phone('phone');
    const emergencyPhone = this.phone('emergencyContactPhone');
    const homeAddress = this.text('homeAddress');
    const currentAddress = this.text('currentAddress');
    const partyPosts = this.text('partyPosts');
    const emergencyContactName = this.text('emergencyContactName');

    // --- The org: by exact name within the importer's scope, else the default org.
    let org: ImportOrg | null = null;
    const orgName = this.text('orgName');
    if (orgName !== undefined) {
      const found = ctx.findOrg(orgName);
      if (found.ok) org = found.org;
      else this.fail('orgName', found.message, orgName);
    } else if (ctx.defaultOrg) {
      org = ctx.defaultOrg;
    } else {
      this.fail('orgName', '未填写所在党组织，请填写本列或在导入时选择默认党组织');
    }

    const episode = ctx.kind === 'ledger' ? this.episode() : null;

    if (errors.length > 0 || !id || !name || !gender || !org) {
      if (errors.length === 0) this.fail(null, '该行数据不完整');
      return { kind: 'error', errors };
    }
    // Optional values only when present (undefined = column absent or cell empty).
    const member: MemberValues = { name, gender, birthDate: id.birthDate, idNumber: id.idNumber };
    if (ethnicity) member.ethnicity = ethnicity;
    if (education) member.education = education;
    if (memberPhone) member.phone = memberPhone;
    if (homeAddress) member.homeAddress = homeAddress;
    if (currentAddress) member.currentAddress = currentAddress;
    if (joinedOn) member.joinedOn = joinedOn;
    if (fullMemberOn) member.fullMemberOn = fullMemberOn;
    if (membership) member.membership = membership;
    if (partyPosts) member.partyPosts = partyPosts;
    if (emergencyContactName) member.emergencyContactName = emergencyContactName;
    if (emergencyPhone) member.emergencyContactPhone = emergencyPhone;
    return { kind: 'ok', candidate: { row: r.row, org, member, episode } };
  }

  /** Ledger: the outflow episode. */
  private episode(): EpisodeValues | null {
    const errors = this.errors;
    const beforeLeftOn = errors.length;
    const leftOn = this.date('leftOn', '外出时间');
    if (leftOn === undefined && errors.length === beforeLeftOn)
      this.fail('leftOn', '请填写外出时间');
    let destinationRegionCode: string | undefined;
    const destination = this.text('destination');
    if (destination === undefined) this.fail('destination', '请填写流入地');
    else {
      const m = this.ctx.matchRegion(destination);
      if (m.ok) destinationRegionCode = m.code;
      else this.fail('destination', m.message, destination);
    }
    let industry: Industry | undefined;
    const industryText = this.text('industry');
    if (industryText !== undefined) {
      const i = parseIndustry(industryText);
      if (i) industry = i;
      else
        this.fail(
          'industry',
          `无法识别的行业“${industryText.slice(0, 20)}”，请按国民经济行业分类门类填写，如 制造业、建筑业`,
          industryText,
        );
    }
    let reason: MobilityReason | undefined;
    const reasonText = this.text('reason');
    if (reasonText !== undefined) {
      const x = parseReason(reasonText);
      if (x) reason = x;
      else
        this.fail(
          'reason',
          `无法识别的外出原因“${reasonText.slice(0, 20)}”，可填写：务工、经商、就学、随迁、养老、待业、其他`,
          reasonText,
        );
    }
    const checkedInOn = this.date('checkedInOn', '报到时间');
    if (leftOn && checkedInOn && checkedInOn < leftOn)
      this.fail('checkedInOn', '报到时间不能早于外出时间', checkedInOn);
    const destinationAddress = this.text('destinationAddress');
    const employer = this.text('employer');
    const hostOrgText = this.text('hostOrg');
    if (!leftOn || !destinationRegionCode) return null;
    const episode: EpisodeValues = { leftOn, destinationRegionCode };
    if (reason) episode.reason = reason;
    if (destinationAddress) episode.destinationAddress = destinationAddress;
    if (employer) episode.employer = employer;
    if (industry) episode.industry = industry;
    if (hostOrgText) episode.hostOrgText = hostOrgText;
    if (checkedInOn) episode.checkedInOn = checkedInOn;
    return episode;
  }
}

/** An org lookup by exact name (or short name) among the orgs of the importer's scope. */
export function orgLookup(orgs: readonly (ImportOrg & { shortName: string | null })[]): OrgLookup {
  const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');
  const byName = new Map<string, ImportOrg[]>();
  const add = (key: string, o: ImportOrg) => {
    const list = byName.get(key) ?? [];
    if (!list.includes(o)) list.push(o);
    byName.set(key, list);
  };
  for (const o of orgs) {
    add(norm(o.name), o);
    if (o.shortName) add(norm(o.shortName), o);
  }
  const results = new Map<string, ReturnType<OrgLookup>>();
  return (name) => {
    const key = norm(name);
    const cached = results.get(key);
    if (cached) return cached;
    const found = byName.get(key) ?? [];
    let r: ReturnType<OrgLookup>;
    if (found.length === 0)
      r = { ok: false, message: `未找到党组织“${name.slice(0, 40)}”（或不在您的管理范围内）` };
    else if (found.length > 1)
      r = {
        ok: false,
        message: `有 ${found.length} 个党组织名为“${name.slice(0, 40)}”，请改用全称`,
      };
    else {
      const o = found[0]!;
      if (o.dissolvedOn) r = { ok: false, message: `党组织“${o.name}”已撤销` };
      else if (!MEMBER_ORG_KINDS.includes(o.kind))
        r = {
          ok: false,
          message: `“${o.name}”不是党支部，党员应隶属于党支部（或党总支、临时党支部等）`,
        };
      else r = { ok: true, org: o };
    }
    results.set(key, r);
    return r;
  };
}
