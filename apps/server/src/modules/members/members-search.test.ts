import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { mobility } from '../../db/schema';
import { queryRows } from '../../platform/db';
import {
  createTestApp,
  testDatabaseKinds,
  type TestApp,
  type TestClient,
  type TestOrg,
} from '../../test/harness';
import { nameKeys } from './member-fields';

/**
 * Member search by name (issue 5): the pages of GET /api/members, walked to the end, against a
 * plain filter of the same members in Node — a name containing the text, latin letters in any
 * case; every member of the actor's scope (home org there, or an open mobility hosted there);
 * sorted by pinyin then id, or by joining date. The scope here is both a small one (named org ids)
 * and one of more than 2,000 orgs (checked row by row), so both query plans' results are checked.
 */

interface Fixture {
  id: string;
  name: string;
  namePinyin: string;
  joinedOn: string | null;
  homePath: string | null;
  /** Paths of the orgs hosting an open mobility of this member. */
  hostedAt: string[];
}

interface Page {
  items: { id: string; name: string }[];
  nextCursor: string | null;
}

// Overlapping characters on purpose: the same characters in another order (林和金 is not a match
// for 金林和), repeated characters, latin letters in both cases, LIKE wildcards taken literally,
// a character outside the Basic Multilingual Plane, a duplicate name.
const NAMES = [
  '张伟',
  '张伟',
  '张三丰',
  '李张',
  '王张三',
  '章伟',
  '弓长',
  '金林和',
  '林和金',
  '和林',
  '金林',
  '林金和',
  '王',
  '王王',
  '王晓明',
  '晓明王',
  '欧阳娜娜',
  '令狐冲',
  '阿依古丽·Ab',
  'Ab阿里',
  '买买提·ABC',
  '百分%之',
  '下_划线',
  '反\\斜',
  '𠀀字',
  '刘德华',
  '赵敏',
];

const QUERIES = [
  '张',
  '王',
  '张伟',
  '金林和',
  '林和',
  '和林',
  '王王',
  '晓明',
  '·ab',
  'AB阿',
  '%',
  '_',
  '\\',
  '𠀀',
  '欧阳',
  '龘',
];

for (const kind of testDatabaseKinds()) {
  describe(`members search by name [${kind}]`, () => {
    let t: TestApp;
    let county: TestOrg, townA: TestOrg, branchA1: TestOrg, branchA2: TestOrg;
    let townAHost: TestOrg, townB: TestOrg, branchB: TestOrg, bigTown: TestOrg;
    let bigBranch: TestOrg, outside: TestOrg;
    let admin: TestClient, officerA: TestClient, officerBig: TestClient, branchOfficer: TestClient;
    const members: Fixture[] = [];

    async function addMember(home: TestOrg | null, name: string, joinedOn: string | null) {
      const m = await t.addMember(home, { name, joinedOn });
      const f: Fixture = {
        id: m.id,
        name,
        namePinyin: nameKeys(name).namePinyin,
        joinedOn,
        homePath: home?.path ?? null,
        hostedAt: [],
      };
      members.push(f);
      return f;
    }

    async function host(
      f: Fixture,
      at: TestOrg,
      o: { direction: 'outflow' | 'inflow'; status: string; homeOrg?: TestOrg },
    ) {
      await t.db.insert(mobility).values({
        memberId: f.id,
        direction: o.direction,
        status: o.status,
        homeOrgId: o.homeOrg?.id ?? null,
        homeOrgText: o.homeOrg ? null : '中共外省某村支部委员会',
        registeredOn: '2026-03-01',
        leftOn: '2026-03-01',
        destinationRegionCode: '510104',
        reason: 'work',
        hostOrgId: at.id,
      });
      if (!['returned', 'transferred', 'ended'].includes(o.status)) f.hostedAt.push(at.path);
    }

    beforeAll(async () => {
      t = await createTestApp(kind);
      county = await t.addOrg(null, '检索测试县委');
      townA = await t.addOrg(county, '甲镇党委');
      branchA1 = await t.addOrg(townA, '甲一村党支部', 'branch');
      branchA2 = await t.addOrg(townA, '甲二村党支部', 'branch');
      townAHost = await t.addOrg(townA, '甲镇流动党员党支部', 'mobile_party_org');
      townB = await t.addOrg(county, '乙镇党委');
      branchB = await t.addOrg(townB, '乙村党支部', 'branch');
      bigTown = await t.addOrg(county, '大镇党委');
      outside = await t.addOrg(await t.addOrg(null, '外县县委'), '外县某村党支部', 'branch');
      // More than 2,000 orgs under the big town (and so the county): those scopes are checked row
      // by row instead of being named in the query.
      await t.db.execute(sql`
        insert into org (id, parent_id, path, depth, name, kind)
        select g.id, ${bigTown.id}::uuid, ${bigTown.path} || g.id || '/', ${bigTown.depth + 1},
               '大镇第' || g.n || '村党支部', 'branch'
          from (select gen_random_uuid() as id, n from generate_series(1, 2001) n) g`);
      const [first] = await queryRows<{ id: string; path: string }>(
        t.db,
        sql`select id, path from org where parent_id = ${bigTown.id} order by path limit 1`,
      );
      bigBranch = { ...first!, depth: bigTown.depth + 1, name: '大镇村党支部', kind: 'branch' };

      const homes = [branchA1, branchA2, branchB, bigBranch, outside, townA];
      for (const [i, name] of NAMES.entries()) {
        const joinedOn = i % 4 === 3 ? null : `20${String(10 + (i % 7)).padStart(2, '0')}-07-01`;
        await addMember(homes[i % homes.length]!, name, joinedOn);
      }
      // Hosted in town A from town B (outflow), from outside the system (inflow, no home org),
      // from town A itself (seen from both sides, listed once), and a closed episode (not seen).
      await host(await addMember(branchB, '张流出', '2012-07-01'), townAHost, {
        direction: 'outflow',
        status: 'serving',
        homeOrg: branchB,
      });
      await host(await addMember(null, '王流入', null), branchA2, {
        direction: 'inflow',
        status: 'registered',
      });
      await host(await addMember(branchA1, '张两边', '2015-07-01'), townAHost, {
        direction: 'outflow',
        status: 'settled',
        homeOrg: branchA1,
      });
      await host(await addMember(branchB, '王已返回', '2011-07-01'), townAHost, {
        direction: 'outflow',
        status: 'returned',
        homeOrg: branchB,
      });
      await host(await addMember(outside, '张外县', '2013-07-01'), bigBranch, {
        direction: 'outflow',
        status: 'informed',
        homeOrg: outside,
      });

      admin = await t.login(await t.addUser('s-admin', [{ role: 'org_admin', org: county }]));
      officerA = await t.login(
        await t.addUser('s-officer-a', [{ role: 'committee_officer', org: townA }]),
      );
      officerBig = await t.login(
        await t.addUser('s-officer-big', [{ role: 'committee_officer', org: bigTown }]),
      );
      branchOfficer = await t.login(
        await t.addUser('s-branch', [{ role: 'branch_officer', org: branchA1 }]),
      );
    });
    afterAll(() => t.close());

    /** Every page of a list, small pages so that the keyset crosses both sides of the scope. */
    async function walk(client: TestClient, query: string) {
      const ids: string[] = [];
      let cursor: string | null = null;
      for (let guard = 0; guard < 100; guard++) {
        const url: string = `/api/members?${query}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res = await client.get(url);
        expect(res.statusCode, res.body).toBe(200);
        const page = res.json() as Page;
        ids.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
        if (!cursor) return ids;
      }
      throw new Error('more than 100 pages');
    }

    const visibleUnder = (path: string) => (f: Fixture) =>
      (f.homePath?.startsWith(path) ?? false) || f.hostedAt.some((p) => p.startsWith(path));

    /** The plain answer: filter, then sort; ids compare as PostgreSQL compares uuids. */
    function expected(
      scope: string,
      q: string,
      o: { sort?: 'name' | 'joinedOn'; under?: string } = {},
    ) {
      const rows = members
        .filter(visibleUnder(scope))
        .filter((f) => !o.under || visibleUnder(o.under)(f))
        .filter((f) => f.name.toLowerCase().includes(q.toLowerCase()));
      const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      rows.sort((a, b) =>
        o.sort === 'joinedOn'
          ? (a.joinedOn === null ? 1 : 0) - (b.joinedOn === null ? 1 : 0) ||
            cmp(b.joinedOn ?? '', a.joinedOn ?? '') ||
            cmp(a.id, b.id)
          : cmp(a.namePinyin, b.namePinyin) || cmp(a.id, b.id),
      );
      return rows.map((f) => f.id);
    }

    const actors = () =>
      [
        ['county admin (over 2,000 orgs)', admin, county.path],
        ['town officer (named orgs)', officerA, townA.path],
        ['big town officer (over 2,000 orgs)', officerBig, bigTown.path],
        ['branch officer', branchOfficer, branchA1.path],
      ] as const;

    it('finds exactly the members whose name contains the text, in pinyin order, for every scope', async () => {
      for (const [label, client, scope] of actors()) {
        for (const q of QUERIES) {
          const got = await walk(client, `q=${encodeURIComponent(q)}`);
          expect(got, `${label} q=${q}`).toEqual(expected(scope, q));
        }
      }
    });

    it('sorted by joining date, and with the org filter inside the scope', async () => {
      for (const [label, client, scope] of actors()) {
        for (const q of ['张', '王', '林']) {
          const got = await walk(client, `q=${encodeURIComponent(q)}&sort=joinedOn`);
          expect(got, `${label} q=${q} by joinedOn`).toEqual(
            expected(scope, q, { sort: 'joinedOn' }),
          );
        }
      }
      for (const under of [townA, bigTown, branchA2, townAHost]) {
        for (const q of ['张', '王']) {
          const got = await walk(admin, `q=${encodeURIComponent(q)}&orgId=${under.id}`);
          expect(got, `admin orgId=${under.name} q=${q}`).toEqual(
            expected(county.path, q, { under: under.path }),
          );
        }
      }
    });

    it('the fixture covers what it claims: both sides of a scope, one member on both, a closed episode', () => {
      const townAIds = expected(townA.path, '');
      const byName = (n: string) => members.find((m) => m.name === n)!.id;
      expect(townAIds).toContain(byName('张流出'));
      expect(townAIds).toContain(byName('王流入'));
      expect(townAIds.filter((id) => id === byName('张两边'))).toHaveLength(1);
      expect(townAIds).not.toContain(byName('王已返回'));
      expect(expected(townA.path, '张')).not.toContain(byName('张外县'));
      expect(expected(bigTown.path, '张')).toContain(byName('张外县'));
      expect(expected(county.path, '张')).toContain(byName('张外县'));
      expect(expected(county.path, '·ab')).toHaveLength(2);
      expect(expected(county.path, '金林和')).toHaveLength(1);
    });
  });
}
