import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { liaison, liaisonAssignment } from '../../db/schema';
import { queryRows } from '../../platform/db';
import {
  createTestApp,
  testDatabaseKinds,
  type TestApp,
  type TestClient,
  type TestOrg,
} from '../../test/harness';
import { addLiaison, addOutbound, addOutboundBulk } from './contacts.fixtures';

const BULK = 3000;

for (const kind of testDatabaseKinds()) {
  describe(`liaisons and 三定 assignments [${kind}]`, () => {
    let t: TestApp;
    let county: TestOrg, branch: TestOrg, branchB: TestOrg, elsewhere: TestOrg;
    let officer: TestClient, officerB: TestClient, liaisonClient: TestClient;
    let liaisonAccount: Awaited<ReturnType<TestApp['addUser']>>;
    let farAccount: { id: string };

    const audits = (action: string) =>
      queryRows<{ target_id: string; after: Record<string, unknown>; reason: string | null }>(
        t.db,
        sql`select target_id, after, reason from audit_log where action = ${action} order by id`,
      );
    const openOf = (liaisonId: string) =>
      t.db
        .select()
        .from(liaisonAssignment)
        .where(and(eq(liaisonAssignment.liaisonId, liaisonId), isNull(liaisonAssignment.endedOn)));

    beforeAll(async () => {
      t = await createTestApp(kind, { now: '2026-11-20T02:00:00Z' });
      county = await t.addOrg(null, '联络员测试县委');
      branch = await t.addOrg(county, '联络员测试甲支部', 'branch');
      branchB = await t.addOrg(county, '联络员测试乙支部', 'branch');
      elsewhere = await t.addOrg(null, '联络员测试外县');
      officer = await t.login(
        await t.addUser('li-officer', [{ role: 'branch_officer', org: branch }]),
      );
      officerB = await t.login(
        await t.addUser('li-officer-b', [{ role: 'branch_officer', org: branchB }]),
      );
      liaisonAccount = await t.addUser('li-liaison', [{ role: 'liaison', org: branch }]);
      liaisonClient = await t.login(liaisonAccount);
      farAccount = await t.addUser('li-far', [{ role: 'liaison', org: elsewhere }]);
    });
    afterAll(() => t.close());

    it('names a liaison from an account of the scope, once per account', async () => {
      const res = await officer.post('/api/liaisons', {
        orgId: branch.id,
        accountId: liaisonAccount.id,
        title: '支部组织委员',
        phone: '139 0013 0001',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        orgId: branch.id,
        orgName: branch.name,
        accountId: liaisonAccount.id,
        username: 'li-liaison',
        name: 'li-liaison',
        title: '支部组织委员',
        phoneMasked: '139****0001',
        active: true,
        memberCount: 0,
        version: 1,
      });
      const [row] = await t.db.select().from(liaison).where(eq(liaison.id, res.json().id));
      expect(row!.phoneEnc).not.toContain('0001');
      // Again for the same account: a 409 that says where the record is.
      const again = await officer.post('/api/liaisons', {
        orgId: branch.id,
        accountId: liaisonAccount.id,
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.message).toContain(`该账号已登记为联络员（${branch.name}）`);
      // An account of another county: like a missing one.
      const far = await officer.post('/api/liaisons', {
        orgId: branch.id,
        accountId: farAccount.id,
      });
      expect(far.statusCode).toBe(404);
      expect(far.json().error.message).toBe('账号不存在');
      // An org outside the scope: 404.
      const otherOrg = await officerB.post('/api/liaisons', { orgId: branch.id, name: '张三' });
      expect(otherOrg.statusCode).toBe(404);
      // Neither account nor name; a bad phone: clear messages, nothing written.
      const empty = await officer.post('/api/liaisons', { orgId: branch.id });
      expect(empty.statusCode).toBe(400);
      expect(empty.json().error.message).toContain('请选择账号，或填写联络员姓名');
      const badPhone = await officer.post('/api/liaisons', {
        orgId: branch.id,
        name: '李四',
        phone: '12345',
      });
      expect(badPhone.statusCode).toBe(400);
      expect(badPhone.json().error.message).toContain('联络员电话：手机号码或固定电话格式不正确');
      expect((await t.db.select().from(liaison)).length).toBe(1);
      expect((await audits('liaison.create')).length).toBe(1);
      // The trail has the phone masked (SECURITY.md 18).
      const after = JSON.stringify((await audits('liaison.create'))[0]!.after);
      expect(after).toContain('139****0001');
      expect(after).not.toContain('13900130001');
    });

    it('names a person without an account, edits with the version, and lists by name', async () => {
      const res = await officer.post('/api/liaisons', { orgId: branch.id, name: '赵大姐' });
      expect(res.statusCode, res.body).toBe(200);
      const l = res.json();
      expect(l).toMatchObject({
        accountId: null,
        username: null,
        name: '赵大姐',
        phoneMasked: null,
      });
      const edit = await officer.patch(`/api/liaisons/${l.id}`, {
        phone: '13900130002',
        title: '老党员',
        version: 1,
      });
      expect(edit.statusCode, edit.body).toBe(200);
      expect(edit.json()).toMatchObject({
        phoneMasked: '139****0002',
        title: '老党员',
        version: 2,
      });
      const stale = await officer.patch(`/api/liaisons/${l.id}`, { name: '赵二姐', version: 1 });
      expect(stale.statusCode).toBe(409);
      expect(
        (await officerB.patch(`/api/liaisons/${l.id}`, { name: 'x', version: 2 })).statusCode,
      ).toBe(404);
      const list = (await officer.get('/api/liaisons?limit=1')).json();
      expect(list.items).toHaveLength(1);
      const next = (await officer.get(`/api/liaisons?limit=1&cursor=${list.nextCursor}`)).json();
      expect([list.items[0].name, next.items[0].name].sort()).toEqual(['li-liaison', '赵大姐']);
      expect(next.nextCursor).toBeNull();
      expect(
        (await officer.get(`/api/liaisons?q=${encodeURIComponent('赵')}`)).json().items,
      ).toHaveLength(1);
      expect((await officer.get('/api/liaisons?q=li-lia')).json().items).toHaveLength(1);
      expect((await officerB.get('/api/liaisons')).json().items).toEqual([]);
      // Liaisons themselves do not manage liaisons.
      expect((await liaisonClient.get('/api/liaisons')).statusCode).toBe(403);
    });

    it(`assigns a liaison to all ${BULK} outbound members of a branch in one request`, async () => {
      const ids = await addOutboundBulk(t, branch.id, BULK, '2026-09-01');
      const [l] = (await officer.get('/api/liaisons?q=li-liaison')).json().items;
      const started = Date.now();
      const res = await officer.post('/api/liaisons/assign', {
        target: { filter: { orgId: branch.id, unassignedOnly: true } },
        liaisonId: l.id,
        duty: '每月联系一次，了解工作、生活、思想和困难',
      });
      const elapsed = Date.now() - started;
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ assigned: BULK, unchanged: 0 });
      // "In a minute" for the officer; the statement itself takes a fraction of that.
      expect(elapsed).toBeLessThan(20_000);
      const open = await openOf(l.id);
      expect(open).toHaveLength(BULK);
      // Category from the destination: every tenth member is in 香港 (abroad, 条例 Art. 34).
      const abroad = open.filter((a) => a.category === 'abroad');
      expect(abroad).toHaveLength(BULK / 10);
      expect(open.every((a) => a.assignedOn === '2026-11-20' && a.intervalMonths === null)).toBe(
        true,
      );
      // One audit record for the batch.
      const recorded = await audits('liaison.assign');
      expect(recorded).toHaveLength(1);
      expect(recorded[0]!.after).toMatchObject({
        assigned: BULK,
        reassigned: 0,
        unchanged: 0,
        filter: { orgId: branch.id, unassignedOnly: true, liaisonId: null },
      });
      expect((await officer.get(`/api/liaisons?q=li-liaison`)).json().items[0].memberCount).toBe(
        BULK,
      );

      // Part of the list to another liaison, by ids: the old assignments end, history stays.
      const other = (
        await officer.post('/api/liaisons', { orgId: branch.id, name: '钱联络' })
      ).json();
      const part = ids.slice(0, 500);
      const moved = await officer.post('/api/liaisons/assign', {
        target: { memberIds: [...part, part[0]] },
        liaisonId: other.id,
        duty: '每两个月联系一次',
        intervalMonths: 2,
        category: 'domestic',
      });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.json()).toEqual({ assigned: 500, unchanged: 0 });
      expect(await openOf(l.id)).toHaveLength(BULK - 500);
      const mine = await openOf(other.id);
      expect(mine).toHaveLength(500);
      expect(mine.every((a) => a.intervalMonths === 2 && a.category === 'domestic')).toBe(true);
      const ended = await queryRows<{ n: number }>(
        t.db,
        sql`select count(*)::int as n from liaison_assignment
             where liaison_id = ${l.id} and ended_on = '2026-11-20' and end_reason = '改派联络员'`,
      );
      expect(ended[0]!.n).toBe(500);
      // The same again: left as they were.
      const same = await officer.post('/api/liaisons/assign', {
        target: { filter: { orgId: branch.id, unassignedOnly: false, liaisonId: other.id } },
        liaisonId: other.id,
        duty: '不会写入',
      });
      expect(same.json()).toEqual({ assigned: 0, unchanged: 500 });
      expect((await audits('liaison.assign')).length).toBe(2);
    });

    it('refuses members outside the scope or not away, writing nothing', async () => {
      const [l] = (await officer.get('/api/liaisons?q=li-liaison')).json().items;
      const mine = await addOutbound(t, branch, { name: '本支部新外出' });
      const theirs = await addOutbound(t, branchB, { name: '乙支部外出' });
      const home = await t.addMember(branch, { name: '本支部在家' });
      const before = (await t.db.select().from(liaisonAssignment)).length;
      const far = await officer.post('/api/liaisons/assign', {
        target: { memberIds: [mine.id, theirs.id] },
        liaisonId: l.id,
        duty: '了解近况',
      });
      expect(far.statusCode).toBe(404);
      expect(far.json().error.message).toBe('党员不存在');
      const notAway = await officer.post('/api/liaisons/assign', {
        target: { memberIds: [mine.id, home.id] },
        liaisonId: l.id,
        duty: '了解近况',
      });
      expect(notAway.statusCode).toBe(400);
      expect(notAway.json().error.message).toContain('有1人目前没有未结束的流出登记');
      // A liaison outside the scope, a filter org outside it: 404.
      const theirLiaison = await addLiaison(t, branchB.id, { name: '乙支部联络员' });
      const wrongLiaison = await officer.post('/api/liaisons/assign', {
        target: { memberIds: [mine.id] },
        liaisonId: theirLiaison.id,
        duty: '了解近况',
      });
      expect(wrongLiaison.statusCode).toBe(404);
      const wrongOrg = await officer.post('/api/liaisons/assign', {
        target: { filter: { orgId: branchB.id } },
        liaisonId: l.id,
        duty: '了解近况',
      });
      expect(wrongOrg.statusCode).toBe(404);
      const future = await officer.post('/api/liaisons/assign', {
        target: { memberIds: [mine.id] },
        liaisonId: l.id,
        duty: '了解近况',
        assignedOn: '2026-12-01',
      });
      expect(future.statusCode).toBe(400);
      expect(future.json().error.message).toBe('分配日期不能晚于今天');
      expect((await t.db.select().from(liaisonAssignment)).length).toBe(before);
      const denied = await audits('access.denied');
      expect(denied.some((a) => a.target_id === theirs.id)).toBe(true);
    });

    it('moves every open assignment to the successor when a liaison leaves, in one step', async () => {
      const [l] = (await officer.get('/api/liaisons?q=li-liaison')).json().items;
      const successor = (
        await officer.post('/api/liaisons', { orgId: branch.id, name: '孙联络' })
      ).json();
      const before = await openOf(l.id);
      // One member with their own interval and category: kept as they were.
      await t.db
        .update(liaisonAssignment)
        .set({ intervalMonths: 3, category: 'abroad', duty: '特别职责' })
        .where(eq(liaisonAssignment.id, before[0]!.id));
      const self = await officer.post(`/api/liaisons/${l.id}/retire`, {
        toLiaisonId: l.id,
        leftOn: '2026-11-15',
        reason: '调离',
        version: l.version,
      });
      expect(self.statusCode).toBe(400);
      const stale = await officer.post(`/api/liaisons/${l.id}/retire`, {
        toLiaisonId: successor.id,
        leftOn: '2026-11-15',
        reason: '调离',
        version: l.version + 5,
      });
      expect(stale.statusCode).toBe(409);
      const res = await officer.post(`/api/liaisons/${l.id}/retire`, {
        toLiaisonId: successor.id,
        leftOn: '2026-11-15',
        reason: '调往乡镇工作',
        version: l.version,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ moved: before.length });
      expect(await openOf(l.id)).toHaveLength(0);
      const now = await openOf(successor.id);
      expect(now).toHaveLength(before.length);
      const special = now.find((a) => a.memberId === before[0]!.memberId)!;
      expect(special).toMatchObject({
        intervalMonths: 3,
        category: 'abroad',
        duty: '特别职责',
        assignedOn: '2026-11-20',
      });
      const ended = await queryRows<{ n: number }>(
        t.db,
        sql`select count(*)::int as n from liaison_assignment
             where liaison_id = ${l.id} and end_reason = '调往乡镇工作'`,
      );
      expect(ended[0]!.n).toBe(before.length);
      const retired = (await officer.get('/api/liaisons?q=li-liaison&includeInactive=true')).json()
        .items[0];
      expect(retired).toMatchObject({ active: false, leftOn: '2026-11-15', memberCount: 0 });
      expect((await officer.get('/api/liaisons?q=li-liaison')).json().items).toEqual([]);
      const [audit] = await audits('liaison.retire');
      expect(audit!.after).toMatchObject({ moved: before.length, toLiaisonId: successor.id });
      // Already gone: a clear 409; a retired successor is refused.
      const again = await officer.post(`/api/liaisons/${l.id}/retire`, {
        toLiaisonId: successor.id,
        leftOn: '2026-11-15',
        reason: '调离',
        version: l.version + 1,
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.message).toContain('已于2026-11-15离任');
      const toRetired = await officer.post(`/api/liaisons/${successor.id}/retire`, {
        toLiaisonId: l.id,
        leftOn: '2026-11-16',
        reason: '调离',
        version: successor.version,
      });
      expect(toRetired.statusCode).toBe(400);
      expect(toRetired.json().error.message).toContain('已离任');
      // The account comes back as liaison: the same record is taken up again.
      const back = await officer.post('/api/liaisons', {
        orgId: branch.id,
        accountId: liaisonAccount.id,
      });
      expect(back.statusCode, back.body).toBe(200);
      expect(back.json()).toMatchObject({ id: l.id, active: true, leftOn: null });
    });
  });
}
