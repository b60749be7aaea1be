import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import {
  contactDueOn,
  isDueForRate,
  lostContactStatus,
  queueBucket,
  overdueDays,
} from '@liudong/domain';
import { contact, liaisonAssignment, mobility, participation } from '../../db/schema';
import { queryRows } from '../../platform/db';
import {
  createTestApp,
  testDatabaseKinds,
  type TestApp,
  type TestClient,
  type TestOrg,
} from '../../test/harness';
import { addAssignment, addContactRow, addLiaison, addOutbound } from './contacts.fixtures';

const TODAY = '2026-11-20';

interface QueueItem {
  memberId: string;
  memberName: string;
  dueOn: string;
  bucket: string;
  overdueDays: number;
  lostLevel: string;
  intervalMonths: number;
  category: string;
  phoneMasked: string | null;
  liaisonName: string | null;
  lastReachedOn: string | null;
  lastContactOn: string | null;
  mobilityVersion: number;
}

for (const kind of testDatabaseKinds()) {
  describe(`keeping in touch: queue and contact log [${kind}]`, () => {
    let t: TestApp;
    let county: TestOrg, town: TestOrg, branch: TestOrg, branchB: TestOrg, elsewhere: TestOrg;
    let officer: TestClient, liaisonClient: TestClient, townOfficer: TestClient;
    let outsider: TestClient, admin: TestClient;
    let liaisonId: string;

    async function auditActions(action: string) {
      return queryRows<{ target_id: string | null; after: unknown; reason: string | null }>(
        t.db,
        sql`select target_id, after, reason from audit_log where action = ${action} order by id`,
      );
    }

    async function queueAll(client: TestClient, query: string): Promise<QueueItem[]> {
      const items: QueueItem[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 50; i++) {
        const res = await client.get(
          `/api/contacts/queue?${query}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.statusCode, res.body).toBe(200);
        const page = res.json() as { items: QueueItem[]; nextCursor: string | null };
        items.push(...page.items);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      return items;
    }

    beforeAll(async () => {
      t = await createTestApp(kind, { now: '2026-11-20T02:00:00Z' });
      county = await t.addOrg(null, '联系测试县委');
      town = await t.addOrg(county, '联系测试镇党委');
      branch = await t.addOrg(town, '联系测试甲村党支部', 'branch');
      branchB = await t.addOrg(town, '联系测试乙村党支部', 'branch');
      elsewhere = await t.addOrg(null, '别县县委');
      officer = await t.login(
        await t.addUser('kit-officer', [{ role: 'branch_officer', org: branch }]),
      );
      const l = await t.addUser('kit-liaison', [{ role: 'liaison', org: branch }]);
      liaisonClient = await t.login(l);
      townOfficer = await t.login(
        await t.addUser('kit-town', [{ role: 'committee_officer', org: town }]),
      );
      outsider = await t.login(
        await t.addUser('kit-outsider', [{ role: 'branch_officer', org: elsewhere }]),
      );
      admin = await t.login(await t.addUser('kit-admin', [{ role: 'org_admin', org: county }]));
      liaisonId = (await addLiaison(t, branch.id, { name: '王联络', accountId: l.id })).id;
    });
    afterAll(() => t.close());

    it('orders the queue by due day and buckets it exactly as the domain rules do', async () => {
      // One member per case: left on, last reached, unreached attempts, category.
      const cases = [
        { leftOn: '2026-06-10', reached: null, tries: [], dest: '440305' },
        { leftOn: '2026-09-30', reached: '2026-10-19', tries: [], dest: '440305' }, // due 11-19
        { leftOn: '2026-09-30', reached: '2026-10-20', tries: [], dest: '440305' }, // due today
        { leftOn: '2026-09-30', reached: '2026-10-26', tries: [], dest: '440305' }, // today + 6
        { leftOn: '2026-09-30', reached: '2026-10-27', tries: [], dest: '440305' }, // next week
        { leftOn: '2026-10-31', reached: null, tries: [], dest: '440305' }, // 10-31 + 1 = 11-30
        // An attempt that did not reach the member does not reset the schedule.
        { leftOn: '2026-08-01', reached: '2026-09-01', tries: ['2026-11-15'], dest: '440305' },
        // Abroad (香港): every 6 months.
        { leftOn: '2026-05-20', reached: null, tries: [], dest: '810000' },
        { leftOn: '2026-06-01', reached: null, tries: [], dest: '810000' },
        // Lost: 6 months without a sign of life.
        { leftOn: '2026-03-01', reached: null, tries: ['2026-10-01'], dest: '440305' },
      ] as const;
      const members: { id: string; c: (typeof cases)[number] }[] = [];
      for (const [i, c] of cases.entries()) {
        const m = await addOutbound(t, branch, {
          name: `队列党员${i}`,
          leftOn: c.leftOn,
          destinationRegionCode: c.dest,
          phone: `1380013${String(i).padStart(4, '0')}`,
        });
        if (c.reached) await addContactRow(t, m.id, c.reached, true);
        for (const on of c.tries) await addContactRow(t, m.id, on, false);
        members.push({ id: m.id, c });
      }
      // A member elsewhere is never in this branch's queue.
      await addOutbound(t, elsewhere, { name: '队列党员外县', leftOn: '2026-01-01' });

      const items = await queueAll(officer, 'view=org&bucket=all');
      expect(items).toHaveLength(cases.length);
      const expected = members
        .map(({ id, c }) => {
          const interval = c.dest === '810000' ? 6 : 1;
          const dueOn = contactDueOn({
            startOn: c.leftOn,
            lastReachedOn: c.reached,
            intervalMonths: interval,
          });
          return {
            memberId: id,
            dueOn,
            bucket: queueBucket(dueOn, TODAY),
            overdueDays: overdueDays(dueOn, TODAY),
            intervalMonths: interval,
            category: c.dest === '810000' ? 'abroad' : 'domestic',
            lostLevel: lostContactStatus(
              { leftOn: c.leftOn, lastReachedOn: c.reached, lastOrgLifeOn: null, lastDuesOn: null },
              TODAY,
            ).level,
          };
        })
        .sort((a, b) =>
          a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.memberId < b.memberId ? -1 : 1,
        );
      expect(
        items.map((i) => ({
          memberId: i.memberId,
          dueOn: i.dueOn,
          bucket: i.bucket,
          overdueDays: i.overdueDays,
          intervalMonths: i.intervalMonths,
          category: i.category,
          lostLevel: i.lostLevel,
        })),
      ).toEqual(expected);
      // Phones are masked; the full number is never sent.
      expect(items[0]!.phoneMasked).toMatch(/^138\*{4}\d{4}$/);
      expect(JSON.stringify(items)).not.toContain('13800130000');

      const overdue = await queueAll(officer, 'view=org&bucket=overdue');
      expect(overdue.map((i) => i.memberId)).toEqual(
        expected.filter((e) => e.bucket === 'overdue').map((e) => e.memberId),
      );
      const week = await queueAll(officer, 'view=org&bucket=week');
      expect(week.map((i) => i.memberId)).toEqual(
        expected.filter((e) => e.bucket === 'week').map((e) => e.memberId),
      );
      expect(week.map((i) => i.dueOn)).toEqual(['2026-11-20', '2026-11-20', '2026-11-26']);
      // Everyone is still without a liaison; "mine" is empty for the liaison.
      expect(await queueAll(officer, 'view=org&bucket=unassigned')).toHaveLength(cases.length);
      expect(await queueAll(liaisonClient, 'view=mine&bucket=all')).toHaveLength(0);

      // Name search: characters, pinyin and initials.
      expect(
        (await queueAll(officer, `view=org&bucket=all&q=${encodeURIComponent('党员3')}`)).map(
          (i) => i.memberName,
        ),
      ).toEqual(['队列党员3']);
      expect(await queueAll(officer, 'view=org&bucket=all&q=dldy')).toHaveLength(cases.length);

      // The summary: 按时联系率 = not overdue among those whose first interval has run.
      const due = expected.filter((e) =>
        isDueForRate(
          {
            startOn: members.find((m) => m.id === e.memberId)!.c.leftOn,
            intervalMonths: e.intervalMonths,
          },
          TODAY,
        ),
      );
      const onTime = due.filter((e) => e.bucket !== 'overdue');
      const s = (await officer.get('/api/contacts/queue/summary?view=org')).json();
      expect(s).toMatchObject({
        total: cases.length,
        overdue: expected.filter((e) => e.bucket === 'overdue').length,
        week: 3,
        unassigned: cases.length,
        due: due.length,
        onTime: onTime.length,
        onTimeRate: Math.round((onTime.length / due.length) * 1000) / 10,
        byLiaison: [],
      });
      // Another org's officer sees none of them; an org outside the scope is a 404.
      const theirs = (await outsider.get('/api/contacts/queue?view=org&bucket=all')).json();
      expect(theirs.items.map((i: QueueItem) => i.memberName)).toEqual(['队列党员外县']);
      const far = await outsider.get(`/api/contacts/queue?view=org&orgId=${branch.id}`);
      expect(far.statusCode).toBe(404);
      expect((await auditActions('access.denied')).some((a) => a.target_id === branch.id)).toBe(
        true,
      );
      // A tampered cursor is a clear 400.
      const bad = await officer.get('/api/contacts/queue?view=org&cursor=bm90LWpzb24');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain('分页参数无效');
    });

    it('gives the liaison their own queue once members are assigned, and counts per liaison', async () => {
      const res = await officer.post('/api/liaisons/assign', {
        target: { filter: { orgId: branch.id, unassignedOnly: true } },
        liaisonId,
        duty: '每月了解工作、生活、思想情况',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ assigned: 10, unchanged: 0 });
      const mine = await queueAll(liaisonClient, 'view=mine&bucket=all');
      expect(mine).toHaveLength(10);
      expect(mine.every((i) => i.liaisonName === '王联络')).toBe(true);
      const summary = (await liaisonClient.get('/api/contacts/queue/summary?view=mine')).json();
      expect(summary.total).toBe(10);
      expect(summary.byLiaison).toEqual([]);
      const org = (await townOfficer.get('/api/contacts/queue/summary?view=org')).json();
      expect(org.byLiaison).toEqual([
        expect.objectContaining({ liaisonId, liaisonName: '王联络', total: 10 }),
      ]);
      expect(org.unassigned).toBe(0);
    });

    it('logs a contact from the overdue queue: the member moves on and the overdue count falls', async () => {
      const before = (await liaisonClient.get('/api/contacts/queue/summary?view=mine')).json();
      const [first] = await queueAll(liaisonClient, 'view=mine&bucket=overdue');
      const res = await liaisonClient.post('/api/contacts', {
        memberId: first!.memberId,
        contactedOn: TODAY,
        channel: 'wechat',
        reached: true,
        work: '在深圳电子厂工作',
        life: '一切都好',
        thinking: '希望参加线上组织生活',
        difficulties: '私人隐情不应进审计',
        followUpNeeded: true,
        orgLifeOn: '2026-11-10',
        duesPaidOn: '2026-11-05',
      });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({
        dueOn: first!.category === 'abroad' ? '2027-05-20' : '2026-12-20',
        bucket: 'later',
        contact: {
          memberId: first!.memberId,
          contactedOn: TODAY,
          channel: 'wechat',
          channelLabel: '微信',
          reached: true,
          source: 'liaison',
          liaisonName: '王联络',
          recordedByName: 'kit-liaison',
        },
      });
      const after = (await liaisonClient.get('/api/contacts/queue/summary?view=mine')).json();
      expect(after.overdue).toBe(before.overdue - 1);
      // Org life and dues reported with the contact are signs of life (participation).
      const parts = await t.db
        .select()
        .from(participation)
        .where(eq(participation.contactId, body.contact.id));
      expect(parts.map((p) => [p.kind, p.on, p.source]).sort()).toEqual([
        ['dues', '2026-11-05', 'contact'],
        ['org_life', '2026-11-10', 'contact'],
      ]);
      // The trail has the dates and outcome, not what the member said.
      const [audit] = (await auditActions('contact.create')).slice(-1);
      expect(audit!.target_id).toBe(first!.memberId);
      expect(JSON.stringify(audit!.after)).not.toMatch(/私人隐情|深圳电子厂|线上组织生活/);
      expect(audit!.after).toMatchObject({ channel: 'wechat', reached: true });
    });

    it('refuses bad contacts with a clear message and writes nothing', async () => {
      const m = await addOutbound(t, branch, { name: '校验党员', leftOn: '2026-09-15' });
      const count = async () =>
        (await t.db.select().from(contact).where(eq(contact.memberId, m.id))).length;
      const base = { memberId: m.id, channel: 'phone', reached: true };
      const future = await officer.post('/api/contacts', { ...base, contactedOn: '2026-11-21' });
      expect(future.statusCode).toBe(400);
      expect(future.json().error.message).toBe('联系日期不能晚于今天');
      const early = await officer.post('/api/contacts', { ...base, contactedOn: '2026-09-14' });
      expect(early.statusCode).toBe(400);
      expect(early.json().error.message).toContain('不能早于本次外出（流入）日期 2026-09-15');
      const lateLife = await officer.post('/api/contacts', {
        ...base,
        contactedOn: '2026-11-01',
        orgLifeOn: '2026-11-02',
      });
      expect(lateLife.statusCode).toBe(400);
      expect(lateLife.json().error.details[0].path).toBe('orgLifeOn');
      const unreachedLife = await officer.post('/api/contacts', {
        ...base,
        reached: false,
        contactedOn: '2026-11-01',
        orgLifeOn: '2026-10-02',
      });
      expect(unreachedLife.statusCode).toBe(400);
      expect(unreachedLife.json().error.message).toContain('未联系上本人时');
      const badChannel = await officer.post('/api/contacts', {
        ...base,
        contactedOn: '2026-11-01',
        channel: 'pigeon',
      });
      expect(badChannel.statusCode).toBe(400);
      // Not away: nothing to log.
      const home = await t.addMember(branch, { name: '在家党员' });
      const notAway = await officer.post('/api/contacts', {
        ...base,
        memberId: home.id,
        contactedOn: '2026-11-01',
      });
      expect(notAway.statusCode).toBe(400);
      expect(notAway.json().error.message).toContain('没有未结束的流动登记');
      // Outside the scope: like a missing member, and logged.
      const far = await outsider.post('/api/contacts', { ...base, contactedOn: '2026-11-01' });
      expect(far.statusCode).toBe(404);
      expect(far.json().error.message).toBe('党员不存在');
      expect(
        (await auditActions('access.denied')).some(
          (a) => a.target_id === m.id && a.reason === 'out_of_scope',
        ),
      ).toBe(true);
      expect(await count()).toBe(0);
    });

    it('updates the whereabouts in the same step, and a stale episode version writes nothing', async () => {
      const m = await addOutbound(t, branch, { name: '去向党员', leftOn: '2026-09-15' });
      // The queue row carries the episode's version and destination: the contact form needs no
      // read of the member record (an audited view) to update the whereabouts.
      const queued = async () =>
        (await queueAll(officer, `view=org&bucket=all&q=${encodeURIComponent('去向党员')}`))[0]!;
      const item = await queued();
      expect(item).toMatchObject({
        mobilityId: m.mobilityId,
        mobilityVersion: m.mobilityVersion,
        destinationRegionCode: '440305',
      });
      const stale = await officer.post('/api/contacts', {
        memberId: m.id,
        contactedOn: '2026-11-18',
        channel: 'phone',
        reached: true,
        whereabouts: { destinationRegionCode: '500101', employer: '重庆某物流公司' },
        mobilityVersion: m.mobilityVersion + 1,
      });
      expect(stale.statusCode).toBe(409);
      expect(await t.db.select().from(contact).where(eq(contact.memberId, m.id))).toHaveLength(0);
      const noVersion = await officer.post('/api/contacts', {
        memberId: m.id,
        contactedOn: '2026-11-18',
        channel: 'phone',
        reached: true,
        whereabouts: { destinationRegionCode: '500101' },
      });
      expect(noVersion.statusCode).toBe(400);
      expect(noVersion.json().error.message).toContain('版本号');
      const ok = await officer.post('/api/contacts', {
        memberId: m.id,
        contactedOn: '2026-11-18',
        channel: 'phone',
        reached: true,
        whereabouts: {
          destinationRegionCode: '500101',
          employer: '重庆某物流公司',
          destinationAddress: '重庆市万州区某路1号',
        },
        mobilityVersion: item.mobilityVersion,
      });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(await queued()).toMatchObject({
        mobilityVersion: m.mobilityVersion + 1,
        destinationRegionCode: '500101',
        employer: '重庆某物流公司',
      });
      const [ep] = await t.db.select().from(mobility).where(eq(mobility.id, m.mobilityId));
      expect(ep).toMatchObject({
        destinationRegionCode: '500101',
        employer: '重庆某物流公司',
        version: m.mobilityVersion + 1,
      });
      expect(ep!.destinationAddressEnc).not.toContain('万州');
      const [audit] = (await auditActions('contact.create')).slice(-1);
      expect(JSON.stringify(audit!.after)).not.toContain('万州');
    });

    it('shows a member’s contacts newest first with the 三定 and the lost-contact status', async () => {
      const m = await addOutbound(t, branch, { name: '历史党员', leftOn: '2026-04-01' });
      for (const [on, reached] of [
        ['2026-05-01', true],
        ['2026-06-01', false],
        ['2026-07-01', true],
        ['2026-07-01', false],
        ['2026-10-01', false],
      ] as const)
        await addContactRow(t, m.id, on, reached);
      await addAssignment(t, m.id, liaisonId, { intervalMonths: 2 });
      const seen: string[] = [];
      let cursor: string | null = null;
      let first: Record<string, unknown> | undefined;
      do {
        const res = await officer.get(
          `/api/members/${m.id}/contacts?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.statusCode, res.body).toBe(200);
        const page = res.json();
        first ??= page;
        seen.push(...page.items.map((c: { contactedOn: string }) => c.contactedOn));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['2026-10-01', '2026-07-01', '2026-07-01', '2026-06-01', '2026-05-01']);
      expect(first).toMatchObject({
        assignment: {
          liaisonId,
          liaisonName: '王联络',
          intervalMonths: 2,
          effectiveIntervalMonths: 2,
          category: 'domestic',
        },
        // Last reached 07-01, every 2 months.
        dueOn: '2026-09-01',
        bucket: 'overdue',
        lost: {
          level: 'warning',
          lastSignOn: '2026-07-01',
          lastSignKind: 'contact',
          monthsWithout: 4,
          warningPoint: 3,
          lostOn: '2027-01-01',
        },
        // No phone on record: texts cannot reach the member.
        sms: { hasPhone: false, optedOut: false },
      });
      const far = await outsider.get(`/api/members/${m.id}/contacts`);
      expect(far.statusCode).toBe(404);
    });

    it('shows whether the member opted out of SMS, by the number (issue 4 §6)', async () => {
      const phone = '13800139001';
      const m = await addOutbound(t, branch, { name: '退订党员', phone });
      // A second record with the same number: an opt-out is kept per number, as the outbox sends.
      const same = await addOutbound(t, branch, { name: '同号党员', phone });
      const smsOf = async (c: TestClient, id: string) => {
        const res = await c.get(`/api/members/${id}/contacts`);
        expect(res.statusCode, res.body).toBe(200);
        return res.json().sms as { hasPhone: boolean; optedOut: boolean };
      };
      expect(await smsOf(officer, m.id)).toEqual({ hasPhone: true, optedOut: false });

      const out = await officer.post('/api/sms/opt-outs', { memberId: m.id });
      expect(out.statusCode, out.body).toBe(204);
      expect(await smsOf(officer, m.id)).toEqual({ hasPhone: true, optedOut: true });
      // The liaison sees it too, so as not to text a member who asked not to be texted.
      expect(await smsOf(liaisonClient, m.id)).toEqual({ hasPhone: true, optedOut: true });
      expect(await smsOf(officer, same.id)).toEqual({ hasPhone: true, optedOut: true });

      expect((await officer.del(`/api/sms/opt-outs/${m.id}`)).statusCode).toBe(204);
      expect(await smsOf(officer, m.id)).toEqual({ hasPhone: true, optedOut: false });
      expect(await smsOf(officer, same.id)).toEqual({ hasPhone: true, optedOut: false });
    });

    it('lets the assigned liaison of another branch log contacts, but not a stranger', async () => {
      const m = await addOutbound(t, branchB, { name: '乙村党员', leftOn: '2026-10-01' });
      // The branch-B officer cannot see branch A's liaison; the town officer names one.
      const assign = await townOfficer.post('/api/liaisons/assign', {
        target: { memberIds: [m.id] },
        liaisonId,
        duty: '了解近况',
      });
      expect(assign.json()).toEqual({ assigned: 1, unchanged: 0 });
      const res = await liaisonClient.post('/api/contacts', {
        memberId: m.id,
        contactedOn: '2026-11-19',
        channel: 'phone',
        reached: true,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect((await liaisonClient.get(`/api/members/${m.id}/contacts`)).statusCode).toBe(200);
      // The liaison's queue (mine) includes them; the org view of branch A does not.
      expect(
        (await queueAll(liaisonClient, 'view=mine&bucket=all')).map((i) => i.memberId),
      ).toContain(m.id);
      expect((await queueAll(officer, 'view=org&bucket=all')).map((i) => i.memberId)).not.toContain(
        m.id,
      );
    });

    it('follows the schedule rules: the member’s own, the nearest org’s, the default', async () => {
      const m = await addOutbound(t, branch, { name: '周期党员', leftOn: '2026-01-31' });
      await addContactRow(t, m.id, '2026-08-31', true);
      const dueOf = async () =>
        (await queueAll(officer, `view=org&bucket=all&q=${encodeURIComponent('周期党员')}`))[0]!;
      expect((await dueOf()).dueOn).toBe('2026-09-30');
      // The liaison role may read but not set the schedule.
      const denied = await liaisonClient.request('PUT', '/api/contacts/schedules', {
        orgId: town.id,
        category: 'domestic',
        intervalMonths: 3,
      });
      expect(denied.statusCode).toBe(403);
      for (const [orgId, months] of [
        [county.id, 2],
        [town.id, 3],
      ] as const) {
        const res = await admin.request('PUT', '/api/contacts/schedules', {
          orgId,
          category: 'domestic',
          intervalMonths: months,
        });
        expect(res.statusCode, res.body).toBe(204);
      }
      // The nearest rule (the town's, 3 months) wins over the county's: 08-31 + 3 = 11-30.
      expect(await dueOf()).toMatchObject({
        dueOn: '2026-11-30',
        intervalMonths: 3,
        bucket: 'later',
      });
      const list = (await officer.get('/api/contacts/schedules')).json();
      // The branch officer's scope is the branch: the town's and county's rules are above it.
      expect(list.items).toEqual([]);
      expect((await admin.get('/api/contacts/schedules')).json().items).toEqual([
        { orgId: county.id, orgName: county.name, category: 'domestic', intervalMonths: 2 },
        { orgId: town.id, orgName: town.name, category: 'domestic', intervalMonths: 3 },
      ]);
      // An own interval on the assignment wins over every rule.
      const a = await addAssignment(t, m.id, liaisonId);
      const patched = await officer.patch(`/api/assignments/${a.id}`, {
        intervalMonths: 1,
        version: a.version,
      });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json()).toMatchObject({ intervalMonths: 1, effectiveIntervalMonths: 1 });
      expect((await dueOf()).dueOn).toBe('2026-09-30');
      const stale = await officer.patch(`/api/assignments/${a.id}`, {
        duty: '新职责',
        version: a.version,
      });
      expect(stale.statusCode).toBe(409);
      const tooLong = await officer.patch(`/api/assignments/${a.id}`, {
        intervalMonths: 7,
        version: a.version + 1,
      });
      expect(tooLong.statusCode).toBe(400);
      expect(tooLong.json().error.message).toContain('联系周期最长6个月');
      // Removing the town's rule: the county's applies again.
      await t.db
        .update(liaisonAssignment)
        .set({ intervalMonths: null })
        .where(eq(liaisonAssignment.id, a.id));
      await admin.request('PUT', '/api/contacts/schedules', {
        orgId: town.id,
        category: 'domestic',
        intervalMonths: null,
      });
      expect(await dueOf()).toMatchObject({ dueOn: '2026-10-31', intervalMonths: 2 });
      await admin.request('PUT', '/api/contacts/schedules', {
        orgId: county.id,
        category: 'domestic',
        intervalMonths: null,
      });
      expect((await auditActions('contact.schedule.set')).length).toBe(4);
    });

    it('keeps the settings: defaults per category and the warning points', async () => {
      const get = await liaisonClient.get('/api/contacts/settings');
      expect(get.json()).toEqual({
        defaultIntervalMonths: { domestic: 1, abroad: 6 },
        warningMonths: [3, 5],
      });
      for (const [body, message] of [
        [{ defaultIntervalMonths: { domestic: 1, abroad: 6 }, warningMonths: [5, 3] }, '从小到大'],
        [{ defaultIntervalMonths: { domestic: 1, abroad: 6 }, warningMonths: [6] }, ''],
        [{ defaultIntervalMonths: { domestic: 0, abroad: 6 }, warningMonths: [3] }, '至少1个月'],
        [{ defaultIntervalMonths: { domestic: 1, abroad: 12 }, warningMonths: [3] }, '最长6个月'],
      ] as const) {
        const res = await admin.request('PUT', '/api/contacts/settings', body);
        expect(res.statusCode).toBe(400);
        expect(res.json().error.message).toContain(message);
      }
      expect((await officer.request('PUT', '/api/contacts/settings', get.json())).statusCode).toBe(
        403,
      );
      const put = await admin.request('PUT', '/api/contacts/settings', {
        defaultIntervalMonths: { domestic: 2, abroad: 6 },
        warningMonths: [2, 4],
      });
      expect(put.statusCode, put.body).toBe(200);
      expect((await officer.get('/api/contacts/settings')).json().warningMonths).toEqual([2, 4]);
      // The default applies to a member without rule or own interval.
      const m = await addOutbound(t, branch, { name: '默认党员', leftOn: '2026-09-20' });
      const [item] = await queueAll(
        officer,
        `view=org&bucket=all&q=${encodeURIComponent('默认党员')}`,
      );
      expect(item).toMatchObject({ memberId: m.id, intervalMonths: 2, dueOn: '2026-11-20' });
      await admin.request('PUT', '/api/contacts/settings', {
        defaultIntervalMonths: { domestic: 1, abroad: 6 },
        warningMonths: [3, 5],
      });
      expect((await auditActions('contact.settings.update')).length).toBe(2);
    });

    it('lets the host side log a contact with a member hosted here', async () => {
      // An inflow hosted by the branch: the host side logs the contact.
      const m = await t.addMember(null, { name: '流入党员' });
      const [ep] = await t.db
        .insert(mobility)
        .values({
          memberId: m.id,
          direction: 'inflow',
          status: 'registered',
          homeOrgText: '外省某村党支部',
          hostOrgId: branch.id,
          registeredOn: '2026-10-10',
          leftOn: '2026-10-10',
          reason: 'work',
        })
        .returning();
      const res = await officer.post('/api/contacts', {
        memberId: m.id,
        contactedOn: '2026-11-19',
        channel: 'visit',
        reached: true,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ dueOn: '2026-12-19', bucket: 'later' });
      expect(res.json().contact.mobilityId).toBe(ep!.id);
      expect(
        (
          await outsider.post('/api/contacts', {
            memberId: m.id,
            contactedOn: '2026-11-19',
            channel: 'visit',
            reached: true,
          })
        ).statusCode,
      ).toBe(404);
    });
  });
}
