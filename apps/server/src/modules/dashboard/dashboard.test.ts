import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import {
  contactDueOn,
  defaultContactCategory,
  effectiveIntervalMonths,
  isCertificateValid,
  isDueForRate,
  lostContactStatus,
  pathIds,
  rate,
  shouldTransferAffiliation,
  type ContactCategory,
  type MobilityStatus,
} from '@liudong/domain';
import { queryRows } from '../../platform/db';
import { seedDemo } from '../../cli/seed-demo';
import { createTestApp, testDatabaseKinds, type TestApp, type TestOrg } from '../../test/harness';

for (const kind of testDatabaseKinds()) {
  describe(`dashboard [${kind}]`, () => {
    let t: TestApp;
    let root: TestOrg;
    beforeAll(async () => {
      t = await createTestApp(kind);
      await seedDemo(t.db, {
        seed: 5,
        password: 'Demo-Password-2026',
        cipher: t.cipher,
        members: 4000,
      });
      const [r] = await queryRows<{ id: string; path: string; depth: number; name: string }>(
        t.db,
        sql`select id, path, depth, name from org where parent_id is null`,
      );
      root = { ...r!, kind: 'committee' };
    });
    afterAll(() => t.close());

    async function openOutflows(scope: string) {
      return queryRows<{
        member_id: string;
        status: MobilityStatus;
        left_on: string;
        checked_in_on: string | null;
        host: boolean;
      }>(
        t.db,
        sql`select mb.member_id, mb.status, mb.left_on::text, mb.checked_in_on::text, (mb.host_org_id is not null or mb.host_org_text is not null) as host
              from mobility mb join org o on o.id = mb.home_org_id
             where mb.direction = 'outflow' and mb.status not in ('returned','transferred','ended') and o.path like ${scope + '%'}`,
      );
    }

    it('counts the county’s outflow, check-ins and should-transfer cases exactly as the domain rules do', async () => {
      // Month-end cases where "left_on + 6 months" and "today − 6 months" would disagree.
      await t.db.execute(
        sql`update mobility set left_on = '2026-05-31', status = 'serving' where id in (select id from mobility where direction = 'outflow' and status = 'serving' order by id limit 3)`,
      );
      t.clock.set('2026-11-30T04:00:00Z');
      const admin = await t.login(
        await t.addUser('dash-admin', [{ role: 'org_admin', org: root }]),
      );
      const res = await admin.get('/api/dashboard');
      expect(res.statusCode, res.body).toBe(200);
      const d = res.json();
      const rows = await openOutflows(root.path);
      expect(d.outbound).toBe(new Set(rows.map((r) => r.member_id)).size);
      expect(d.outbound).toBeGreaterThan(300);
      const withHost = rows.filter((r) => r.host);
      expect(d.checkIn).toEqual({
        withHostOrg: withHost.length,
        checkedIn: withHost.filter((r) => r.checked_in_on).length,
        rate:
          Math.round((withHost.filter((r) => r.checked_in_on).length / withHost.length) * 1000) /
          10,
      });
      const asOf = t.clock.now();
      const expected = rows.filter((r) =>
        shouldTransferAffiliation(
          { ...r, direction: 'outflow', leftOn: r.left_on, checkedInOn: r.checked_in_on },
          { asOf },
        ),
      ).length;
      expect(d.shouldTransfer).toBe(expected);
      const certs = await queryRows<{
        member_id: string;
        status: string;
        issued_on: string;
        last_reviewed_on: string | null;
      }>(
        t.db,
        sql`select member_id, status, issued_on::text, last_reviewed_on::text from certificate`,
      );
      const outboundIds = new Set(rows.map((r) => r.member_id));
      const certified = new Set(
        certs
          .filter((c) => outboundIds.has(c.member_id))
          .filter((c) =>
            isCertificateValid(
              { status: c.status, issuedOn: c.issued_on, lastReviewedOn: c.last_reviewed_on },
              { asOf: '2026-11-30' },
            ),
          )
          .map((c) => c.member_id),
      );
      expect(certified.size).toBeGreaterThan(0);
      expect(d.certificateRate).toBe(Math.round((certified.size / outboundIds.size) * 1000) / 10);
      // At the county level only members from elsewhere are inbound: the county's own members
      // hosted by its mobile Party orgs are outbound, not counted twice.
      const [inflow] = await queryRows<{ n: number }>(
        t.db,
        sql`select count(distinct member_id)::int as n from mobility where direction = 'inflow' and status not in ('returned','transferred','ended')`,
      );
      expect(d.inbound).toBe(inflow!.n);
      expect(d.inbound).toBeGreaterThan(0);
      expect(d.topDestinations[0].name).toBe('成都市');
      expect(d.topDestinations.map((x: { name: string }) => x.name)).toContain('重庆市');
      expect(d.topIndustries[0].code).toBe('E');
      // Every (unit, city) pair is sent: together they are every open outflow with a destination.
      expect(d.flows.reduce((n: number, f: { value: number }) => n + f.value, 0)).toBe(rows.length);
    });

    /**
     * 按时联系率 and 失联率 recomputed in Node with the domain rules (effectiveIntervalMonths,
     * contactDueOn, isDueForRate, lostContactStatus) from the raw rows, on a month end: the SQL
     * the dashboard shares with the contact queue must agree exactly.
     */
    async function expectedKeepInTouch(scope: string, today: string) {
      const episodes = await queryRows<{
        member_id: string;
        left_on: string;
        dest: string | null;
        path: string;
      }>(
        t.db,
        sql`select mb.member_id, mb.left_on::text, mb.destination_region_code as dest, o.path
              from mobility mb join org o on o.id = mb.home_org_id
             where mb.direction = 'outflow' and mb.status not in ('returned','transferred','ended')
               and o.path like ${scope + '%'}`,
      );
      const byMember = async <T>(q: ReturnType<typeof sql>) =>
        new Map((await queryRows<T & { member_id: string }>(t.db, q)).map((r) => [r.member_id, r]));
      const reached = await byMember<{ on: string }>(
        sql`select member_id, max(contacted_on)::text as on from contact where reached group by member_id`,
      );
      const orgLife = await byMember<{ on: string }>(
        sql`select member_id, max(on_date)::text as on from participation where kind = 'org_life' group by member_id`,
      );
      const dues = await byMember<{ on: string }>(
        sql`select member_id, max(on_date)::text as on from participation where kind = 'dues' group by member_id`,
      );
      const assignments = await byMember<{
        category: ContactCategory;
        interval_months: number | null;
      }>(
        sql`select member_id, category, interval_months from liaison_assignment where ended_on is null`,
      );
      const rules = new Map(
        (
          await queryRows<{ org_id: string; category: string; interval_months: number }>(
            t.db,
            sql`select org_id, category, interval_months from contact_schedule`,
          )
        ).map((r) => [`${r.org_id}:${r.category}`, r.interval_months]),
      );
      let due = 0;
      let onTime = 0;
      let lost = 0;
      let warning = 0;
      for (const e of episodes) {
        const a = assignments.get(e.member_id);
        const category = a?.category ?? defaultContactCategory(e.dest);
        const interval = effectiveIntervalMonths({
          category,
          memberOverride: a?.interval_months ?? null,
          orgRules: pathIds(e.path)
            .reverse()
            .map((id) => rules.get(`${id}:${category}`)),
        });
        const lastReachedOn = reached.get(e.member_id)?.on ?? null;
        const dueOn = contactDueOn({ startOn: e.left_on, lastReachedOn, intervalMonths: interval });
        if (isDueForRate({ startOn: e.left_on, intervalMonths: interval }, today)) {
          due++;
          if (dueOn >= today) onTime++;
        }
        const level = lostContactStatus(
          {
            leftOn: e.left_on,
            lastReachedOn,
            lastOrgLifeOn: orgLife.get(e.member_id)?.on ?? null,
            lastDuesOn: dues.get(e.member_id)?.on ?? null,
          },
          today,
        ).level;
        if (level === 'lost') lost++;
        if (level === 'warning') warning++;
      }
      return {
        onTimeContact: { due, onTime, overdue: due - onTime, rate: rate(onTime, due) },
        lostContact: { lost, warning, mobile: episodes.length, rate: rate(lost, episodes.length) },
      };
    }

    it('computes 按时联系率 and 失联率 exactly as the domain rules do, and they follow a contact', async () => {
      t.clock.set('2026-11-30T04:00:00Z');
      // Rules and own intervals on top of whatever the demo has: a town's rule, a member's own.
      const [town] = await queryRows<{ id: string }>(
        t.db,
        sql`select id from org where depth = 2 and kind = 'committee' order by name limit 1`,
      );
      await t.db.execute(
        sql`insert into contact_schedule (org_id, category, interval_months)
            values (${town!.id}, 'domestic', 2), (${town!.id}, 'abroad', 3)
            on conflict (org_id, category) do update set interval_months = excluded.interval_months`,
      );
      await t.db.execute(
        sql`update liaison_assignment set interval_months = 3
             where id in (select id from liaison_assignment where ended_on is null order by id limit 40)`,
      );
      const admin = await t.login(
        await t.addUser('dash-contact-admin', [{ role: 'org_admin', org: root }]),
      );
      const d = (await admin.get('/api/dashboard')).json();
      const expected = await expectedKeepInTouch(root.path, '2026-11-30');
      expect({ onTimeContact: d.onTimeContact, lostContact: d.lostContact }).toEqual(expected);
      expect(d.lostContact.mobile).toBe(d.outbound);
      expect(expected.onTimeContact.due).toBeGreaterThan(0);

      // The contact queue's summary uses the same definitions.
      const summary = (await admin.get('/api/contacts/queue/summary?view=org')).json();
      expect(summary).toMatchObject({
        total: d.outbound,
        due: d.onTimeContact.due,
        onTime: d.onTimeContact.onTime,
        onTimeRate: d.onTimeContact.rate,
      });

      // An overdue member reached today: the overdue count falls by one, the rate rises.
      const [first] = (
        await admin.get('/api/contacts/queue?view=org&bucket=overdue&limit=1')
      ).json().items;
      const res = await admin.post('/api/contacts', {
        memberId: first.memberId,
        contactedOn: '2026-11-30',
        channel: 'phone',
        reached: true,
      });
      expect(res.statusCode, res.body).toBe(200);
      const after = (await admin.get('/api/dashboard')).json();
      expect(after.onTimeContact.overdue).toBe(d.onTimeContact.overdue - 1);
      expect(after.onTimeContact.onTime).toBe(d.onTimeContact.onTime + 1);
      expect({ onTimeContact: after.onTimeContact, lostContact: after.lostContact }).toEqual(
        await expectedKeepInTouch(root.path, '2026-11-30'),
      );
      // A town's officer sees the town's figures only, by the same rules.
      const [sub] = await queryRows<{ id: string; path: string; depth: number; name: string }>(
        t.db,
        sql`select id, path, depth, name from org where id = ${town!.id}`,
      );
      const officer = await t.login(
        await t.addUser('dash-contact-town', [
          { role: 'committee_officer', org: { ...sub!, kind: 'committee' } },
        ]),
      );
      const there = (await officer.get('/api/dashboard')).json();
      expect({ onTimeContact: there.onTimeContact, lostContact: there.lostContact }).toEqual(
        await expectedKeepInTouch(sub!.path, '2026-11-30'),
      );
    });

    it('scopes every figure to the active org’s subtree', async () => {
      const [town] = await queryRows<{ id: string; path: string; depth: number; name: string }>(
        t.db,
        sql`select id, path, depth, name from org where depth = 2 and kind = 'committee' order by name limit 1`,
      );
      const officer = await t.login(
        await t.addUser('dash-town', [
          { role: 'committee_officer', org: { ...town!, kind: 'committee' } },
        ]),
      );
      const d = (await officer.get('/api/dashboard')).json();
      const rows = await openOutflows(town!.path);
      expect(d.outbound).toBe(new Set(rows.map((r) => r.member_id)).size);
      expect(d.orgName).toBe(town!.name);
      // A mobile Party org in another province counts the county members who checked in there.
      const [mobileOrg] = await queryRows<{
        id: string;
        path: string;
        depth: number;
        name: string;
      }>(
        t.db,
        sql`select id, path, depth, name from org where kind = 'mobile_party_org' and name like '%成都%' and depth = 2`,
      );
      const [hosted] = await queryRows<{ n: number }>(
        t.db,
        sql`select count(distinct mb.member_id)::int as n from mobility mb join org h on h.id = mb.host_org_id where mb.status not in ('returned','transferred','ended') and h.path like ${mobileOrg!.path + '%'}`,
      );
      const secretary = await t.login(
        await t.addUser('dash-chengdu', [
          { role: 'mobile_org_secretary', org: { ...mobileOrg!, kind: 'mobile_party_org' } },
        ]),
      );
      const there = (await secretary.get('/api/dashboard')).json();
      expect(hosted!.n).toBeGreaterThan(0);
      expect(there.inbound).toBe(hosted!.n);
      expect(there.outbound).toBe(0);

      const auditor = await t.login(
        await t.addUser('dash-auditor', [{ role: 'auditor', org: root }]),
      );
      expect((await auditor.get('/api/dashboard')).statusCode).toBe(403);
    });
  });
}
