import { sql } from 'drizzle-orm';
import {
  DEFAULT_CERTIFICATE_PATTERN,
  DEFAULT_TRANSFER_LIMITS,
  formatCertificateNumber,
  formatLetterNumber,
  letterDueOn,
  letterPrefixOf,
  transferRange,
  syntheticBirthDate,
  syntheticIdNumber,
  syntheticMobile,
  syntheticName,
  type Rng,
} from '@liudong/domain';
import { queryRows, type Tx } from '../platform/db';
import type { FieldCipher } from '../platform/crypto';
import {
  FIELD,
  idNumberBlindIndex,
  nameKeys,
  phoneBlindIndex,
} from '../modules/members/member-fields';

/**
 * Members and their mobility for the fictional 南岭县, at the proportions of DOMAIN.md §1
 * (19,641 members, 2,801 mobile, 94% holding a certificate): about 20,000 members, about 2,800
 * open outflows concentrated in a few destinations, some returned episodes and some inflow.
 * Every person is synthetic; personal fields are encrypted exactly as the real write path does.
 */

export interface SeedBranch {
  id: string;
  /** The committee that stamps this branch's certificates (基层党委). */
  issuerId: string;
  name: string;
  town: string;
  kind: 'village' | 'community' | 'enterprise' | 'organ';
}

/** An org of the county that can receive a member's affiliation (a branch, a mobile Party org). */
export interface SeedReceiver {
  id: string;
  name: string;
  kind: string;
  regionCode: string;
  /** The town (second level of the tree) it lies under, or the root. */
  townId: string;
}

interface Destination {
  city: string;
  cityCode: string;
  weight: number;
  /** Our mobile Party org there, when we set one up. */
  mobileOrgId?: string;
}

const ETHNICITIES: [string, number][] = [
  ['汉族', 94],
  ['土家族', 2],
  ['苗族', 1.5],
  ['彝族', 1],
  ['回族', 0.8],
  ['藏族', 0.7],
];
export const EDUCATION: [string, number][] = [
  ['postgraduate', 1],
  ['bachelor', 9],
  ['associate', 14],
  ['secondary_vocational', 10],
  ['high_school', 22],
  ['junior_high', 32],
  ['primary_or_below', 12],
];
const INDUSTRY: [string, number][] = [
  ['E', 28],
  ['C', 20],
  ['H', 12],
  ['G', 10],
  ['B', 8],
  ['F', 8],
  ['O', 6],
  ['A', 3],
  ['I', 2],
  ['Q', 1.5],
  ['P', 1.5],
];
export const UNIT_TYPE: [string, number][] = [
  ['private_enterprise', 45],
  ['individual_business', 20],
  ['state_enterprise', 8],
  ['urban_community', 5],
  ['other', 7],
  ['hmt_enterprise', 3],
  ['foreign_enterprise', 2],
  ['public_institution', 3],
  ['government', 2],
  ['private_non_enterprise', 2],
  ['unknown', 3],
];
export const OCCUPATION: [string, number][] = [
  ['farmer', 55],
  ['skilled_worker', 25],
  ['unemployed_graduate', 6],
  ['manager_professional', 6],
  ['intermediary_staff', 2],
  ['other', 6],
];
export const REASON: [string, number][] = [
  ['work', 75],
  ['business', 12],
  ['study', 4],
  ['family', 5],
  ['elderly_care', 2],
  ['unemployed', 1],
  ['other', 1],
];
export const OPEN_STATUS: [string, number][] = [
  ['serving', 70],
  ['settled', 12],
  ['contacted', 8],
  ['informed', 5],
  ['registered', 5],
];
export const STEPS = ['registered', 'informed', 'contacted', 'settled', 'serving'];
export const EMPLOYER_WORDS = [
  '建工集团',
  '建筑劳务有限公司',
  '服装有限公司',
  '电子科技有限公司',
  '物流有限公司',
  '餐饮管理有限公司',
  '矿业有限公司',
  '家政服务有限公司',
  '汽车运输公司',
  '商贸有限公司',
];
const EMPLOYER_PLACES = [
  '华兴',
  '鑫源',
  '恒达',
  '锦程',
  '顺通',
  '宏远',
  '金桥',
  '安泰',
  '广汇',
  '盛世',
];
export const POSTS = ['支部书记', '组织委员', '宣传委员', '纪检委员', '党小组长'];
// Real county codes near the fictional county (巴中市), used only as the region part of
// synthetic ID numbers and home regions of inflow members.
const HOME_COUNTIES = ['511902', '511903', '511921', '511922', '511923'];
const INFLOW_FROM = ['510921', '511381', '511722', '500233', '520201', '530322', '621121'];

function isoDay(d: Date) {
  return d.toISOString().slice(0, 10);
}
function addDays(day: string, n: number) {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000));
}
/** Whole days from one day to another. */
function daysFrom(from: string, to: string) {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
function dayBetween(rng: Rng, from: string, to: string) {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return isoDay(new Date(a + Math.floor(rng.next() * (b - a))));
}

async function bulkInsert(
  tx: Tx,
  table: string,
  columns: [string, string][],
  rows: Record<string, unknown>[],
) {
  const names = columns.map(([c]) => `"${c}"`).join(', ');
  const types = columns.map(([c, t]) => `"${c}" ${t}`).join(', ');
  // One jsonb parameter per chunk: far faster than a builder insert per row (ARCHITECTURE.md).
  for (let i = 0; i < rows.length; i += 2000) {
    await tx.execute(
      sql`insert into ${sql.identifier(table)} (${sql.raw(names)}) select ${sql.raw(names)} from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + 2000))}::jsonb) as r(${sql.raw(types)})`,
    );
  }
}

export async function seedMembers(
  tx: Tx,
  rng: Rng,
  opts: {
    cipher: FieldCipher;
    branches: SeedBranch[];
    destinations: Destination[];
    newId: () => string;
    asOf: Date;
    /** The county-level code certificates are numbered under (the root org's region). */
    countyCode: string;
    /** The county org's name: the prefix of its transfer letters (南岭县委 → 南岭组转). */
    countyName: string;
    /** Where affiliations may be transferred inside the county (issue 3 §5). */
    receivers: SeedReceiver[];
    targetMembers?: number;
  },
) {
  const { cipher, newId } = opts;
  const today = isoDay(opts.asOf);
  const target = opts.targetMembers ?? 20_000;
  const weight = { village: 60, community: 80, enterprise: 12, organ: 28 } as const;
  const weights = opts.branches.map((b) => weight[b.kind] * (0.5 + rng.next()));
  const total = weights.reduce((a, b) => a + b, 0);

  // Districts under each destination city, for county-level destination codes.
  const cityCodes = opts.destinations.map((d) => d.cityCode);
  const districts = await queryRows<{ code: string; parent_code: string; name: string }>(
    tx,
    sql`select code, parent_code, name from region where parent_code in ${sql.raw(`(${cityCodes.map((c) => `'${c}'`).join(',')})`)}`,
  );
  const districtsOf = new Map<string, { code: string; name: string }[]>();
  for (const d of districts)
    districtsOf.set(d.parent_code, [...(districtsOf.get(d.parent_code) ?? []), d]);

  const members: Record<string, unknown>[] = [];
  const mobilities: Record<string, unknown>[] = [];
  const transitions: Record<string, unknown>[] = [];
  const usedIds = new Set<string>();

  function person(orgId: string | null, homeAddress: string, regionCodes: string[]) {
    const gender = rng.chance(0.68) ? 'male' : 'female';
    const name = syntheticName(rng, { gender });
    const birthDate = syntheticBirthDate(rng, { minAge: 20, maxAge: 88, asOf: opts.asOf });
    let idNumber = '';
    do idNumber = syntheticIdNumber(rng, { regionCode: rng.pick(regionCodes), birthDate, gender });
    while (usedIds.has(idNumber));
    usedIds.add(idNumber);
    const phone = syntheticMobile(rng);
    const birthYear = Number(birthDate.slice(0, 4));
    const joinedOn = dayBetween(
      rng,
      `${Math.max(birthYear + 19, 1960)}-01-01`,
      addDays(today, -30),
    );
    const probationary = joinedOn > addDays(today, -365);
    const id = newId();
    members.push({
      id,
      org_id: orgId,
      name,
      ...(() => {
        const k = nameKeys(name);
        return { name_pinyin: k.namePinyin, name_initials: k.nameInitials };
      })(),
      gender,
      ethnicity: rng.weighted(ETHNICITIES),
      birth_date: birthDate,
      id_number_enc: cipher.encrypt(idNumber, FIELD.idNumber.context),
      id_number_bidx: idNumberBlindIndex(cipher, idNumber),
      education: rng.weighted(EDUCATION),
      phone_enc: cipher.encrypt(phone, FIELD.phone.context),
      phone_bidx: phoneBlindIndex(cipher, phone),
      home_address_enc: cipher.encrypt(homeAddress, FIELD.homeAddress.context),
      current_address_enc: null as string | null,
      emergency_contact_name: syntheticName(rng),
      emergency_contact_phone_enc: cipher.encrypt(
        syntheticMobile(rng),
        FIELD.emergencyContactPhone.context,
      ),
      joined_on: joinedOn,
      membership: probationary ? 'probationary' : 'full',
      full_member_on: probationary ? null : addDays(joinedOn, 365),
      party_posts: rng.chance(0.04) ? rng.pick(POSTS) : null,
      created_at: opts.asOf.toISOString(),
      updated_at: opts.asOf.toISOString(),
    });
    return members.at(-1)!;
  }

  function episode(m: Record<string, unknown>, homeOrgId: string, open: boolean) {
    const dest = rng.weighted(opts.destinations.map((d) => [d, d.weight] as const));
    const district = rng.pick(
      districtsOf.get(dest.cityCode) ?? [{ code: dest.cityCode, name: dest.city }],
    );
    const sameProvince = dest.cityCode.slice(0, 2) === '51';
    const range =
      dest.cityCode === '511900'
        ? 'within_city'
        : sameProvince
          ? 'within_province'
          : 'cross_province';
    // Most episodes are recent; a long tail goes back about twelve years.
    const leftOn = addDays(today, -20 - Math.floor(rng.next() ** 2 * 4400));
    const status = open ? rng.weighted(OPEN_STATUS) : 'returned';
    const address = `${dest.city}${district.name}${rng.pick(EMPLOYER_PLACES)}路${rng.int(1, 400)}号`;
    const id = newId();
    let host: { id: string | null; text: string | null; on: string | null } = {
      id: null,
      text: null,
      on: null,
    };
    const stepIndex = open ? STEPS.indexOf(status) : 4;
    if (stepIndex >= 3) {
      if (dest.mobileOrgId && rng.chance(0.55))
        host = { id: dest.mobileOrgId, text: null, on: addDays(leftOn, rng.int(3, 60)) };
      else if (rng.chance(0.75))
        host = {
          id: null,
          text: `${dest.city}${district.name}${rng.pick(['街道党工委', '社区党委', '非公企业党委', '流动党员服务站'])}`,
          on: addDays(leftOn, rng.int(5, 90)),
        };
    }
    // Not everyone with a host org has reported there yet (报到率 below 100%).
    if (host.on && rng.chance(0.12)) host = { ...host, on: null };
    const earliestEnd = addDays(leftOn, 120) < today ? addDays(leftOn, 120) : leftOn;
    const endedOn = open ? null : dayBetween(rng, earliestEnd, today);
    mobilities.push({
      id,
      member_id: m.id,
      direction: 'outflow',
      status,
      home_org_id: homeOrgId,
      registered_on: addDays(leftOn, -rng.int(0, 10)),
      left_on: leftOn,
      destination_region_code: district.code,
      destination_address_enc: cipher.encrypt(address, FIELD.destinationAddress.context),
      employer: `${rng.pick(EMPLOYER_PLACES)}${rng.pick(EMPLOYER_WORDS)}`,
      industry: rng.weighted(INDUSTRY),
      unit_type: rng.weighted(UNIT_TYPE),
      original_occupation: rng.weighted(OCCUPATION),
      reason: rng.weighted(REASON),
      expected_months: rng.pick([3, 6, 12, 24, 36, 60]),
      mobility_range: range,
      host_org_id: host.id,
      host_org_text: host.text,
      checked_in_on: host.on,
      ended_on: endedOn,
      end_note: open
        ? null
        : rng.pick([
            '在外期间遵守纪律，按时参加组织生活',
            '在外务工期间表现良好',
            '返乡创业，已回原支部参加组织生活',
          ]),
      created_at: opts.asOf.toISOString(),
      updated_at: opts.asOf.toISOString(),
    });
    if (open) m.current_address_enc = cipher.encrypt(address, FIELD.currentAddress.context);
    // The timeline: each step reached, in order, then the end.
    let day = addDays(leftOn, -rng.int(0, 10));
    const reached = STEPS.slice(0, stepIndex + 1);
    reached.forEach((s, i) => {
      transitions.push({
        mobility_id: id,
        from_status: i === 0 ? null : reached[i - 1],
        to_status: s,
        at: `${day}T09:00:00+08:00`,
      });
      day = addDays(day, rng.int(1, 30));
    });
    if (!open)
      transitions.push({
        mobility_id: id,
        from_status: 'serving',
        to_status: 'returned',
        at: `${endedOn}T09:00:00+08:00`,
        note: '返回原籍',
      });
  }

  for (const [i, b] of opts.branches.entries()) {
    const n = Math.max(3, Math.round((target * weights[i]!) / total));
    for (let k = 0; k < n; k++) {
      const home =
        b.kind === 'village'
          ? `南岭县${b.town}${b.name}${rng.int(1, 9)}组${rng.int(1, 60)}号`
          : `南岭县${b.town}${rng.pick(EMPLOYER_PLACES)}街${rng.int(1, 300)}号`;
      const m = person(b.id, home, HOME_COUNTIES);
      // Rural members go out to work far more than organ staff (DOMAIN.md §1: 2,801 of 19,641).
      const pOut = { village: 0.158, community: 0.1, enterprise: 0.03, organ: 0.01 }[b.kind];
      if (rng.chance(pOut)) episode(m, b.id, true);
      else if (rng.chance(0.03)) episode(m, b.id, false);
    }
  }

  // Inflow: members from other counties working here, affiliated elsewhere.
  const hosts = opts.branches.filter((b) => b.kind === 'enterprise' || b.kind === 'community');
  for (let k = 0; k < Math.round(target * 0.0065); k++) {
    const host = rng.pick(hosts);
    const from = rng.pick(INFLOW_FROM);
    const m = person(null, `外县户籍（${from}）`, [from]);
    const arrived = dayBetween(rng, '2019-01-01', addDays(today, -10));
    const id = newId();
    mobilities.push({
      id,
      member_id: m.id,
      direction: 'inflow',
      status: rng.chance(0.8) ? 'serving' : 'registered',
      home_org_id: null,
      home_org_text: `中共${rng.pick(['青川', '城南', '河西', '东岭'])}县${rng.pick(['石桥', '柏林', '红旗'])}村支部委员会`,
      home_region_code: from,
      registered_on: addDays(arrived, rng.int(0, 20)),
      left_on: arrived,
      destination_region_code: '511900',
      employer: `南岭县${rng.pick(EMPLOYER_PLACES)}${rng.pick(EMPLOYER_WORDS)}`,
      industry: rng.weighted(INDUSTRY),
      unit_type: rng.weighted(UNIT_TYPE),
      original_occupation: rng.weighted(OCCUPATION),
      reason: 'work',
      mobility_range: 'cross_province',
      host_org_id: host.id,
      checked_in_on: addDays(arrived, rng.int(1, 30)),
      created_at: opts.asOf.toISOString(),
      updated_at: opts.asOf.toISOString(),
    });
    transitions.push({
      mobility_id: id,
      from_status: null,
      to_status: 'registered',
      at: `${arrived}T09:00:00+08:00`,
    });
  }

  // Certificates (流动党员活动证) for ~97% of open outflows, reviewed within the year for most of
  // the older ones, so 持证率 lands near the 94% of DOMAIN.md §1; numbered without gaps per year.
  const issuerOf = new Map(opts.branches.map((b) => [b.id, b.issuerId]));
  const certificates: Record<string, unknown>[] = [];
  const outflowsByIssue = mobilities
    .filter((m) => m.direction === 'outflow' && rng.chance(m.status === 'returned' ? 0.8 : 0.97))
    .map((m) => ({ m, issuedOn: addDays(m.registered_on as string, rng.int(0, 7)) }))
    .map((x) => ({ ...x, issuedOn: x.issuedOn > today ? today : x.issuedOn }))
    .sort(
      (a, b) =>
        a.issuedOn.localeCompare(b.issuedOn) || String(a.m.id).localeCompare(String(b.m.id)),
    );
  const nextSeq = new Map<number, number>();
  for (const { m, issuedOn } of outflowsByIssue) {
    const year = Number(issuedOn.slice(0, 4));
    const seq = nextSeq.get(year) ?? 1;
    nextSeq.set(year, seq + 1);
    const open = m.status !== 'returned';
    const overAYear = addDays(issuedOn, 365) < today;
    certificates.push({
      id: newId(),
      number: formatCertificateNumber(DEFAULT_CERTIFICATE_PATTERN, {
        county: opts.countyCode,
        year,
        seq,
      }),
      county_code: opts.countyCode,
      year,
      seq,
      member_id: m.member_id,
      mobility_id: m.id,
      status: open ? 'issued' : 'returned',
      issued_on: issuedOn,
      issued_by_org_id: issuerOf.get(m.home_org_id as string) ?? opts.branches[0]!.issuerId,
      last_reviewed_on:
        open && overAYear && rng.chance(0.96) ? addDays(today, -rng.int(10, 330)) : null,
      ended_on: open ? null : m.ended_on,
      end_reason: open ? null : '返回原籍，交回活动证',
      created_at: opts.asOf.toISOString(),
      updated_at: opts.asOf.toISOString(),
    });
  }
  const transfers = seedTransfers(rng, {
    today,
    members,
    mobilities,
    certificates,
    transitions,
    districts,
    destinations: opts.destinations,
    receivers: opts.receivers,
    focusTownId: opts.branches[0]?.issuerId ?? null,
    countyCode: opts.countyCode,
    letterPrefix: letterPrefixOf(opts.countyName),
    newId,
    createdAt: opts.asOf.toISOString(),
  });

  await bulkInsert(
    tx,
    'member',
    [
      ['id', 'uuid'],
      ['org_id', 'uuid'],
      ['name', 'text'],
      ['name_pinyin', 'text'],
      ['name_initials', 'text'],
      ['gender', 'text'],
      ['ethnicity', 'text'],
      ['birth_date', 'date'],
      ['id_number_enc', 'text'],
      ['id_number_bidx', 'text'],
      ['education', 'text'],
      ['phone_enc', 'text'],
      ['phone_bidx', 'text'],
      ['home_address_enc', 'text'],
      ['current_address_enc', 'text'],
      ['emergency_contact_name', 'text'],
      ['emergency_contact_phone_enc', 'text'],
      ['joined_on', 'date'],
      ['membership', 'text'],
      ['full_member_on', 'date'],
      ['party_posts', 'text'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ],
    members,
  );
  await bulkInsert(
    tx,
    'mobility',
    [
      ['id', 'uuid'],
      ['member_id', 'uuid'],
      ['direction', 'text'],
      ['status', 'text'],
      ['home_org_id', 'uuid'],
      ['home_org_text', 'text'],
      ['home_region_code', 'text'],
      ['registered_on', 'date'],
      ['left_on', 'date'],
      ['destination_region_code', 'text'],
      ['destination_address_enc', 'text'],
      ['employer', 'text'],
      ['industry', 'text'],
      ['unit_type', 'text'],
      ['original_occupation', 'text'],
      ['reason', 'text'],
      ['expected_months', 'int'],
      ['mobility_range', 'text'],
      ['host_org_id', 'uuid'],
      ['host_org_text', 'text'],
      ['checked_in_on', 'date'],
      ['ended_on', 'date'],
      ['end_note', 'text'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ],
    mobilities,
  );
  await bulkInsert(
    tx,
    'certificate',
    [
      ['id', 'uuid'],
      ['number', 'text'],
      ['county_code', 'text'],
      ['year', 'int'],
      ['seq', 'int'],
      ['member_id', 'uuid'],
      ['mobility_id', 'uuid'],
      ['status', 'text'],
      ['issued_on', 'date'],
      ['issued_by_org_id', 'uuid'],
      ['last_reviewed_on', 'date'],
      ['ended_on', 'date'],
      ['end_reason', 'text'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ],
    certificates,
  );
  await bulkInsert(
    tx,
    'certificate_counter',
    [
      ['id', 'uuid'],
      ['county_code', 'text'],
      ['year', 'int'],
      ['next_seq', 'int'],
    ],
    [...nextSeq.entries()].map(([year, next]) => ({
      id: newId(),
      county_code: opts.countyCode,
      year,
      next_seq: next,
    })),
  );

  await bulkInsert(
    tx,
    'mobility_transition',
    [
      ['mobility_id', 'uuid'],
      ['from_status', 'text'],
      ['to_status', 'text'],
      ['at', 'timestamptz'],
      ['note', 'text'],
    ],
    transitions,
  );

  await bulkInsert(
    tx,
    'transfer',
    [
      ['id', 'uuid'],
      ['member_id', 'uuid'],
      ['mobility_id', 'uuid'],
      ['from_org_id', 'uuid'],
      ['to_org_id', 'uuid'],
      ['to_org_text', 'text'],
      ['to_region_code', 'text'],
      ['reason', 'text'],
      ['status', 'text'],
      ['requested_on', 'date'],
      ['decided_on', 'date'],
      ['decision_note', 'text'],
      ['letter_number', 'text'],
      ['letter_county_code', 'text'],
      ['letter_year', 'int'],
      ['letter_seq', 'int'],
      ['letter_issued_on', 'date'],
      ['due_on', 'date'],
      ['received_on', 'date'],
      ['receipt_source', 'text'],
      ['receipt_note', 'text'],
      ['cancelled_on', 'date'],
      ['cancel_reason', 'text'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ],
    transfers.rows,
  );
  await bulkInsert(
    tx,
    'transfer_letter_counter',
    [
      ['id', 'uuid'],
      ['county_code', 'text'],
      ['year', 'int'],
      ['next_seq', 'int'],
    ],
    transfers.counters,
  );

  const outflows = mobilities.filter((m) => m.direction === 'outflow');
  return {
    members: members.length,
    openOutflows: outflows.filter((m) => m.status !== 'returned' && m.status !== 'transferred')
      .length,
    returned: outflows.filter((m) => m.status === 'returned').length,
    inflows: mobilities.length - outflows.length,
    transfers: transfers.rows.length,
    transfersCompleted: transfers.rows.filter((r) => r.status === 'completed').length,
    transfersOverdue: transfers.rows.filter((r) => r.status === 'approved' && r.due_on! < today)
      .length,
  };
}

type Row = Record<string, unknown>;
type TransferSeed = Row & { status: string; due_on: string | null };

const TRANSFER_REASONS = [
  '长期在外务工，工作和居住地相对固定',
  '在外地就业并签订长期劳动合同',
  '随配偶在外地定居',
  '在外地经商多年，已购房定居',
];
const LOCAL_REASONS = ['工作单位变动', '搬迁至县城居住', '返乡后到新单位就业', '随子女居住'];
const STREETS = ['城南街道', '新城街道', '高新区', '经开区', '江北街道', '东湖街道'];
const COMMUNITIES = ['幸福社区', '和平社区', '工业园区联合', '滨江社区', '光华社区'];

/**
 * 组织关系转接 for the demo county (issue 3 §5): long-away members whose affiliation moved to the
 * mobile Party org or an org where they live, local moves between the county's branches, letters
 * still valid, letters overdue without a receipt, requests waiting, one rejected, one cancelled.
 * Completed transfers change the records as the receipt does (the member's org, the outflow
 * ended as transferred with its timeline entry, the certificate handed back). Letter numbers run
 * without gaps per year, in issue order, and the counters continue after them.
 */
function seedTransfers(
  rng: Rng,
  c: {
    today: string;
    members: Row[];
    mobilities: Row[];
    certificates: Row[];
    transitions: Row[];
    districts: { code: string; parent_code: string; name: string }[];
    destinations: Destination[];
    receivers: SeedReceiver[];
    focusTownId: string | null;
    countyCode: string;
    letterPrefix: string;
    newId: () => string;
    createdAt: string;
  },
) {
  const { today } = c;
  const memberById = new Map(c.members.map((m) => [m.id as string, m]));
  const certificateOf = new Map(
    c.certificates.filter((x) => x.status === 'issued').map((x) => [x.mobility_id as string, x]),
  );
  const districtName = new Map(c.districts.map((d) => [d.code, d.name]));
  const cityName = new Map(c.destinations.map((d) => [d.cityCode, d.city]));
  const homeRegion = c.countyCode;
  const townOf = new Map(c.receivers.map((r) => [r.id, r.townId]));
  const inFocus = (orgId: unknown) =>
    !!c.focusTownId && townOf.get(orgId as string) === c.focusTownId;
  /**
   * Draws distinct random items, alternating between the focus town's and the others' (so the
   * demo accounts of the first town see some of each kind), without shuffling the whole list.
   */
  const drawer = <T>(list: T[], focus: (x: T) => boolean) => {
    const pools = [list.filter(focus), list.filter((x) => !focus(x))];
    let turn = 0;
    return (): T | undefined => {
      const order = [turn, 1 - turn];
      turn = 1 - turn;
      for (const k of order) {
        const pool = pools[k]!;
        if (pool.length === 0) continue;
        const i = rng.int(0, pool.length - 1);
        const item = pool[i]!;
        pool[i] = pool[pool.length - 1]!;
        pool.pop();
        return item;
      }
      return undefined;
    };
  };

  // Away a long time at a fixed place: the affiliation should be transferred (DOMAIN.md §3).
  const nextAway = drawer(
    c.mobilities.filter(
      (m) =>
        m.direction === 'outflow' &&
        (m.status === 'serving' || m.status === 'settled') &&
        (m.left_on as string) <= addDays(today, -300),
    ),
    (m) => inFocus(m.home_org_id),
  );
  const withMobility = new Set(c.mobilities.map((m) => m.member_id as string));
  const nextStayer = drawer(
    c.members.filter((m) => m.org_id && !withMobility.has(m.id as string)),
    (m) => inFocus(m.org_id),
  );
  const localReceivers = c.receivers.filter((r) => r.regionCode === homeRegion);
  const focusReceivers = localReceivers.filter((r) => r.townId === c.focusTownId);

  /** The receiving side of a long-away member: our mobile Party org there, or an org there. */
  function destinationOf(mob: Row, outside: boolean) {
    const district = mob.destination_region_code as string;
    const city = `${district.slice(0, 4)}00`;
    // Our mobile Party orgs carry their city's code; the county's own orgs carry the county's.
    const ours = c.receivers.filter((r) => r.regionCode === city && city !== homeRegion);
    const branches = ours.filter((r) => r.kind === 'branch');
    if (!outside && ours.length > 0) {
      const to = rng.pick(branches.length > 0 ? branches : ours);
      return { toOrgId: to.id, toName: to.name, toRegion: city };
    }
    const name = `中共${cityName.get(city) ?? ''}市${districtName.get(district) ?? ''}${rng.pick(STREETS)}${rng.pick(COMMUNITIES)}委员会`;
    return { toOrgId: null, toName: name, toRegion: district };
  }
  /** A local move: out of the focus town to anywhere, or from elsewhere into the focus town. */
  function localDestinationOf(fromOrgId: string, fromFocus: boolean) {
    const towards = fromFocus || focusReceivers.length < 2 ? localReceivers : focusReceivers;
    const pool = towards.filter((r) => r.id !== fromOrgId && r.kind === 'branch');
    const to = rng.pick(pool);
    return { toOrgId: to.id, toName: to.name, toRegion: homeRegion };
  }

  type Plan = {
    status: 'completed' | 'approved' | 'requested' | 'rejected' | 'cancelled';
    overdue?: boolean;
    outside?: boolean;
    local?: boolean;
  };
  const plans: Plan[] = [
    ...Array.from({ length: 5 }, (): Plan => ({ status: 'completed' })),
    ...Array.from({ length: 2 }, (): Plan => ({ status: 'completed', outside: true })),
    ...Array.from({ length: 3 }, (): Plan => ({ status: 'completed', local: true })),
    ...Array.from({ length: 3 }, (): Plan => ({ status: 'approved' })),
    ...Array.from({ length: 2 }, (): Plan => ({ status: 'approved', local: true })),
    ...Array.from({ length: 15 }, (_, i): Plan => ({
      status: 'approved',
      overdue: true,
      outside: i % 3 === 0,
    })),
    ...Array.from({ length: 2 }, (): Plan => ({ status: 'requested' })),
    ...Array.from({ length: 2 }, (): Plan => ({ status: 'requested', local: true })),
    { status: 'rejected', local: true },
    { status: 'cancelled' },
  ];

  const rows: TransferSeed[] = [];
  const notes: { step: Row; transferId: string; toName: string }[] = [];
  for (const plan of plans) {
    const mob = plan.local ? null : (nextAway() ?? null);
    const m = plan.local ? nextStayer() : mob ? memberById.get(mob.member_id as string) : undefined;
    if (!m || (!plan.local && !mob)) continue;
    const fromOrgId = m.org_id as string;
    const to = mob
      ? destinationOf(mob, !!plan.outside)
      : localDestinationOf(fromOrgId, inFocus(fromOrgId));
    const range = transferRange(homeRegion, to.toRegion);
    const limit =
      range === 'within_city'
        ? DEFAULT_TRANSFER_LIMITS.withinCityDays
        : DEFAULT_TRANSFER_LIMITS.elsewhereDays;

    // When the letter was (or would be) issued, relative to today.
    // A completed transfer of a long-away member comes after the steps of the episode's timeline.
    const maxBack = mob ? daysFrom(mob.left_on as string, today) - 180 : 400;
    let issued: string | null = null;
    let requested: string;
    if (plan.status === 'requested') requested = addDays(today, -rng.int(0, 10));
    else {
      const back =
        plan.status === 'completed'
          ? rng.int(30, Math.max(30, Math.min(400, maxBack)))
          : plan.status === 'approved' && !plan.overdue
            ? rng.int(0, limit - 1)
            : plan.status === 'approved'
              ? rng.int(limit + 1, limit + 150)
              : rng.int(20, 120);
      issued = addDays(today, -back);
      requested = addDays(issued, -rng.int(1, 6));
    }
    const lettered = plan.status !== 'requested' && plan.status !== 'rejected';
    const dueOn = lettered ? letterDueOn(issued!, range, DEFAULT_TRANSFER_LIMITS) : null;
    const receivedOn =
      plan.status === 'completed'
        ? [addDays(issued!, rng.int(1, Math.min(limit, 8))), today].sort()[0]!
        : null;
    const row: TransferSeed = {
      id: c.newId(),
      member_id: m.id,
      mobility_id: mob ? mob.id : null,
      from_org_id: fromOrgId,
      to_org_id: to.toOrgId,
      to_org_text: to.toOrgId ? null : to.toName,
      to_region_code: to.toRegion,
      reason: rng.pick(mob ? TRANSFER_REASONS : LOCAL_REASONS),
      status: plan.status,
      requested_on: requested,
      decided_on: plan.status === 'requested' ? null : issued,
      decision_note:
        plan.status === 'rejected' ? '接收党组织尚未确认可以接收，请联系后重新申请' : null,
      letter_issued_on: lettered ? issued : null,
      due_on: dueOn,
      received_on: receivedOn,
      receipt_source: receivedOn ? (to.toOrgId ? 'system' : 'paper') : null,
      receipt_note: receivedOn && !to.toOrgId ? '纸质回执已寄回' : null,
      cancelled_on:
        plan.status === 'cancelled' ? [addDays(issued!, rng.int(3, 20)), today].sort()[0]! : null,
      cancel_reason: plan.status === 'cancelled' ? '党员在原地找到新工作，暂不转接' : null,
      created_at: c.createdAt,
      updated_at: c.createdAt,
    };
    rows.push(row);

    // The receipt: the affiliation moves, the outflow ends by transfer, the certificate goes back.
    if (plan.status === 'completed') {
      m.org_id = to.toOrgId;
      if (mob) {
        const from = mob.status;
        mob.status = 'transferred';
        mob.ended_on = receivedOn;
        const step = {
          mobility_id: mob.id,
          from_status: from,
          to_status: 'transferred',
          at: `${receivedOn}T10:00:00+08:00`,
          note: '',
        };
        c.transitions.push(step);
        // The note names the letter, numbered below once every letter's date is known.
        notes.push({ step, transferId: row.id as string, toName: to.toName });
        const held = certificateOf.get(mob.id as string);
        if (held) {
          held.status = 'returned';
          held.ended_on = receivedOn;
          held.end_reason = '组织关系已转接';
        }
      }
    }
  }

  // Letter numbers in issue order, without gaps per year (the counter row continues after them).
  const nextSeq = new Map<number, number>();
  const lettered = rows
    .filter((r) => r.letter_issued_on)
    .sort(
      (a, b) =>
        String(a.letter_issued_on).localeCompare(String(b.letter_issued_on)) ||
        String(a.id).localeCompare(String(b.id)),
    );
  const numberOf = new Map<string, string>();
  for (const r of lettered) {
    const year = Number(String(r.letter_issued_on).slice(0, 4));
    const seq = nextSeq.get(year) ?? 1;
    nextSeq.set(year, seq + 1);
    r.letter_number = formatLetterNumber(c.letterPrefix, year, seq);
    r.letter_county_code = c.countyCode;
    r.letter_year = year;
    r.letter_seq = seq;
    numberOf.set(r.id as string, r.letter_number as string);
  }
  for (const n of notes)
    n.step.note = `组织关系已转入${n.toName}（介绍信 ${numberOf.get(n.transferId)}）`;

  return {
    rows,
    counters: [...nextSeq.entries()].map(([year, next]) => ({
      id: c.newId(),
      county_code: c.countyCode,
      year,
      next_seq: next,
    })),
  };
}
