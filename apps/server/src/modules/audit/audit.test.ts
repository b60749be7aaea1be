import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, sql } from 'drizzle-orm';
import { fixedClock } from '@liudong/domain';
import { auditLog } from '../../db/schema';
import { purgeAuditLog, verifyAuditChain, writeAuditAlone } from '../../platform/audit';
import {
  createTestApp,
  testDatabaseKinds,
  type TestApp,
  type TestClient,
  type TestOrg,
} from '../../test/harness';

for (const kind of testDatabaseKinds()) {
  describe(`audit trail [${kind}]`, () => {
    let t: TestApp;
    let county: TestOrg;
    let auditor: TestClient;
    let admin: TestClient;
    beforeAll(async () => {
      t = await createTestApp(kind);
      county = await t.addOrg(null, '测试县委');
      admin = await t.login(await t.addUser('orgadmin', [{ role: 'org_admin', org: county }]));
      auditor = await t.login(await t.addUser('shenji', [{ role: 'auditor', org: county }]));
    });
    afterAll(() => t.close());

    it('lets the auditor find an org change with its before/after, and records the query itself (SECURITY.md 18)', async () => {
      const created = (
        await admin.post('/api/orgs', {
          parentId: county.id,
          name: '审计测试党委',
          kind: 'committee',
          contactPhone: '13900001111',
        })
      ).json();
      const res = await auditor.get(`/api/audit?action=org.create&targetId=${created.id}`);
      expect(res.statusCode).toBe(200);
      const [entry] = res.json().items;
      expect(entry).toMatchObject({
        actorUsername: 'orgadmin',
        role: 'org_admin',
        orgName: '测试县委',
        action: 'org.create',
        result: 'success',
        targetLabel: '审计测试党委',
      });
      expect(entry.after.contactPhone).toBe('139****1111');
      expect(res.headers['cache-control']).toBe('no-store');
      const queries = await t.db.select().from(auditLog).where(eq(auditLog.action, 'audit.query'));
      expect(queries.at(-1)!.actorUsername).toBe('shenji');
    });

    it('records logins, failures and denied access', async () => {
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'orgadmin', password: 'Wrong-password-9' },
      });
      const res = (await auditor.get('/api/audit?actor=orgadmin&action=auth.login')).json();
      expect(res.items.map((i: { result: string }) => i.result)).toEqual(
        expect.arrayContaining(['success', 'failure']),
      );
      await admin.get('/api/audit');
      const denied = (await auditor.get('/api/audit?action=access.denied&actor=orgadmin')).json()
        .items;
      expect(denied[0]).toMatchObject({ result: 'denied', targetLabel: 'GET /api/audit' });
    });

    it('keeps the three administrators apart: only the auditor reads the trail, and reads nothing else (SECURITY.md 12)', async () => {
      const sys = await t.login(await t.addUser('xitong', [{ role: 'system_admin', org: county }]));
      const sec = await t.login(
        await t.addUser('anquan', [{ role: 'security_admin', org: county }]),
      );
      expect((await sys.get('/api/audit')).statusCode).toBe(403);
      expect((await sec.get('/api/audit')).statusCode).toBe(403);
      expect((await auditor.get('/api/orgs/children')).statusCode).toBe(403);
      expect((await auditor.get('/api/accounts')).statusCode).toBe(403);
      expect((await sys.get('/api/accounts')).statusCode).toBe(403);
      expect(
        (await sys.post('/api/orgs', { parentId: county.id, name: 'x', kind: 'branch' }))
          .statusCode,
      ).toBe(403);
    });

    it('does not show an auditor the events of another county', async () => {
      const other = await t.addOrg(null, '外县党委');
      const otherAdmin = await t.login(
        await t.addUser('waixian', [{ role: 'org_admin', org: other }]),
      );
      await otherAdmin.post('/api/orgs', {
        parentId: other.id,
        name: '外县某支部',
        kind: 'branch',
      });
      const items = (await auditor.get('/api/audit?actor=waixian')).json().items;
      expect(items).toEqual([]);
    });

    it('refuses UPDATE, DELETE and TRUNCATE through the application connection (SECURITY.md 19)', async () => {
      const [first] = await t.db.select().from(auditLog).orderBy(asc(auditLog.id)).limit(1);
      await expect(
        t.db.execute(sql`update audit_log set result = 'failure' where id = ${first!.id}`),
      ).rejects.toThrow();
      await expect(
        t.db.execute(sql`delete from audit_log where id = ${first!.id}`),
      ).rejects.toThrow();
      await expect(t.db.execute(sql`truncate audit_log`)).rejects.toThrow();
      expect((await verifyAuditChain(t.db)).ok).toBe(true);
    });

    it('detects an edit made by someone who bypasses the trigger (SECURITY.md 19)', async () => {
      const before = await verifyAuditChain(t.db);
      expect(before).toMatchObject({ ok: true, firstBrokenId: null });
      const rows = await t.db.select().from(auditLog).orderBy(asc(auditLog.id));
      const victim = rows[Math.floor(rows.length / 2)]!;
      // A superuser can switch the guard off; the hash chain still tells.
      await t.db.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
      await t.db.execute(
        sql`update audit_log set actor_username = 'someone-else' where id = ${victim.id}`,
      );
      await t.db.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
      const after = await verifyAuditChain(t.db);
      expect(after).toMatchObject({ ok: false, firstBrokenId: victim.id });
      const api = (await auditor.post('/api/audit/verify')).json();
      expect(api).toMatchObject({ ok: false, firstBrokenId: String(victim.id) });
      await t.db.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
      await t.db.execute(
        sql`update audit_log set actor_username = ${victim.actorUsername} where id = ${victim.id}`,
      );
      await t.db.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
      expect((await verifyAuditChain(t.db)).ok).toBe(true);
    });

    it('purges only records past the retention period, never younger than 6 months (SECURITY.md 21)', async () => {
      const fresh = await createTestApp(kind);
      try {
        const ctx = (at: string) => ({
          actor: null,
          ip: null,
          correlationId: 'test',
          clock: fixedClock(at),
        });
        // Real dates relative to the database's clock, which the trigger uses; written in time order.
        const day = 86_400_000;
        for (const [action, age] of [
          ['test.older', 500],
          ['test.old', 400],
          ['test.young', 150],
          ['test.new', 1],
        ] as const) {
          await writeAuditAlone(fresh.db, ctx(new Date(Date.now() - age * day).toISOString()), {
            action,
            result: 'success',
          });
        }
        // Retention configured below the legal floor is raised to 6 months.
        const { deleted } = await purgeAuditLog(fresh.db, { retentionMonths: 1, now: new Date() });
        expect(deleted).toBe(2);
        const left = await fresh.db
          .select({ action: auditLog.action })
          .from(auditLog)
          .orderBy(asc(auditLog.id));
        expect(left.map((r) => r.action)).toEqual(['test.young', 'test.new']);
        expect(await verifyAuditChain(fresh.db)).toMatchObject({ ok: true, checked: 2 });
        // Even a purge that asks for the young record cannot take it: the trigger refuses.
        await expect(
          fresh.db.transaction(async (tx) => {
            await tx.execute(sql`select set_config('liudong.audit_purge', 'on', true)`);
            await tx.execute(sql`delete from audit_log where action = 'test.young'`);
          }),
        ).rejects.toThrow();
      } finally {
        await fresh.close();
      }
    });
  });
}
