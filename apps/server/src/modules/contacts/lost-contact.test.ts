import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import {
  DEFAULT_WARNING_MONTHS,
  addMonths,
  contactDueOn,
  isDueForRate,
  lostContactStatus,
  overdueDays,
  queueBucket,
} from '@liudong/domain';
import { mobility } from '../../db/schema';
import { queryRows } from '../../platform/db';
import {
  createTestApp,
  testDatabaseKinds,
  type TestApp,
  type TestClient,
  type TestOrg,
} from '../../test/harness';
import { addContactRow, addOutbound, addParticipation } from './contacts.fixtures';
import { DEFAULT_CONTACT_SETTINGS, keepInTouchCte, type KitRow } from './contacts.repository';

/** Signs of life laid out per member: left on, last reached, last org life, last dues. */
type Signs = [string, string | null, string | null, string | null];

// Month ends, leap days and ties, in every position (DOMAIN.md §4; issue 4 §8).
const TABLE: Signs[] = [
  ['2023-08-31', null, null, null],
  ['2024-02-29', null, null, null],
  ['2023-09-30', '2023-12-31', null, null],
  ['2023-08-31', null, '2023-09-29', '2023-09-30'],
  ['2025-08-31', null, null, null],
  ['2026-01-31', null, null, null],
  ['2026-02-28', '2026-05-31', null, null],
  ['2026-05-31', null, null, null],
  ['2026-05-30', null, null, null],
  ['2026-06-30', null, '2026-06-30', null],
  ['2026-08-31', null, null, null],
  ['2026-08-30', null, null, '2026-08-31'],
  ['2026-03-15', '2026-05-31', '2026-05-31', '2026-05-31'],
  ['2026-03-15', '2026-05-30', '2026-05-31', null],
  ['2026-03-15', null, '2026-06-30', '2026-05-31'],
  ['2026-01-10', '2025-12-01', '2025-12-01', null], // signs before leaving
  ['2026-09-01', '2026-09-01', null, null], // a tie with the day of leaving
  ['2026-10-31', null, null, null],
  ['2026-11-30', null, null, null],
  ['2026-02-28', null, null, null],
];
const TODAYS = [
  '2024-02-28',
  '2024-02-29',
  '2024-03-01',
  '2026-08-31',
  '2026-11-29',
  '2026-11-30',
  '2026-12-01',
  '2027-02-27',
  '2027-02-28',
  '2027-03-01',
];

for (const kind of testDatabaseKinds()) {
  describe(`lost contact, derived when read [${kind}]`, () => {
    let t: TestApp;
    let county: TestOrg, branch: TestOrg, tableBranch: TestOrg, host: TestOrg;
    let officer: TestClient, hostOfficer: TestClient, hostWriter: TestClient, admin: TestClient;
    const tableMembers: { id: string; signs: Signs }[] = [];

    async function kitRows(today: string, points: number[], orgId: string) {
      return queryRows<KitRow>(
        t.db,
        sql`with ${keepInTouchCte({
          today,
          settings: { ...DEFAULT_CONTACT_SETTINGS, warningMonths: points },
          where: sql`mb.home_org_id = ${orgId}`,
        })}
        select k.member_id, k.last_sign_on::text as last_sign_on, k.last_sign_kind,
               k.lost_level, k.months_without, k.warning_point, k.lost_on::text as lost_on,
               k.due_on::text as due_on, k.bucket, k.overdue_days, k.due_for_rate
          from kit k`,
      );
    }

    beforeAll(async () => {
      t = await createTestApp(kind, { now: '2026-11-30T02:00:00Z' });
      county = await t.addOrg(null, '失联测试县委');
      branch = await t.addOrg(county, '失联测试支部', 'branch');
      tableBranch = await t.addOrg(county, '失联表格支部', 'branch');
      host = await t.addOrg(null, '成都流动党员党委', 'mobile_party_org');
      officer = await t.login(
        await t.addUser('lost-officer', [{ role: 'branch_officer', org: branch }]),
      );
      hostOfficer = await t.login(
        await t.addUser('lost-host', [{ role: 'mobile_org_secretary', org: host }]),
      );
      hostWriter = await t.login(
        await t.addUser('lost-host-writer', [{ role: 'committee_officer', org: host }]),
      );
      admin = await t.login(await t.addUser('lost-admin', [{ role: 'org_admin', org: county }]));
      for (const [i, signs] of TABLE.entries()) {
        const [leftOn, reached, orgLife, dues] = signs;
        const m = await addOutbound(t, tableBranch, { name: `表格党员${i}`, leftOn });
        if (reached) await addContactRow(t, m.id, reached, true);
        if (orgLife) await addParticipation(t, m.id, 'org_life', orgLife);
        if (dues) await addParticipation(t, m.id, 'dues', dues);
        // Unreached attempts are no sign of life.
        await addContactRow(t, m.id, addMonths(leftOn, 1), false);
        tableMembers.push({ id: m.id, signs });
      }
    });
    afterAll(() => t.close());

    it('agrees with lostContactStatus and the schedule rules, member by member and day by day', async () => {
      for (const points of [[...DEFAULT_WARNING_MONTHS], [2, 4], [1, 2, 3, 4, 5]]) {
        for (const today of TODAYS) {
          const rows = new Map(
            (await kitRows(today, points, tableBranch.id)).map((r) => [r.member_id, r]),
          );
          for (const { id, signs } of tableMembers) {
            const [leftOn, lastReachedOn, lastOrgLifeOn, lastDuesOn] = signs;
            const s = lostContactStatus(
              { leftOn, lastReachedOn, lastOrgLifeOn, lastDuesOn },
              today,
              points,
            );
            const dueOn = contactDueOn({ startOn: leftOn, lastReachedOn, intervalMonths: 1 });
            const r = rows.get(id)!;
            const label = `${signs.join('/')} on ${today} with ${points.join(',')}`;
            expect(
              {
                level: r.lost_level,
                lastSignOn: r.last_sign_on,
                lastSignKind: r.last_sign_kind,
                monthsWithout: r.months_without,
                warningPoint: r.warning_point,
                lostOn: r.lost_on,
                dueOn: r.due_on,
                bucket: r.bucket,
                overdueDays: r.overdue_days,
                dueForRate: r.due_for_rate,
              },
              label,
            ).toEqual({
              ...s,
              dueOn,
              bucket: queueBucket(dueOn, today),
              overdueDays: overdueDays(dueOn, today),
              dueForRate: isDueForRate({ startOn: leftOn, intervalMonths: 1 }, today),
            });
          }
        }
      }
    });

    it('lists the lost and the warned through the API exactly as the domain says', async () => {
      const today = '2026-11-30';
      for (const level of ['lost', 'warning'] as const) {
        const res = await admin.get(
          `/api/contacts/lost?level=${level}&orgId=${tableBranch.id}&limit=200`,
        );
        expect(res.statusCode, res.body).toBe(200);
        const items = res.json().items as {
          memberId: string;
          lastSignOn: string;
          searchAttempts: number;
          level: string;
        }[];
        const expected = tableMembers.filter(
          ({ signs: [leftOn, lastReachedOn, lastOrgLifeOn, lastDuesOn] }) =>
            lostContactStatus({ leftOn, lastReachedOn, lastOrgLifeOn, lastDuesOn }, today).level ===
            level,
        );
        expect(items.map((i) => i.memberId).sort()).toEqual(expected.map((e) => e.id).sort());
        // Longest without a sign of life first.
        expect(items.map((i) => i.lastSignOn)).toEqual([...items.map((i) => i.lastSignOn)].sort());
      }
      // Configurable warning points change the list at once: nothing is stored.
      await admin.request('PUT', '/api/contacts/settings', {
        defaultIntervalMonths: { domestic: 1, abroad: 6 },
        warningMonths: [1],
      });
      const early = (
        await admin.get(`/api/contacts/lost?level=warning&orgId=${tableBranch.id}&limit=200`)
      ).json();
      const expected = tableMembers.filter(
        ({ signs: [leftOn, lastReachedOn, lastOrgLifeOn, lastDuesOn] }) =>
          lostContactStatus({ leftOn, lastReachedOn, lastOrgLifeOn, lastDuesOn }, today, [1])
            .level === 'warning',
      );
      expect(early.items).toHaveLength(expected.length);
      await admin.request('PUT', '/api/contacts/settings', {
        defaultIntervalMonths: { domestic: 1, abroad: 6 },
        warningMonths: [3, 5],
      });
    });

    it('suggests a reason, counts the search, keeps the officer’s note', async () => {
      const m = await addOutbound(t, branch, {
        name: '港澳党员',
        leftOn: '2026-03-10',
        destinationRegionCode: '810000',
        reason: 'study',
      });
      await addContactRow(t, m.id, '2026-04-01', false);
      await addContactRow(t, m.id, '2026-10-01', false);
      const list = (
        await officer.get(`/api/contacts/lost?level=lost&q=${encodeURIComponent('港澳')}`)
      ).json();
      expect(list.items).toEqual([
        expect.objectContaining({
          memberId: m.id,
          level: 'lost',
          lastSignOn: '2026-03-10',
          lastSignKind: 'left',
          lostOn: '2026-09-10',
          monthsWithout: 8,
          searchAttempts: 2,
          reasonCode: null,
          suggestedReason: 'abroad',
          destinationName: '香港特别行政区',
          liaisonName: null,
          // The episode as a queue row carries it (for 去向有变化 in the contact form).
          mobilityId: m.mobilityId,
          mobilityVersion: m.mobilityVersion,
          destinationRegionCode: '810000',
          employer: null,
        }),
      ]);
      const bad = await officer.request('PUT', `/api/contacts/lost/${m.id}/note`, {
        reasonCode: 'vanished',
      });
      expect(bad.statusCode).toBe(400);
      const put = await officer.request('PUT', `/api/contacts/lost/${m.id}/note`, {
        reasonCode: 'abroad',
        note: '已联系其在港同学，正在打听',
      });
      expect(put.statusCode, put.body).toBe(204);
      const again = (
        await officer.get(`/api/contacts/lost?level=lost&q=${encodeURIComponent('港澳')}`)
      ).json();
      expect(again.items[0]).toMatchObject({
        reasonCode: 'abroad',
        note: '已联系其在港同学，正在打听',
      });
      const [audit] = await queryRows<{ after: unknown }>(
        t.db,
        sql`select after from audit_log where action = 'lost_contact.note' and target_id = ${m.id}`,
      );
      expect(JSON.stringify(audit!.after)).not.toContain('同学');
      // The host side sees the member (hosted there) but the register is the home side's.
      await t.db
        .update(mobility)
        .set({ hostOrgId: host.id })
        .where(sql`${mobility.id} = ${m.mobilityId}`);
      const hostPut = await hostWriter.request('PUT', `/api/contacts/lost/${m.id}/note`, {
        reasonCode: 'other',
      });
      expect(hostPut.statusCode).toBe(403);
      expect(hostPut.json().error.code).toBe('forbidden');
      expect((await hostOfficer.get(`/api/members/${m.id}/contacts`)).statusCode).toBe(200);
    });

    it('carries the episode’s version: a contact from the list updates the whereabouts', async () => {
      // A branch of its own: the registers below see only theirs.
      const own = await t.addOrg(county, '失联改址支部', 'branch');
      const m = await addOutbound(t, own, { name: '改址党员', leftOn: '2026-02-15' });
      await t.db
        .update(mobility)
        .set({ employer: '原来的单位' })
        .where(sql`${mobility.id} = ${m.mobilityId}`);
      const q = `/api/contacts/lost?level=lost&q=${encodeURIComponent('改址')}`;
      const [item] = (await admin.get(q)).json().items;
      expect(item).toMatchObject({
        memberId: m.id,
        mobilityVersion: m.mobilityVersion,
        destinationRegionCode: '440305',
        employer: '原来的单位',
      });
      const res = await admin.post('/api/contacts', {
        memberId: m.id,
        contactedOn: '2026-11-30',
        channel: 'phone',
        reached: true,
        whereabouts: { destinationRegionCode: '810000', employer: item.employer },
        mobilityVersion: item.mobilityVersion,
      });
      expect(res.statusCode, res.body).toBe(200);
      // Reached: off the list; the episode moved on (a stale version is refused).
      expect((await admin.get(q)).json().items).toEqual([]);
      const [row] = await t.db
        .select()
        .from(mobility)
        .where(sql`${mobility.id} = ${m.mobilityId}`);
      expect(row).toMatchObject({
        destinationRegionCode: '810000',
        employer: '原来的单位',
        version: m.mobilityVersion + 1,
      });
      const stale = await admin.post('/api/contacts', {
        memberId: m.id,
        contactedOn: '2026-11-30',
        channel: 'phone',
        reached: true,
        whereabouts: { destinationRegionCode: '440305' },
        mobilityVersion: item.mobilityVersion,
      });
      expect(stale.statusCode).toBe(409);
    });

    it('keeps the two registers: found after searching, and still not found', async () => {
      const found = await addOutbound(t, branch, { name: '找到党员', leftOn: '2026-01-10' });
      await addContactRow(t, found.id, '2026-07-20', false);
      await addContactRow(t, found.id, '2026-08-15', true, 'visit');
      const sameDay = await addOutbound(t, branch, { name: '同日党员', leftOn: '2026-01-01' });
      await addContactRow(t, sameDay.id, '2026-09-01', true, 'wechat');
      await addParticipation(t, sameDay.id, 'org_life', '2026-09-01');
      const never = await addOutbound(t, branch, { name: '未断党员', leftOn: '2026-01-01' });
      await addParticipation(t, never.id, 'org_life', '2026-04-01');
      await addContactRow(t, never.id, '2026-09-30', true);
      const searching = await addOutbound(t, branch, { name: '查找党员', leftOn: '2026-02-01' });
      await addContactRow(t, searching.id, '2026-10-01', false);
      const unsearched = await addOutbound(t, branch, { name: '未查党员', leftOn: '2026-02-01' });

      const f = (await officer.get('/api/contacts/lost/registers?kind=found')).json();
      expect(f.items).toEqual([
        {
          memberId: sameDay.id,
          memberName: '同日党员',
          orgName: branch.name,
          reasonCode: null,
          lostSince: '2026-07-01',
          foundOn: '2026-09-01',
          foundChannel: '微信',
          searchAttempts: 0,
          note: null,
        },
        {
          memberId: found.id,
          memberName: '找到党员',
          orgName: branch.name,
          reasonCode: null,
          lostSince: '2026-07-10',
          foundOn: '2026-08-15',
          foundChannel: '走访',
          searchAttempts: 1,
          note: null,
        },
      ]);
      const since = (
        await officer.get('/api/contacts/lost/registers?kind=found&since=2026-08-20')
      ).json();
      expect(since.items.map((i: { memberId: string }) => i.memberId)).toEqual([sameDay.id]);
      const paged = (await officer.get('/api/contacts/lost/registers?kind=found&limit=1')).json();
      const next = (
        await officer.get(
          `/api/contacts/lost/registers?kind=found&limit=1&cursor=${paged.nextCursor}`,
        )
      ).json();
      expect([...paged.items, ...next.items].map((i: { memberId: string }) => i.memberId)).toEqual([
        sameDay.id,
        found.id,
      ]);

      const nf = (await officer.get('/api/contacts/lost/registers?kind=not_found')).json();
      const ids = nf.items.map((i: { memberId: string }) => i.memberId);
      expect(ids).toContain(searching.id);
      expect(ids).not.toContain(unsearched.id);
      expect(ids).not.toContain(never.id);
      expect(nf.items.find((i: { memberId: string }) => i.memberId === searching.id)).toMatchObject(
        {
          lostSince: '2026-08-01',
          foundOn: null,
          searchAttempts: 1,
        },
      );
      // Found by a contact today: leaves the lost list and the not-found register at once.
      const res = await officer.post('/api/contacts', {
        memberId: searching.id,
        contactedOn: '2026-11-30',
        channel: 'phone',
        reached: true,
      });
      expect(res.statusCode, res.body).toBe(200);
      const after = (await officer.get('/api/contacts/lost/registers?kind=not_found')).json();
      expect(after.items.map((i: { memberId: string }) => i.memberId)).not.toContain(searching.id);
      const foundNow = (await officer.get('/api/contacts/lost/registers?kind=found')).json();
      expect(foundNow.items[0]).toMatchObject({
        memberId: searching.id,
        lostSince: '2026-08-01',
        foundOn: '2026-11-30',
        searchAttempts: 1,
      });
      // Another county sees none of it.
      expect(
        (await hostOfficer.get('/api/contacts/lost/registers?kind=found')).json().items,
      ).toEqual([]);
    });
  });
}
