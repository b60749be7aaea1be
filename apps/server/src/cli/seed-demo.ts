import { asc, eq, isNull, sql } from 'drizzle-orm';
import {
  TRANSFER_RECEIVING_ORG_KINDS,
  childPath,
  createRng,
  syntheticName,
  systemClock,
  type Clock,
  type OrgKind,
  type Rng,
  type Role,
} from '@liudong/domain';
import { org, servicePoint } from '../db/schema';
import { queryRows, type Db, type Tx } from '../platform/db';
import { writeAudit } from '../platform/audit';
import { AppError } from '../platform/errors';
import type { FieldCipher } from '../platform/crypto';
import { seedMembers, type SeedBranch } from './seed-members';
import { seedContacts, type SeedContactsResult } from './seed-contacts';
import {
  DEFAULT_ROOT_ORG_NAME,
  createAccountWithRoles,
  ensureRootOrg,
} from '../modules/accounts/bootstrap';

/**
 * A realistic, entirely fictional county (南岭县) for demos and tests: a county committee,
 * township and street committees, village and community branches with groups, enterprise
 * branches, county-organ branches, mobile Party orgs set up in the provinces where members go,
 * a temporary and an online branch, and the service network. Deterministic: the same seed gives
 * the same ids, names and dates. Never real people: names come from `syntheticName`.
 */

type OrgSeed = typeof org.$inferInsert;
type PointSeed = typeof servicePoint.$inferInsert;

const TOWNSHIPS = [
  '城关镇',
  '东溪镇',
  '南山镇',
  '西河乡',
  '北坝镇',
  '青石镇',
  '白沙乡',
  '龙潭镇',
  '柳湾乡',
  '石门镇',
  '金台镇',
  '云峰乡',
  '桃园街道',
  '文昌街道',
];
const PLACE_SYLLABLES =
  '清河石桥柏林杨柳桃花梨园枣坪竹溪松岭凤凰龙泉金光银杏双龙马鞍红旗新华团结胜利光明永兴长岭大坪黄泥青龙白鹤天池'.match(
    /../g,
  )!;
const ENTERPRISE_KINDS = [
  '建材有限公司',
  '农业专业合作社',
  '食品有限公司',
  '物流有限公司',
  '服装厂',
  '茶业有限公司',
];
const COUNTY_ORGANS = [
  '县教育局机关',
  '县卫生健康局机关',
  '县财政局机关',
  '县农业农村局机关',
  '县人力资源和社会保障局机关',
  '县交通运输局机关',
  '县自然资源局机关',
  '县市场监督管理局机关',
];
/** Where the county's members mostly go (DOMAIN.md §1: concentrated in a few cities). */
const DESTINATIONS: [city: string, region: string][] = [
  ['成都', '510100'],
  ['重庆', '500100'],
  ['深圳', '440300'],
  ['广州', '440100'],
  ['杭州', '330100'],
  ['西安', '610100'],
  ['乌鲁木齐', '650100'],
];
/** Where members go, with weights (DOMAIN.md §1: concentrated in a few cities). */
const MEMBER_DESTINATIONS: [city: string, cityCode: string, weight: number][] = [
  ['成都', '510100', 26],
  ['重庆', '500100', 12],
  ['深圳', '440300', 12],
  ['广州', '440100', 10],
  ['杭州', '330100', 6],
  ['西安', '610100', 6],
  ['乌鲁木齐', '650100', 5],
  ['北京', '110100', 4],
  ['上海', '310100', 4],
  ['绵阳', '510700', 4],
  ['南充', '511300', 4],
  ['达州', '511700', 3],
  ['巴中', '511900', 4],
];
// A fictional county placed in a real city's region code (巴中市), so region pickers work.
const COUNTY_REGION = '511900';

function uuidFrom(rng: Rng): string {
  const hex = Array.from({ length: 16 }, () => rng.int(0, 255).toString(16).padStart(2, '0'));
  hex[6] = '4' + hex[6]!.slice(1);
  hex[8] = ((parseInt(hex[8]!, 16) & 0x3f) | 0x80).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function dateBetween(rng: Rng, fromYear: number, toYear: number): string {
  const y = rng.int(fromYear, toYear);
  const m = rng.int(1, 12);
  const d = rng.int(1, 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export interface SeedDemoResult {
  orgs: number;
  members: number;
  openOutflows: number;
  servicePoints: number;
  /** Keeping in touch (issue 4 §9): liaisons, contacts, lost contact, the census. */
  contacts: SeedContactsResult;
  accounts: { username: string; role: Role; orgName: string }[];
  password: string;
  summary: string;
}

export async function seedDemo(
  db: Db,
  opts: {
    seed?: number;
    password?: string | undefined;
    cipher: FieldCipher;
    members?: number;
    /** "Now" for the whole county (tests fix it; the command uses the system clock). */
    clock?: Clock;
  },
): Promise<SeedDemoResult> {
  const seed = opts.seed ?? 20260701;
  const rng = createRng(seed);
  const clock = opts.clock ?? systemClock;
  const now = clock.now();
  return db.transaction(async (tx) => {
    // On an empty database the root gets a seeded id too, so the whole county is reproducible.
    const root = await ensureRootOrg(tx, clock, DEFAULT_ROOT_ORG_NAME, uuidFrom(rng));
    const [kids] = await queryRows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from org where parent_id = ${root.id}`,
    );
    if ((kids?.n ?? 0) > 0 || root.name !== DEFAULT_ROOT_ORG_NAME) {
      throw new AppError(
        'conflict',
        '数据库里已有组织数据，演示数据只能填入新安装的系统（可换一个 DATA_DIR 再试）',
      );
    }
    await tx
      .update(org)
      .set({
        name: '中共南岭县委员会',
        shortName: '南岭县委',
        categoryCode: '4',
        regionCode: COUNTY_REGION,
        establishedOn: '1950-03-01',
        secretaryName: syntheticName(rng),
        contactPhone: '0827-5210001',
        address: '南岭县城关镇人民路1号',
      })
      .where(eq(org.id, root.id));
    const rootPath = root.path;

    const orgs: OrgSeed[] = [];
    const points: PointSeed[] = [];
    const add = (
      parent: { id: string; path: string; depth: number },
      o: {
        name: string;
        shortName?: string;
        kind: OrgKind;
        categoryCode?: string;
        regionCode?: string;
        address?: string;
      },
    ) => {
      const id = uuidFrom(rng);
      const row: OrgSeed = {
        id,
        parentId: parent.id,
        path: childPath(parent.path, id),
        depth: parent.depth + 1,
        name: o.name,
        shortName: o.shortName ?? null,
        kind: o.kind,
        categoryCode: o.categoryCode ?? null,
        regionCode: o.regionCode ?? COUNTY_REGION,
        address: o.address ?? null,
        secretaryName: syntheticName(rng),
        contactPhone: `0827-5${String(rng.int(100000, 999999))}`,
        establishedOn: dateBetween(rng, 1985, 2022),
        createdAt: now,
        updatedAt: now,
      };
      orgs.push(row);
      return { id, path: row.path, depth: row.depth!, name: o.name };
    };
    const point = (
      orgId: string,
      level: 'center' | 'station' | 'point',
      name: string,
      address: string,
    ) =>
      points.push({
        id: uuidFrom(rng),
        orgId,
        level,
        name,
        address,
        phone: `0827-5${String(rng.int(100000, 999999))}`,
        openingHours: '周一至周五 8:30–17:30',
        createdAt: now,
        updatedAt: now,
      });

    const rootRef = { id: root.id, path: rootPath, depth: root.depth };
    point(root.id, 'center', '南岭县流动党员服务中心', '南岭县城关镇人民路1号');

    const usedPlaces = new Set<string>();
    const place = () => {
      for (;;) {
        const p =
          rng.pick(PLACE_SYLLABLES) +
          (rng.chance(0.5) ? rng.pick(PLACE_SYLLABLES).slice(0, 1) : '');
        if (!usedPlaces.has(p)) {
          usedPlaces.add(p);
          return p;
        }
      }
    };

    const townshipRefs: { id: string; path: string; depth: number; name: string }[] = [];
    for (const t of TOWNSHIPS) {
      const isStreet = t.endsWith('街道');
      const town = add(rootRef, {
        name: isStreet ? `中共南岭县${t}工作委员会` : `中共南岭县${t}委员会`,
        shortName: isStreet ? `${t}党工委` : `${t}党委`,
        kind: isStreet ? 'working_committee' : 'committee',
        categoryCode: isStreet ? '7' : '3',
        address: `南岭县${t}`,
      });
      townshipRefs.push(town);
      point(town.id, 'station', `${t}流动党员服务站`, `南岭县${t}便民服务中心`);
      const villages = rng.int(8, 18);
      for (let v = 0; v < villages; v++) {
        const unit = isStreet ? `${place()}社区` : `${place()}村`;
        const category = isStreet ? '7' : '3';
        if (rng.chance(0.15)) {
          const general = add(town, {
            name: `中共${t}${unit}总支部委员会`,
            shortName: `${unit}党总支`,
            kind: 'general_branch',
            categoryCode: category,
          });
          for (let b = 1; b <= rng.int(2, 3); b++)
            add(general, {
              name: `中共${t}${unit}第${b}支部委员会`,
              shortName: `${unit}第${b}党支部`,
              kind: 'branch',
              categoryCode: category,
            });
        } else {
          const branch = add(town, {
            name: `中共${t}${unit}支部委员会`,
            shortName: `${unit}党支部`,
            kind: 'branch',
            categoryCode: category,
          });
          if (rng.chance(0.3))
            for (let g = 1; g <= rng.int(2, 3); g++)
              add(branch, { name: `${unit}第${g}党小组`, kind: 'group', categoryCode: category });
          if (rng.chance(0.3))
            point(branch.id, 'point', `${unit}流动党员服务点`, `南岭县${t}${unit}党群服务中心`);
        }
      }
      for (let e = 0; e < rng.int(1, 3); e++) {
        const company = `南岭县${place()}${rng.pick(ENTERPRISE_KINDS)}`;
        add(town, {
          name: `中共${company}支部委员会`,
          shortName: `${company}党支部`,
          kind: 'branch',
          categoryCode: '2',
        });
      }
    }

    const organs = add(rootRef, {
      name: '中共南岭县直属机关工作委员会',
      shortName: '县直机关工委',
      kind: 'working_committee',
      categoryCode: '4',
    });
    for (const o of COUNTY_ORGANS)
      add(organs, {
        name: `中共${o}支部委员会`,
        shortName: `${o}党支部`,
        kind: 'branch',
        categoryCode: '4',
      });

    // Mobile Party orgs set up where members concentrate (DOMAIN.md §2: 流动党员党组织).
    const mobileOrgs: { id: string; name: string; city: string }[] = [];
    for (const [city, region] of DESTINATIONS) {
      const big = city === '成都' || city === '深圳';
      const m = add(rootRef, {
        name: big
          ? `中共南岭县驻${city}流动党员总支部委员会`
          : `中共南岭县驻${city}流动党员支部委员会`,
        shortName: `驻${city}流动党员${big ? '党总支' : '党支部'}`,
        kind: 'mobile_party_org',
        categoryCode: '9',
        regionCode: region,
        address: `${city}市（南岭县驻${city}务工人员服务点）`,
      });
      mobileOrgs.push({ ...m, city });
      if (big)
        for (let b = 1; b <= 2; b++)
          add(m, {
            name: `中共南岭县驻${city}流动党员第${b}支部委员会`,
            shortName: `驻${city}第${b}党支部`,
            kind: 'branch',
            categoryCode: '9',
            regionCode: region,
          });
      point(m.id, 'station', `南岭县驻${city}流动党员服务站`, `${city}市`);
    }
    add(townshipRefs[0]!, {
      name: '城关镇赴新疆务工临时党支部',
      shortName: '赴新疆临时党支部',
      kind: 'temporary_branch',
      categoryCode: '9',
      regionCode: '650100',
    });
    add(rootRef, {
      name: '中共南岭县网上流动党员支部委员会',
      shortName: '网上流动党员党支部',
      kind: 'online_branch',
      categoryCode: '9',
    });

    for (let i = 0; i < orgs.length; i += 500) await tx.insert(org).values(orgs.slice(i, i + 500));
    for (let i = 0; i < points.length; i += 500)
      await tx.insert(servicePoint).values(points.slice(i, i + 500));

    // Members live in the branches: villages, communities, enterprises and county organs.
    const townOf = new Map(
      townshipRefs.map((t) => [t.id, t.name.replace(/^中共南岭县|(工作委员会|委员会)$/g, '')]),
    );
    const branchKind = {
      '3': 'village',
      '7': 'community',
      '2': 'enterprise',
      '4': 'organ',
    } as const;
    const branches: SeedBranch[] = orgs
      .filter((o) => o.kind === 'branch' && o.categoryCode && o.categoryCode in branchKind)
      .map((o) => ({
        id: o.id!,
        issuerId: o.path!.split('/')[2] ?? root.id,
        name: (o.shortName ?? o.name).replace(/党支部$/, ''),
        town: townOf.get(o.path!.split('/')[2] ?? '') ?? '',
        kind: branchKind[o.categoryCode as keyof typeof branchKind],
      }));
    const mobileOrgOf = new Map(mobileOrgs.map((m) => [m.city, m.id]));
    const population = await seedMembers(tx, rng, {
      cipher: opts.cipher,
      branches,
      destinations: MEMBER_DESTINATIONS.map(([city, cityCode, weight]) => ({
        city,
        cityCode,
        weight,
        ...(mobileOrgOf.has(city) ? { mobileOrgId: mobileOrgOf.get(city)! } : {}),
      })),
      newId: () => uuidFrom(rng),
      asOf: now,
      countyCode: COUNTY_REGION,
      countyName: '南岭县委',
      // Where an affiliation may move (issue 3 §5): branches and the mobile Party orgs.
      receivers: orgs
        .filter((o) => TRANSFER_RECEIVING_ORG_KINDS.includes(o.kind as OrgKind))
        .map((o) => ({
          id: o.id!,
          name: o.name,
          kind: o.kind,
          regionCode: o.regionCode ?? COUNTY_REGION,
          townId: o.path!.split('/')[2] ?? root.id,
        })),
      ...(opts.members ? { targetMembers: opts.members } : {}),
    });

    // One demo account per role, so every page can be tried. They share one password, printed
    // once; admin roles still enrol TOTP at first login.
    const password = opts.password ?? `Demo-${uuidFrom(rng).slice(0, 8)}-Ld`;
    const firstTown = townshipRefs[0]!;
    const firstBranch = orgs.find(
      (o) => o.kind === 'branch' && o.path!.startsWith(firstTown.path),
    )!;
    const demo: {
      username: string;
      displayName: string;
      role: Role;
      org: { id: string; name: string };
    }[] = [
      {
        username: 'zuzhibu',
        displayName: syntheticName(rng),
        role: 'org_admin',
        org: { id: root.id, name: '中共南岭县委员会' },
      },
      {
        username: 'zhenwei',
        displayName: syntheticName(rng),
        role: 'committee_officer',
        org: firstTown,
      },
      {
        username: 'zhibu',
        displayName: syntheticName(rng),
        role: 'branch_officer',
        org: { id: firstBranch.id!, name: firstBranch.name },
      },
      {
        username: 'fuwuzhan',
        displayName: syntheticName(rng),
        role: 'station_staff',
        org: firstTown,
      },
      {
        username: 'lianluoyuan',
        displayName: syntheticName(rng),
        role: 'liaison',
        org: { id: firstBranch.id!, name: firstBranch.name },
      },
      {
        username: 'liudongshuji',
        displayName: syntheticName(rng),
        role: 'mobile_org_secretary',
        org: mobileOrgs[0]!,
      },
      {
        username: 'xitong',
        displayName: syntheticName(rng),
        role: 'system_admin',
        org: { id: root.id, name: '中共南岭县委员会' },
      },
      {
        username: 'anquan',
        displayName: syntheticName(rng),
        role: 'security_admin',
        org: { id: root.id, name: '中共南岭县委员会' },
      },
      {
        username: 'shenji',
        displayName: syntheticName(rng),
        role: 'auditor',
        org: { id: root.id, name: '中共南岭县委员会' },
      },
    ];
    const accountIds = new Map<string, string>();
    for (const d of demo) {
      const { account: created } = await createAccountWithRoles(tx, {
        username: d.username,
        displayName: d.displayName,
        orgId: d.org.id,
        roles: [d.role],
        clock,
        password,
        mustChangePassword: false,
      });
      accountIds.set(d.username, created.id);
    }
    const demoAccount = (username: string) => ({
      id: accountIds.get(username)!,
      displayName: demo.find((d) => d.username === username)!.displayName,
    });
    // Liaisons, two years of contacts, lost contact and a finished census (issue 4 §9). After
    // the accounts: the demo liaison is the `lianluoyuan` account at zhibu's branch.
    const contacts = await seedContacts(tx, rng, {
      cipher: opts.cipher,
      asOf: now,
      newId: () => uuidFrom(rng),
      rootId: root.id,
      towns: townshipRefs.map((t) => ({ id: t.id, name: t.name })),
      focusBranchId: firstBranch.id!,
      accounts: {
        liaison: demoAccount('lianluoyuan'),
        branchOfficer: demoAccount('zhibu'),
        orgAdmin: demoAccount('zuzhibu'),
      },
    });
    await writeAudit(
      tx,
      { actor: null, ip: null, correlationId: 'cli', clock },
      {
        action: 'system.seed_demo',
        result: 'success',
        targetType: 'org',
        targetId: root.id,
        targetLabel: '中共南岭县委员会',
        actorOverride: { accountId: null, username: 'cli' },
        after: {
          seed,
          orgs: orgs.length + 1,
          servicePoints: points.length,
          accounts: demo.length,
          ...population,
          liaisons: contacts.liaisons,
          contacts: contacts.contacts,
          participation: contacts.participation,
          censusTasks: contacts.census.tasks,
        },
      },
    );
    const accounts = demo.map((d) => ({ username: d.username, role: d.role, orgName: d.org.name }));
    const summary = [
      `演示数据已生成（seed ${seed}）：${orgs.length + 1} 个组织，${points.length} 个服务站点，${demo.length} 个演示账号；`,
      `党员 ${population.members} 名，其中流出在外 ${population.openOutflows} 名（另有已返回 ${population.returned} 人次），流入 ${population.inflows} 名。`,
      `组织关系转接 ${population.transfers} 件，其中已接收 ${population.transfersCompleted} 件、介绍信逾期未回执 ${population.transfersOverdue} 件。`,
      ...contactSummary(contacts),
      `演示账号（密码均为 ${password}）：`,
      ...accounts.map((a) => `  ${a.username.padEnd(14)} ${a.role.padEnd(22)} ${a.orgName}`),
    ].join('\n');
    return {
      orgs: orgs.length + 1,
      servicePoints: points.length,
      members: population.members,
      openOutflows: population.openOutflows,
      contacts,
      accounts,
      password,
      summary,
    };
  });
}

function percent(part: number, whole: number) {
  return whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)}%`;
}

/** The summary's lines on keeping in touch (issue 4 §9), in the figures the pages will show. */
function contactSummary(c: SeedContactsResult): string[] {
  return [
    `联络员 ${c.liaisons} 名（含账号 lianluoyuan，另有已调离 ${c.formerLiaisons} 名），已落实三定 ${c.openAssignments} 人，未分配联络员 ${c.unassigned} 人（其中${c.focusBranchName} ${c.focusUnassigned} 人，供批量分配演示）；lianluoyuan 负责联系 ${c.liaisonQueue} 人，其中已逾期 ${c.liaisonOverdue} 人，该支部失联 ${c.focusLost} 人；${c.quarterlyTownName}按季度联系。`,
    `近两年联系记录 ${c.contacts} 条（未联系上 ${c.unreachedContacts} 条），组织生活和党费记录 ${c.participation} 条；按时联系率 ${percent(c.onTime, c.due)}（应联系 ${c.due} 人，按时 ${c.onTime} 人）；失联 ${c.lost} 人，预警 ${c.warning} 人，经查找取得联系 ${c.found} 人。`,
    `${c.census.name}（${c.census.startsOn} 至 ${c.census.endsOn}）已结束：核实任务 ${c.census.tasks} 个，无变化 ${c.census.unchanged}、有变化 ${c.census.changed}、无法联系 ${c.census.unreachable}、未核实 ${c.census.pending}；短信模板新增 ${c.smsTemplates} 个。`,
  ];
}

export async function firstRootOrg(db: Db | Tx) {
  const [root] = await db
    .select()
    .from(org)
    .where(isNull(org.parentId))
    .orderBy(asc(org.createdAt))
    .limit(1);
  return root ?? null;
}
