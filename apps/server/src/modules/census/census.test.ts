import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { CensusCampaign, CensusProgressResponse, CensusTask } from '@liudong/contracts';
import { CLOSED_MOBILITY_STATUSES, lostContactStatus } from '@liudong/domain';
import {
  auditLog,
  censusCampaign,
  censusTask,
  contact,
  mobility,
  mobilityTransition,
  notification,
} from '../../db/schema';
import { queryRows } from '../../platform/db';
import {
  createTestApp,
  registerSecret,
  testDatabaseKinds,
  type TestApp,
  type TestClient,
  type TestOrg,
} from '../../test/harness';
import { CENSUS_WHEREABOUTS_NOTE } from './census.service';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TODAY = '2026-11-20';
const PERIOD = { startsOn: '2026-11-01', endsOn: '2027-02-28' };

let serial = 0;
const phone = () => {
  serial += 1;
  const p = `138${String(20_000_000 + serial * 7919).slice(-8)}`;
  registerSecret(p);
  return p;
};

type Page<T> = { items: T[]; nextCursor: string | null };

for (const kind of testDatabaseKinds()) {
  describe(`census [${kind}]`, () => {
    let t: TestApp;
    let county: TestOrg, townA: TestOrg, branchA1: TestOrg, branchA2: TestOrg;
    let townB: TestOrg,
      branchB1: TestOrg,
      empty: TestOrg,
      otherCounty: TestOrg,
      otherBranch: TestOrg;
    let countyOfficer: TestClient, townOfficer: TestClient, branchA1Officer: TestClient;
    let branchB1Officer: TestClient, liaisonA1: TestClient, otherOfficer: TestClient;
    const m: Record<string, { id: string; name: string; mobilityId?: string; phone: string }> = {};
    let campaignA: CensusCampaign;

    async function addMobile(
      key: string,
      name: string,
      home: TestOrg | null,
      o: {
        direction?: 'outflow' | 'inflow';
        homeOrg?: TestOrg | null;
        hostOrg?: TestOrg | null;
        status?: string;
        leftOn?: string;
        withMobility?: boolean;
      } = {},
    ) {
      const tel = phone();
      const row = await t.addMember(home, { name, phone: tel });
      let mobilityId: string | undefined;
      if (o.withMobility !== false) {
        const direction = o.direction ?? 'outflow';
        const [mb] = await t.db
          .insert(mobility)
          .values({
            memberId: row.id,
            direction,
            status: o.status ?? 'registered',
            homeOrgId: o.homeOrg === undefined ? (home?.id ?? null) : (o.homeOrg?.id ?? null),
            homeOrgText: o.homeOrg === null ? '外省某县某村党支部' : null,
            hostOrgId: o.hostOrg?.id ?? null,
            registeredOn: o.leftOn ?? '2026-09-01',
            leftOn: o.leftOn ?? '2026-09-01',
            destinationRegionCode: '440305',
            employer: `${name}的单位`,
            reason: 'work',
            endedOn: CLOSED_MOBILITY_STATUSES.includes(o.status as never) ? '2026-10-01' : null,
          })
          .returning();
        mobilityId = mb!.id;
      }
      m[key] = { id: row.id, name, mobilityId, phone: tel };
      return m[key]!;
    }

    const ok = <R extends { statusCode: number; body: string }>(res: R, status = 200) => {
      expect(res.statusCode, res.body).toBe(status);
      return res;
    };
    const tasksOf = async (campaignId: string) =>
      t.db.select().from(censusTask).where(eq(censusTask.campaignId, campaignId));
    const taskOfMember = async (campaignId: string, memberId: string) =>
      (
        await t.db
          .select()
          .from(censusTask)
          .where(and(eq(censusTask.campaignId, campaignId), eq(censusTask.memberId, memberId)))
      )[0]!;
    const contactsOf = async (memberId: string) =>
      t.db.select().from(contact).where(eq(contact.memberId, memberId));
    const audits = async (action: string, targetId?: string) =>
      t.db
        .select()
        .from(auditLog)
        .where(
          targetId
            ? and(eq(auditLog.action, action), eq(auditLog.targetId, targetId))
            : eq(auditLog.action, action),
        );
    const mobilityRow = async (id: string) =>
      (await t.db.select().from(mobility).where(eq(mobility.id, id)))[0]!;

    beforeAll(async () => {
      t = await createTestApp(kind, { now: '2026-11-20T02:00:00Z' });
      county = await t.addOrg(null, '摸排测试县委');
      townA = await t.addOrg(county, '摸排甲镇党委');
      branchA1 = await t.addOrg(townA, '摸排甲一村党支部', 'branch');
      branchA2 = await t.addOrg(townA, '摸排甲二村党支部', 'branch');
      townB = await t.addOrg(county, '摸排乙镇党委');
      branchB1 = await t.addOrg(townB, '摸排乙一村党支部', 'branch');
      empty = await t.addOrg(townA, '摸排甲三村党支部（无流动党员）', 'branch');
      otherCounty = await t.addOrg(null, '摸排外县县委');
      otherBranch = await t.addOrg(otherCounty, '摸排外县某村党支部', 'branch');

      // Outflows of town A's subtree: the branches' and the town's own member.
      await addMobile('a1', '张建国', branchA1, { leftOn: '2026-03-01' });
      await addMobile('a2', '李红梅', branchA2);
      await addMobile('town', '王志强', townA);
      // Inflows hosted in town A from outside it: from another county, from outside the system,
      // and from town B (inside the county: the county's campaign counts that one as B's outflow).
      await addMobile('inOther', '赵明', null, {
        direction: 'inflow',
        homeOrg: otherBranch,
        hostOrg: branchA1,
      });
      await addMobile('inOutside', '钱丽', null, {
        direction: 'inflow',
        homeOrg: null,
        hostOrg: branchA1,
      });
      const b2a = await addMobile('bToA', '孙伟', branchB1);
      await t.db.insert(mobility).values({
        memberId: b2a.id,
        direction: 'inflow',
        status: 'registered',
        homeOrgId: branchB1.id,
        hostOrgId: branchA2.id,
        registeredOn: '2026-09-02',
        leftOn: '2026-09-02',
        destinationRegionCode: '440305',
        reason: 'work',
      });
      // Not to verify: a returned outflow, a member at home, town B's and another county's.
      await addMobile('returned', '周敏', branchA1, { status: 'returned' });
      await addMobile('home', '吴刚', branchA1, { withMobility: false });
      await addMobile('b1', '郑强', branchB1);
      await addMobile('other', '冯雪', otherBranch);

      countyOfficer = await t.login(
        await t.addUser('ce-county', [{ role: 'committee_officer', org: county }]),
      );
      townOfficer = await t.login(
        await t.addUser('ce-town', [{ role: 'committee_officer', org: townA }]),
      );
      branchA1Officer = await t.login(
        await t.addUser('ce-branch-a1', [{ role: 'branch_officer', org: branchA1 }]),
      );
      branchB1Officer = await t.login(
        await t.addUser('ce-branch-b1', [{ role: 'branch_officer', org: branchB1 }]),
      );
      liaisonA1 = await t.login(
        await t.addUser('ce-liaison', [{ role: 'liaison', org: branchA1 }]),
      );
      otherOfficer = await t.login(
        await t.addUser('ce-other', [{ role: 'committee_officer', org: otherCounty }]),
      );
    });
    afterAll(() => t.close());

    it('opens a campaign over a subtree with exactly one task per mobile member in it', async () => {
      const res = ok(
        await townOfficer.post('/api/census', {
          orgId: townA.id,
          name: '2027年春节摸排',
          ...PERIOD,
        }),
      );
      campaignA = res.json() as CensusCampaign;
      expect(campaignA).toMatchObject({
        orgId: townA.id,
        orgName: '摸排甲镇党委',
        status: 'open',
        statusLabel: '进行中',
        openedByName: 'ce-town',
        closedOn: null,
        version: 1,
        counts: { total: 6, pending: 6, unchanged: 0, changed: 0, unreachable: 0 },
        abilities: { close: true, verify: true, register: true },
      });
      const tasks = await tasksOf(campaignA.id);
      const byMember = new Map(tasks.map((x) => [x.memberId, x]));
      const expected: [string, TestOrg][] = [
        ['a1', branchA1],
        ['a2', branchA2],
        ['town', townA],
        ['inOther', branchA1],
        ['inOutside', branchA1],
        ['bToA', branchA2],
      ];
      expect(tasks).toHaveLength(expected.length);
      for (const [key, o] of expected) {
        const task = byMember.get(m[key]!.id);
        expect(task, key).toBeDefined();
        expect(task!.orgId, key).toBe(o.id);
        expect(task!.status).toBe('pending');
      }
      // The inflow's task names the inflow episode, not B's outflow.
      const bToA = byMember.get(m.bToA!.id)!;
      expect((await mobilityRow(bToA.mobilityId!)).direction).toBe('inflow');
      for (const key of ['returned', 'home', 'b1', 'other'])
        expect(byMember.has(m[key]!.id), key).toBe(false);

      const [audit] = await audits('census.open', campaignA.id);
      expect(audit!.after).toMatchObject({ orgId: townA.id, tasks: 6 });
      // The orgs that work tasks are told (not the opener).
      const notes = await t.db.select().from(notification).where(eq(notification.kind, 'census'));
      expect(notes.map((n) => n.link)).toContain(`/census/${campaignA.id}`);
      expect(notes).toHaveLength(2); // the branch officer and the liaison of 甲一村
    });

    it('refuses a second open campaign for the same org, an empty subtree and an org out of scope', async () => {
      const again = await townOfficer.post('/api/census', {
        orgId: townA.id,
        name: '再次摸排',
        ...PERIOD,
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.message).toContain('2027年春节摸排');

      const none = await townOfficer.post('/api/census', {
        orgId: empty.id,
        name: '空摸排',
        ...PERIOD,
      });
      expect(none.statusCode).toBe(400);
      expect(none.json().error.message).toContain('没有流动党员');
      const rows = await t.db
        .select()
        .from(censusCampaign)
        .where(eq(censusCampaign.orgId, empty.id));
      expect(rows).toEqual([]);

      const before = (await audits('access.denied', otherCounty.id)).length;
      for (const orgId of [otherCounty.id, county.id, townB.id]) {
        const res = await townOfficer.post('/api/census', { orgId, name: '越权摸排', ...PERIOD });
        expect(res.statusCode).toBe(404);
        expect(res.json().error.message).toContain('不存在');
      }
      expect((await audits('access.denied', otherCounty.id)).length).toBe(before + 1);

      const reversed = await townOfficer.post('/api/census', {
        orgId: townA.id,
        name: '日期颠倒',
        startsOn: '2026-12-01',
        endsOn: '2026-11-01',
      });
      expect(reversed.statusCode).toBe(400);
      // No census.manage: a branch officer cannot open one.
      expect(
        (await branchA1Officer.post('/api/census', { orgId: branchA1.id, name: 'x', ...PERIOD }))
          .statusCode,
      ).toBe(403);
    });

    it('shows progress per org directly under the root, and from below per org under the actor', async () => {
      const top = ok(
        await townOfficer.get(`/api/census/${campaignA.id}`),
      ).json() as CensusProgressResponse;
      expect(top.byOrg.map((o) => [o.orgName, o.total, o.pending])).toEqual([
        ['摸排甲镇党委', 1, 1],
        ['摸排甲一村党支部', 3, 3],
        ['摸排甲二村党支部', 2, 2],
      ]);
      // The county oversees town A: the same view, and it may close.
      const county = ok(
        await countyOfficer.get(`/api/census/${campaignA.id}`),
      ).json() as CensusProgressResponse;
      expect(county.byOrg).toEqual(top.byOrg);
      expect(county.campaign.abilities.close).toBe(true);

      // A branch sees the town's campaign from below: its own part only, never the close.
      const below = ok(
        await branchA1Officer.get(`/api/census/${campaignA.id}`),
      ).json() as CensusProgressResponse;
      expect(below.campaign.counts.total).toBe(3);
      expect(below.campaign.abilities).toEqual({ close: false, verify: true, register: true });
      expect(below.byOrg.map((o) => [o.orgId, o.total])).toEqual([[branchA1.id, 3]]);

      // A sibling town's branch and another county do not see it at all.
      for (const client of [branchB1Officer, otherOfficer]) {
        const res = await client.get(`/api/census/${campaignA.id}`);
        expect(res.statusCode).toBe(404);
        expect(res.json().error.message).toContain('不存在');
      }
      expect((await audits('access.denied', campaignA.id)).length).toBeGreaterThanOrEqual(2);
    });

    it('lists campaigns in scope and those seen from below, with counts of the actor’s part', async () => {
      const ids = async (c: TestClient) =>
        (ok(await c.get('/api/census')).json() as Page<CensusCampaign>).items.map((x) => [
          x.id,
          x.counts.total,
        ]);
      expect(await ids(townOfficer)).toEqual([[campaignA.id, 6]]);
      expect(await ids(countyOfficer)).toEqual([[campaignA.id, 6]]);
      expect(await ids(branchA1Officer)).toEqual([[campaignA.id, 3]]);
      expect(await ids(liaisonA1)).toEqual([[campaignA.id, 3]]);
      expect(await ids(branchB1Officer)).toEqual([]);
      expect(await ids(otherOfficer)).toEqual([]);
      const liaison = (ok(await liaisonA1.get('/api/census')).json() as Page<CensusCampaign>)
        .items[0]!;
      expect(liaison.abilities).toEqual({ close: false, verify: true, register: false });
    });

    it('lists the tasks of the actor’s subtree: masked phone, place names, search, keyset pages', async () => {
      const all = ok(
        await townOfficer.get(`/api/census/${campaignA.id}/tasks?limit=200`),
      ).json() as Page<CensusTask>;
      expect(all.items).toHaveLength(6);
      const a1 = all.items.find((x) => x.memberId === m.a1!.id)!;
      expect(a1).toMatchObject({
        memberName: '张建国',
        orgName: '摸排甲一村党支部',
        direction: 'outflow',
        destinationName: '广东省深圳市南山区',
        destinationRegionCode: '440305',
        employer: '张建国的单位',
        status: 'pending',
        statusLabel: '待核实',
        verifiedOn: null,
        version: 1,
      });
      expect(a1.phoneMasked).toMatch(/^138\*{4}\d{4}$/);
      expect(all.items.find((x) => x.memberId === m.inOther!.id)!.direction).toBe('inflow');
      for (const x of all.items) expect(JSON.stringify(x)).not.toMatch(/1\d{10}/);

      const mine = ok(
        await branchA1Officer.get(`/api/census/${campaignA.id}/tasks`),
      ).json() as Page<CensusTask>;
      expect(mine.items.map((x) => x.memberName).sort()).toEqual(['张建国', '赵明', '钱丽'].sort());

      const search = async (q: string) =>
        (
          ok(
            await townOfficer.get(`/api/census/${campaignA.id}/tasks?q=${encodeURIComponent(q)}`),
          ).json() as Page<CensusTask>
        ).items.map((x) => x.memberName);
      expect(await search('zhangjian')).toEqual(['张建国']);
      expect(await search('zjg')).toEqual(['张建国']);
      expect(await search('红梅')).toEqual(['李红梅']);
      expect(await search(m.a2!.phone)).toEqual(['李红梅']);

      const byOrg = ok(
        await townOfficer.get(`/api/census/${campaignA.id}/tasks?orgId=${branchA2.id}`),
      ).json() as Page<CensusTask>;
      expect(byOrg.items.map((x) => x.memberName).sort()).toEqual(['孙伟', '李红梅'].sort());
      const outside = await townOfficer.get(
        `/api/census/${campaignA.id}/tasks?orgId=${branchB1.id}`,
      );
      expect(outside.statusCode).toBe(404);

      const seen = new Set<string>();
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = ok(
          await townOfficer.get(
            `/api/census/${campaignA.id}/tasks?limit=4${cursor ? `&cursor=${cursor}` : ''}`,
          ),
        );
        const page = res.json() as Page<CensusTask>;
        for (const x of page.items) {
          expect(seen.has(x.id)).toBe(false);
          seen.add(x.id);
        }
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor);
      expect(seen.size).toBe(6);
      expect(pages).toBe(2);
      expect(
        (await townOfficer.get(`/api/census/${campaignA.id}/tasks?cursor=xx`)).statusCode,
      ).toBe(400);
      expect((await branchB1Officer.get(`/api/census/${campaignA.id}/tasks`)).statusCode).toBe(404);
    });

    /** Lost contact as read (issue 4 §4): the latest sign of life, from the contacts. */
    async function lostNow(memberId: string) {
      const [row] = await queryRows<{ left_on: string; last_reached: string | null }>(
        t.db,
        sql`select to_char(mb.left_on, 'YYYY-MM-DD') as left_on,
                   (select to_char(max(c.contacted_on), 'YYYY-MM-DD') from contact c
                     where c.member_id = mb.member_id and c.reached) as last_reached
              from mobility mb where mb.member_id = ${memberId} and mb.direction = 'outflow'`,
      );
      return lostContactStatus(
        {
          leftOn: row!.left_on,
          lastReachedOn: row!.last_reached,
          lastOrgLifeOn: null,
          lastDuesOn: null,
        },
        TODAY,
      ).level;
    }
    /** The same rule as one read-time SQL over the scope: who is lost today. */
    async function lostList() {
      const rows = await queryRows<{ member_id: string }>(
        t.db,
        sql`select mb.member_id from mobility mb join org o on o.id = mb.home_org_id
             where mb.direction = 'outflow' and mb.status not in ('returned','transferred','ended')
               and o.path like ${county.path + '%'}
               and (greatest(mb.left_on, coalesce((select max(c.contacted_on) from contact c
                      where c.member_id = mb.member_id and c.reached), mb.left_on))
                    + interval '6 months')::date <= ${TODAY}::date`,
      );
      return rows.map((r) => r.member_id);
    }

    it('records an unchanged verification as a reached contact: the member leaves the lost list', async () => {
      expect(await lostNow(m.a1!.id)).toBe('lost');
      expect(await lostList()).toContain(m.a1!.id);
      const task = await taskOfMember(campaignA.id, m.a1!.id);
      const res = ok(
        await branchA1Officer.post(`/api/census/${campaignA.id}/tasks/${task.id}`, {
          result: 'unchanged',
          verifiedOn: TODAY,
          channel: 'phone',
          note: '春节返乡，当面核实',
          version: 1,
        }),
      );
      const dto = res.json() as CensusTask;
      expect(dto).toMatchObject({
        status: 'unchanged',
        statusLabel: '已核实·无变化',
        verifiedOn: TODAY,
        verifiedByName: 'ce-branch-a1',
        note: '春节返乡，当面核实',
        version: 2,
      });
      const after = await taskOfMember(campaignA.id, m.a1!.id);
      const contacts = await contactsOf(m.a1!.id);
      expect(contacts).toHaveLength(1);
      expect(contacts[0]).toMatchObject({
        id: after.contactId,
        source: 'census',
        reached: true,
        channel: 'phone',
        contactedOn: TODAY,
        mobilityId: m.a1!.mobilityId,
      });
      expect(contacts[0]!.work).toContain('春节返乡');
      expect(await lostNow(m.a1!.id)).toBe('ok');
      expect(await lostList()).not.toContain(m.a1!.id);
      expect(await audits('census.verify', task.id)).toHaveLength(1);
    });

    it('records a changed verification: the episode’s whereabouts move, with a timeline entry', async () => {
      const task = await taskOfMember(campaignA.id, m.inOther!.id);
      const mob = await mobilityRow(m.inOther!.mobilityId!);
      const res = ok(
        await liaisonA1.post(`/api/census/${campaignA.id}/tasks/${task.id}`, {
          result: 'changed',
          verifiedOn: '2026-11-18',
          channel: 'wechat',
          whereabouts: { destinationRegionCode: '310115', employer: '浦东某科技公司' },
          mobilityVersion: mob.version,
          version: 1,
        }),
      );
      expect(res.json()).toMatchObject({
        status: 'changed',
        destinationRegionCode: '310115',
        destinationName: '上海市浦东新区',
        employer: '浦东某科技公司',
        mobilityVersion: mob.version + 1,
      });
      const moved = await mobilityRow(m.inOther!.mobilityId!);
      expect(moved.destinationRegionCode).toBe('310115');
      const timeline = await t.db
        .select()
        .from(mobilityTransition)
        .where(eq(mobilityTransition.mobilityId, mob.id));
      expect(timeline.map((x) => x.note)).toContain(CENSUS_WHEREABOUTS_NOTE);
      const [c] = await contactsOf(m.inOther!.id);
      expect(c).toMatchObject({ reached: true, source: 'census', channel: 'wechat' });
    });

    it('records an unreachable verification as an attempt; re-verifying replaces the result', async () => {
      const task = await taskOfMember(campaignA.id, m.inOutside!.id);
      ok(
        await branchA1Officer.post(`/api/census/${campaignA.id}/tasks/${task.id}`, {
          result: 'unreachable',
          verifiedOn: TODAY,
          channel: 'phone',
          note: '电话停机',
          version: 1,
        }),
      );
      let contacts = await contactsOf(m.inOutside!.id);
      expect(contacts).toHaveLength(1);
      expect(contacts[0]).toMatchObject({ reached: false, followUpNeeded: true });
      expect(contacts[0]!.followUp).toContain('电话停机');

      // Found a few days later: the new result replaces the old; both contacts stay.
      const again = ok(
        await branchA1Officer.post(`/api/census/${campaignA.id}/tasks/${task.id}`, {
          result: 'unchanged',
          verifiedOn: TODAY,
          channel: 'visit',
          version: 2,
        }),
      ).json() as CensusTask;
      expect(again).toMatchObject({ status: 'unchanged', version: 3, note: null });
      contacts = await contactsOf(m.inOutside!.id);
      expect(contacts).toHaveLength(2);
      expect((await taskOfMember(campaignA.id, m.inOutside!.id)).contactId).toBe(
        contacts.find((x) => x.reached)!.id,
      );
    });

    it('refuses a stale version of the task or of the episode, and writes nothing', async () => {
      const task = await taskOfMember(campaignA.id, m.a2!.id);
      const mob = await mobilityRow(m.a2!.mobilityId!);
      const verifies = (await audits('census.verify')).length;
      const stale = await townOfficer.post(`/api/census/${campaignA.id}/tasks/${task.id}`, {
        result: 'unchanged',
        verifiedOn: TODAY,
        channel: 'phone',
        version: 7,
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error.code).toBe('version_conflict');
      const staleEpisode = await townOfficer.post(`/api/census/${campaignA.id}/tasks/${task.id}`, {
        result: 'changed',
        verifiedOn: TODAY,
        channel: 'phone',
        whereabouts: { destinationRegionCode: '310115' },
        mobilityVersion: mob.version + 3,
        version: 1,
      });
      expect(staleEpisode.statusCode).toBe(409);
      expect(await contactsOf(m.a2!.id)).toEqual([]);
      expect(await taskOfMember(campaignA.id, m.a2!.id)).toEqual(task);
      expect(await mobilityRow(mob.id)).toEqual(mob);
      expect((await audits('census.verify')).length).toBe(verifies);
    });

    it('checks the verification date and the body', async () => {
      const task = await taskOfMember(campaignA.id, m.a2!.id);
      const post = (body: object) =>
        townOfficer.post(`/api/census/${campaignA.id}/tasks/${task.id}`, {
          result: 'unchanged',
          channel: 'phone',
          version: 1,
          ...body,
        });
      const early = await post({ verifiedOn: '2026-10-31' });
      expect(early.statusCode).toBe(400);
      expect(early.json().error.message).toContain('摸排期间（2026-11-01 至 2027-02-28）');
      const future = await post({ verifiedOn: '2026-11-21' });
      expect(future.statusCode).toBe(400);
      expect(future.json().error.message).toContain('不能晚于今天');
      const noWhere = await post({ verifiedOn: TODAY, result: 'changed' });
      expect(noWhere.statusCode).toBe(400);
      // Mass assignment: a status or an org cannot be set (SECURITY.md 11).
      expect((await post({ verifiedOn: TODAY, status: 'changed' })).statusCode).toBe(400);
      expect((await post({ verifiedOn: TODAY, orgId: branchB1.id })).statusCode).toBe(400);
      expect(await contactsOf(m.a2!.id)).toEqual([]);
    });

    it('answers a task of a sibling org like a missing one, and logs it', async () => {
      // The county's campaign: a branch of town B sees it from below, but not A's tasks.
      const countyCampaign = ok(
        await countyOfficer.post('/api/census', { orgId: county.id, name: '县级摸排', ...PERIOD }),
      ).json() as CensusCampaign;
      // Overlapping subtrees may run together: town B's member now has a task, and 孙伟 counts
      // as B's outflow (home org inside the county), not as an inflow to A.
      expect(countyCampaign.counts.total).toBe(7);
      const sunwei = await taskOfMember(countyCampaign.id, m.bToA!.id);
      expect(sunwei.orgId).toBe(branchB1.id);

      const a1Task = await taskOfMember(countyCampaign.id, m.a1!.id);
      const before = (await audits('access.denied', a1Task.id)).length;
      const res = await branchB1Officer.post(
        `/api/census/${countyCampaign.id}/tasks/${a1Task.id}`,
        {
          result: 'unchanged',
          verifiedOn: TODAY,
          channel: 'phone',
          version: 1,
        },
      );
      expect(res.statusCode).toBe(404);
      expect(res.json().error.message).toContain('不存在');
      expect((await audits('access.denied', a1Task.id)).length).toBe(before + 1);
      // Its own task it may verify.
      const b1Task = await taskOfMember(countyCampaign.id, m.b1!.id);
      ok(
        await branchB1Officer.post(`/api/census/${countyCampaign.id}/tasks/${b1Task.id}`, {
          result: 'unchanged',
          verifiedOn: TODAY,
          channel: 'phone',
          version: 1,
        }),
      );
      // A task id of another campaign under this campaign's URL is missing.
      const other = await taskOfMember(campaignA.id, m.a2!.id);
      expect(
        (
          await countyOfficer.post(`/api/census/${countyCampaign.id}/tasks/${other.id}`, {
            result: 'unchanged',
            verifiedOn: TODAY,
            channel: 'phone',
            version: 1,
          })
        ).statusCode,
      ).toBe(404);
      // The branch cannot close the county's campaign: not its org (404, logged).
      const close = await branchB1Officer.post(`/api/census/${countyCampaign.id}/close`, {
        version: 1,
      });
      expect(close.statusCode).toBe(403); // no census.manage at all
      const townClose = await townOfficer.post(`/api/census/${countyCampaign.id}/close`, {
        version: 1,
      });
      expect(townClose.statusCode).toBe(404);
    });

    it('exports the register of the actor’s part: title, watermark, rows, summary; audited', async () => {
      const download = async (c: TestClient) => {
        const res = ok(await c.get(`/api/census/${campaignA.id}/register.xlsx`));
        expect(res.headers['content-type']).toBe(XLSX);
        expect(res.headers['cache-control']).toBe('no-store');
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
        const rowsOf = (ws: ExcelJS.Worksheet) => {
          const rows: string[][] = [];
          ws.eachRow({ includeEmpty: false }, (row) => {
            const values: string[] = [];
            row.eachCell({ includeEmpty: true }, (cell) => {
              expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
              // No full mobile number anywhere (SECURITY.md 13, 23).
              expect(String(cell.value ?? '')).not.toMatch(/1\d{10}/);
              values[Number(cell.col) - 1] =
                cell.value === null ? '' : String(cell.value as string);
            });
            rows.push(Array.from(values, (v) => v ?? ''));
          });
          return rows;
        };
        expect(wb.worksheets.map((w) => w.name)).toEqual(['摸排登记表', '汇总']);
        return { res, register: rowsOf(wb.worksheets[0]!), summary: rowsOf(wb.worksheets[1]!) };
      };

      const { res, register, summary } = await download(townOfficer);
      expect(res.headers['content-disposition']).toContain(
        encodeURIComponent(`2027年春节摸排登记表-${TODAY}.xlsx`),
      );
      expect(register[0]![0]).toContain('2027年春节摸排（2026-11-01 至 2027-02-28）摸排登记表');
      expect(register[1]![0]).toMatch(/^导出人：ce-town（ce-town） {2}导出时间：2026-11-20/);
      expect(register[2]).toEqual([
        '序号',
        '姓名',
        '联系电话',
        '所属党组织',
        '流向/去向',
        '工作单位',
        '核实结果',
        '核实日期',
        '核实人',
        '备注',
      ]);
      const data = register.slice(3);
      expect(data).toHaveLength(6);
      expect(data.map((r) => r[0])).toEqual(['1', '2', '3', '4', '5', '6']);
      const zhang = data.find((r) => r[1] === '张建国')!;
      expect(zhang[2]).toMatch(/^138\*{4}\d{4}$/);
      expect(zhang.slice(3)).toEqual([
        '摸排甲一村党支部',
        '广东省深圳市南山区',
        '张建国的单位',
        '已核实·无变化',
        TODAY,
        'ce-branch-a1',
        '春节返乡，当面核实',
      ]);
      expect(data.find((r) => r[1] === '赵明')![4]).toBe('流入本地（上海市浦东新区）');
      expect(data.find((r) => r[1] === '李红梅')![6]).toBe('待核实');
      // Grouped by org along the tree: the town's own member first, then each branch's.
      const orgs = data.map((r) => r[3]);
      expect(orgs[0]).toBe('摸排甲镇党委');
      const groups = orgs.filter((o, i) => i === 0 || o !== orgs[i - 1]);
      expect(groups.sort()).toEqual(
        ['摸排甲一村党支部', '摸排甲二村党支部', '摸排甲镇党委'].sort(),
      );
      expect(summary[2]![0]).toBe('党组织');
      expect(summary.slice(3)).toEqual([
        ['摸排甲镇党委', '1', '1', '0', '0', '0', '0%'],
        ['摸排甲一村党支部', '3', '0', '2', '1', '0', '100%'],
        ['摸排甲二村党支部', '2', '2', '0', '0', '0', '0%'],
        ['合计', '6', '3', '2', '1', '0', '50%'],
      ]);
      const [audit] = await audits('census.export', campaignA.id);
      expect(audit).toMatchObject({ result: 'success', actorUsername: 'ce-town' });
      expect(audit!.after).toMatchObject({ rows: 6, masked: true, format: 'xlsx' });

      // From below: the branch's own rows only.
      const branch = await download(branchA1Officer);
      expect(
        branch.register
          .slice(3)
          .map((r) => r[1])
          .sort(),
      ).toEqual(['张建国', '赵明', '钱丽'].sort());
      expect(branch.summary.slice(3).map((r) => r[0])).toEqual(['摸排甲一村党支部', '合计']);
      // An export needs the export permission (SECURITY.md 23); out of scope is missing.
      expect((await liaisonA1.get(`/api/census/${campaignA.id}/register.xlsx`)).statusCode).toBe(
        403,
      );
      expect(
        (await branchB1Officer.get(`/api/census/${campaignA.id}/register.xlsx`)).statusCode,
      ).toBe(404);
    });

    it('closes with a summary by status and by org; a closed campaign refuses verification', async () => {
      const stale = await townOfficer.post(`/api/census/${campaignA.id}/close`, { version: 9 });
      expect(stale.statusCode).toBe(409);
      const closed = ok(
        await townOfficer.post(`/api/census/${campaignA.id}/close`, { version: 1 }),
      ).json() as CensusCampaign;
      expect(closed).toMatchObject({
        status: 'closed',
        statusLabel: '已结束',
        closedOn: TODAY,
        version: 2,
        counts: { total: 6, pending: 3, unchanged: 2, changed: 1, unreachable: 0 },
        abilities: { close: false, verify: false, register: true },
      });
      const [row] = await t.db
        .select()
        .from(censusCampaign)
        .where(eq(censusCampaign.id, campaignA.id));
      expect(row!.summary).toEqual({
        closedOn: TODAY,
        counts: { total: 6, pending: 3, unchanged: 2, changed: 1, unreachable: 0 },
        byOrg: [
          {
            orgId: townA.id,
            orgName: '摸排甲镇党委',
            total: 1,
            pending: 1,
            unchanged: 0,
            changed: 0,
            unreachable: 0,
          },
          {
            orgId: branchA1.id,
            orgName: '摸排甲一村党支部',
            total: 3,
            pending: 0,
            unchanged: 2,
            changed: 1,
            unreachable: 0,
          },
          {
            orgId: branchA2.id,
            orgName: '摸排甲二村党支部',
            total: 2,
            pending: 2,
            unchanged: 0,
            changed: 0,
            unreachable: 0,
          },
        ],
      });
      expect(await audits('census.close', campaignA.id)).toHaveLength(1);

      const task = await taskOfMember(campaignA.id, m.a2!.id);
      const late = await townOfficer.post(`/api/census/${campaignA.id}/tasks/${task.id}`, {
        result: 'unchanged',
        verifiedOn: TODAY,
        channel: 'phone',
        version: 1,
      });
      expect(late.statusCode).toBe(409);
      expect(late.json().error.message).toContain('已结束');
      expect(await contactsOf(m.a2!.id)).toEqual([]);
      const twice = await townOfficer.post(`/api/census/${campaignA.id}/close`, { version: 2 });
      expect(twice.statusCode).toBe(409);
      // Closed, the org may open its next campaign.
      ok(
        await townOfficer.post('/api/census', {
          orgId: townA.id,
          name: '2027年中秋摸排',
          startsOn: '2027-09-01',
          endsOn: '2027-09-30',
        }),
      );
    });

    it('opens over 3,000 members in one statement', async () => {
      const big = await t.addOrg(null, '摸排大县县委');
      const branch = await t.addOrg(big, '摸排大县某村党支部', 'branch');
      // Set-based fixture: 3,200 members, each with an open outflow.
      await t.db.execute(sql`
        with ms as (
          insert into member (org_id, name, name_pinyin, name_initials, gender, membership)
          select ${branch.id}::uuid, '大县党员' || g, 'daxiandangyuan' || g, 'dxdy' || g, 'male', 'full'
            from generate_series(1, 3200) g
          returning id
        )
        insert into mobility (member_id, direction, status, home_org_id, registered_on, left_on, reason)
        select id, 'outflow', 'registered', ${branch.id}::uuid, '2026-09-01', '2026-09-01', 'work' from ms`);
      const admin = await t.login(
        await t.addUser('ce-big', [{ role: 'committee_officer', org: big }]),
      );
      const started = Date.now();
      const res = ok(
        await admin.post('/api/census', { orgId: big.id, name: '大县摸排', ...PERIOD }),
      );
      expect((res.json() as CensusCampaign).counts.total).toBe(3200);
      expect(Date.now() - started).toBeLessThan(20_000);
      const progress = ok(
        await admin.get(`/api/census/${(res.json() as CensusCampaign).id}`),
      ).json() as CensusProgressResponse;
      expect(progress.byOrg).toEqual([
        expect.objectContaining({ orgId: branch.id, total: 3200, pending: 3200 }),
      ]);
    });
  });
}
