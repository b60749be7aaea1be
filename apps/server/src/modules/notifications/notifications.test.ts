import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import {
  createTestApp,
  testDatabaseKinds,
  type TestApp,
  type TestClient,
  type TestOrg,
} from '../../test/harness';
import { notify } from './notifications.repository';

for (const kind of testDatabaseKinds()) {
  describe(`notifications (the bell) [${kind}]`, () => {
    let t: TestApp;
    let root: TestOrg;
    let liaison: Awaited<ReturnType<TestApp['addUser']>>;
    let auditorUser: Awaited<ReturnType<TestApp['addUser']>>;
    let liaisonClient: TestClient, officer: TestClient, auditor: TestClient;

    beforeAll(async () => {
      t = await createTestApp(kind);
      root = await t.addOrg(null, '通知测试县委');
      liaison = await t.addUser('bell-liaison', [{ role: 'liaison', org: root }]);
      liaisonClient = await t.login(liaison);
      officer = await t.login(
        await t.addUser('bell-officer', [{ role: 'branch_officer', org: root }]),
      );
      auditorUser = await t.addUser('bell-auditor', [{ role: 'auditor', org: root }]);
      auditor = await t.login(auditorUser);
    });
    afterAll(() => t.close());

    it('shows an account its own notifications, newest first, with the unread count', async () => {
      for (const i of [1, 2, 3]) {
        t.clock.advance(60_000);
        expect(
          await notify(t.db, {
            accountId: liaison.id,
            kind: 'reminder',
            title: `联系提醒${i}`,
            body: `第${i}条`,
            link: '/contacts?bucket=overdue',
            dedupeKey: `test:bell:${i}`,
          }),
        ).toBe(true);
        // Rows are stamped by the database clock; keep them apart.
        await new Promise((r) => setTimeout(r, 5));
      }
      // The same key again: nothing new (exactly once).
      expect(
        await notify(t.db, {
          accountId: liaison.id,
          kind: 'reminder',
          title: '重复',
          body: '重复',
          dedupeKey: 'test:bell:1',
        }),
      ).toBe(false);
      const res = await liaisonClient.get('/api/notifications');
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.unread).toBe(3);
      expect(body.items.map((n: { title: string }) => n.title)).toEqual([
        '联系提醒3',
        '联系提醒2',
        '联系提醒1',
      ]);
      expect(body.items[0]).toMatchObject({
        kind: 'reminder',
        body: '第3条',
        link: '/contacts?bucket=overdue',
        readAt: null,
      });
      // Someone else's bell is empty, whatever their role (no permission needed).
      expect((await officer.get('/api/notifications')).json()).toEqual({ items: [], unread: 0 });
      expect((await auditor.get('/api/notifications')).statusCode).toBe(200);
    });

    it('marks one read (own only) and then all', async () => {
      const { items } = (await liaisonClient.get('/api/notifications')).json();
      const someoneElses = await officer.post(`/api/notifications/${items[0].id}/read`);
      expect(someoneElses.statusCode).toBe(404);
      expect(someoneElses.json().error.message).toBe('通知不存在');
      const [denied] = await queryRows<{ reason: string }>(
        t.db,
        sql`select reason from audit_log where action = 'access.denied' and target_id = ${items[0].id}`,
      );
      expect(denied!.reason).toBe('not_own');
      const missing = await liaisonClient.post(
        '/api/notifications/00000000-0000-4000-8000-000000000000/read',
      );
      expect(missing.statusCode).toBe(404);
      expect((await liaisonClient.post('/api/notifications/not-a-uuid/read')).statusCode).toBe(400);

      const read = await liaisonClient.post(`/api/notifications/${items[0].id}/read`);
      expect(read.statusCode).toBe(204);
      // Reading it again keeps the first time.
      const firstReadAt = (await liaisonClient.get('/api/notifications')).json().items[0].readAt;
      t.clock.advance(60_000);
      await liaisonClient.post(`/api/notifications/${items[0].id}/read`);
      const after = (await liaisonClient.get('/api/notifications')).json();
      expect(after.unread).toBe(2);
      expect(after.items[0].readAt).toBe(firstReadAt);

      expect((await liaisonClient.post('/api/notifications/read-all')).statusCode).toBe(204);
      const all = (await liaisonClient.get('/api/notifications')).json();
      expect(all.unread).toBe(0);
      expect(all.items.every((n: { readAt: string | null }) => n.readAt !== null)).toBe(true);
      // Read-all touches only the caller's own.
      await notify(t.db, {
        accountId: auditorUser.id,
        kind: 'system',
        title: '系统通知',
        body: '审计',
        dedupeKey: 'test:bell:auditor',
      });
      await liaisonClient.post('/api/notifications/read-all');
      expect((await auditor.get('/api/notifications')).json().unread).toBe(1);
    });
  });
}
