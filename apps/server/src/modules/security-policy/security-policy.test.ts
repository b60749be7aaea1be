import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { account, auditLog } from '../../db/schema';
import { DEFAULT_SECURITY_POLICY } from '../../platform/security-policy';
import {
  TEST_PASSWORD,
  createTestApp,
  testDatabaseKinds,
  type TestApp,
  type TestClient,
  type TestOrg,
} from '../../test/harness';

for (const kind of testDatabaseKinds()) {
  describe(`security policy [${kind}]`, () => {
    let t: TestApp;
    let county: TestOrg;
    let security: TestClient;
    beforeAll(async () => {
      t = await createTestApp(kind);
      county = await t.addOrg(null, '测试县委');
      security = await t.login(await t.addUser('sec', [{ role: 'security_admin', org: county }]));
    });
    afterAll(() => t.close());

    const login = (username: string, password: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

    it('starts from the defaults of SECURITY.md and applies a change at once, audited', async () => {
      expect((await security.get('/api/security-policy')).json()).toEqual(DEFAULT_SECURITY_POLICY);
      const stricter = {
        ...DEFAULT_SECURITY_POLICY,
        lockout: { maxFailures: 3, windowMinutes: 15, lockMinutes: 60 },
      };
      expect((await security.request('PUT', '/api/security-policy', stricter)).json()).toEqual(
        stricter,
      );

      const user = await t.addUser('three-strikes', [{ role: 'liaison', org: county }]);
      for (let i = 0; i < 3; i++) await login(user.username, 'Wrong-password-1');
      const [row] = await t.db.select().from(account).where(eq(account.id, user.id));
      expect(row!.lockedUntil!.getTime()).toBe(t.clock.now().getTime() + 60 * 60_000);

      const [entry] = await t.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.action, 'config.change'));
      expect(entry).toMatchObject({ actorUsername: 'sec', targetLabel: '安全策略' });
      expect(entry!.before).toMatchObject({ lockout: { maxFailures: 5 } });
      expect(entry!.after).toMatchObject({ lockout: { maxFailures: 3 } });
      await security.request('PUT', '/api/security-policy', DEFAULT_SECURITY_POLICY);
    });

    it('refuses an audit retention under 6 months and unknown fields', async () => {
      const res = await security.request('PUT', '/api/security-policy', {
        ...DEFAULT_SECURITY_POLICY,
        auditRetentionMonths: 3,
      });
      expect(res.statusCode).toBe(400);
      const extra = await security.request('PUT', '/api/security-policy', {
        ...DEFAULT_SECURITY_POLICY,
        mfa: false,
      });
      expect(extra.statusCode).toBe(400);
      expect((await security.get('/api/security-policy')).json().auditRetentionMonths).toBe(6);
    });

    it('makes an admin change a password older than 90 days at login (SECURITY.md 1)', async () => {
      const admin = await t.addUser('old-password-admin', [{ role: 'org_admin', org: county }]);
      await t.db
        .update(account)
        .set({ passwordChangedAt: new Date(t.clock.now().getTime() - 91 * 86_400_000) })
        .where(eq(account.id, admin.id));
      expect((await login(admin.username, TEST_PASSWORD)).json().next).toBe('change_password');
      // A business role without admin rights is not forced.
      const officer = await t.addUser('old-password-officer', [{ role: 'liaison', org: county }]);
      await t.db
        .update(account)
        .set({ passwordChangedAt: new Date(t.clock.now().getTime() - 400 * 86_400_000) })
        .where(eq(account.id, officer.id));
      expect((await login(officer.username, TEST_PASSWORD)).json().next).toBe('done');
    });
  });
}
