import { sql } from 'drizzle-orm';
import {
  DEFAULT_CERTIFICATE_PATTERN,
  formatCertificateNumber,
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
const EDUCATION: [string, number][] = [
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
const UNIT_TYPE: [string, number][] = [
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
const OCCUPATION: [string, number][] = [
  ['farmer', 55],
  ['skilled_worker', 25],
  ['unemployed_graduate', 6],
  ['manager_professional', 6],
  ['intermediary_staff', 2],
  ['other', 6],
];
const REASON: [string, number][] = [
  ['work', 75],
  ['business', 12],
  ['study', 4],
  ['family', 5],
  ['elderly_care', 2],
  ['unemployed', 1],
  ['other', 1],
];
const OPEN_STATUS: [string, number][] = [
  ['serving', 70],
  ['settled', 12],
  ['contacted', 8],
  ['informed', 5],
  ['registered', 5],
];
const STEPS = ['registered', 'informed', 'contacted', 'settled', 'serving'];
const EMPLOYER_WORDS = [
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
const POSTS = ['支部书记', '组织委员', '宣传委员', '纪检委员', '党小组长'];
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

  const outflows = mobilities.filter((m) => m.direction === 'outflow');
  return {
    members: members.length,
    openOutflows: outflows.filter((m) => m.status !== 'returned').length,
    returned: outflows.filter((m) => m.status === 'returned').length,
    inflows: mobilities.length - outflows.length,
  };
}
