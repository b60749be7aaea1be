import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { LiaisonCandidate } from '@liudong/contracts';
import type { Role } from '@liudong/domain';
import { account, liaison, roleGrant } from '../../db/schema';
import { queryRows } from '../../platform/db';
import {
  createTestApp,
  testDatabaseKinds,
  type TestApp,
  type TestClient,
  type TestOrg,
} from '../../test/harness';
import { addLiaison } from './contacts.fixtures';

/**
 * GET /api/liaisons/candidates (issue 4 §1 定人): the accounts an officer may link as a liaison.
 * Business roles in the actor's scope only (SECURITY.md 9), never the 三员 (SECURITY.md 12), no
 * disabled account, and only the fields the pick needs.
 */
for (const kind of testDatabaseKinds()) {
  describe(`liaison candidates [${kind}]`, () => {
    let t: TestApp;
    let town: TestOrg, branchA: TestOrg, branchB: TestOrg, siblingTown: TestOrg, far: TestOrg;
    let committee: TestClient, branchOfficer: TestClient, liaisonClient: TestClient;
    const ids = new Map<string, string>();

    const candidates = async (client: TestClient, query = '') => {
      const res = await client.get(`/api/liaisons/candidates${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { items: LiaisonCandidate[] }).items;
    };
    const usernames = (items: LiaisonCandidate[]) => items.map((i) => i.username).sort();

    beforeAll(async () => {
      t = await createTestApp(kind, { now: '2026-11-20T02:00:00Z' });
      const county = await t.addOrg(null, '候选测试县委');
      town = await t.addOrg(county, '候选测试甲镇党委');
      siblingTown = await t.addOrg(county, '候选测试乙镇党委');
      branchA = await t.addOrg(town, '候选测试一村党支部', 'branch');
      branchB = await t.addOrg(town, '候选测试二村党支部', 'branch');
      far = await t.addOrg(null, '候选测试外县县委');

      const add = async (username: string, grants: { role: Role; org: TestOrg }[]) => {
        const u = await t.addUser(username, grants);
        ids.set(username, u.id);
        return u;
      };
      const g = (role: Role, org: TestOrg) => ({ role, org });
      const actor = await add('hx-actor', [g('committee_officer', town)]);
      committee = await t.login(actor);
      branchOfficer = await t.login(await add('hx-branch', [g('branch_officer', branchA)]));
      liaisonClient = await t.login(await add('hx-liaison', [g('liaison', branchA)]));
      await add('hx-secretary', [g('mobile_org_secretary', branchB)]);
      await add('hx-station', [g('station_staff', town)]);
      // Holds a role outside the scope too: listed with the org in scope.
      await add('hx-multi', [g('liaison', siblingTown), g('branch_officer', branchB)]);
      // Never listed: the 三员, the org department's admin, other scopes, a disabled account.
      await add('hx-sysadmin', [g('system_admin', town)]);
      await add('hx-security', [g('security_admin', branchA)]);
      await add('hx-auditor', [g('auditor', town)]);
      await add('hx-orgadmin', [g('org_admin', town)]);
      await add('hx-sibling', [g('liaison', siblingTown)]);
      await add('hx-far', [g('branch_officer', far)]);
      await add('hx-disabled', [g('liaison', branchA)]);
      await t.db
        .update(account)
        .set({ disabledAt: new Date('2026-11-01T00:00:00Z') })
        .where(eq(account.id, ids.get('hx-disabled')!));
      await t.db
        .update(account)
        .set({ displayName: '王红梅' })
        .where(eq(account.id, ids.get('hx-secretary')!));
    });
    afterAll(() => t.close());

    it('lists business-role accounts of the scope only, never the 三员, with the pick’s fields', async () => {
      const items = await candidates(committee);
      expect(usernames(items)).toEqual([
        'hx-actor',
        'hx-branch',
        'hx-liaison',
        'hx-multi',
        'hx-secretary',
        'hx-station',
      ]);
      for (const item of items)
        expect(Object.keys(item).sort()).toEqual([
          'activeLiaison',
          'displayName',
          'id',
          'orgId',
          'orgName',
          'username',
        ]);
      const byName = new Map(items.map((i) => [i.username, i]));
      expect(byName.get('hx-liaison')).toEqual({
        id: ids.get('hx-liaison'),
        username: 'hx-liaison',
        displayName: 'hx-liaison',
        orgId: branchA.id,
        orgName: branchA.name,
        activeLiaison: false,
      });
      // The org is the one named (the new liaison's org by default), never one outside the scope.
      expect(byName.get('hx-multi')).toMatchObject({ orgId: branchB.id, orgName: branchB.name });
      expect(byName.get('hx-station')).toMatchObject({ orgId: town.id, orgName: town.name });
      expect(byName.get('hx-secretary')!.displayName).toBe('王红梅');

      // A branch officer sees the branch's accounts only.
      expect(usernames(await candidates(branchOfficer))).toEqual(['hx-branch', 'hx-liaison']);
      // Searching for an account outside the scope finds nothing (SECURITY.md 9).
      expect(await candidates(committee, '?q=hx-sibling')).toEqual([]);
      expect(await candidates(committee, '?q=hx-far')).toEqual([]);
      expect(await candidates(committee, '?q=hx-security')).toEqual([]);
      expect(await candidates(committee, '?q=hx-disabled')).toEqual([]);
    });

    it('filters by username or display name, exact matches first, at most 20', async () => {
      expect(usernames(await candidates(committee, '?q=STATION'))).toEqual(['hx-station']);
      expect(usernames(await candidates(committee, `?q=${encodeURIComponent('红梅')}`))).toEqual([
        'hx-secretary',
      ]);
      // LIKE wildcards are plain characters.
      expect(await candidates(committee, `?q=${encodeURIComponent('%')}`)).toEqual([]);
      expect(await candidates(committee, '?q=hx_')).toEqual([]);
      // Many matches: 20, the exact one first.
      const [hash] = await queryRows<{ h: string }>(
        t.db,
        sql`select password_hash as h from account where id = ${ids.get('hx-liaison')!}`,
      );
      const bulk = await t.db
        .insert(account)
        .values(
          Array.from({ length: 25 }, (_, i) => ({
            username: `hx-bulk${i + 1}`,
            displayName: `批量候选${i + 1}`,
            passwordHash: hash!.h,
            mustChangePassword: false,
            homeOrgId: branchA.id,
          })),
        )
        .returning({ id: account.id, username: account.username });
      await t.db
        .insert(roleGrant)
        .values(bulk.map((b) => ({ accountId: b.id, role: 'liaison', orgId: branchA.id })));
      const many = await candidates(committee, '?q=hx-bulk');
      expect(many).toHaveLength(20);
      const exact = await candidates(committee, '?q=hx-bulk2');
      expect(exact[0]!.username).toBe('hx-bulk2');
      expect(usernames(exact)).toEqual([
        'hx-bulk2',
        'hx-bulk20',
        'hx-bulk21',
        'hx-bulk22',
        'hx-bulk23',
        'hx-bulk24',
        'hx-bulk25',
      ]);
    });

    it('narrows to an org’s subtree; an org outside the scope answers 404 and is audited', async () => {
      expect(usernames(await candidates(committee, `?orgId=${branchB.id}`))).toEqual([
        'hx-multi',
        'hx-secretary',
      ]);
      const out = await committee.get(`/api/liaisons/candidates?orgId=${siblingTown.id}`);
      expect(out.statusCode).toBe(404);
      expect(out.body).toContain('不存在');
      const denied = await queryRows<{ target_id: string }>(
        t.db,
        sql`select target_id from audit_log where action = 'access.denied' and target_type = 'org'`,
      );
      expect(denied.map((d) => d.target_id)).toContain(siblingTown.id);
      // The route needs liaison.assign: a liaison has no say in who liaisons are.
      expect((await liaisonClient.get('/api/liaisons/candidates')).statusCode).toBe(403);
    });

    it('says which accounts already are active liaisons; a 三员 account cannot be named', async () => {
      const named = await committee.post('/api/liaisons', {
        orgId: branchA.id,
        accountId: ids.get('hx-liaison'),
      });
      expect(named.statusCode, named.body).toBe(200);
      // A retired record does not count: naming that account again takes it up again.
      const retired = await addLiaison(t, branchB.id, {
        name: '王红梅',
        accountId: ids.get('hx-secretary')!,
      });
      await t.db.update(liaison).set({ active: false }).where(eq(liaison.id, retired.id));
      const one = async (username: string) =>
        (await candidates(committee, `?q=${username}`)).find((i) => i.username === username)!;
      expect((await one('hx-liaison')).activeLiaison).toBe(true);
      expect((await one('hx-secretary')).activeLiaison).toBe(false);
      expect((await one('hx-station')).activeLiaison).toBe(false);

      // SECURITY.md 12: a security administrator in the scope is like a missing account.
      const admin = await committee.post('/api/liaisons', {
        orgId: branchA.id,
        accountId: ids.get('hx-security'),
      });
      expect(admin.statusCode).toBe(404);
      expect(admin.json().error.message).toBe('账号不存在');
    });
  });
}
