/**
 * Checks a generated database against what the real import path would have stored (issue 5 §1):
 *
 *   npx tsx bench/generate/verify.ts --scale county|province [--database-url URL] [--sample N]
 *
 * With the key ring the generator left in bench/results/tmp/, a random sample of members is
 * decrypted and each blind index and pinyin key recomputed with the app's own functions; the ID
 * number must be valid and agree with the birth date and gender. Then the distributions the
 * scenarios rely on are printed (destinations, industries, depth of the tree). Only counts are
 * printed, never a decrypted value (SECURITY.md: no ID number or phone in a log).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { isValidIdNumber } from '@liudong/domain';
import { DEFAULT_SERVER_URL } from '../lib/setup';
import {
  createFieldCipher,
  encodeKeyringForEnv,
  loadKeyring,
  readKeyringFile,
} from '../../apps/server/src/platform/crypto';
import {
  FIELD,
  idNumberBlindIndex,
  nameKeys,
  phoneBlindIndex,
} from '../../apps/server/src/modules/members/member-fields';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'county' },
    'database-url': { type: 'string' },
    sample: { type: 'string', default: '2000' },
  },
});
const scale = values.scale;
if (scale !== 'county' && scale !== 'province')
  throw new Error('--scale must be county or province');
const sample = Number(values.sample);
const adminUrl = values['database-url'] ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_SERVER_URL;
const url = new URL(adminUrl);
url.pathname = `/liudong_bench_${scale}`;

const doc = readKeyringFile(
  path.join(import.meta.dirname, '..', 'results', 'tmp', `keyring-${scale}.json`),
);
const cipher = createFieldCipher(
  loadKeyring({
    env: { LIUDONG_KEYRING: encodeKeyringForEnv(doc) },
    dataDir: '/nonexistent',
    embedded: false,
  }),
);

const client = new pg.Client({ connectionString: url.toString() });
await client.connect();
try {
  const { rows } = await client.query<{
    name: string;
    name_pinyin: string;
    name_initials: string;
    gender: string;
    birth_date: string;
    id_number_enc: string;
    id_number_bidx: string;
    phone_enc: string;
    phone_bidx: string;
    home_address_enc: string;
  }>(
    `select name, name_pinyin, name_initials, gender, birth_date::text, id_number_enc,
            id_number_bidx, phone_enc, phone_bidx, home_address_enc
       from member tablesample system (5) limit $1`,
    [sample],
  );
  const bad = {
    idNumberBidx: 0,
    idNumberInvalid: 0,
    idNumberBirthGender: 0,
    phoneBidx: 0,
    pinyin: 0,
  };
  for (const m of rows) {
    const idNumber = cipher.decrypt(m.id_number_enc, FIELD.idNumber.context);
    const phone = cipher.decrypt(m.phone_enc, FIELD.phone.context);
    cipher.decrypt(m.home_address_enc, FIELD.homeAddress.context);
    if (idNumberBlindIndex(cipher, idNumber) !== m.id_number_bidx) bad.idNumberBidx++;
    if (!isValidIdNumber(idNumber)) bad.idNumberInvalid++;
    const odd = Number(idNumber.charAt(16)) % 2 === 1;
    if (idNumber.slice(6, 14) !== m.birth_date.replaceAll('-', '') || odd !== (m.gender === 'male'))
      bad.idNumberBirthGender++;
    if (phoneBlindIndex(cipher, phone) !== m.phone_bidx) bad.phoneBidx++;
    const keys = nameKeys(m.name);
    if (keys.namePinyin !== m.name_pinyin || keys.nameInitials !== m.name_initials) bad.pinyin++;
  }
  console.log(`sampled ${rows.length} members; mismatches:`, bad);

  const show = async (title: string, sql: string) => {
    const r = await client.query(sql);
    console.log(title);
    console.table(r.rows);
  };
  await show(
    'destinations of open outflows (top 8 cities)',
    `select case when coalesce(c.name, r.name) = '市辖区' then p.name
                 else coalesce(c.name, r.name) end as city, count(*) as n,
            round(100.0 * count(*) / sum(count(*)) over (), 1) as pct
       from mobility x join region r on r.code = x.destination_region_code
       left join region c on c.code = r.parent_code and r.level = 'county'
       left join region p on p.code = left(r.code, 2) || '0000'
      where x.status not in ('returned', 'transferred', 'ended')
      group by 1 order by 2 desc limit 8`,
  );
  await show(
    'industries of open outflows',
    `select industry, count(*) as n, round(100.0 * count(*) / sum(count(*)) over (), 1) as pct
       from mobility where status not in ('returned', 'transferred', 'ended')
      group by 1 order by 2 desc limit 6`,
  );
  await show('org tree', `select depth, kind, count(*) as n from org group by 1, 2 order by 1, 2`);
  await show(
    'contacts per month (last 3 and first 3 of the window)',
    `(select to_char(contacted_on, 'YYYY-MM') as month, count(*) as n from contact
       group by 1 order by 1 desc limit 3)
     union all
     (select to_char(contacted_on, 'YYYY-MM'), count(*) from contact group by 1 order by 1 limit 3)`,
  );
  const failed = Object.values(bad).some((n) => n > 0);
  if (failed) process.exitCode = 1;
} finally {
  await client.end();
}
