import { sql } from 'drizzle-orm';
import {
  CENSUS_TASK_STATUS_LABELS,
  LOST_CONTACT_REASONS,
  addDays,
  addMonths,
  chinaDateOf,
  contactDueOn,
  daysBetween,
  defaultContactCategory,
  effectiveIntervalMonths,
  isDueForRate,
  isOpenMobilityStatus,
  lostContactStatus,
  suggestLostContactReason,
  syntheticMobile,
  syntheticName,
  type CensusTaskStatus,
  type ContactCategory,
  type ContactChannel,
  type LostContactReason,
  type MobilityReason,
  type MobilityStatus,
  type Rng,
} from '@liudong/domain';
import { ensureDefaultSmsTemplates } from '../modules/sms/sms.templates';
import { queryRows, type Tx } from '../platform/db';
import type { FieldCipher } from '../platform/crypto';
import { phoneBlindIndex } from '../modules/members/member-fields';

/**
 * Keeping in touch for the fictional 南岭县 (issue 4 §9; DOMAIN.md §4): liaisons (定人) for every
 * branch with outbound members, 三定 assignments, two years of contacts with a realistic share
 * overdue, a few members in warning and lost contact (and some found again), org life and dues as
 * far as the system knows them, one finished Spring Festival census, the default SMS templates.
 *
 * Everything is drawn from the seed's generator in a fixed order over rows sorted by id, so the
 * same seed (and the same day) gives the same data. Every date lies inside its episode and on or
 * before `asOf`. Lost contact is never stored (it is computed when read, issue 4 §4): the seed
 * only arranges the signs of life so that the domain rule `lostContactStatus` finds these members.
 */

/** A liaison's phone is encrypted with its own context (SECURITY.md 15), like every personal field. */
export const LIAISON_PHONE_CONTEXT = 'liaison.phone';

export interface SeedContactsInput {
  cipher: FieldCipher;
  asOf: Date;
  newId: () => string;
  rootId: string;
  /** The township / street committees (second level), in seed order; the first is the focus. */
  towns: { id: string; name: string }[];
  /** zhibu's and lianluoyuan's branch: its members get the demo's liaison and the bulk-assign case. */
  focusBranchId: string;
  accounts: {
    /** The `lianluoyuan` demo account (role liaison at the focus branch). */
    liaison: { id: string; displayName: string };
    /** The `zhibu` demo account (branch officer at the focus branch). */
    branchOfficer: { id: string };
    /** The `zuzhibu` demo account (org admin at the root): opened and closed the census. */
    orgAdmin: { id: string };
  };
}

export interface SeedContactsResult {
  liaisons: number;
  formerLiaisons: number;
  openAssignments: number;
  /** Open outflows without a liaison, county-wide and in the focus branch. */
  unassigned: number;
  focusUnassigned: number;
  focusBranchName: string;
  /** Open outflows of the focus branch, and how many of them are lost by the domain rule. */
  focusOpenOutflows: number;
  focusLost: number;
  /** Members in the `lianluoyuan` liaison's queue, and how many of them are overdue today. */
  liaisonQueue: number;
  liaisonOverdue: number;
  contacts: number;
  unreachedContacts: number;
  participation: number;
  /** 按时联系率 as the domain rule computes it today: on time ÷ due. */
  due: number;
  onTime: number;
  lost: number;
  warning: number;
  found: number;
  quarterlyTownName: string;
  census: {
    name: string;
    startsOn: string;
    endsOn: string;
    tasks: number;
    pending: number;
    unchanged: number;
    changed: number;
    unreachable: number;
  };
  smsTemplates: number;
}

type Row = Record<string, unknown>;
type Kind = 'new' | 'ontime' | 'overdue' | 'warning' | 'lost' | 'found';

interface Episode {
  id: string;
  memberId: string;
  status: MobilityStatus;
  homeOrgId: string;
  townId: string;
  leftOn: string;
  endedOn: string | null;
  destination: string | null;
  reason: MobilityReason | null;
  open: boolean;
  category: ContactCategory;
  /** The member's own interval on the assignment (定时 per member), when set. */
  override: number | null;
  interval: number;
  /** Start of what the system records: the later of leaving and two years ago. */
  from: string;
  /** Assignment periods, oldest first (to: null = still open). */
  periods: { liaisonId: string; from: string; to: string | null }[];
  kind: Kind;
  /** Planned last reached contact. */
  last: string | null;
  /** found: the last reached contact before the gap, and the one that ended it. */
  gap: [string, string] | null;
  /** lost / warning: no sign of life after this day. */
  darkAfter: string | null;
}

const TITLES = ['支部组织委员', '支部委员', '支部组织委员', '支部宣传委员'];
const DUTIES = [
  '每月至少联系一次，了解工作、生活和思想状况，提醒按时交纳党费、参加组织生活，及时反映困难诉求',
  '定期联系，掌握去向和联系方式变化，督促参加驻地党组织或网上党支部活动，帮助解决实际困难',
  '按时联系并登记，了解思想动态，宣传家乡政策，发现失联苗头及时向支部报告',
];
const WORK = [
  '在工地做钢筋工，工作稳定',
  '在电子厂流水线上班，按月领工资',
  '跑货运，收入尚可',
  '在餐馆做厨师',
  '自己开了家小超市，生意平稳',
  '在物流公司做分拣员',
  '在建筑公司当班组长',
  '做家政服务，活比较多',
  '在服装厂做质检',
  '换了新工作，正在适应',
  '项目刚结束，正在找下一份工作',
  '在汽修厂当学徒',
];
const LIFE = [
  '身体健康，家庭和睦',
  '住厂区宿舍，生活条件尚可',
  '和家人一起在外，孩子在当地上学',
  '一切正常',
  '老人在家由亲属照看',
  '前段时间身体不适，已就医好转',
  '生活节俭，按时寄钱回家',
];
const THINKING = [
  '思想稳定，关心家乡发展',
  '表示会按时交纳党费',
  '积极参加驻地党组织活动',
  '通过网上党支部参加学习',
  '对家乡党组织的关心表示感谢',
  '希望多组织线上学习',
  '愿意帮助在外的老乡',
];
/** A difficulty and the follow-up it calls for. */
const DIFFICULTIES: [string, string][] = [
  ['工资有拖欠，希望帮助协调', '联系驻地流动党员服务站协助追讨欠薪'],
  ['子女在当地入学有困难', '咨询驻地教育部门了解随迁子女入学政策'],
  ['医保异地报销不方便', '协助办理医保异地就医备案'],
  ['想回乡创业，缺少资金', '提供返乡创业贷款政策材料'],
  ['社保转移手续不清楚', '协助办理社保转移接续'],
];
const NOT_REACHED = [
  '电话无人接听，改日再联系',
  '电话关机，已给家属留言',
  '微信留言未回复',
  '号码已停机，需查找新的联系方式',
];
const LOST_NOTES = [
  '多次电话无法接通，微信未回复，已请家属转告',
  '原工作单位已搬迁，新地址不详，正在打听',
  '据同乡反映已换工作，正在查找联系方式',
  '家属也联系不上，已请驻地党组织协助查找',
];
const CENSUS_CHANGED = ['工作单位变更，已更新去向', '居住地址变更，已更新', '联系电话变更，已更新'];
/** The texts of a census verification's contact: with the findings, or as the follow-up. */
function censusTexts(label: string, note: string | null, reached: boolean) {
  const text = `摸排核实：${label}${note ? `。${note}` : ''}`;
  return {
    work: reached ? text : null,
    life: null,
    thinking: null,
    difficulties: null,
    follow_up: reached ? null : text,
    follow_up_needed: !reached,
  };
}
const CENSUS_UNREACHABLE = ['春节未返乡，电话无法接通', '家属表示联系不上', '号码停机，暂无法核实'];

async function bulkInsert(tx: Tx, table: string, columns: [string, string][], rows: Row[]) {
  const names = columns.map(([c]) => `"${c}"`).join(', ');
  const types = columns.map(([c, t]) => `"${c}" ${t}`).join(', ');
  // One jsonb parameter per chunk, as seed-members does: far faster than a builder insert per row.
  for (let i = 0; i < rows.length; i += 2000) {
    await tx.execute(
      sql`insert into ${sql.identifier(table)} (${sql.raw(names)}) select ${sql.raw(names)} from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + 2000))}::jsonb) as r(${sql.raw(types)})`,
    );
  }
}

const maxDay = (a: string, b: string) => (a > b ? a : b);
const minDay = (a: string, b: string) => (a < b ? a : b);

export async function seedContacts(
  tx: Tx,
  rng: Rng,
  input: SeedContactsInput,
): Promise<SeedContactsResult> {
  const { cipher, newId, accounts } = input;
  const today = chinaDateOf(input.asOf);
  const asOfIso = input.asOf.toISOString();
  const windowStart = addMonths(today, -24);
  const dayIn = (from: string, to: string) => addDays(from, rng.int(0, daysBetween(from, to)));
  const stamp = (day: string) => {
    const at = `${day}T12:00:00.000Z`; // 20:00 in China
    return at < asOfIso ? at : asOfIso;
  };

  // 定时: one township keeps a quarterly rule for domestic members (DOMAIN.md §4: "quarterly in
  // some places"); everyone else has the monthly default, members abroad every 6 months.
  const quarterlyTown = input.towns[1] ?? input.towns[0]!;
  const schedules: Row[] = [
    {
      id: newId(),
      org_id: quarterlyTown.id,
      category: 'domestic',
      interval_months: 3,
      updated_at: stamp(windowStart),
    },
  ];

  const rows = await queryRows<{
    id: string;
    member_id: string;
    status: MobilityStatus;
    home_org_id: string;
    home_path: string;
    left_on: string;
    ended_on: string | null;
    destination_region_code: string | null;
    reason: MobilityReason | null;
  }>(
    tx,
    sql`select mb.id, mb.member_id, mb.status, mb.home_org_id, o.path as home_path,
               mb.left_on::text as left_on, mb.ended_on::text as ended_on,
               mb.destination_region_code, mb.reason
          from mobility mb join org o on o.id = mb.home_org_id
         where mb.direction = 'outflow'
         order by mb.id`,
  );
  const [focus] = await queryRows<{ name: string }>(
    tx,
    sql`select name from org where id = ${input.focusBranchId}`,
  );

  const episodes: Episode[] = [];
  for (const r of rows) {
    const open = isOpenMobilityStatus(r.status);
    const end = open ? today : r.ended_on;
    // Closed episodes count only when they overlap the two years the seed covers.
    if (!end || end < windowStart) continue;
    const category = defaultContactCategory(r.destination_region_code);
    const townId = r.home_path.split('/')[2] ?? input.rootId;
    const override = open && rng.chance(0.03) ? 2 : null;
    episodes.push({
      id: r.id,
      memberId: r.member_id,
      status: r.status,
      homeOrgId: r.home_org_id,
      townId,
      leftOn: r.left_on,
      endedOn: open ? null : r.ended_on,
      destination: r.destination_region_code,
      reason: r.reason,
      open,
      category,
      override,
      interval: effectiveIntervalMonths({
        category,
        memberOverride: override,
        orgRules: [category === 'domestic' && townId === quarterlyTown.id ? 3 : null],
      }),
      from: maxDay(r.left_on, windowStart),
      periods: [],
      kind: 'new',
      last: null,
      gap: null,
      darkAfter: null,
    });
  }

  // ---- 定人: liaisons per branch with outbound members --------------------------------------
  const liaisons: Row[] = [];
  const openByBranch = new Map<string, Episode[]>();
  for (const e of episodes)
    if (e.open) openByBranch.set(e.homeOrgId, [...(openByBranch.get(e.homeOrgId) ?? []), e]);
  const liaisonsOf = new Map<string, string[]>();
  const accountLiaisonId = newId();
  let formerLiaisons = 0;
  const formerOf = new Map<string, { id: string; leftOn: string }>();
  const person = (orgId: string, since: string, extra: Row = {}) => {
    const phone = syntheticMobile(rng);
    const row: Row = {
      id: newId(),
      org_id: orgId,
      account_id: null,
      name: syntheticName(rng),
      phone_enc: cipher.encrypt(phone, LIAISON_PHONE_CONTEXT),
      phone_bidx: phoneBlindIndex(cipher, phone),
      title: rng.pick(TITLES),
      active: true,
      left_on: null,
      created_by: orgId === input.focusBranchId ? accounts.branchOfficer.id : null,
      created_at: stamp(since),
      updated_at: stamp(since),
      ...extra,
    };
    liaisons.push(row);
    return row.id as string;
  };
  // The demo account `lianluoyuan` is a liaison of its branch (an account liaison), whatever
  // the size of the county.
  const accountPhone = syntheticMobile(rng);
  const accountSince = addDays(windowStart, -rng.int(5, 60));
  liaisons.push({
    id: accountLiaisonId,
    org_id: input.focusBranchId,
    account_id: accounts.liaison.id,
    name: accounts.liaison.displayName,
    phone_enc: cipher.encrypt(accountPhone, LIAISON_PHONE_CONTEXT),
    phone_bidx: phoneBlindIndex(cipher, accountPhone),
    title: '支部组织委员',
    active: true,
    left_on: null,
    created_by: accounts.branchOfficer.id,
    created_at: stamp(accountSince),
    updated_at: stamp(accountSince),
  });
  for (const [branchId, list] of openByBranch) {
    const since = addDays(windowStart, -rng.int(5, 60));
    const ids: string[] = [];
    if (branchId === input.focusBranchId) {
      ids.push(accountLiaisonId, person(branchId, since, { title: '支部委员' }));
    } else {
      ids.push(person(branchId, since));
      if (list.length >= 8 && rng.chance(0.6)) ids.push(person(branchId, since));
      // A liaison who left (reassignment when a liaison leaves, issue 4 §1).
      if (rng.chance(0.06)) {
        const leftOn = addDays(today, -rng.int(120, 420));
        const id = person(branchId, addDays(since, -200), {
          active: false,
          left_on: leftOn,
          updated_at: stamp(leftOn),
        });
        formerOf.set(branchId, { id, leftOn });
        formerLiaisons++;
      }
    }
    liaisonsOf.set(branchId, ids);
  }

  // ---- 三定 assignments ----------------------------------------------------------------------
  const assignments: Row[] = [];
  let unassigned = 0;
  let focusUnassigned = 0;
  const focusList = openByBranch.get(input.focusBranchId) ?? [];
  // Left without a liaison in the focus branch, so the bulk assignment has something to do.
  const focusLeaveOut = focusList.length >= 6 ? 3 : Math.max(0, Math.min(2, focusList.length - 1));
  const focusUnassignedIds = new Set(
    rng.shuffle(focusList.map((e) => e.id)).slice(0, focusLeaveOut),
  );
  for (const e of episodes) {
    const ids = liaisonsOf.get(e.homeOrgId);
    if (!ids) continue;
    if (e.open) {
      const leave =
        e.homeOrgId === input.focusBranchId ? focusUnassignedIds.has(e.id) : rng.chance(0.03);
      if (leave) {
        unassigned++;
        if (e.homeOrgId === input.focusBranchId) focusUnassigned++;
        continue;
      }
    }
    const liaisonId =
      e.homeOrgId === input.focusBranchId
        ? rng.chance(0.8)
          ? accountLiaisonId
          : ids[1]!
        : rng.pick(ids);
    const assignedOn = minDay(addDays(e.from, rng.int(0, 10)), e.endedOn ?? today);
    const former = formerOf.get(e.homeOrgId);
    const base = {
      member_id: e.memberId,
      category: e.category,
      interval_months: e.override,
      duty: rng.pick(DUTIES),
      assigned_by: e.homeOrgId === input.focusBranchId ? accounts.branchOfficer.id : null,
    };
    const end = e.open ? null : e.endedOn!;
    const endReason =
      e.status === 'transferred' ? '组织关系已转出，联系工作结束' : '党员已返回，流动结束';
    if (former && assignedOn < former.leftOn && (end === null || end > former.leftOn)) {
      e.periods.push({ liaisonId: former.id, from: assignedOn, to: former.leftOn });
      assignments.push({
        id: newId(),
        ...base,
        liaison_id: former.id,
        assigned_on: assignedOn,
        ended_on: former.leftOn,
        end_reason: '原联络员工作调动，已重新分配',
        created_at: stamp(assignedOn),
      });
      e.periods.push({ liaisonId, from: former.leftOn, to: end });
      assignments.push({
        id: newId(),
        ...base,
        liaison_id: liaisonId,
        assigned_on: former.leftOn,
        ended_on: end,
        end_reason: end ? endReason : null,
        created_at: stamp(former.leftOn),
      });
    } else {
      e.periods.push({ liaisonId, from: assignedOn, to: end });
      assignments.push({
        id: newId(),
        ...base,
        liaison_id: liaisonId,
        assigned_on: assignedOn,
        ended_on: end,
        end_reason: end ? endReason : null,
        created_at: stamp(assignedOn),
      });
    }
  }

  // ---- Who is on time, overdue, in warning, lost, found ----------------------------------
  const onTimeLast = (e: Episode) => {
    let lo = addMonths(today, -e.interval);
    while (addMonths(lo, e.interval) < today) lo = addDays(lo, 1);
    const last = dayIn(lo, today);
    return last > e.leftOn ? last : addDays(e.leftOn, 1);
  };
  const overdueLast = (e: Episode): string | null => {
    const days = rng.weighted<[number, number]>([
      [[1, 7], 40],
      [[8, 21], 35],
      [[22, 45], 25],
    ]);
    let last = addMonths(addDays(today, -rng.int(days[0], days[1])), -e.interval);
    while (addMonths(last, e.interval) >= today) last = addDays(last, -1);
    return last > e.leftOn ? last : null;
  };
  const warningRange = (e: Episode): [string, string] | null => {
    let hi = addMonths(today, -3);
    while (addMonths(hi, 3) > today) hi = addDays(hi, -1);
    const lo = maxDay(addDays(addMonths(today, -6), 5), addDays(e.leftOn, 10));
    return lo <= hi ? [lo, hi] : null;
  };
  const lostRange = (e: Episode): [string, string] | null => {
    let hi = addDays(addMonths(today, -6), -3);
    while (addMonths(hi, 6) > today) hi = addDays(hi, -1);
    const lo = maxDay(addMonths(today, -13), addDays(e.from, 15));
    return lo <= hi ? [lo, hi] : null;
  };
  const foundEligible = (e: Episode) =>
    addDays(maxDay(e.from, addMonths(today, -15)), 210) <= addMonths(today, -1);
  const makeLost = (e: Episode) => {
    const range = lostRange(e)!;
    e.kind = 'lost';
    e.last = dayIn(range[0], range[1]);
    e.darkAfter = e.last;
  };
  const makeWarning = (e: Episode) => {
    const range = warningRange(e)!;
    e.kind = 'warning';
    e.last = dayIn(range[0], range[1]);
    e.darkAfter = e.last;
  };
  const makeRegular = (e: Episode, onTime: boolean) => {
    e.kind = onTime ? 'ontime' : 'overdue';
    e.last = onTime ? onTimeLast(e) : overdueLast(e);
  };
  const makeFound = (e: Episode): boolean => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const g1 = dayIn(maxDay(addDays(e.from, 210), addMonths(today, -15)), addMonths(today, -1));
      const g0 = addDays(g1, -rng.int(190, 250));
      if (g0 < addDays(e.from, 20)) continue;
      makeRegular(e, rng.chance(0.8));
      e.kind = 'found';
      e.gap = [g0, g1];
      if (!e.last || e.last < g1) e.last = g1;
      return true;
    }
    return false;
  };

  const openEpisodes = episodes.filter((e) => e.open);
  const isDue = (e: Episode) =>
    isDueForRate({ startOn: e.leftOn, intervalMonths: e.interval }, today);
  for (const e of openEpisodes) {
    if (!isDue(e)) continue;
    const r = rng.next();
    if (r < 0.011 && lostRange(e)) makeLost(e);
    else if (r < 0.031 && warningRange(e)) makeWarning(e);
    else if (r < 0.037 && foundEligible(e) && makeFound(e)) continue;
    else makeRegular(e, rng.chance(0.79));
  }
  // Enough of each for the demo: ≥ 5 lost county-wide, ≥ 3 found, and in the focus branch one
  // lost, one warning, one found and several overdue in the liaison's own queue.
  const regular = (e: Episode) => e.kind === 'ontime' || e.kind === 'overdue';
  const ensure = (
    pool: Episode[],
    want: number,
    has: (e: Episode) => boolean,
    eligible: (e: Episode) => boolean,
    make: (e: Episode) => boolean | void,
  ) => {
    let n = pool.filter(has).length;
    const candidates = rng.shuffle(pool.filter((e) => regular(e) && eligible(e)));
    while (n < want && candidates.length > 0) if (make(candidates.pop()!) !== false) n++;
  };
  const focusEpisodes = openEpisodes.filter((e) => e.homeOrgId === input.focusBranchId);
  const byAccountLiaison = focusEpisodes.filter((e) =>
    e.periods.some((p) => p.liaisonId === accountLiaisonId && p.to === null),
  );
  ensure(
    focusEpisodes,
    1,
    (e) => e.kind === 'lost',
    (e) => !!lostRange(e),
    makeLost,
  );
  ensure(
    focusEpisodes,
    1,
    (e) => e.kind === 'warning',
    (e) => !!warningRange(e),
    makeWarning,
  );
  ensure(focusEpisodes, 1, (e) => e.kind === 'found', foundEligible, makeFound);
  ensure(
    byAccountLiaison,
    3,
    (e) => e.kind === 'overdue',
    (e) => e.kind === 'ontime',
    (e) => makeRegular(e, false),
  );
  ensure(
    openEpisodes,
    5,
    (e) => e.kind === 'lost',
    (e) => !!lostRange(e),
    makeLost,
  );
  ensure(openEpisodes, 3, (e) => e.kind === 'found', foundEligible, makeFound);

  // ---- Contacts -----------------------------------------------------------------------------
  const contacts: Row[] = [];
  const participation: Row[] = [];
  const lastReachedOf = new Map<string, string>();
  const liaisonAt = (e: Episode, day: string) =>
    e.periods.find((p) => p.from <= day && (p.to === null || day < p.to))?.liaisonId ?? null;
  const recorderOf = (liaisonId: string | null, e: Episode) =>
    liaisonId === accountLiaisonId
      ? accounts.liaison.id
      : e.homeOrgId === input.focusBranchId
        ? accounts.branchOfficer.id
        : null;
  const channelOn = (day: string): ContactChannel => {
    const md = day.slice(5);
    // Spring Festival: members come home, so many contacts are a meeting on return.
    if (md >= '01-15' && md <= '02-28' && rng.chance(0.3)) return 'meeting';
    return rng.weighted<ContactChannel>([
      ['phone', 55],
      ['wechat', 24],
      ['video', 9],
      ['sms', 4],
      ['visit', 4],
      ['letter', 1],
      ['meeting', 3],
    ]);
  };
  const addContact = (
    e: Episode,
    day: string,
    reached: boolean,
    extra: Partial<Record<string, unknown>> = {},
  ) => {
    const liaisonId = liaisonAt(e, day);
    const row: Row = {
      id: newId(),
      member_id: e.memberId,
      mobility_id: e.id,
      contacted_on: day,
      channel: reached
        ? channelOn(day)
        : rng.weighted<ContactChannel>([
            ['phone', 75],
            ['wechat', 15],
            ['sms', 10],
          ]),
      reached,
      work: null,
      life: null,
      thinking: null,
      difficulties: null,
      follow_up: null,
      follow_up_needed: false,
      source: 'liaison',
      liaison_id: liaisonId,
      recorded_by: recorderOf(liaisonId, e),
      created_at: stamp(day),
    };
    if (reached) {
      row.work = rng.pick(WORK);
      row.life = rng.pick(LIFE);
      row.thinking = rng.pick(THINKING);
      if (rng.chance(0.12)) {
        const [difficulty, followUp] = rng.pick(DIFFICULTIES);
        row.difficulties = difficulty;
        if (rng.chance(0.6)) {
          row.follow_up = followUp;
          row.follow_up_needed = true;
        }
      } else row.difficulties = rng.chance(0.5) ? '暂无' : null;
      if (!lastReachedOf.has(e.id) || lastReachedOf.get(e.id)! < day) lastReachedOf.set(e.id, day);
    } else row.follow_up = rng.pick(NOT_REACHED);
    Object.assign(row, extra);
    contacts.push(row);
    return row;
  };
  /** Reached contacts from `end` back to `start`, one interval apart give or take. */
  const walkBack = (e: Episode, end: string, start: string) => {
    const days: string[] = [];
    let day = end;
    while (day >= start) {
      days.push(day);
      const long = e.interval === 1 && rng.chance(0.1);
      const step = long ? rng.int(40, 70) : Math.round(e.interval * 30 * (0.6 + 0.55 * rng.next()));
      day = addDays(day, -step);
    }
    return days.reverse();
  };
  const attemptsBetween = (e: Episode, after: string, until: string, n: number) => {
    const span = daysBetween(after, until);
    if (span < 1) return;
    const days = Array.from({ length: n }, () => addDays(after, rng.int(1, span))).sort();
    for (const d of [...new Set(days)]) addContact(e, d, false);
  };
  /** The day's reached contacts with the odd failed try a few days before each. */
  const history = (e: Episode, days: string[], floor: string) => {
    let prev = floor;
    const reachedRows: Row[] = [];
    for (const day of days) {
      if (rng.chance(0.13)) {
        const tried = addDays(day, -rng.int(1, 6));
        if (tried > prev && tried >= e.from) addContact(e, tried, false);
      }
      reachedRows.push(addContact(e, day, true));
      prev = day;
    }
    return reachedRows;
  };

  const reachedByEpisode = new Map<string, Row[]>();
  for (const e of episodes) {
    let reachedRows: Row[] = [];
    if (!e.open) {
      if (rng.chance(0.75)) {
        const end = addDays(e.endedOn!, -rng.int(0, 20));
        if (end >= e.from) reachedRows = history(e, walkBack(e, end, e.from), e.from);
      }
    } else if (e.kind === 'new') {
      const span = daysBetween(e.leftOn, today);
      if (span >= 3 && rng.chance(0.6))
        reachedRows = history(e, [addDays(e.leftOn, rng.int(3, Math.min(25, span)))], e.from);
    } else if (e.kind === 'found') {
      const [g0, g1] = e.gap!;
      reachedRows = history(e, walkBack(e, g0, e.from), e.from);
      // The search during the gap, then the contact that found the member again.
      attemptsBetween(e, g0, addDays(g1, -1), rng.int(2, 4));
      reachedRows.push(
        addContact(e, g1, true, {
          channel: rng.pick<ContactChannel>(['visit', 'phone', 'wechat']),
          work: '经多方查找取得联系，已在外地重新就业',
          thinking: '表示今后保持联系，按时交纳党费',
          difficulties: null,
          follow_up: '更新联系方式和去向，纳入正常联系',
          follow_up_needed: true,
        }),
      );
      if (e.last! > g1) {
        const after = walkBack(e, e.last!, addDays(g1, 15));
        reachedRows.push(...history(e, after, g1));
      }
      if (e.last! < today && rng.chance(0.3)) attemptsBetween(e, e.last!, today, 1);
    } else if (e.last) {
      reachedRows = history(e, walkBack(e, e.last, e.from), e.from);
      if (e.kind === 'overdue' && rng.chance(0.45))
        attemptsBetween(e, e.last, today, rng.int(1, 2));
      if (e.kind === 'warning' && rng.chance(0.8)) attemptsBetween(e, e.last, today, rng.int(1, 3));
      if (e.kind === 'lost' && rng.chance(0.75)) attemptsBetween(e, e.last, today, rng.int(1, 4));
    }
    reachedByEpisode.set(e.id, reachedRows);
  }

  // ---- The finished Spring Festival census (摸排, issue 4 §5) ---------------------------------
  let year = Number(today.slice(0, 4));
  if (addDays(`${year}-02-28`, 10) > today) year -= 1;
  const census = {
    id: newId(),
    name: `${year}年春节流动党员集中摸排`,
    startsOn: `${year}-01-20`,
    endsOn: `${year}-02-28`,
  };
  const closedOn = minDay(addDays(census.endsOn, rng.int(1, 5)), today);
  const dark = (e: Episode, day: string) =>
    (e.darkAfter !== null && day > e.darkAfter) ||
    (e.gap !== null && day > e.gap[0] && day < e.gap[1]);
  const tasks: Row[] = [];
  const taskOrgTown = new Map<string, string>();
  for (const e of openEpisodes) {
    if (e.leftOn > census.endsOn) continue;
    const day = dayIn(maxDay(census.startsOn, e.leftOn), minDay(census.endsOn, today));
    const r = rng.next();
    let status: CensusTaskStatus;
    // A member is reached in the census only where the plan allows a sign of life that day.
    if (r < 0.08) status = 'pending';
    else if (dark(e, day) || e.last === null || day > e.last || r < 0.12) status = 'unreachable';
    else status = r < 0.22 ? 'changed' : 'unchanged';
    let contactId: string | null = null;
    let note: string | null = null;
    const verifier = e.homeOrgId === input.focusBranchId ? accounts.branchOfficer.id : null;
    if (status !== 'pending') {
      const reached = status !== 'unreachable';
      note =
        status === 'changed'
          ? rng.pick(CENSUS_CHANGED)
          : reached
            ? null
            : rng.pick(CENSUS_UNREACHABLE);
      const row = addContact(e, day, reached, {
        source: 'census',
        channel: reached
          ? rng.weighted<ContactChannel>([
              ['meeting', 50],
              ['phone', 30],
              ['visit', 10],
              ['wechat', 5],
              ['video', 5],
            ])
          : 'phone',
        recorded_by: verifier,
        // Worded as the census module writes a verification (census.service.ts verify).
        ...censusTexts(CENSUS_TASK_STATUS_LABELS[status], note, reached),
      });
      contactId = row.id as string;
      if (reached) reachedByEpisode.get(e.id)!.push(row);
    }
    taskOrgTown.set(e.homeOrgId, e.townId);
    tasks.push({
      id: newId(),
      campaign_id: census.id,
      member_id: e.memberId,
      mobility_id: e.id,
      org_id: e.homeOrgId,
      status,
      verified_on: status === 'pending' ? null : day,
      verified_by: status === 'pending' ? null : verifier,
      note,
      contact_id: contactId,
    });
  }
  const countsOf = (list: Row[]) => {
    const c = { total: list.length, pending: 0, unchanged: 0, changed: 0, unreachable: 0 };
    for (const t of list) c[t.status as CensusTaskStatus]++;
    return c;
  };
  const topOrgs = await queryRows<{ id: string; name: string }>(
    tx,
    sql`select id, name from org where parent_id = ${input.rootId} order by path`,
  );
  const byOrg = topOrgs
    .map((o) => ({
      orgId: o.id,
      orgName: o.name,
      ...countsOf(tasks.filter((t) => taskOrgTown.get(t.org_id as string) === o.id)),
    }))
    .filter((o) => o.total > 0)
    // In the census module's order (progressByOrg): by name in code-point order ("C"), then id.
    .sort((a, b) =>
      a.orgName < b.orgName ? -1 : a.orgName > b.orgName ? 1 : a.orgId < b.orgId ? -1 : 1,
    );
  const counts = countsOf(tasks);

  // ---- Org life and dues, as far as the system knows them --------------------------------
  for (const e of episodes) {
    const end = e.endedOn ?? today;
    const sorted = (reachedByEpisode.get(e.id) ?? []).sort((a, b) =>
      String(a.contacted_on).localeCompare(String(b.contacted_on)),
    );
    const part = (kind: 'org_life' | 'dues', on: string, source: string, extra: Row = {}) =>
      participation.push({
        id: newId(),
        member_id: e.memberId,
        kind,
        on_date: on,
        source,
        contact_id: null,
        note: null,
        recorded_by: null,
        created_at: stamp(on),
        ...extra,
      });
    // What the paper register held before the two years: a sign of life when the records begin,
    // so the first contact in the window is not mistaken for a member found again.
    if (e.leftOn < windowStart)
      part('dues', maxDay(e.leftOn, addDays(windowStart, -rng.int(1, 25))), 'import', {
        note: '系统启用前的党费交纳记录（由纸质台账导入）',
      });
    // Dues: monthly for most, quarterly by proxy for some (DOMAIN.md §5), unrecorded for the rest.
    const payer = rng.weighted<'monthly' | 'quarterly' | 'none'>([
      ['monthly', 55],
      ['quarterly', 25],
      ['none', 20],
    ]);
    if (payer !== 'none') {
      for (
        let m = e.from.slice(0, 7);
        m <= end.slice(0, 7);
        m = addMonths(`${m}-01`, 1).slice(0, 7)
      ) {
        if (payer === 'quarterly' && Number(m.slice(5)) % 3 !== 0) continue;
        if (!rng.chance(payer === 'monthly' ? 0.9 : 0.92)) continue;
        const on = `${m}-${String(rng.int(1, 28)).padStart(2, '0')}`;
        if (on < e.from || on > end || dark(e, on)) continue;
        part('dues', on, 'manual');
      }
    }
    // Org life reported with a contact (参加驻地党组织或网上党支部的组织生活), about quarterly.
    let lastOrgLife: string | null = null;
    let prev = e.from;
    for (const c of sorted) {
      const day = c.contacted_on as string;
      if (c.source === 'liaison' && (!lastOrgLife || daysBetween(lastOrgLife, day) >= 75)) {
        if (rng.chance(0.55)) {
          const on = maxDay(maxDay(prev, e.from), addDays(day, -rng.int(0, 25)));
          // Never inside a stretch without signs of life (the gap before a member was found).
          if (!dark(e, on))
            part('org_life', on, 'contact', {
              contact_id: c.id,
              recorded_by: c.recorded_by,
              created_at: c.created_at,
            });
          lastOrgLife = on;
        }
      }
      prev = day;
    }
  }

  // ---- Notes on lost and found members (reason codes ①–⑦) ---------------------------------
  const notes: Row[] = [];
  for (const e of openEpisodes) {
    if (e.kind !== 'lost' && e.kind !== 'found') continue;
    if (e.kind === 'lost' && !rng.chance(0.75)) continue;
    const suggested = suggestLostContactReason(e.reason, e.destination);
    const reason: LostContactReason = rng.chance(0.8) ? suggested : rng.pick(LOST_CONTACT_REASONS);
    const on = e.kind === 'lost' ? addMonths(e.darkAfter!, 6) : e.gap![1];
    notes.push({
      member_id: e.memberId,
      reason_code: reason,
      note:
        e.kind === 'found'
          ? `${rng.pick(LOST_NOTES)}；${e.gap![1]} 已取得联系`
          : rng.pick(LOST_NOTES),
      updated_by: e.homeOrgId === input.focusBranchId ? accounts.branchOfficer.id : null,
      updated_at: stamp(minDay(on, today)),
    });
  }

  // ---- What the rules say today ----------------------------------------------------------
  const lastOf = new Map<string, { dues: string | null; orgLife: string | null }>();
  for (const p of participation) {
    const k = p.member_id as string;
    const v = lastOf.get(k) ?? { dues: null, orgLife: null };
    const on = p.on_date as string;
    if (p.kind === 'dues' && (!v.dues || on > v.dues)) v.dues = on;
    if (p.kind === 'org_life' && (!v.orgLife || on > v.orgLife)) v.orgLife = on;
    lastOf.set(k, v);
  }
  let due = 0;
  let onTime = 0;
  let lost = 0;
  let warning = 0;
  let liaisonOverdue = 0;
  let focusLost = 0;
  for (const e of openEpisodes) {
    const lastReachedOn = lastReachedOf.get(e.id) ?? null;
    const dueOn = contactDueOn({ startOn: e.leftOn, lastReachedOn, intervalMonths: e.interval });
    if (isDue(e)) {
      due++;
      if (dueOn >= today) onTime++;
    }
    if (byAccountLiaison.includes(e) && dueOn < today) liaisonOverdue++;
    const p = lastOf.get(e.memberId);
    const level = lostContactStatus(
      {
        leftOn: e.leftOn,
        lastOrgLifeOn: p?.orgLife ?? null,
        lastDuesOn: p?.dues ?? null,
        lastReachedOn,
      },
      today,
    ).level;
    if (level === 'lost') lost++;
    if (level === 'lost' && e.homeOrgId === input.focusBranchId) focusLost++;
    if (level === 'warning') warning++;
  }

  // ---- Write ------------------------------------------------------------------------------
  await bulkInsert(
    tx,
    'contact_schedule',
    [
      ['id', 'uuid'],
      ['org_id', 'uuid'],
      ['category', 'text'],
      ['interval_months', 'int'],
      ['updated_at', 'timestamptz'],
    ],
    schedules,
  );
  await bulkInsert(
    tx,
    'liaison',
    [
      ['id', 'uuid'],
      ['org_id', 'uuid'],
      ['account_id', 'uuid'],
      ['name', 'text'],
      ['phone_enc', 'text'],
      ['phone_bidx', 'text'],
      ['title', 'text'],
      ['active', 'boolean'],
      ['left_on', 'date'],
      ['created_by', 'uuid'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ],
    liaisons,
  );
  await bulkInsert(
    tx,
    'liaison_assignment',
    [
      ['id', 'uuid'],
      ['member_id', 'uuid'],
      ['liaison_id', 'uuid'],
      ['category', 'text'],
      ['interval_months', 'int'],
      ['duty', 'text'],
      ['assigned_on', 'date'],
      ['assigned_by', 'uuid'],
      ['ended_on', 'date'],
      ['end_reason', 'text'],
      ['created_at', 'timestamptz'],
    ],
    assignments,
  );
  await bulkInsert(
    tx,
    'contact',
    [
      ['id', 'uuid'],
      ['member_id', 'uuid'],
      ['mobility_id', 'uuid'],
      ['contacted_on', 'date'],
      ['channel', 'text'],
      ['reached', 'boolean'],
      ['work', 'text'],
      ['life', 'text'],
      ['thinking', 'text'],
      ['difficulties', 'text'],
      ['follow_up', 'text'],
      ['follow_up_needed', 'boolean'],
      ['source', 'text'],
      ['liaison_id', 'uuid'],
      ['recorded_by', 'uuid'],
      ['created_at', 'timestamptz'],
    ],
    contacts,
  );
  await bulkInsert(
    tx,
    'participation',
    [
      ['id', 'uuid'],
      ['member_id', 'uuid'],
      ['kind', 'text'],
      ['on_date', 'date'],
      ['source', 'text'],
      ['contact_id', 'uuid'],
      ['note', 'text'],
      ['recorded_by', 'uuid'],
      ['created_at', 'timestamptz'],
    ],
    participation,
  );
  await bulkInsert(
    tx,
    'lost_contact_note',
    [
      ['member_id', 'uuid'],
      ['reason_code', 'text'],
      ['note', 'text'],
      ['updated_by', 'uuid'],
      ['updated_at', 'timestamptz'],
    ],
    notes,
  );
  await bulkInsert(
    tx,
    'census_campaign',
    [
      ['id', 'uuid'],
      ['org_id', 'uuid'],
      ['name', 'text'],
      ['starts_on', 'date'],
      ['ends_on', 'date'],
      ['status', 'text'],
      ['opened_by', 'uuid'],
      ['closed_on', 'date'],
      ['closed_by', 'uuid'],
      ['summary', 'jsonb'],
      ['created_at', 'timestamptz'],
    ],
    [
      {
        id: census.id,
        org_id: input.rootId,
        name: census.name,
        starts_on: census.startsOn,
        ends_on: census.endsOn,
        status: 'closed',
        opened_by: accounts.orgAdmin.id,
        closed_on: closedOn,
        closed_by: accounts.orgAdmin.id,
        // The shape the census module keeps when an officer closes a campaign.
        summary: { closedOn, counts, byOrg },
        created_at: stamp(addDays(census.startsOn, -3)),
      },
    ],
  );
  await bulkInsert(
    tx,
    'census_task',
    [
      ['id', 'uuid'],
      ['campaign_id', 'uuid'],
      ['member_id', 'uuid'],
      ['mobility_id', 'uuid'],
      ['org_id', 'uuid'],
      ['status', 'text'],
      ['verified_on', 'date'],
      ['verified_by', 'uuid'],
      ['note', 'text'],
      ['contact_id', 'uuid'],
    ],
    tasks,
  );
  const smsTemplates = await ensureDefaultSmsTemplates(tx);

  const found = openEpisodes.filter((e) => e.kind === 'found').length;
  return {
    liaisons: liaisons.length - formerLiaisons,
    formerLiaisons,
    openAssignments: assignments.filter((a) => a.ended_on === null).length,
    unassigned,
    focusUnassigned,
    focusBranchName: focus?.name ?? '',
    focusOpenOutflows: focusEpisodes.length,
    focusLost,
    liaisonQueue: byAccountLiaison.length,
    liaisonOverdue,
    contacts: contacts.length,
    unreachedContacts: contacts.filter((c) => !c.reached).length,
    participation: participation.length,
    due,
    onTime,
    lost,
    warning,
    found,
    quarterlyTownName: quarterlyTown.name,
    census: {
      name: census.name,
      startsOn: census.startsOn,
      endsOn: census.endsOn,
      tasks: counts.total,
      pending: counts.pending,
      unchanged: counts.unchanged,
      changed: counts.changed,
      unreachable: counts.unreachable,
    },
    smsTemplates: smsTemplates.length,
  };
}
