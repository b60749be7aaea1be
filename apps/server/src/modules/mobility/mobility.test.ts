import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import {
  computeIdCheckChar,
  shouldTransferAffiliation,
  temporaryBranchSuggestions,
  type MobilityStatus,
} from '@liudong/domain';
import { auditLog, member, mobility, mobilityTransition, org } from '../../db/schema';
import { queryRows } from '../../platform/db';
import {
  createTestApp,
  testDatabaseKinds,
  type TestApp,
  type TestClient,
  type TestOrg,
} from '../../test/harness';

function idNumber(region: string, birth: string, seq: string) {
  const first17 = `${region}${birth}${seq}`;
  return first17 + computeIdCheckChar(first17);
}

interface Detail {
  id: string;
  memberId: string;
  memberName: string;
  phoneMasked: string | null;
  status: MobilityStatus;
  leftOn: string;
  version: number;
  mobilityRange: string | null;
  hostOrgName: string | null;
  homeOrgName: string | null;
  destinationName: string | null;
  destinationAddressMasked: string | null;
  warnings: { shouldTransfer: boolean };
  abilities: { transition: boolean; edit: boolean };
  timeline: { fromStatus: string | null; toStatus: string; actorName: string | null }[];
}
interface Page {
  items: Detail[];
  nextCursor: string | null;
}

const outflowBody = {
  leftOn: '2026-10-01',
  destinationRegionCode: '440305',
  destinationAddress: '广东省深圳市南山区科技园南区一号楼',
  employer: '深圳某科技有限公司',
  industry: 'I',
  unitType: 'private_enterprise',
  originalOccupation: 'skilled_worker',
  reason: 'work',
  expectedMonths: 12,
};

for (const kind of testDatabaseKinds()) {
  describe(`mobility [${kind}]`, () => {
    let t: TestApp;
    let county: TestOrg, townA: TestOrg, branchA: TestOrg, townB: TestOrg, branchB: TestOrg;
    let otherCounty: TestOrg, otherBranch: TestOrg, hostOrg: TestOrg;
    let admin: TestClient, officerA: TestClient, officerB: TestClient, liaisonA: TestClient;
    let hostOfficer: TestClient;

    beforeAll(async () => {
      t = await createTestApp(kind);
      county = await t.addOrg(null, '流动测试县委');
      townA = await t.addOrg(county, '甲镇党委');
      branchA = await t.addOrg(townA, '甲村党支部', 'branch');
      townB = await t.addOrg(county, '乙镇党委');
      branchB = await t.addOrg(townB, '乙村党支部', 'branch');
      otherCounty = await t.addOrg(null, '外县县委');
      otherBranch = await t.addOrg(otherCounty, '外县某村党支部', 'branch');
      hostOrg = await t.addOrg(otherCounty, '深圳外县流动党员党支部', 'mobile_party_org');
      // The home county is 成都市锦江区; the other county is in 深圳.
      await t.db.update(org).set({ regionCode: '510104' }).where(eq(org.id, county.id));
      await t.db.update(org).set({ regionCode: '440305' }).where(eq(org.id, otherCounty.id));
      admin = await t.login(await t.addUser('mb-admin', [{ role: 'org_admin', org: county }]));
      officerA = await t.login(
        await t.addUser('mb-officer-a', [{ role: 'committee_officer', org: townA }]),
      );
      officerB = await t.login(
        await t.addUser('mb-officer-b', [{ role: 'committee_officer', org: townB }]),
      );
      liaisonA = await t.login(await t.addUser('mb-liaison-a', [{ role: 'liaison', org: townA }]));
      hostOfficer = await t.login(
        await t.addUser('mb-host', [{ role: 'branch_officer', org: hostOrg }]),
      );
    });
    afterAll(() => t.close());

    const auditOf = (action: string, targetId: string) =>
      t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, action), eq(auditLog.targetId, targetId)));
    const ledger = async (client: TestClient, query = '') => {
      const res = await client.get(`/api/mobilities?limit=200${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as Page;
    };
    const move = (client: TestClient, id: string, body: Record<string, unknown>) =>
      client.post(`/api/mobilities/${id}/transitions`, body);
    const stepsOf = (mobilityId: string) =>
      t.db.select().from(mobilityTransition).where(eq(mobilityTransition.mobilityId, mobilityId));

    /** A fixture episode written straight to the table (for rules that depend on dates). */
    async function addOutflow(
      home: TestOrg,
      o: Partial<typeof mobility.$inferInsert> = {},
      memberName?: string,
    ) {
      const m = await t.addMember(home, memberName ? { name: memberName } : {});
      const [row] = await t.db
        .insert(mobility)
        .values({
          memberId: m.id,
          direction: 'outflow',
          status: 'registered',
          homeOrgId: home.id,
          registeredOn: '2026-01-01',
          leftOn: '2026-01-01',
          destinationRegionCode: '440305',
          reason: 'work',
          ...o,
        })
        .returning();
      return { member: m, mobility: row! };
    }

    it('registers an outflow: range computed, address encrypted, timeline and audit written', async () => {
      const m = await t.addMember(branchA, { name: '流出甲', phone: '13812345678' });
      const res = await officerA.post(`/api/members/${m.id}/outflows`, {
        ...outflowBody,
        hostOrgId: hostOrg.id,
      });
      expect(res.statusCode, res.body).toBe(200);
      const d = res.json() as Detail;
      expect(d).toMatchObject({
        memberId: m.id,
        memberName: '流出甲',
        phoneMasked: '138****5678',
        status: 'registered',
        version: 1,
        registeredOn: '2026-11-20',
        homeOrgName: '甲村党支部',
        hostOrgName: '深圳外县流动党员党支部',
        destinationName: '广东省深圳市南山区',
        mobilityRange: 'cross_province',
        destinationAddressMasked: '广东省深圳市****',
        warnings: { shouldTransfer: false },
        abilities: { transition: true, edit: true },
      });
      expect(d.timeline).toEqual([
        expect.objectContaining({
          fromStatus: null,
          toStatus: 'registered',
          actorName: 'mb-officer-a',
        }),
      ]);
      expect(res.body).not.toContain(outflowBody.destinationAddress);
      const [row] = await queryRows<{ destination_address_enc: string }>(
        t.db,
        sql`select destination_address_enc from mobility where id = ${d.id}`,
      );
      expect(row!.destination_address_enc).not.toContain('科技园');
      const [audit] = await auditOf('mobility.register', d.id);
      expect(audit).toMatchObject({ result: 'success', targetType: 'mobility' });
      expect(JSON.stringify(audit)).not.toContain('科技园');
      expect(JSON.stringify(audit)).not.toContain('流出甲');

      // The member record shows the episode with its timeline.
      const member = (await officerA.get(`/api/members/${m.id}`)).json();
      expect(member.mobilities[0]).toMatchObject({ id: d.id, status: 'registered' });
      expect(member.mobilities[0].timeline).toHaveLength(1);
    });

    it('computes the range from the home county: within the city, within the province', async () => {
      const within = await t.addMember(branchA);
      const r1 = await officerA.post(`/api/members/${within.id}/outflows`, {
        ...outflowBody,
        destinationRegionCode: '510107',
      });
      expect(r1.json().mobilityRange).toBe('within_city');
      const province = await t.addMember(branchA);
      const r2 = await officerA.post(`/api/members/${province.id}/outflows`, {
        ...outflowBody,
        destinationRegionCode: '510703',
      });
      expect(r2.json().mobilityRange).toBe('within_province');
    });

    it('refuses unknown regions and host orgs, both host fields, and extra fields', async () => {
      const m = await t.addMember(branchA);
      const url = `/api/members/${m.id}/outflows`;
      const unknownRegion = await officerA.post(url, {
        ...outflowBody,
        destinationRegionCode: '449999',
      });
      expect(unknownRegion.statusCode).toBe(400);
      expect(unknownRegion.json().error.message).toContain('不存在');
      const unknownHost = await officerA.post(url, {
        ...outflowBody,
        hostOrgId: '00000000-0000-4000-8000-000000000000',
      });
      expect(unknownHost.statusCode).toBe(400);
      const both = await officerA.post(url, {
        ...outflowBody,
        hostOrgId: hostOrg.id,
        hostOrgText: '某党支部',
      });
      expect(both.statusCode).toBe(400);
      const extra = await officerA.post(url, { ...outflowBody, status: 'serving' });
      expect(extra.statusCode).toBe(400);
      const future = await officerA.post(url, { ...outflowBody, registeredOn: '2026-12-01' });
      expect(future.statusCode).toBe(400);
      expect(await t.db.select().from(mobility).where(eq(mobility.memberId, m.id))).toEqual([]);
    });

    it('allows one open outflow per member: the second is a 409 naming the first', async () => {
      const m = await t.addMember(branchA);
      const first = await officerA.post(`/api/members/${m.id}/outflows`, outflowBody);
      expect(first.statusCode).toBe(200);
      const second = await officerA.post(`/api/members/${m.id}/outflows`, outflowBody);
      expect(second.statusCode).toBe(409);
      expect(second.json().error.code).toBe('conflict');
      expect(second.json().error.message).toBe(
        '该党员已有未结束的流出登记（已登记，2026-10-01 流出），请先办理返回或转出',
      );
    });

    it('lets exactly one of two concurrent registrations succeed', async () => {
      for (let round = 0; round < 3; round++) {
        const m = await t.addMember(branchA);
        const results = await Promise.all([
          officerA.post(`/api/members/${m.id}/outflows`, outflowBody),
          admin.post(`/api/members/${m.id}/outflows`, { ...outflowBody, leftOn: '2026-10-02' }),
        ]);
        expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
        const loser = results.find((r) => r.statusCode === 409)!;
        expect(loser.json().error.message).toContain('该党员已有未结束的流出登记');
        const rows = await t.db.select().from(mobility).where(eq(mobility.memberId, m.id));
        expect(rows).toHaveLength(1);
        expect(await stepsOf(rows[0]!.id)).toHaveLength(1);
      }
    });

    it('holds one open outflow per member in the database too (unique partial index)', async () => {
      // Bypasses the service's check: the database alone holds the line.
      const { member: m } = await addOutflow(branchA);
      await expect(
        t.db.insert(mobility).values({
          memberId: m.id,
          direction: 'outflow',
          status: 'informed',
          homeOrgId: branchA.id,
          registeredOn: '2026-01-01',
          leftOn: '2026-01-01',
          reason: 'work',
        }),
      ).rejects.toThrow();
    });

    it('moves along the transition table, refuses other steps and stale versions', async () => {
      const m = await t.addMember(branchA);
      const d = (
        await officerA.post(`/api/members/${m.id}/outflows`, outflowBody)
      ).json() as Detail;
      const skip = await move(officerA, d.id, { to: 'serving', version: 1 });
      expect(skip.statusCode).toBe(400);
      expect(skip.json().error.message).toBe('不能从“已登记”变更为“服务中”');
      // An outflow ends as transferred only through a transfer's receipt (issue 3 §5).
      const byHand = await move(officerA, d.id, { to: 'transferred', version: 1 });
      expect(byHand.statusCode).toBe(400);
      expect(byHand.json().error.message).toContain('组织关系转接');

      const informed = await move(officerA, d.id, { to: 'informed', version: 1, note: '已告知' });
      expect(informed.statusCode, informed.body).toBe(200);
      expect(informed.json()).toMatchObject({ status: 'informed', version: 2 });
      const stale = await move(officerA, d.id, { to: 'contacted', version: 1 });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error.code).toBe('version_conflict');

      expect((await move(officerA, d.id, { to: 'contacted', version: 2 })).statusCode).toBe(200);
      // Check-in data goes with settled; refused with other steps.
      const early = await move(officerA, d.id, {
        to: 'returned',
        version: 3,
        endedOn: '2026-11-01',
        endNote: '表现良好',
        hostContact: '李书记',
      });
      expect(early.statusCode).toBe(400);
      const settled = await move(officerA, d.id, {
        to: 'settled',
        version: 3,
        hostOrgId: hostOrg.id,
        checkedInOn: '2026-10-10',
        hostContact: '李书记 0755-12345678',
      });
      expect(settled.statusCode, settled.body).toBe(200);
      expect(settled.json()).toMatchObject({
        hostOrgName: '深圳外县流动党员党支部',
        checkedInOn: '2026-10-10',
      });

      // A return needs its date and a note on the member's conduct while away.
      const noNote = await move(officerA, d.id, {
        to: 'returned',
        version: 4,
        endedOn: '2026-11-10',
      });
      expect(noNote.statusCode).toBe(400);
      expect(noNote.json().error.message).toContain('表现');
      const noDate = await move(officerA, d.id, {
        to: 'returned',
        version: 4,
        endNote: '表现良好',
      });
      expect(noDate.statusCode).toBe(400);
      const back = await move(officerA, d.id, {
        to: 'returned',
        version: 4,
        endedOn: '2026-11-10',
        endNote: '外出期间按时参加组织生活，表现良好',
      });
      expect(back.statusCode, back.body).toBe(200);
      const b = back.json() as Detail;
      expect(b).toMatchObject({ status: 'returned', endedOn: '2026-11-10', version: 5 });
      expect(b.abilities).toEqual({ transition: false, edit: false });
      expect(b.timeline.map((s) => s.toStatus)).toEqual([
        'registered',
        'informed',
        'contacted',
        'settled',
        'returned',
      ]);
      // Closed: nothing moves it any more.
      expect((await move(officerA, d.id, { to: 'ended', version: 5 })).statusCode).toBe(400);
      expect(await auditOf('mobility.transition', d.id)).toHaveLength(4);
      // After the return a new outflow may be registered.
      expect((await officerA.post(`/api/members/${m.id}/outflows`, outflowBody)).statusCode).toBe(
        200,
      );
    });

    it('answers an out-of-scope episode like a missing one, and logs it', async () => {
      const { mobility: mb } = await addOutflow(branchA);
      const res = await move(officerB, mb.id, { to: 'informed', version: 1 });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.message).toBe('流动记录不存在');
      expect(await auditOf('access.denied', mb.id)).toHaveLength(1);
      const missing = await move(officerB, '00000000-0000-4000-8000-000000000000', {
        to: 'informed',
        version: 1,
      });
      expect(missing.statusCode).toBe(404);
      expect(missing.body).toBe(res.body);
      // A member of a sibling town cannot be registered as leaving either.
      const m = await t.addMember(branchA);
      expect((await officerB.post(`/api/members/${m.id}/outflows`, outflowBody)).statusCode).toBe(
        404,
      );
    });

    it('scopes the ledger: home side by the home org, host side by the host org', async () => {
      const { mobility: hosted } = await addOutflow(branchA, {
        status: 'contacted',
        hostOrgId: hostOrg.id,
      });
      const { mobility: notHosted } = await addOutflow(branchA);
      const ids = (p: Page) => p.items.map((i) => i.id);

      const a = await ledger(officerA);
      expect(ids(a)).toEqual(expect.arrayContaining([hosted.id, notHosted.id]));
      expect(a.items.every((i) => i.homeOrgName === '甲村党支部')).toBe(true);
      // The sibling town's officer sees none of town A's episodes.
      const b = await ledger(officerB);
      expect(b.items.filter((i) => i.homeOrgName === '甲村党支部')).toEqual([]);
      // The host side sees the episodes hosted in its scope, and only those.
      const h = await ledger(hostOfficer);
      expect(ids(h)).toContain(hosted.id);
      expect(ids(h)).not.toContain(notHosted.id);
      expect(h.items.every((i) => i.hostOrgName === '深圳外县流动党员党支部')).toBe(true);
      const seen = h.items.find((i) => i.id === hosted.id)!;
      expect(seen.abilities).toEqual({ transition: true, edit: false });
      // A liaison reads, does not act.
      const l = await ledger(liaisonA);
      expect(l.items.find((i) => i.id === hosted.id)!.abilities).toEqual({
        transition: false,
        edit: false,
      });
      // The orgId filter must be in scope.
      expect((await officerB.get(`/api/mobilities?orgId=${townA.id}`)).statusCode).toBe(404);
      expect((await officerA.get(`/api/mobilities?orgId=${branchB.id}`)).statusCode).toBe(404);
      expect(ids(await ledger(admin, `&orgId=${townA.id}&status=contacted`))).toContain(hosted.id);
      expect(
        ids(await ledger(admin, `&orgId=${townA.id}&direction=inflow`)).includes(hosted.id),
      ).toBe(false);

      // The host side records the check-in, not the return (the home org decides).
      expect(
        (
          await move(hostOfficer, hosted.id, {
            to: 'settled',
            version: 1,
            checkedInOn: '2026-02-01',
          })
        ).statusCode,
      ).toBe(200);
      const refused = await move(hostOfficer, hosted.id, {
        to: 'returned',
        version: 2,
        endedOn: '2026-11-01',
        endNote: '表现良好',
      });
      expect(refused.statusCode).toBe(403);
      expect(await auditOf('access.denied', hosted.id)).toHaveLength(1);
    });

    it('pages the ledger by keyset without duplicates', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await admin.get(`/api/mobilities?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.statusCode, res.body).toBe(200);
        const page = res.json() as Page;
        seen.push(...page.items.map((i) => i.id));
        // Rows inserted meanwhile never make a row appear twice.
        if (seen.length === 3) await addOutflow(branchA, { leftOn: '2026-06-15' });
        cursor = page.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect((await admin.get('/api/mobilities?cursor=bm90LWpzb24')).statusCode).toBe(400);
    });

    it('flags "should transfer" exactly as the domain rule does, at month ends', async () => {
      const flagBranch = await t.addOrg(county, '转接测试党支部', 'branch');
      const cases = [
        { leftOn: '2025-08-31', status: 'settled', checkedInOn: null },
        { leftOn: '2025-08-30', status: 'serving', checkedInOn: null },
        { leftOn: '2025-09-01', status: 'settled', checkedInOn: null },
        { leftOn: '2025-08-28', status: 'registered', checkedInOn: '2025-09-10' },
        { leftOn: '2025-08-28', status: 'contacted', checkedInOn: null },
        { leftOn: '2023-08-31', status: 'serving', checkedInOn: null },
        { leftOn: '2025-02-28', status: 'returned', checkedInOn: '2025-03-01' },
      ] as const;
      const ids = new Map<string, (typeof cases)[number]>();
      for (const c of cases) {
        const { mobility: mb } = await addOutflow(flagBranch, { ...c, registeredOn: c.leftOn });
        ids.set(mb.id, c);
      }
      const original = t.clock.now();
      try {
        for (const day of ['2024-02-28', '2024-02-29', '2026-02-27', '2026-02-28', '2026-03-01']) {
          t.clock.set(`${day}T04:00:00Z`);
          const client = await t.login(
            await t.addUser(`mb-flag-${day}`, [{ role: 'committee_officer', org: county }]),
          );
          const page = await ledger(client, `&orgId=${flagBranch.id}`);
          expect(page.items).toHaveLength(cases.length);
          for (const item of page.items) {
            const c = ids.get(item.id)!;
            const expected = shouldTransferAffiliation(
              { ...c, direction: 'outflow' },
              { asOf: t.clock.now() },
            );
            expect(item.warnings.shouldTransfer, `${c.leftOn} ${c.status} on ${day}`).toBe(
              expected,
            );
          }
          const flagged = await ledger(client, `&orgId=${flagBranch.id}&shouldTransfer=true`);
          expect(flagged.items.map((i) => i.id).sort()).toEqual(
            page.items
              .filter((i) => i.warnings.shouldTransfer)
              .map((i) => i.id)
              .sort(),
          );
          const others = await ledger(client, `&orgId=${flagBranch.id}&shouldTransfer=false`);
          expect(others.items.length + flagged.items.length).toBe(cases.length);
        }
        // Spot checks of the month-end clamp: 2025-08-31 + 6 months is 2026-02-28.
        t.clock.set('2026-02-28T04:00:00Z');
        const c = await t.login(
          await t.addUser('mb-flag-check', [{ role: 'committee_officer', org: county }]),
        );
        const page = await ledger(c, `&orgId=${flagBranch.id}&shouldTransfer=true`);
        expect(page.items.map((i) => i.leftOn).sort()).toEqual([
          '2023-08-31',
          '2025-08-28',
          '2025-08-30',
          '2025-08-31',
        ]);
      } finally {
        t.clock.set(original);
      }
    });

    it('suggests temporary branches like the domain function', async () => {
      const sBranch = await t.addOrg(townA, '临时支部测试党支部', 'branch');
      const episodes = [
        { code: '440305', status: 'registered' },
        { code: '440304', status: 'serving' },
        { code: '440300', status: 'contacted' },
        { code: '440106', status: 'registered' },
        { code: '440106', status: 'informed' },
        // Closed episodes do not count.
        { code: '440106', status: 'returned' },
        { code: '110105', status: 'registered' },
      ] as const;
      const rows: Awaited<ReturnType<typeof addOutflow>>[] = [];
      for (const [i, e] of episodes.entries())
        rows.push(
          await addOutflow(
            sBranch,
            { destinationRegionCode: e.code, status: e.status },
            `临时支部成员${i}`,
          ),
        );
      const res = await officerA.get('/api/mobilities/temporary-branch-suggestions');
      expect(res.statusCode, res.body).toBe(200);
      const mine = (res.json().items as { homeOrgId: string }[]).filter(
        (g) => g.homeOrgId === sBranch.id,
      );
      const expected = temporaryBranchSuggestions(
        rows.map((r) => ({
          memberId: r.member.id,
          homeOrgId: sBranch.id,
          destinationRegionCode: r.mobility.destinationRegionCode,
          open: !['returned', 'transferred', 'ended'].includes(r.mobility.status),
        })),
      );
      expect(mine).toEqual(
        expected.map((g) => ({
          homeOrgId: g.homeOrgId,
          homeOrgName: '临时支部测试党支部',
          destinationCityCode: g.destinationCityCode,
          destinationCityName: '深圳市',
          members: g.memberIds.map((id) => ({
            id,
            name: rows.find((r) => r.member.id === id)!.member.name,
          })),
        })),
      );
      expect(mine).toHaveLength(1);
      // Out of scope: the sibling town sees no suggestion for town A's branch.
      const b = await officerB.get('/api/mobilities/temporary-branch-suggestions');
      expect(
        (b.json().items as { homeOrgId: string }[]).filter((g) => g.homeOrgId === sBranch.id),
      ).toEqual([]);
    });

    it('registers an inflow: creates the member once, then links by ID number', async () => {
      const id = idNumber('440305', '19850505', '234');
      const count = async () =>
        (await t.db.select({ n: sql<number>`count(*)::int` }).from(member))[0]!.n;
      const before = await count();
      const body = {
        name: '流入甲',
        idNumber: id,
        phone: '13900002222',
        homeOrgText: '深圳市某街道党工委',
        homeRegionCode: '440305',
        certificateNumber: 'A440305-2026-0001',
        hostOrgId: branchA.id,
        arrivedOn: '2026-11-01',
        reason: 'family',
      };
      const res = await officerA.post('/api/members/inflows', body);
      expect(res.statusCode, res.body).toBe(200);
      const d = res.json() as Detail;
      expect(d).toMatchObject({
        direction: 'inflow',
        status: 'registered',
        memberName: '流入甲',
        phoneMasked: '139****2222',
        homeOrgName: '深圳市某街道党工委',
        hostOrgName: '甲村党支部',
        checkedInOn: '2026-11-01',
        mobilityRange: 'cross_province',
        abilities: { transition: true, edit: true },
      });
      expect(d.timeline[0]).toMatchObject({ toStatus: 'registered' });
      expect(res.body).not.toContain(id);
      expect(await count()).toBe(before + 1);
      const [m] = await t.db.select().from(member).where(eq(member.id, d.memberId));
      expect(m!.orgId).toBeNull();
      // The gender is the ID number's (17th digit even: female).
      expect(m!.gender).toBe('female');
      expect(await auditOf('mobility.register_inflow', d.id)).toHaveLength(1);
      expect(JSON.stringify(await auditOf('mobility.register_inflow', d.id))).not.toContain(id);

      // The same person again (another spelling of the name): linked, not duplicated.
      const again = await officerA.post('/api/members/inflows', {
        ...body,
        name: '流入甲甲',
        arrivedOn: '2026-11-05',
      });
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json().memberId).toBe(d.memberId);
      expect(await count()).toBe(before + 1);

      // The inflow is on the host side's ledger, not on the sibling's.
      expect((await ledger(officerA, '&direction=inflow')).items.map((i) => i.id)).toContain(d.id);
      expect((await ledger(officerB, '&direction=inflow')).items.map((i) => i.id)).not.toContain(
        d.id,
      );
    });

    it('links a member of another county without showing or changing that record', async () => {
      const id = idNumber('510104', '19900101', '345');
      const theirs = await t.addMember(otherBranch, {
        name: '外县王某',
        idNumber: id,
        phone: '13700003333',
      });
      const res = await officerA.post('/api/members/inflows', {
        name: '王某某',
        idNumber: id,
        homeOrgId: otherBranch.id,
        hostOrgId: branchA.id,
        arrivedOn: '2026-11-02',
        reason: 'work',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        memberId: theirs.id,
        memberName: '王某某',
        phoneMasked: null,
      });
      expect(res.body).not.toContain('外县王某');
      expect(res.body).not.toContain('3333');
      const [row] = await t.db.select().from(member).where(eq(member.id, theirs.id));
      expect(row).toMatchObject({ name: '外县王某', orgId: otherBranch.id, version: 1 });
      const audits = await auditOf('mobility.register_inflow', res.json().id);
      expect(JSON.stringify(audits)).not.toContain('外县王某');

      // The host org must be in the actor's scope.
      const outside = await officerA.post('/api/members/inflows', {
        name: '王某某',
        idNumber: id,
        homeOrgText: '某地党支部',
        hostOrgId: otherBranch.id,
        arrivedOn: '2026-11-02',
        reason: 'work',
      });
      expect(outside.statusCode).toBe(404);
      const badId = await officerA.post('/api/members/inflows', {
        name: '王某某',
        idNumber: '110105198001011234',
        homeOrgText: '某地党支部',
        hostOrgId: branchA.id,
        arrivedOn: '2026-11-02',
        reason: 'work',
      });
      expect(badId.statusCode).toBe(400);
    });

    it('fails the transition when its audit record cannot be written (SECURITY.md 20, 28)', async () => {
      const { mobility: mb } = await addOutflow(branchA);
      await t.db.execute(
        sql`alter table audit_log add constraint test_refuse_mobility_transition check (action <> 'mobility.transition') not valid`,
      );
      try {
        const res = await move(officerA, mb.id, { to: 'informed', version: 1 });
        expect(res.statusCode).toBe(500);
        expect(res.json().error.code).toBe('internal');
        expect(res.body).not.toMatch(/audit_log|constraint|insert/i);
      } finally {
        await t.db.execute(
          sql`alter table audit_log drop constraint test_refuse_mobility_transition`,
        );
      }
      const [after] = await t.db.select().from(mobility).where(eq(mobility.id, mb.id));
      expect(after).toMatchObject({ status: 'registered', version: 1 });
      expect(await stepsOf(mb.id)).toEqual([]);
      // And it works once the audit trail accepts it again.
      expect((await move(officerA, mb.id, { to: 'informed', version: 1 })).statusCode).toBe(200);
      expect(await stepsOf(mb.id)).toHaveLength(1);
    });
  });
}
