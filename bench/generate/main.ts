/**
 * The benchmark data generator (issue 5 §1):
 *
 *   npx tsx bench/generate/main.ts --scale county|province --seed N [--database-url URL]
 *                                  [--as-of 2026-11-21T02:00:00Z]
 *
 * (Re)creates the database liudong_bench_<scale> on the PostgreSQL server of --database-url (the
 * admin URL, default BENCH_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres), migrates
 * it with the app's own migrations and loads with COPY, streaming (flat memory):
 *   - a five-level org tree: 四川省委 → city committees → county committees → township and
 *     street committees → branches (about 30,000 orgs; one county of 巴中市 at county scale);
 *   - members (1,000,000 / 20,000) with the ID number, phone, addresses encrypted, blind indexes
 *     and pinyin keys made by the same functions as the import path (member-fields.ts);
 *   - outflow episodes (about 150,000 / 3,000 open, some returned) with their timelines,
 *     destinations concentrated in a few provinces and cities, industries led by construction;
 *   - certificates for 94% of the open outflows and most returned ones;
 *   - liaisons per branch and assignments of the open outflows;
 *   - 24 months of contacts (about 3.6 million / 70,000: monthly, with failed attempts, the
 *     Spring Festival census) and participation (dues, org life reported with a contact).
 *
 * Same seed → same data: every entity draws from a random stream of its own, seeded from
 * (seed, kind, index), and ids are derived the same way. The key ring is new on each run (keys
 * are never committed) and AES-GCM IVs are random, so ciphertexts and blind indexes differ
 * between runs; everything else is identical, which the printed fingerprint (SHA-256 of every
 * row with those columns blanked) shows. The key ring goes to bench/results/tmp/ (git-ignored,
 * mode 0600) so that the scenarios can run the app on the generated database; a manifest with
 * the counts, the timings and the root org's id goes beside it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  DEFAULT_CERTIFICATE_PATTERN,
  addDays,
  addMonths,
  chinaDateOf,
  formatCertificateNumber,
  syntheticBirthDate,
  syntheticIdNumber,
  syntheticMobile,
  syntheticName,
  type Rng,
} from '@liudong/domain';
import { DEFAULT_SERVER_URL, recreateDatabase } from '../lib/setup';
import { migrateDatabase, openPostgres } from '../../apps/server/src/platform/db';
import {
  KeyringDocument,
  createFieldCipher,
  encodeKeyringForEnv,
  generateKeyringDocument,
  loadKeyring,
  writeKeyringFile,
  type FieldCipher,
} from '../../apps/server/src/platform/crypto';
import {
  FIELD,
  idNumberBlindIndex,
  nameKeys,
  phoneBlindIndex,
} from '../../apps/server/src/modules/members/member-fields';
import { LIAISON_PHONE_CONTEXT } from '../../apps/server/src/modules/contacts/liaisons.repository';
import { CopySink, type Column } from './copy-sink';
import {
  DESTINATIONS,
  DIFFICULTIES,
  EDUCATION,
  EMPLOYER_WORDS,
  ETHNICITIES,
  INDUSTRY,
  NS,
  OCCUPATION,
  OPEN_STATUS,
  PLACE_WORDS,
  POSTS,
  PRESETS,
  PROVINCE_CODE,
  REASON,
  STEPS,
  THINKING_NOTES,
  TOWN_SUFFIX,
  UNIT_TYPE,
  WORK_NOTES,
  rngFor,
  unit,
  uuidOf,
  type Destination,
  type Scale,
} from './model';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'county' },
    seed: { type: 'string', default: '1' },
    'database-url': { type: 'string' },
    'as-of': { type: 'string', default: '2026-11-21T02:00:00Z' },
  },
});
const scale = values.scale as Scale;
if (!(scale in PRESETS)) throw new Error('--scale must be county or province');
const seed = Number(values.seed);
if (!Number.isInteger(seed) || seed < 0) throw new Error('--seed must be a non-negative integer');
const asOf = new Date(values['as-of']);
if (Number.isNaN(asOf.getTime())) throw new Error('--as-of must be an ISO instant');
const adminUrl = values['database-url'] ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_SERVER_URL;
const preset = PRESETS[scale];
const today = chinaDateOf(asOf);
const stampNow = asOf.toISOString();
const windowStart = addMonths(today, -24);
const databaseName = `liudong_bench_${scale}`;
const outDir = path.join(import.meta.dirname, '..', 'results', 'tmp');

type BranchKind = 'village' | 'community' | 'enterprise' | 'organ';
interface Branch {
  index: number;
  id: string;
  kind: BranchKind;
  name: string;
  townId: string;
  countyCode: string;
  countyName: string;
  townName: string;
  members: number;
  memberBase: number;
  liaisons: number;
  liaisonBase: number;
}

// Rural members go out to work far more than organ staff (DOMAIN.md §1); the base rate is set so
// that the open outflows come to about preset.outflows of preset.members.
const OUT_FACTOR: Record<BranchKind, number> = {
  village: 1.35,
  community: 0.8,
  enterprise: 0.27,
  organ: 0.1,
};
const KIND_WEIGHT: Record<BranchKind, number> = {
  village: 60,
  community: 80,
  enterprise: 12,
  organ: 28,
};
const BRANCH_KIND: [BranchKind, number][] = [
  ['village', 60],
  ['community', 20],
  ['enterprise', 12],
  ['organ', 8],
];
/** Set once the branches' sizes are known: open outflows then come to about preset.outflows. */
let OUT_BASE = 0;
const RETURNED_RATE = 0.025;

/** The episode kind of the index-th member: drawn without a stream, so every pass agrees. */
function mobilityOf(memberIndex: number, kind: BranchKind): 'open' | 'returned' | null {
  const u = unit(seed, NS.episode, memberIndex);
  const p = OUT_BASE * OUT_FACTOR[kind];
  if (u < p) return 'open';
  if (u < p + RETURNED_RATE) return 'returned';
  return null;
}

const districtsOf = new Map<string, { code: string; name: string }[]>();

/** The first draws of an episode (where to): shared by the member pass (current address). */
function episodeHead(memberIndex: number) {
  const rng = rngFor(seed, NS.episode, memberIndex);
  const dest = rng.weighted(DESTINATIONS.map((d) => [d, d.weight] as const));
  const districts = districtsOf.get(dest.cityCode)!;
  const district = rng.pick(districts);
  const address = `${dest.city}${district.name}${rng.pick(PLACE_WORDS)}路${rng.int(1, 400)}号`;
  return { rng, dest, district, address };
}

function dayBetween(rng: Rng, from: string, to: string) {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return new Date(a + Math.floor(rng.next() * (b - a))).toISOString().slice(0, 10);
}
const maxDay = (a: string, b: string) => (a > b ? a : b);
const minDay = (a: string, b: string) => (a < b ? a : b);
const cols = (names: string, secret = ''): Column[] => {
  const s = new Set(secret.split(' '));
  return names.split(' ').map((name) => ({ name, secret: s.has(name) }));
};

const SINKS = {
  org: () =>
    new CopySink(
      'org',
      cols('id parent_id path depth name kind region_code created_at updated_at'),
    ),
  liaison: () =>
    new CopySink(
      'liaison',
      cols(
        'id org_id name phone_enc phone_bidx title active created_at updated_at',
        'phone_enc phone_bidx',
      ),
    ),
  member: () =>
    new CopySink(
      'member',
      cols(
        'id org_id name name_pinyin name_initials gender ethnicity birth_date id_number_enc ' +
          'id_number_bidx education phone_enc phone_bidx home_address_enc current_address_enc ' +
          'emergency_contact_name emergency_contact_phone_enc joined_on membership full_member_on ' +
          'party_posts created_at updated_at',
        'id_number_enc id_number_bidx phone_enc phone_bidx home_address_enc current_address_enc ' +
          'emergency_contact_phone_enc',
      ),
    ),
  mobility: () =>
    new CopySink(
      'mobility',
      cols(
        'id member_id direction status home_org_id registered_on left_on destination_region_code ' +
          'destination_address_enc employer industry unit_type original_occupation reason ' +
          'expected_months mobility_range host_org_text checked_in_on ended_on end_note ' +
          'created_at updated_at',
        'destination_address_enc',
      ),
    ),
  mobility_transition: () =>
    new CopySink('mobility_transition', cols('mobility_id from_status to_status at note')),
  certificate: () =>
    new CopySink(
      'certificate',
      cols(
        'id number county_code year seq member_id mobility_id status issued_on issued_by_org_id ' +
          'last_reviewed_on ended_on end_reason created_at updated_at',
      ),
    ),
  liaison_assignment: () =>
    new CopySink(
      'liaison_assignment',
      cols('id member_id liaison_id category duty assigned_on created_at'),
    ),
  contact: () =>
    new CopySink(
      'contact',
      cols(
        'id member_id mobility_id contacted_on channel reached work life thinking difficulties ' +
          'follow_up follow_up_needed source liaison_id created_at',
      ),
    ),
  participation: () =>
    new CopySink(
      'participation',
      cols('id member_id kind on_date source contact_id note created_at'),
    ),
  certificate_counter: () =>
    new CopySink('certificate_counter', cols('id county_code year next_seq')),
};

interface TableFigure {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  phase: string;
  digest: string;
}
const figures: Record<string, TableFigure> = {};
const phases: Record<string, number> = {};
let peakRssMb = 0;
const sampleRss = () => {
  peakRssMb = Math.max(peakRssMb, Math.round(process.resourceUsage().maxRSS / 1024));
};

/** Runs one phase: opens its sinks, fills them, closes them; records rows/s per table. */
async function phase(
  name: string,
  sinks: CopySink[],
  url: string,
  fill: () => Promise<void>,
): Promise<void> {
  const started = performance.now();
  await Promise.all(sinks.map((s) => s.open(url)));
  await fill();
  await Promise.all(sinks.map((s) => s.close()));
  const seconds = (performance.now() - started) / 1000;
  phases[name] = Number(seconds.toFixed(2));
  for (const s of sinks)
    figures[s.table] = {
      rows: s.rows,
      seconds: Number(seconds.toFixed(2)),
      rowsPerSecond: Math.round(s.rows / seconds),
      phase: name,
      digest: s.digest(),
    };
  sampleRss();
  console.log(
    `${name}: ${sinks.map((s) => `${s.table} ${s.rows.toLocaleString('en')}`).join(', ')} ` +
      `in ${seconds.toFixed(1)} s, peak RSS ${peakRssMb} MB`,
  );
}

const drainAll = (sinks: CopySink[]) => Promise.all(sinks.map((s) => s.drain()));

async function main() {
  const t0 = performance.now();
  const url = await recreateDatabase(adminUrl, databaseName);
  const database = openPostgres(url, { max: 2 });
  await migrateDatabase(database);
  await database.close();
  phases.migrate = Number(((performance.now() - t0) / 1000).toFixed(2));

  const keyringDoc = KeyringDocument.parse(JSON.parse(generateKeyringDocument()));
  fs.mkdirSync(outDir, { recursive: true });
  const keyringFile = path.join(outDir, `keyring-${scale}.json`);
  writeKeyringFile(keyringFile, keyringDoc);
  const cipher: FieldCipher = createFieldCipher(
    loadKeyring({
      env: { LIUDONG_KEYRING: encodeKeyringForEnv(keyringDoc) },
      dataDir: '/nonexistent',
      embedded: false,
    }),
  );

  // Regions: the province's cities and counties, and the destinations' districts.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows: regions } = await client.query<{
    code: string;
    name: string;
    parent_code: string | null;
    level: string;
  }>(
    `select code, name, parent_code, level from region
      where code like '51%' or parent_code = any($1) order by code`,
    [DESTINATIONS.map((d) => d.cityCode)],
  );
  for (const d of DESTINATIONS) {
    const children = regions.filter((r) => r.parent_code === d.cityCode);
    districtsOf.set(d.cityCode, children.length ? children : [{ code: d.cityCode, name: '' }]);
  }
  let cities = regions.filter((r) => r.parent_code === PROVINCE_CODE && r.level === 'city');
  if (preset.cities !== null)
    cities = cities.filter((c) => c.code === '511900').slice(0, preset.cities);

  // ---- Phase 1: the org tree and the liaisons ---------------------------------------------
  const branches: Branch[] = [];
  let orgIndex = 0;
  const rootId = uuidOf(seed, NS.org, orgIndex++);
  const countyOrgs: { id: string; code: string; name: string }[] = [];
  const orgSink = SINKS.org();
  const liaisonSink = SINKS.liaison();
  await phase('orgs', [orgSink, liaisonSink], url, async () => {
    const rng = rngFor(seed, NS.tree, 0);
    const org = (
      id: string,
      parentId: string | null,
      p: string,
      depth: number,
      name: string,
      kind: string,
      region: string,
    ) => orgSink.push([id, parentId, p, depth, name, kind, region, stampNow, stampNow]);
    const rootPath = `/${rootId}/`;
    org(rootId, null, rootPath, 1, '中共四川省委员会', 'committee', PROVINCE_CODE);
    for (const city of cities) {
      const cityId = uuidOf(seed, NS.org, orgIndex++);
      const cityPath = `${rootPath}${cityId}/`;
      org(cityId, rootId, cityPath, 2, `中共${city.name}委员会`, 'committee', city.code);
      let counties = regions.filter((r) => r.parent_code === city.code);
      if (preset.countiesPerCity !== null)
        counties = counties.filter((c) => c.code === '511922').slice(0, preset.countiesPerCity);
      for (const county of counties) {
        const countyId = uuidOf(seed, NS.org, orgIndex++);
        const countyPath = `${cityPath}${countyId}/`;
        countyOrgs.push({ id: countyId, code: county.code, name: county.name });
        org(countyId, cityId, countyPath, 3, `中共${county.name}委员会`, 'committee', county.code);
        const towns = rng.int(...preset.townships);
        for (let t = 0; t < towns; t++) {
          const townId = uuidOf(seed, NS.org, orgIndex++);
          const townPath = `${countyPath}${townId}/`;
          const suffix = rng.weighted(TOWN_SUFFIX);
          const townName = `${rng.pick(PLACE_WORDS)}${suffix}`;
          const street = suffix === '街道';
          org(
            townId,
            countyId,
            townPath,
            4,
            `中共${county.name}${townName}${street ? '工作委员会' : '委员会'}`,
            street ? 'working_committee' : 'committee',
            county.code,
          );
          const n = rng.int(...preset.branchesPerTownship);
          for (let b = 0; b < n; b++) {
            const id = uuidOf(seed, NS.org, orgIndex++);
            const kind = street && rng.chance(0.6) ? 'community' : rng.weighted(BRANCH_KIND);
            const place = `${rng.pick(PLACE_WORDS)}${rng.pick(PLACE_WORDS)}`;
            const name = {
              village: `中共${townName}${place}村支部委员会`,
              community: `中共${townName}${place}社区支部委员会`,
              enterprise: `中共${county.name}${place}${rng.pick(EMPLOYER_WORDS)}支部委员会`,
              organ: `中共${county.name}${place}局机关支部委员会`,
            }[kind];
            org(id, townId, `${townPath}${id}/`, 5, name, 'branch', county.code);
            branches.push({
              index: branches.length,
              id,
              kind,
              name,
              townId,
              townName,
              countyCode: county.code,
              countyName: county.name,
              members: KIND_WEIGHT[kind] * (0.5 + rng.next()),
              memberBase: 0,
              liaisons: 0,
              liaisonBase: 0,
            });
          }
        }
      }
    }
    const total = branches.reduce((a, b) => a + b.members, 0);
    for (const b of branches)
      b.members = Math.max(3, Math.round((preset.members * b.members) / total));
    OUT_BASE = preset.outflows / branches.reduce((a, b) => a + b.members * OUT_FACTOR[b.kind], 0);
    let memberBase = 0;
    let liaisonBase = 0;
    for (const b of branches) {
      b.memberBase = memberBase;
      memberBase += b.members;
      // One liaison for about fifteen expected outflows, at least one per branch.
      b.liaisons = Math.max(1, Math.round((b.members * OUT_BASE * OUT_FACTOR[b.kind]) / 15));
      b.liaisonBase = liaisonBase;
      for (let l = 0; l < b.liaisons; l++) {
        const lr = rngFor(seed, NS.liaison, liaisonBase + l);
        const phone = syntheticMobile(lr);
        liaisonSink.push([
          uuidOf(seed, NS.liaison, liaisonBase + l),
          b.id,
          syntheticName(lr),
          cipher.encrypt(phone, LIAISON_PHONE_CONTEXT),
          phoneBlindIndex(cipher, phone),
          lr.pick(['支部委员', '党小组长', '驻外联络员', '村（社区）干部']),
          true,
          stampNow,
          stampNow,
        ]);
      }
      liaisonBase += b.liaisons;
      await liaisonSink.drain();
    }
  });

  // ---- Phase 2: members ----------------------------------------------------------------------
  const memberSink = SINKS.member();
  const pinyinCache = new Map<string, { namePinyin: string; nameInitials: string }>();
  const keysOf = (name: string) => {
    let k = pinyinCache.get(name);
    if (!k) {
      // Bounded: synthetic names repeat, but a million of them must not grow the heap forever.
      if (pinyinCache.size >= 200_000) pinyinCache.clear();
      k = nameKeys(name);
      pinyinCache.set(name, k);
    }
    return k;
  };
  await phase('members', [memberSink], url, async () => {
    let usedCounty = '';
    const used = new Set<string>();
    for (const b of branches) {
      if (b.countyCode !== usedCounty) {
        // ID numbers carry the county's code, so uniqueness is per county.
        used.clear();
        usedCounty = b.countyCode;
      }
      const rng = rngFor(seed, NS.branchMembers, b.index);
      for (let k = 0; k < b.members; k++) {
        const idx = b.memberBase + k;
        const gender = rng.chance(0.68) ? 'male' : 'female';
        const name = syntheticName(rng, { gender });
        const birthDate = syntheticBirthDate(rng, { minAge: 20, maxAge: 88, asOf });
        let idNumber = '';
        do idNumber = syntheticIdNumber(rng, { regionCode: b.countyCode, birthDate, gender });
        while (used.has(idNumber));
        used.add(idNumber);
        const phone = syntheticMobile(rng);
        const birthYear = Number(birthDate.slice(0, 4));
        const joinedOn = dayBetween(
          rng,
          `${Math.max(birthYear + 19, 1960)}-01-01`,
          addDays(today, -30),
        );
        const probationary = joinedOn > addDays(today, -365);
        const home =
          b.kind === 'village'
            ? `${b.countyName}${b.townName}${rng.pick(PLACE_WORDS)}村${rng.int(1, 9)}组${rng.int(1, 60)}号`
            : `${b.countyName}${b.townName}${rng.pick(PLACE_WORDS)}街${rng.int(1, 300)}号`;
        const keys = keysOf(name);
        const away = mobilityOf(idx, b.kind) === 'open';
        memberSink.push([
          uuidOf(seed, NS.member, idx),
          b.id,
          name,
          keys.namePinyin,
          keys.nameInitials,
          gender,
          rng.weighted(ETHNICITIES),
          birthDate,
          cipher.encrypt(idNumber, FIELD.idNumber.context),
          idNumberBlindIndex(cipher, idNumber),
          rng.weighted(EDUCATION),
          cipher.encrypt(phone, FIELD.phone.context),
          phoneBlindIndex(cipher, phone),
          cipher.encrypt(home, FIELD.homeAddress.context),
          away ? cipher.encrypt(episodeHead(idx).address, FIELD.currentAddress.context) : null,
          syntheticName(rng),
          cipher.encrypt(syntheticMobile(rng), FIELD.emergencyContactPhone.context),
          joinedOn,
          probationary ? 'probationary' : 'full',
          probationary ? null : addDays(joinedOn, 365),
          rng.chance(0.04) ? rng.pick(POSTS) : null,
          stampNow,
          stampNow,
        ]);
      }
      await memberSink.drain();
    }
  });

  // ---- Phase 3: mobility and everything that hangs on it -----------------------------------
  const sinks = {
    mobility: SINKS.mobility(),
    transition: SINKS.mobility_transition(),
    certificate: SINKS.certificate(),
    assignment: SINKS.liaison_assignment(),
    contact: SINKS.contact(),
    participation: SINKS.participation(),
  };
  const nextSeq = new Map<string, number>();
  const counters = { mobility: 0, certificate: 0, assignment: 0, contact: 0, participation: 0 };
  await phase('mobility', Object.values(sinks), url, async () => {
    for (const b of branches) {
      for (let k = 0; k < b.members; k++) {
        const idx = b.memberBase + k;
        const kind = mobilityOf(idx, b.kind);
        if (kind) episode(b, idx, kind === 'open');
      }
      await drainAll(Object.values(sinks));
    }
  });

  function episode(b: Branch, memberIndex: number, open: boolean) {
    const { rng, dest, district, address } = episodeHead(memberIndex);
    const memberId = uuidOf(seed, NS.member, memberIndex);
    const id = uuidOf(seed, NS.mobility, counters.mobility++);
    const range = destinationRange(dest, b);
    // Most episodes are recent; a long tail goes back about twelve years.
    const leftOn = addDays(today, -20 - Math.floor(rng.next() ** 2 * 4400));
    const status = open ? rng.weighted(OPEN_STATUS) : 'returned';
    const stepIndex = open ? STEPS.indexOf(status) : 4;
    let hostText: string | null = null;
    let checkedIn: string | null = null;
    if (stepIndex >= 3 && rng.chance(0.75)) {
      hostText = `${dest.city}${district.name}${rng.pick(['街道党工委', '社区党委', '非公企业党委', '流动党员服务站'])}`;
      if (rng.chance(0.88)) checkedIn = minDay(addDays(leftOn, rng.int(5, 90)), today);
    }
    const earliestEnd = minDay(addDays(leftOn, 120), today);
    const endedOn = open ? null : dayBetween(rng, minDay(earliestEnd, addDays(today, -1)), today);
    const registeredOn = addDays(leftOn, -rng.int(0, 10));
    sinks.mobility.push([
      id,
      memberId,
      'outflow',
      status,
      b.id,
      registeredOn,
      leftOn,
      district.code,
      cipher.encrypt(address, FIELD.destinationAddress.context),
      `${rng.pick(PLACE_WORDS)}${rng.pick(EMPLOYER_WORDS)}`,
      rng.weighted(INDUSTRY),
      rng.weighted(UNIT_TYPE),
      rng.weighted(OCCUPATION),
      rng.weighted(REASON),
      rng.pick([3, 6, 12, 24, 36, 60]),
      range,
      hostText,
      checkedIn,
      endedOn,
      open ? null : '返回原籍，已回原支部参加组织生活',
      stampNow,
      stampNow,
    ]);
    // The timeline: each step reached, in order, then the end.
    let day = registeredOn;
    const reached = STEPS.slice(0, stepIndex + 1);
    reached.forEach((s, i) => {
      sinks.transition.push([
        id,
        i === 0 ? null : reached[i - 1]!,
        s,
        `${day}T09:00:00+08:00`,
        null,
      ]);
      day = minDay(addDays(day, rng.int(1, 30)), today);
    });
    if (!open)
      sinks.transition.push([id, 'serving', 'returned', `${endedOn}T09:00:00+08:00`, '返回原籍']);

    // Certificates (流动党员活动证): most open outflows hold one, most returned ones gave it back.
    if (rng.chance(open ? 0.94 : 0.6)) {
      const issuedOn = minDay(addDays(leftOn, -rng.int(0, 10)), today);
      const year = Number(issuedOn.slice(0, 4));
      const key = `${b.countyCode}:${year}`;
      const seq = nextSeq.get(key) ?? 1;
      nextSeq.set(key, seq + 1);
      const overAYear = addDays(issuedOn, 365) < today;
      sinks.certificate.push([
        uuidOf(seed, NS.certificate, counters.certificate++),
        formatCertificateNumber(DEFAULT_CERTIFICATE_PATTERN, { county: b.countyCode, year, seq }),
        b.countyCode,
        year,
        seq,
        memberId,
        id,
        open ? 'issued' : 'returned',
        issuedOn,
        b.townId,
        open && overAYear && rng.chance(0.96) ? addDays(today, -rng.int(10, 330)) : null,
        open ? null : endedOn,
        open ? null : '返回原籍，交回活动证',
        stampNow,
        stampNow,
      ]);
    }

    // The liaison (open outflows only; a few still wait for one).
    let liaisonId: string | null = null;
    if (open && rng.chance(0.92)) {
      liaisonId = uuidOf(seed, NS.liaison, b.liaisonBase + rng.int(0, b.liaisons - 1));
      sinks.assignment.push([
        uuidOf(seed, NS.assignment, counters.assignment++),
        memberId,
        liaisonId,
        'domestic',
        '定期联系，了解思想、工作和生活情况，督促参加组织生活、按时交纳党费',
        minDay(addDays(maxDay(leftOn, addDays(windowStart, -400)), rng.int(1, 30)), today),
        stampNow,
      ]);
    }

    // 24 months of contacts and participation.
    const from = maxDay(leftOn, windowStart);
    const to = endedOn ?? today;
    if (from >= to) return;
    // A few members go dark (the lost-contact cases): only failed attempts after that day.
    const darkAfter =
      open && rng.chance(0.04) && daysSpan(from, today) > 240
        ? dayBetween(rng, from, addDays(today, -200))
        : null;
    const dark = (d: string) => darkAfter !== null && d > darkAfter;
    let lastOrgLife = '0000-00-00';
    const contact = (on: string, reached: boolean, source: 'liaison' | 'census') => {
      const cid = uuidOf(seed, NS.contact, counters.contact++);
      const trouble = reached && rng.chance(0.08);
      sinks.contact.push([
        cid,
        memberId,
        id,
        on,
        reached
          ? source === 'census'
            ? rng.weighted([
                ['meeting', 50],
                ['phone', 35],
                ['visit', 15],
              ] as const)
            : rng.weighted([
                ['phone', 45],
                ['wechat', 30],
                ['video', 10],
                ['visit', 5],
                ['sms', 5],
                ['self_report', 5],
              ] as const)
          : rng.chance(0.8)
            ? 'phone'
            : 'wechat',
        reached,
        reached && rng.chance(0.6) ? rng.pick(WORK_NOTES) : null,
        reached && rng.chance(0.3) ? '身体健康，家庭和睦' : null,
        reached && rng.chance(0.5) ? rng.pick(THINKING_NOTES) : null,
        trouble ? rng.pick(DIFFICULTIES) : null,
        trouble ? '向支部报告，协调有关部门帮助解决' : null,
        trouble,
        source,
        liaisonId,
        `${on}T20:00:00+08:00`,
      ]);
      // Org life reported with a contact (参加驻地党组织或网上党支部的组织生活), about quarterly.
      if (reached && source === 'liaison' && daysSpan(lastOrgLife, on) >= 75 && rng.chance(0.55)) {
        const lifeOn = maxDay(from, addDays(on, -rng.int(0, 25)));
        participation(lifeOn, 'org_life', 'contact', cid, `${on}T20:00:00+08:00`);
        lastOrgLife = lifeOn;
      }
    };
    const participation = (
      on: string,
      kind: 'org_life' | 'dues',
      source: string,
      contactId: string | null,
      createdAt: string,
    ) =>
      sinks.participation.push([
        uuidOf(seed, NS.participation, counters.participation++),
        memberId,
        kind,
        on,
        source,
        contactId,
        null,
        createdAt,
      ]);

    for (let d = addDays(from, rng.int(5, 30)); d <= to; d = addDays(d, rng.int(22, 32))) {
      if (dark(d)) {
        if (rng.chance(0.5)) contact(d, false, 'liaison');
        continue;
      }
      if (rng.chance(0.12)) {
        const tried = addDays(d, -rng.int(1, 5));
        if (tried >= from) contact(tried, false, 'liaison');
      }
      contact(d, rng.chance(0.95), 'liaison');
    }
    // The Spring Festival census (摸排) of each year in the window.
    for (const year of [Number(today.slice(0, 4)) - 1, Number(today.slice(0, 4)) - 2]) {
      const day = dayBetween(rng, `${year}-01-20`, `${year}-02-28`);
      if (day >= from && day <= to && rng.chance(0.85)) contact(day, !dark(day), 'census');
    }
    // Dues: monthly for most, quarterly by proxy for some (DOMAIN.md §5), unrecorded for the rest.
    const payer = rng.weighted([
      ['monthly', 55],
      ['quarterly', 25],
      ['none', 20],
    ] as const);
    if (payer === 'none') return;
    for (let m = from.slice(0, 7); m <= to.slice(0, 7); m = addMonths(`${m}-01`, 1).slice(0, 7)) {
      if (payer === 'quarterly' && Number(m.slice(5)) % 3 !== 0) continue;
      if (!rng.chance(payer === 'monthly' ? 0.9 : 0.92)) continue;
      const on = `${m}-${String(rng.int(1, 28)).padStart(2, '0')}`;
      if (on < from || on > to || dark(on)) continue;
      participation(on, 'dues', 'manual', null, `${on}T10:00:00+08:00`);
    }
  }

  const counterSink = SINKS.certificate_counter();
  await phase('counters', [counterSink], url, async () => {
    let i = 0;
    for (const [key, next] of [...nextSeq.entries()].sort()) {
      const [county, year] = key.split(':');
      counterSink.push([uuidOf(seed, NS.account, i++), county!, Number(year), next]);
    }
  });

  // ---- Derived tables, checks, statistics, size ---------------------------------------------
  // COPY ran with triggers off (replica mode), so the rollup the triggers keep is built once here,
  // as a restore does (migration 0008).
  let t = performance.now();
  await client.query('select member_sign_rebuild()');
  phases.memberSign = Number(((performance.now() - t) / 1000).toFixed(2));
  t = performance.now();
  // VACUUM too, not only statistics: a server that has run for a while has its visibility map
  // set (autovacuum), which index-only scans rely on; a bulk load has not.
  await client.query('vacuum analyze');
  phases.analyze = Number(((performance.now() - t) / 1000).toFixed(2));
  t = performance.now();
  const orphans = await client.query<Record<string, string>>(`select
    (select count(*) from member m where not exists (select 1 from org o where o.id = m.org_id)) as member_org,
    (select count(*) from mobility x where not exists (select 1 from member m where m.id = x.member_id)) as mobility_member,
    (select count(*) from certificate c where not exists (select 1 from mobility x where x.id = c.mobility_id)) as certificate_mobility,
    (select count(*) from liaison_assignment a where not exists (select 1 from liaison l where l.id = a.liaison_id)) as assignment_liaison,
    (select count(*) from contact c where not exists (select 1 from mobility x where x.id = c.mobility_id and x.member_id = c.member_id)) as contact_mobility,
    (select count(*) from participation p where p.contact_id is not null and not exists (select 1 from contact c where c.id = p.contact_id)) as participation_contact,
    (select count(*) from org o where o.parent_id is not null and not exists (select 1 from org p where p.id = o.parent_id and o.path like p.path || '%')) as org_parent`);
  phases.checks = Number(((performance.now() - t) / 1000).toFixed(2));
  const broken = Object.entries(orphans.rows[0]!).filter(([, n]) => Number(n) !== 0);
  const size = await client.query<{ bytes: string }>(
    'select pg_database_size(current_database()) as bytes',
  );
  const openOutflows = await client.query<{ n: string }>(
    "select count(*) as n from mobility where status not in ('returned', 'transferred', 'ended')",
  );
  await client.end();
  sampleRss();

  const totalSeconds = (performance.now() - t0) / 1000;
  const digest = createHash('sha256')
    .update(
      Object.entries(figures)
        .map(([table, f]) => `${table}:${f.rows}:${f.digest}`)
        .join('\n'),
    )
    .digest('hex')
    .slice(0, 16);
  const manifest = {
    scale,
    seed,
    asOf: stampNow,
    database: databaseName,
    keyringFile: path.relative(process.cwd(), keyringFile),
    rootOrgId: rootId,
    counties: countyOrgs.length,
    branches: branches.length,
    openOutflows: Number(openOutflows.rows[0]!.n),
    tables: figures,
    phases,
    totalSeconds: Number(totalSeconds.toFixed(1)),
    databaseMb: Math.round(Number(size.rows[0]!.bytes) / 2 ** 20),
    peakRssMb,
    digest,
    brokenReferences: Object.fromEntries(broken),
  };
  fs.writeFileSync(
    path.join(outDir, `generated-${scale}.json`),
    JSON.stringify(manifest, null, 2) + '\n',
  );
  console.table(
    Object.fromEntries(
      Object.entries(figures).map(([table, f]) => [
        table,
        { rows: f.rows, phase: f.phase, seconds: f.seconds, 'rows/s': f.rowsPerSecond },
      ]),
    ),
  );
  console.log(
    `${databaseName}: ${manifest.openOutflows.toLocaleString('en')} open outflows, ` +
      `${totalSeconds.toFixed(1)} s in all, database ${manifest.databaseMb} MB, ` +
      `peak RSS ${peakRssMb} MB, fingerprint ${digest}`,
  );
  if (broken.length > 0)
    throw new Error(`broken references: ${JSON.stringify(manifest.brokenReferences)}`);
}

function destinationRange(dest: Destination, b: Branch) {
  if (dest.cityCode.slice(0, 4) === b.countyCode.slice(0, 4)) return 'within_city';
  return dest.cityCode.slice(0, 2) === PROVINCE_CODE.slice(0, 2)
    ? 'within_province'
    : 'cross_province';
}

function daysSpan(from: string, to: string) {
  if (from.startsWith('0000')) return Infinity;
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

await main();
