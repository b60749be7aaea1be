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

/** Every certificate as stored, for recounting the rates in Node. */
function certificatesOf(t: TestApp) {
  return queryRows<{
    member_id: string;
    status: string;
    issued_on: string;
    last_reviewed_on: string | null;
  }>(t.db, sql`select member_id, status, issued_on::text, last_reviewed_on::text from certificate`);
}

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
      const certs = await certificatesOf(t);
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

    // Month ends, where "+ 15 months" (certificate review plus the default grace) and "+ 6 months"
    // (should transfer) clamp the day: the dashboard compares each date with one bound worked
    // out per request (issue 5), and that must agree with the domain rules day by day.
    it.each(['2026-02-28', '2026-05-31', '2026-08-31', '2028-02-29', '2027-03-01'])(
      'counts valid certificates and should-transfer cases on %s exactly as the domain rules do',
      async (asOf) => {
        const [town] = await queryRows<{ id: string; path: string; depth: number; name: string }>(
          t.db,
          sql`select id, path, depth, name from org where depth = 2 and kind = 'committee' order by name limit 1`,
        );
        // The town's certificates issued, or reviewed, on the days around asOf − 15 months, and
        // its open outflows left on the days around asOf − 6 months.
        await t.db.execute(sql`
          with target as (
            select c.id, (row_number() over (order by c.id))::int as i
              from certificate c
              join mobility mb on mb.member_id = c.member_id and mb.direction = 'outflow'
                and mb.status not in ('returned','transferred','ended')
              join org o on o.id = mb.home_org_id
             where c.status = 'issued' and o.path like ${town!.path + '%'}
          ), around as (
            select id, i, (${asOf}::date - interval '15 months')::date + (i % 11 - 5) as on_date
              from target
          )
          update certificate c
             set issued_on = case when a.i % 2 = 0 then a.on_date - 40 else a.on_date end,
                 last_reviewed_on = case when a.i % 2 = 0 then a.on_date end
            from around a where c.id = a.id`);
        await t.db.execute(sql`
          with target as (
            select mb.id, (row_number() over (order by mb.id))::int as i
              from mobility mb join org o on o.id = mb.home_org_id
             where mb.direction = 'outflow' and mb.status not in ('returned','transferred','ended')
               and o.path like ${town!.path + '%'}
          )
          update mobility mb set left_on = (${asOf}::date - interval '6 months')::date + (t.i % 9 - 4)
            from target t where mb.id = t.id`);
        t.clock.set(`${asOf}T04:00:00Z`);
        const officer = await t.login(
          await t.addUser(`dash-month-end-${asOf}`, [
            { role: 'committee_officer', org: { ...town!, kind: 'committee' } },
          ]),
        );
        const res = await officer.get('/api/dashboard');
        expect(res.statusCode, res.body).toBe(200);
        const d = res.json();
        expect(d.asOf).toBe(asOf);
        const rows = await openOutflows(town!.path);
        // Small enough that one certificate moves the rate (one decimal of a percent).
        expect(rows.length).toBeGreaterThan(20);
        expect(rows.length).toBeLessThan(1000);
        const certs = await certificatesOf(t);
        const outbound = new Set(rows.map((r) => r.member_id));
        const inTown = certs.filter((c) => outbound.has(c.member_id) && c.status === 'issued');
        const valid = inTown.filter((c) =>
          isCertificateValid(
            { status: c.status, issuedOn: c.issued_on, lastReviewedOn: c.last_reviewed_on },
            { asOf },
          ),
        );
        // Both sides of the boundary are present.
        expect(valid.length).toBeGreaterThan(0);
        expect(valid.length).toBeLessThan(inTown.length);
        expect(d.outbound).toBe(outbound.size);
        expect(d.certificateRate).toBe(rate(valid.length, outbound.size));
        const transfer = rows.filter((r) =>
          shouldTransferAffiliation(
            { ...r, direction: 'outflow', leftOn: r.left_on, checkedInOn: r.checked_in_on },
            { asOf: t.clock.now() },
          ),
        );
        expect(transfer.length).toBeGreaterThan(0);
        expect(d.shouldTransfer).toBe(transfer.length);
      },
    );

    /**
     * The flow chart and the two top-10 lists recomputed in Node from every open outflow in
     * scope (issue 5 counts them by unit and city code first and names them afterwards): the
     * unit directly under the scope root read from the path (the root's own name for members
     * of the root itself), its short name or name; the destination city's label, where a
     * municipality's 市辖区 and 县 both read as the municipality (重庆市) and a province-
     * administered county as its province (湖北省). Ties are put in the database's own order,
     * the order the dashboard promises.
     */
    async function expectedCharts(scope: string) {
      const rows = await queryRows<{ path: string; dest: string | null; industry: string | null }>(
        t.db,
        sql`select o.path, mb.destination_region_code as dest, mb.industry
              from mobility mb join org o on o.id = mb.home_org_id
             where mb.direction = 'outflow' and mb.status not in ('returned','transferred','ended')
               and o.path like ${scope + '%'}`,
      );
      const orgs = new Map(
        (
          await queryRows<{ id: string; path: string; name: string; short_name: string | null }>(
            t.db,
            sql`select id, path, name, short_name from org`,
          )
        ).map((o) => [o.id, o]),
      );
      const regions = new Map(
        (
          await queryRows<{ code: string; name: string }>(t.db, sql`select code, name from region`)
        ).map((r) => [r.code, r.name]),
      );
      const scopeOrg = [...orgs.values()].find((o) => o.path === scope)!;
      const cityLabel = (code: string) => {
        const city = regions.get(`${code.slice(0, 4)}00`);
        const province = regions.get(`${code.slice(0, 2)}0000`);
        return city === undefined ||
          ['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划'].includes(city)
          ? province
          : city;
      };
      const tally = <K extends string>(keys: (K | null)[]) => {
        const counts = new Map<K, number>();
        for (const k of keys) if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
        return counts;
      };
      const pairs = tally(
        rows
          .filter((r) => r.dest !== null)
          .map((r) => {
            const unit = orgs.get(r.path.slice(scope.length).split('/')[0]!) ?? scopeOrg;
            return JSON.stringify([unit.short_name ?? unit.name, cityLabel(r.dest!)]);
          }),
      );
      const cities = tally(rows.map((r) => (r.dest === null ? null : `${r.dest.slice(0, 4)}00`)));
      const industries = tally(rows.map((r) => r.industry));
      const flowRows = [...pairs].map(([k, value]) => {
        const [from, to] = JSON.parse(k) as [string, string];
        return { from, to, value };
      });
      return {
        flows: await queryRows<{ from: string; to: string; value: number }>(
          t.db,
          sql`select * from jsonb_to_recordset(${JSON.stringify(flowRows)}::jsonb)
                as r("from" text, "to" text, value int)
               order by value desc, "from", "to"`,
        ),
        topDestinations: [...cities]
          .map(([code, count]) => ({ code, name: cityLabel(code)!, count }))
          .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1))
          .slice(0, 10),
        topIndustries: await queryRows<{ code: string; count: number }>(
          t.db,
          sql`select * from jsonb_to_recordset(${JSON.stringify([...industries].map(([code, count]) => ({ code, count })))}::jsonb)
                as r(code text, count int)
               order by count desc, code limit 10`,
        ),
      };
    }

    it('lists flows, destinations and industries exactly as counting every open outflow does, at the county and at a town', async () => {
      // The town with the most open outflows, so that every change below lands in it.
      const [town] = await queryRows<{ id: string; path: string; depth: number; name: string }>(
        t.db,
        sql`select o.id, o.path, o.depth, o.name from org o
             where o.depth = 2 and o.kind = 'committee'
             order by (select count(*) from mobility mb join org h on h.id = mb.home_org_id
                        where mb.direction = 'outflow' and mb.status not in ('returned','transferred','ended')
                          and h.path like o.path || '%') desc, o.name
             limit 1`,
      );
      // Destinations whose labels come from the province row, members affiliated to the county
      // committee itself and to a town committee directly, and rows without a destination or
      // an industry. 重庆市 then has two city codes (500100 市辖区, 500200 县) that the chart
      // shows as one city and the top-10 list as two codes.
      const relabel = async (set: ReturnType<typeof sql>, n: number, offset: number) =>
        t.db.execute(
          sql`update mobility set ${set} where id in (
                select mb.id from mobility mb join org o on o.id = mb.home_org_id
                 where mb.direction = 'outflow' and mb.status not in ('returned','transferred','ended')
                   and o.path like ${town!.path + '%'}
                 order by mb.id limit ${n} offset ${offset})`,
        );
      await relabel(sql`destination_region_code = '500229'`, 30, 0);
      await relabel(sql`destination_region_code = '429004'`, 7, 30);
      await relabel(sql`destination_region_code = '110105'`, 5, 37);
      await relabel(sql`destination_region_code = null`, 2, 42);
      await relabel(sql`industry = null`, 2, 44);
      await relabel(sql`home_org_id = ${town!.id}`, 3, 46);
      await relabel(sql`home_org_id = ${root.id}`, 2, 49);
      const [moved] = await queryRows<{ n: number }>(
        t.db,
        sql`select count(*)::int as n from mobility
             where home_org_id = ${root.id} and direction = 'outflow' and destination_region_code is not null`,
      );
      expect(moved!.n).toBe(2);
      const admin = await t.login(
        await t.addUser('dash-charts-admin', [{ role: 'org_admin', org: root }]),
      );
      const d = (await admin.get('/api/dashboard')).json();
      const expected = await expectedCharts(root.path);
      expect({
        flows: d.flows,
        topDestinations: d.topDestinations,
        topIndustries: d.topIndustries,
      }).toEqual(expected);
      const names = d.topDestinations.map(
        (x: { code: string; name: string }) => `${x.code} ${x.name}`,
      );
      expect(names).toEqual(expect.arrayContaining(['500100 重庆市', '500200 重庆市']));
      expect(d.flows.map((f: { to: string }) => f.to)).toEqual(
        expect.arrayContaining(['重庆市', '湖北省', '北京市']),
      );
      const [county] = await queryRows<{ label: string }>(
        t.db,
        sql`select coalesce(short_name, name) as label from org where id = ${root.id}`,
      );
      expect(d.flows.map((f: { from: string }) => f.from)).toContain(county!.label);
      // Ties in the chart are broken by name (the data has many).
      const values = d.flows.map((f: { value: number }) => f.value);
      expect(new Set(values).size).toBeLessThan(values.length);

      const officer = await t.login(
        await t.addUser('dash-charts-town', [
          { role: 'committee_officer', org: { ...town!, kind: 'committee' } },
        ]),
      );
      const there = (await officer.get('/api/dashboard')).json();
      const expectedThere = await expectedCharts(town!.path);
      expect({
        flows: there.flows,
        topDestinations: there.topDestinations,
        topIndustries: there.topIndustries,
      }).toEqual(expectedThere);
      const [townLabel] = await queryRows<{ label: string }>(
        t.db,
        sql`select coalesce(short_name, name) as label from org where id = ${town!.id}`,
      );
      expect(there.flows.map((f: { from: string }) => f.from)).toContain(townLabel!.label);
      expect(there.flows.map((f: { to: string }) => f.to)).toContain('重庆市');
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
