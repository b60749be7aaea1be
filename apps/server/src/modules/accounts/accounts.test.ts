import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { account, auditLog, session } from '../../db/schema';
import {
  createTestApp,
  registerSecret,
  testDatabaseKinds,
  type TestApp,
  type TestClient,
  type TestOrg,
} from '../../test/harness';

for (const kind of testDatabaseKinds()) {
  describe(`accounts and roles [${kind}]`, () => {
    let t: TestApp;
    let county: TestOrg;
    let town: TestOrg;
    let security: TestClient;
    let securityId: string;
    beforeAll(async () => {
      t = await createTestApp(kind);
      county = await t.addOrg(null, '测试县委');
      town = await t.addOrg(county, '测试镇党委');
      const user = await t.addUser('sec', [{ role: 'security_admin', org: county }]);
      securityId = user.id;
      security = await t.login(user);
    });
    afterAll(() => t.close());

    async function newAccount(username: string, homeOrgId = town.id) {
      const res = await security.post('/api/accounts', {
        username,
        displayName: `${username} 同志`,
        homeOrgId,
      });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { account: { id: string }; oneTimePassword: string };
      registerSecret(body.oneTimePassword);
      return body;
    }

    it('creates an account with a one-time password that must be changed at first login (SECURITY.md 7)', async () => {
      const { account: a, oneTimePassword } = await newAccount('zhangsan');
      expect(oneTimePassword).toHaveLength(20);
      const [row] = await t.db.select().from(account).where(eq(account.id, a.id));
      expect(row!.mustChangePassword).toBe(true);
      expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'zhangsan', password: oneTimePassword },
      });
      expect(login.json().next).toBe('change_password');
      const dup = await security.post('/api/accounts', {
        username: 'ZhangSan',
        displayName: 'x',
        homeOrgId: town.id,
      });
      expect(dup.statusCode).toBe(409);
    });

    it('grants and revokes roles, and a revoked role stops working on the next request', async () => {
      const { account: a, oneTimePassword } = await newAccount('lisi');
      const granted = await security.post(`/api/accounts/${a.id}/grants`, {
        role: 'branch_officer',
        orgId: town.id,
      });
      expect(granted.json().grants).toMatchObject([
        { role: 'branch_officer', orgId: town.id, orgName: '测试镇党委' },
      ]);
      // The new officer signs in, changes the one-time password and works.
      const first = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'lisi', password: oneTimePassword },
      });
      const c = t.clientFor(t.cookieOf(first));
      await c.refreshCsrf();
      const pw = 'Brand-New-Secret-42';
      registerSecret(pw);
      const changed = await c.post('/api/auth/password', {
        currentPassword: oneTimePassword,
        newPassword: pw,
      });
      expect(changed.json().next).toBe('done');
      c.cookie = t.cookieOf(changed);
      await c.refreshCsrf();
      expect((await c.get('/api/orgs/children')).statusCode).toBe(200);

      const grantId = granted.json().grants[0].id;
      const revoked = await security.del(`/api/accounts/${a.id}/grants/${grantId}`);
      expect(revoked.json().grants).toEqual([]);
      expect((await c.get('/api/orgs/children')).statusCode).toBe(403);
      const actions = (await t.db.select().from(auditLog).where(eq(auditLog.targetId, a.id))).map(
        (e) => e.action,
      );
      expect(actions).toEqual(
        expect.arrayContaining(['account.create', 'role.grant', 'role.revoke']),
      );
    });

    it('keeps the three administrators apart from each other and from every other role (SECURITY.md 12)', async () => {
      const { account: a } = await newAccount('wangwu');
      expect(
        (await security.post(`/api/accounts/${a.id}/grants`, { role: 'auditor', orgId: county.id }))
          .statusCode,
      ).toBe(200);
      for (const role of ['system_admin', 'security_admin', 'org_admin', 'liaison']) {
        const res = await security.post(`/api/accounts/${a.id}/grants`, { role, orgId: county.id });
        expect(res.statusCode).toBe(400);
        expect(res.json().error.code).toBe('separation_of_duties');
      }
      // The same role again at another org is allowed.
      expect(
        (await security.post(`/api/accounts/${a.id}/grants`, { role: 'auditor', orgId: town.id }))
          .statusCode,
      ).toBe(200);
    });

    it('does not let anyone change their own roles or status', async () => {
      for (const res of [
        await security.post(`/api/accounts/${securityId}/grants`, {
          role: 'security_admin',
          orgId: town.id,
        }),
        await security.post(`/api/accounts/${securityId}/status`, { disabled: true }),
        await security.post(`/api/accounts/${securityId}/reset-password`),
      ]) {
        expect(res.statusCode).toBe(403);
      }
    });

    it('disabling ends the sessions at once; unlock and resets work and are audited', async () => {
      const u = await t.addUser('zhaoliu', [{ role: 'liaison', org: town }]);
      const c = await t.login(u);
      expect(
        (await security.post(`/api/accounts/${u.id}/status`, { disabled: true })).json().status,
      ).toBe('disabled');
      expect((await c.get('/api/auth/me')).statusCode).toBe(401);
      expect(await t.db.select().from(session).where(eq(session.accountId, u.id))).toEqual([]);
      expect(
        (await security.post(`/api/accounts/${u.id}/status`, { disabled: false })).json().status,
      ).toBe('active');

      await t.db
        .update(account)
        .set({ lockedUntil: new Date(t.clock.now().getTime() + 600_000) })
        .where(eq(account.id, u.id));
      expect((await security.get(`/api/accounts/${u.id}`)).json().status).toBe('locked');
      expect((await security.post(`/api/accounts/${u.id}/unlock`)).json().status).toBe('active');

      const reset = await security.post(`/api/accounts/${u.id}/reset-password`);
      registerSecret(reset.json().oneTimePassword);
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'zhaoliu', password: reset.json().oneTimePassword },
      });
      expect(login.json().next).toBe('change_password');
      expect((await security.post(`/api/accounts/${u.id}/reset-totp`)).statusCode).toBe(204);
      const audited = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.targetId, u.id), eq(auditLog.actorUsername, 'sec')));
      expect(audited.map((e) => e.action)).toEqual([
        'account.disable',
        'account.enable',
        'account.unlock',
        'account.reset_password',
        'account.reset_totp',
      ]);
    });

    it('lists accounts in scope only, with keyset paging', async () => {
      const other = await t.addOrg(null, '外县党委');
      await t.addUser('outsider', [{ role: 'liaison', org: other }]);
      const all: string[] = [];
      let cursor: string | null = null;
      do {
        const page = (
          await security.get(`/api/accounts?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        ).json() as { items: { username: string }[]; nextCursor: string | null };
        all.push(...page.items.map((i) => i.username));
        cursor = page.nextCursor;
      } while (cursor);
      expect(all).not.toContain('outsider');
      expect(all).toEqual([...all].sort());
      expect(new Set(all).size).toBe(all.length);
      expect(all).toEqual(expect.arrayContaining(['sec', 'zhangsan', 'lisi']));
    });
  });
}
