import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSync } from 'otplib';
import { eq } from 'drizzle-orm';
import { account, auditLog } from '../../db/schema';
import { SESSION_COOKIE } from '../../platform/session-token';
import {
  createTestApp,
  registerSecret,
  TEST_PASSWORD,
  testDatabaseKinds,
  type TestApp,
  type TestOrg,
} from '../../test/harness';

for (const kind of testDatabaseKinds()) {
  describe(`auth and sessions [${kind}]`, () => {
    let t: TestApp;
    let county: TestOrg;
    beforeAll(async () => {
      t = await createTestApp(kind);
      county = await t.addOrg(null, '测试县委');
    });
    afterAll(() => t.close());

    const login = (username: string, password: string, ip = '10.0.0.1') =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password },
        remoteAddress: ip,
      });

    async function auditOf(username: string) {
      return t.db.select().from(auditLog).where(eq(auditLog.actorUsername, username));
    }

    it('takes a new admin through password change and TOTP enrolment before any access (SECURITY.md 4, 7)', async () => {
      const user = await t.addUser('newadmin', [{ role: 'org_admin', org: county }], {
        totp: false,
        mustChangePassword: true,
      });
      const res = await login(user.username, TEST_PASSWORD);
      expect(res.json()).toEqual({ next: 'change_password', totpRequired: false });
      const c = t.clientFor(t.cookieOf(res));
      await c.refreshCsrf();
      // Nothing but the next step is open in a pending stage.
      expect((await c.get('/api/orgs/children')).json().error.code).toBe('stage_required');

      const weak = await c.post('/api/auth/password', {
        currentPassword: TEST_PASSWORD,
        newPassword: 'short',
      });
      expect(weak.statusCode).toBe(400);
      expect(weak.json().error.code).toBe('password_policy');
      const reuse = await c.post('/api/auth/password', {
        currentPassword: TEST_PASSWORD,
        newPassword: TEST_PASSWORD,
      });
      expect(reuse.json().error.code).toBe('password_policy');

      const newPassword = 'Brand-New-Pass-2026';
      registerSecret(newPassword);
      const changed = await c.post('/api/auth/password', {
        currentPassword: TEST_PASSWORD,
        newPassword,
      });
      expect(changed.json()).toEqual({ next: 'enrol_totp' });
      c.cookie = t.cookieOf(changed);
      await c.refreshCsrf();
      expect((await c.get('/api/orgs/children')).statusCode).toBe(403);

      const enrolment = (await c.get('/api/auth/totp/enrolment')).json() as {
        secret: string;
        qrDataUrl: string;
        otpauthUrl: string;
      };
      expect(enrolment.qrDataUrl).toMatch(/^data:image\/png;base64,/);
      expect(enrolment.otpauthUrl).toContain('otpauth://totp/');
      registerSecret(enrolment.secret);
      const wrong = await c.post('/api/auth/totp/enrolment', { code: '000000' });
      expect(wrong.json().error.code).toBe('totp_invalid');
      const ok = await c.post('/api/auth/totp/enrolment', { code: t.totpCode(enrolment.secret) });
      expect(ok.json()).toEqual({ next: 'done' });
      c.cookie = t.cookieOf(ok);
      await c.refreshCsrf();
      expect((await c.get('/api/orgs/children')).statusCode).toBe(200);
      t.clock.advance(31_000);

      // The next login asks for the second factor; the same code cannot be used twice.
      const again = await login(user.username, newPassword);
      expect(again.json()).toEqual({ next: 'totp', totpRequired: true });
      const c2 = t.clientFor(t.cookieOf(again));
      await c2.refreshCsrf();
      const code = t.totpCode(enrolment.secret);
      const first = await c2.post('/api/auth/totp', { code });
      expect(first.statusCode).toBe(200);
      t.clock.advance(1_000);
      const replay = await login(user.username, newPassword);
      const c3 = t.clientFor(t.cookieOf(replay));
      await c3.refreshCsrf();
      const replayed = await c3.post('/api/auth/totp', { code });
      expect(replayed.statusCode).toBe(401);
      expect(replayed.json().error.code).toBe('totp_invalid');
      t.clock.advance(31_000);
    });

    it('rotates the session id at the second factor, so the pre-TOTP cookie is dead (SECURITY.md 6)', async () => {
      const user = await t.addUser('rotator', [{ role: 'auditor', org: county }]);
      const res = await login(user.username, TEST_PASSWORD);
      const before = t.cookieOf(res);
      const c = t.clientFor(before);
      await c.refreshCsrf();
      const step = await c.post('/api/auth/totp', { code: t.totpCode(user.totpSecret!) });
      const after = t.cookieOf(step);
      expect(after).not.toBe(before);
      const stale = await t.app.inject({
        method: 'GET',
        url: '/api/auth/me',
        cookies: { [SESSION_COOKIE]: before },
      });
      expect(stale.statusCode).toBe(401);
      const cookie = step.cookies.find((x) => x.name === SESSION_COOKIE)!;
      expect(cookie.httpOnly).toBe(true);
      expect(cookie.sameSite).toBe('Strict');
      t.clock.advance(31_000);
    });

    it('locks after 5 failures in 15 minutes, refuses the right password while locked, and answers unknown users identically (SECURITY.md 2)', async () => {
      const user = await t.addUser('lockme', [{ role: 'branch_officer', org: county }]);
      const unknown = await login('nobody-here', 'Wrong-Password-1');
      const failures = [];
      for (let i = 0; i < 5; i++) failures.push(await login(user.username, `Wrong-Password-${i}`));
      const lockedRight = await login(user.username, TEST_PASSWORD);
      for (const r of [...failures, lockedRight]) {
        expect(r.statusCode).toBe(unknown.statusCode);
        expect(r.json()).toEqual(unknown.json());
      }
      expect(unknown.statusCode).toBe(401);
      const [row] = await t.db.select().from(account).where(eq(account.username, 'lockme'));
      expect(row!.lockedUntil!.getTime()).toBe(t.clock.now().getTime() + 30 * 60_000);

      const events = await auditOf('lockme');
      expect(
        events.filter((e) => e.action === 'auth.login' && e.result === 'failure'),
      ).toHaveLength(6);
      expect(events.filter((e) => e.action === 'auth.lockout')).toHaveLength(1);
      expect(events.find((e) => e.reason === 'locked')).toBeTruthy();

      t.clock.advance(30 * 60_000 + 1_000);
      expect((await login(user.username, TEST_PASSWORD)).statusCode).toBe(200);
    });

    it('does not lock for failures spread wider than the window', async () => {
      const user = await t.addUser('slowtypist', [{ role: 'liaison', org: county }]);
      for (let i = 0; i < 4; i++) await login(user.username, 'Wrong-Password-x');
      t.clock.advance(16 * 60_000);
      await login(user.username, 'Wrong-Password-y');
      expect((await login(user.username, TEST_PASSWORD)).statusCode).toBe(200);
    });

    it('throttles many failures from one address across accounts (SECURITY.md 3)', async () => {
      const ip = '10.9.9.9';
      for (let i = 0; i < 20; i++) await login(`spray-${i}`, 'Wrong-Password-1', ip);
      const user = await t.addUser('sprayed', [{ role: 'liaison', org: county }]);
      const res = await login(user.username, TEST_PASSWORD, ip);
      expect(res.statusCode).toBe(429);
      expect(res.json().error.code).toBe('rate_limited');
      // Another address is not affected.
      expect((await login(user.username, TEST_PASSWORD, '10.9.9.10')).statusCode).toBe(200);
      t.clock.advance(16 * 60_000);
    });

    it('ends a session after 30 idle minutes and after 12 hours in all (SECURITY.md 5)', async () => {
      const user = await t.addUser('sleepy', [{ role: 'liaison', org: county }]);
      const c = await t.login(user);
      t.clock.advance(29 * 60_000);
      expect((await c.get('/api/auth/me')).statusCode).toBe(200);
      t.clock.advance(30 * 60_000 + 1_000);
      const idle = await c.get('/api/auth/me');
      expect(idle.statusCode).toBe(401);
      // The server-side session is gone: coming back in time would not revive it.
      t.clock.set(new Date(t.clock.now().getTime() - 60 * 60_000));
      expect((await c.get('/api/auth/me')).statusCode).toBe(401);
      t.clock.advance(60 * 60_000);

      // Active every 20 minutes, the session still ends 12 hours after login.
      const c2 = await t.login(user);
      const start = t.clock.now().getTime();
      while (t.clock.now().getTime() - start + 20 * 60_000 < 12 * 3600_000) {
        t.clock.advance(20 * 60_000);
        expect((await c2.get('/api/auth/me')).statusCode).toBe(200);
      }
      t.clock.set(new Date(start + 12 * 3600_000 + 1_000));
      expect((await c2.get('/api/auth/me')).statusCode).toBe(401);
    });

    it('refuses a cookie replayed after logout (SECURITY.md 5)', async () => {
      const user = await t.addUser('leaver', [{ role: 'liaison', org: county }]);
      const c = await t.login(user);
      expect((await c.post('/api/auth/logout')).statusCode).toBe(204);
      expect((await c.get('/api/auth/me')).statusCode).toBe(401);
      expect((await c.get('/api/orgs/children')).statusCode).toBe(401);
    });

    it('requires the CSRF token on state-changing requests (SECURITY.md 6)', async () => {
      const user = await t.addUser('csrf', [{ role: 'org_admin', org: county }]);
      const c = await t.login(user);
      const body = { parentId: county.id, name: '跨站请求测试支部', kind: 'branch' };
      const none = await t.app.inject({
        method: 'POST',
        url: '/api/orgs',
        payload: body,
        cookies: { [SESSION_COOKIE]: c.cookie },
      });
      expect(none.statusCode).toBe(403);
      expect(none.json().error.code).toBe('csrf_failed');
      const wrong = await t.app.inject({
        method: 'POST',
        url: '/api/orgs',
        payload: body,
        cookies: { [SESSION_COOKIE]: c.cookie },
        headers: { 'x-csrf-token': 'x'.repeat(43) },
      });
      expect(wrong.json().error.code).toBe('csrf_failed');
      expect((await c.post('/api/orgs', body)).statusCode).toBe(200);
    });

    it('switches role with a new session id and the new scope (SECURITY.md 6)', async () => {
      const township = await t.addOrg(county, '某镇党委');
      const user = await t.addUser('twohats', [
        { role: 'branch_officer', org: township },
        { role: 'liaison', org: county },
      ]);
      const c = await t.login(user);
      const me = (await c.get('/api/auth/me')).json();
      expect(me.activeGrantId).toBe(user.grantIds[0]);
      expect((await c.get('/api/orgs/children')).json().nodes[0].id).toBe(township.id);
      const old = c.cookie;
      const switched = await c.post('/api/auth/switch-role', { grantId: user.grantIds[1] });
      expect(switched.statusCode).toBe(200);
      expect(switched.json().activeGrantId).toBe(user.grantIds[1]);
      c.cookie = t.cookieOf(switched);
      expect(c.cookie).not.toBe(old);
      c.csrf = switched.json().csrfToken;
      expect((await c.get('/api/orgs/children')).json().nodes[0].id).toBe(county.id);
      const stale = await t.app.inject({
        method: 'GET',
        url: '/api/auth/me',
        cookies: { [SESSION_COOKIE]: old },
      });
      expect(stale.statusCode).toBe(401);
    });

    it.runIf(kind === 'postgres')(
      'shares sessions between two app instances on one database (SECURITY.md 30)',
      async () => {
        const { buildApp } = await import('../../app');
        const { testConfig } = await import('../../test/harness');
        const second = await buildApp({
          database: t.database,
          config: testConfig(),
          cipher: t.cipher,
          clock: t.clock,
          version: 'test',
          logStream: new (await import('node:stream')).PassThrough(),
        });
        try {
          const user = await t.addUser('roamer', [{ role: 'liaison', org: county }]);
          const c = await t.login(user);
          const onSecond = await second.inject({
            method: 'GET',
            url: '/api/auth/me',
            cookies: { [SESSION_COOKIE]: c.cookie },
          });
          expect(onSecond.statusCode).toBe(200);
          // Logged out on the second instance: the first refuses the cookie too.
          const out = await second.inject({
            method: 'POST',
            url: '/api/auth/logout',
            cookies: { [SESSION_COOKIE]: c.cookie },
            headers: { 'x-csrf-token': c.csrf },
          });
          expect(out.statusCode).toBe(204);
          expect((await c.get('/api/auth/me')).statusCode).toBe(401);
        } finally {
          await second.close();
        }
      },
    );

    it('marks the session cookie Secure and sends HSTS behind TLS (SECURITY.md 6)', async () => {
      const { buildApp } = await import('../../app');
      const { testConfig } = await import('../../test/harness');
      const tls = await buildApp({
        database: t.database,
        config: testConfig({ cookieSecure: true, trustProxy: true }),
        cipher: t.cipher,
        clock: t.clock,
        version: 'test',
        logStream: new (await import('node:stream')).PassThrough(),
      });
      try {
        const user = await t.addUser('behind-tls', [{ role: 'liaison', org: county }]);
        const res = await tls.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: user.username, password: TEST_PASSWORD },
          headers: { 'x-forwarded-proto': 'https' },
        });
        expect(res.statusCode).toBe(200);
        registerSecret(res.cookies[0]!.value);
        expect(res.cookies.find((c) => c.name === SESSION_COOKIE)).toMatchObject({
          secure: true,
          httpOnly: true,
          sameSite: 'Strict',
        });
        expect(res.headers['strict-transport-security']).toContain('max-age=');
        // Plain http on localhost (no TLS configured): neither, or the browser would drop the cookie.
        const plain = await login(user.username, TEST_PASSWORD);
        expect(plain.cookies.find((c) => c.name === SESSION_COOKIE)!.secure).toBeFalsy();
        expect(plain.headers['strict-transport-security']).toBeUndefined();
      } finally {
        await tls.close();
      }
    });

    it('returns one error shape with Chinese text for bad input', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: '' },
      });
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('sends the security headers (SECURITY.md 31)', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/health' });
      expect(res.json()).toEqual({ status: 'ok', db: kind, version: 'test' });
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('same-origin');
    });

    it('publishes the OpenAPI document with every route and the error shape', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
      expect(res.statusCode).toBe(200);
      const doc = res.json() as { openapi: string; paths: Record<string, unknown> };
      expect(doc.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/api/auth/login',
          '/api/orgs',
          '/api/orgs/{id}/move',
          '/api/audit',
        ]),
      );
      expect(JSON.stringify(doc.paths['/api/orgs'])).toContain('validation_failed');
      expect((await t.app.inject({ method: 'GET', url: '/api/docs/' })).statusCode).toBe(200);
    });

    it('never accepts a TOTP code computed for a time long past', async () => {
      const user = await t.addUser('timetraveller', [{ role: 'security_admin', org: county }]);
      const res = await login(user.username, TEST_PASSWORD);
      const c = t.clientFor(t.cookieOf(res));
      await c.refreshCsrf();
      const old = generateSync({
        secret: user.totpSecret!,
        epoch: Math.floor(t.clock.now().getTime() / 1000) - 600,
      });
      expect((await c.post('/api/auth/totp', { code: old })).statusCode).toBe(401);
    });
  });
}
