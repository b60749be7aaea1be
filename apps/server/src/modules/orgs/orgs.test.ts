import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, like, sql } from 'drizzle-orm';
import { auditLog, org } from '../../db/schema';
import {
  createTestApp,
  testDatabaseKinds,
  type TestApp,
  type TestClient,
  type TestOrg,
} from '../../test/harness';

for (const kind of testDatabaseKinds()) {
  describe(`orgs [${kind}]`, () => {
    let t: TestApp;
    let county: TestOrg;
    let admin: TestClient;
    beforeAll(async () => {
      t = await createTestApp(kind);
      county = await t.addOrg(null, '测试县委');
      admin = await t.login(await t.addUser('orgadmin', [{ role: 'org_admin', org: county }]));
    });
    afterAll(() => t.close());

    async function create(parentId: string, name: string, kind = 'committee', extra: object = {}) {
      const res = await admin.post('/api/orgs', { parentId, name, kind, ...extra });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { id: string; version: number; name: string };
    }
    const pathOf = async (id: string) =>
      (await t.db.select({ path: org.path }).from(org).where(eq(org.id, id)))[0]!.path;

    it('creates, reads and edits an org, with the edit audited before/after and the phone masked', async () => {
      const town = await create(county.id, '东溪镇党委', 'committee', {
        regionCode: '510104',
        contactPhone: '13812345678',
        categoryCode: '3',
      });
      const detail = (await admin.get(`/api/orgs/${town.id}`)).json();
      expect(detail).toMatchObject({
        name: '东溪镇党委',
        kind: 'committee',
        regionCode: '510104',
        regionName: '锦江区',
        categoryCode: '3',
        version: 1,
      });
      expect(detail.ancestors).toEqual([{ id: county.id, name: '测试县委' }]);
      expect(detail.abilities).toEqual({
        update: true,
        createChild: true,
        move: true,
        dissolve: true,
        manageServicePoints: true,
      });

      const edited = await admin.patch(`/api/orgs/${town.id}`, {
        version: 1,
        name: '东溪镇委员会',
        secretaryName: '李四',
      });
      expect(edited.json()).toMatchObject({
        name: '东溪镇委员会',
        secretaryName: '李四',
        version: 2,
      });
      const [entry] = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'org.update'), eq(auditLog.targetId, town.id)));
      expect(entry!.before).toMatchObject({ name: '东溪镇党委', contactPhone: '138****5678' });
      expect(entry!.after).toMatchObject({ name: '东溪镇委员会' });
      expect(JSON.stringify(entry)).not.toContain('13812345678');
    });

    it('rejects a second edit of the same version and changes nothing (SECURITY.md 26)', async () => {
      const o = await create(county.id, '版本测试党委');
      const first = await admin.patch(`/api/orgs/${o.id}`, { version: 1, name: '第一次修改' });
      expect(first.json().version).toBe(2);
      const second = await admin.patch(`/api/orgs/${o.id}`, { version: 1, name: '第二次修改' });
      expect(second.statusCode).toBe(409);
      expect(second.json().error.code).toBe('version_conflict');
      expect((await admin.get(`/api/orgs/${o.id}`)).json()).toMatchObject({
        name: '第一次修改',
        version: 2,
      });
    });

    it('rejects fields a client may not set (SECURITY.md 11)', async () => {
      const before = await t.db.select({ n: sql<number>`count(*)::int` }).from(org);
      for (const extra of [
        { path: '/x/' },
        { version: 7 },
        { dissolvedOn: '2020-01-01' },
        { id: '00000000-0000-4000-8000-000000000000' },
      ]) {
        const res = await admin.post('/api/orgs', {
          parentId: county.id,
          name: '越权字段',
          kind: 'branch',
          ...extra,
        });
        expect(res.statusCode).toBe(400);
        expect(res.json().error.code).toBe('validation_failed');
      }
      const o = await create(county.id, '字段测试党委');
      const patch = await admin.patch(`/api/orgs/${o.id}`, { version: 1, parentId: county.id });
      expect(patch.statusCode).toBe(400);
      expect(await t.db.select({ n: sql<number>`count(*)::int` }).from(org)).toEqual([
        { n: before[0]!.n + 1 },
      ]);
    });

    it('refuses a child kind its parent cannot contain, with a Chinese message', async () => {
      const branch = await create(county.id, '某支部', 'branch');
      const res = await admin.post('/api/orgs', {
        parentId: branch.id,
        name: '错层党委',
        kind: 'committee',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toBe('「党支部」下不能设立「党委」');
    });

    it('moves a whole subtree in one step, and scopes follow at once (SECURITY.md 10)', async () => {
      const a = await create(county.id, '甲镇党委');
      const b = await create(county.id, '乙镇党委');
      const branch = await create(a.id, '甲村党支部', 'branch');
      const group = await create(branch.id, '甲村第一党小组', 'group');
      const aOfficer = await t.login(
        await t.addUser('officer-a', [
          {
            role: 'committee_officer',
            org: { id: a.id, path: await pathOf(a.id), depth: 2, name: '甲', kind: 'committee' },
          },
        ]),
      );
      const bOfficer = await t.login(
        await t.addUser('officer-b', [
          {
            role: 'committee_officer',
            org: { id: b.id, path: await pathOf(b.id), depth: 2, name: '乙', kind: 'committee' },
          },
        ]),
      );
      expect((await aOfficer.get(`/api/orgs/${group.id}`)).statusCode).toBe(200);
      expect((await bOfficer.get(`/api/orgs/${group.id}`)).statusCode).toBe(404);

      const moved = await admin.post(`/api/orgs/${branch.id}/move`, {
        newParentId: b.id,
        version: 1,
      });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.json().ancestors.map((x: { name: string }) => x.name)).toEqual([
        '测试县委',
        '乙镇党委',
      ]);
      expect(await pathOf(group.id)).toBe(`${await pathOf(b.id)}${branch.id}/${group.id}/`);
      const [g] = await t.db.select().from(org).where(eq(org.id, group.id));
      expect(g!.depth).toBe(4);

      expect((await aOfficer.get(`/api/orgs/${group.id}`)).statusCode).toBe(404);
      expect((await bOfficer.get(`/api/orgs/${group.id}`)).statusCode).toBe(200);
      const [entry] = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'org.move'), eq(auditLog.targetId, branch.id)));
      expect(entry!.before).toMatchObject({ parentId: a.id, parentName: '甲镇党委' });
      expect(entry!.after).toMatchObject({ parentId: b.id, parentName: '乙镇党委' });
    });

    it('refuses to move an org under itself or its own descendant', async () => {
      const top = await create(county.id, '循环测试党委');
      const child = await create(top.id, '循环测试支部', 'branch');
      for (const target of [top.id, child.id]) {
        const res = await admin.post(`/api/orgs/${top.id}/move`, {
          newParentId: target,
          version: 1,
        });
        expect(res.statusCode).toBe(400);
      }
      expect(await pathOf(top.id)).toBe(`${county.path}${top.id}/`);
    });

    it('dissolves an org and keeps it for history; live children block it', async () => {
      const parent = await create(county.id, '撤销测试党委');
      const child = await create(parent.id, '撤销测试支部', 'branch');
      const blocked = await admin.post(`/api/orgs/${parent.id}/dissolve`, {
        dissolvedOn: '2026-11-01',
        reason: '合并',
        version: 1,
      });
      expect(blocked.statusCode).toBe(409);
      const done = await admin.post(`/api/orgs/${child.id}/dissolve`, {
        dissolvedOn: '2026-11-01',
        reason: '村党组织合并',
        version: 1,
      });
      expect(done.json()).toMatchObject({
        dissolvedOn: '2026-11-01',
        dissolveReason: '村党组织合并',
      });
      const kids = (await admin.get(`/api/orgs/children?parentId=${parent.id}`)).json().nodes;
      expect(kids).toEqual([]);
      const all = (
        await admin.get(`/api/orgs/children?parentId=${parent.id}&includeDissolved=true`)
      ).json().nodes;
      expect(all.map((n: { id: string }) => n.id)).toEqual([child.id]);
      expect(all[0].abilities.update).toBe(false);
      expect(
        (await admin.patch(`/api/orgs/${child.id}`, { version: 2, name: '复活' })).statusCode,
      ).toBe(403);
    });

    it('answers an out-of-scope id exactly like a missing one, and logs it (SECURITY.md 9)', async () => {
      const other = await t.addOrg(null, '另一个县委');
      const town = await create(county.id, '范围测试党委');
      const officer = await t.login(
        await t.addUser('scoped', [
          {
            role: 'committee_officer',
            org: {
              id: town.id,
              path: await pathOf(town.id),
              depth: 2,
              name: '范围',
              kind: 'committee',
            },
          },
        ]),
      );
      const missing = await officer.get('/api/orgs/00000000-0000-4000-8000-000000000000');
      for (const id of [other.id, county.id]) {
        const res = await officer.get(`/api/orgs/${id}`);
        expect(res.statusCode).toBe(missing.statusCode);
        expect(res.json()).toEqual(missing.json());
        const denied = await t.db
          .select()
          .from(auditLog)
          .where(
            and(
              eq(auditLog.action, 'access.denied'),
              eq(auditLog.targetId, id),
              eq(auditLog.actorUsername, 'scoped'),
            ),
          );
        expect(denied).toHaveLength(1);
      }
      expect(
        (await officer.get(`/api/orgs?q=${encodeURIComponent('另一个县委')}`)).json().items,
      ).toEqual([]);
      expect(
        (await officer.get(`/api/orgs?q=${encodeURIComponent('测试县委')}`)).json().items,
      ).toEqual([]);
    });

    it('pages through search results with no duplicates while orgs are added and dissolved (SECURITY.md 27)', async () => {
      const root = await create(county.id, '分页测试党委');
      const names = Array.from({ length: 10 }, (_, i) => `分页支部${String(i).padStart(2, '0')}`);
      const created = [];
      for (const n of names) created.push(await create(root.id, n, 'branch'));
      const seen: string[] = [];
      let cursor: string | null = null;
      let round = 0;
      do {
        const url: string = `/api/orgs?q=${encodeURIComponent('分页支部')}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
        const page = (await admin.get(url)).json() as {
          items: { name: string }[];
          nextCursor: string | null;
        };
        seen.push(...page.items.map((i) => i.name));
        cursor = page.nextCursor;
        // Meanwhile: one new org before the cursor and one after it, and one dissolved.
        await create(root.id, `分页支部${String(round).padStart(2, '0')}a`, 'branch');
        if (round === 1)
          await admin.post(`/api/orgs/${created[9]!.id}/dissolve`, {
            dissolvedOn: '2026-11-01',
            reason: '测试',
            version: 1,
          });
        round++;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      for (const n of names.slice(0, 9)) expect(seen).toContain(n);
      expect((await admin.get('/api/orgs?cursor=not-a-cursor')).statusCode).toBe(400);
    });

    it('lists the tree lazily from the scope root and gives breadcrumbs on search hits', async () => {
      const roots = (await admin.get('/api/orgs/children')).json().nodes;
      expect(roots).toHaveLength(1);
      expect(roots[0]).toMatchObject({ id: county.id, hasChildren: true });
      const hit = (await admin.get(`/api/orgs?q=${encodeURIComponent('甲村党支部')}`)).json()
        .items[0];
      expect(hit.pathNames).toEqual(['测试县委', '乙镇党委']);
    });

    it('manages service points and refuses an out-of-scope one', async () => {
      const town = await create(county.id, '服务站测试党委');
      const point = await admin.post('/api/service-points', {
        orgId: town.id,
        level: 'station',
        name: '服务站测试镇流动党员服务站',
        phone: '0827-5210000',
      });
      expect(point.statusCode, point.body).toBe(200);
      const p = point.json();
      const edited = await admin.patch(`/api/service-points/${p.id}`, {
        version: 1,
        openingHours: '周一至周五',
      });
      expect(edited.json()).toMatchObject({ openingHours: '周一至周五', version: 2 });
      expect((await admin.get(`/api/orgs/${town.id}`)).json().servicePoints).toHaveLength(1);
      const stranger = await t.login(
        await t.addUser('stranger', [{ role: 'org_admin', org: await t.addOrg(null, '外县') }]),
      );
      expect(
        (await stranger.patch(`/api/service-points/${p.id}`, { version: 2, name: 'x' })).statusCode,
      ).toBe(404);
    });

    it('leaves every path as it was when a subtree move fails half-way (SECURITY.md 28)', async () => {
      const from = await create(county.id, '故障源党委');
      const to = await create(county.id, '故障目标党委');
      const branch = await create(from.id, '故障测试支部', 'branch');
      const group = await create(branch.id, '故障测试党小组', 'group');
      const before = await t.db
        .select({ id: org.id, path: org.path, depth: org.depth, parentId: org.parentId })
        .from(org)
        .where(like(org.path, `${await pathOf(from.id)}%`));
      // The subtree's paths are rewritten first; the audit write that follows is made to fail.
      await t.db.execute(
        sql`alter table audit_log add constraint test_refuse_move check (action <> 'org.move') not valid`,
      );
      try {
        const res = await admin.post(`/api/orgs/${branch.id}/move`, {
          newParentId: to.id,
          version: 1,
        });
        expect(res.statusCode).toBe(500);
      } finally {
        await t.db.execute(sql`alter table audit_log drop constraint test_refuse_move`);
      }
      const after = await t.db
        .select({ id: org.id, path: org.path, depth: org.depth, parentId: org.parentId })
        .from(org)
        .where(like(org.path, `${await pathOf(from.id)}%`));
      expect(after).toEqual(before);
      expect(await pathOf(group.id)).toBe(`${await pathOf(from.id)}${branch.id}/${group.id}/`);
    });

    it('finds orgs of other counties by name for pickers, names only, never dissolved ones', async () => {
      const elsewhere = await t.addOrg(null, '外县委员会');
      const town = await t.addOrg(elsewhere, '外县城关镇党委');
      const branch = await t.addOrg(town, '外县城关社区党支部', 'branch');
      await t.db.insert(org).values({
        id: '00000000-0000-4000-8000-00000000d155',
        parentId: town.id,
        path: `${town.path}00000000-0000-4000-8000-00000000d155/`,
        depth: town.depth + 1,
        name: '外县城关旧党支部',
        kind: 'branch',
        dissolvedOn: '2020-01-01',
      });
      const officer = await t.login(
        await t.addUser('dir-officer', [{ role: 'branch_officer', org: county }]),
      );
      const res = await officer.get(`/api/orgs/directory?q=${encodeURIComponent('外县城关')}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().items).toEqual([
        {
          id: branch.id,
          name: '外县城关社区党支部',
          kind: 'branch',
          pathNames: ['外县委员会', '外县城关镇党委'],
        },
        { id: town.id, name: '外县城关镇党委', kind: 'committee', pathNames: ['外县委员会'] },
      ]);
      // The org page itself stays out of reach: names only.
      expect((await officer.get(`/api/orgs/${branch.id}`)).statusCode).toBe(404);
    });

    it('fails the change when its audit record cannot be written (SECURITY.md 20)', async () => {
      await t.db.execute(
        sql`alter table audit_log add constraint test_refuse_org_create check (action <> 'org.create') not valid`,
      );
      try {
        const res = await admin.post('/api/orgs', {
          parentId: county.id,
          name: '审计失败测试',
          kind: 'committee',
        });
        expect(res.statusCode).toBe(500);
        expect(res.json().error.code).toBe('internal');
        // A generic message with the correlation id, nothing of the SQL (SECURITY.md 31).
        const id = res.headers['x-correlation-id'] as string;
        expect(res.json().error.message).toContain(id);
        expect(res.json().error.details).toEqual({ correlationId: id });
        expect(res.body).not.toContain('audit_log');
        expect(res.body).not.toMatch(/constraint|insert|select/i);
        expect(await t.db.select().from(org).where(like(org.name, '审计失败测试'))).toEqual([]);
      } finally {
        await t.db.execute(sql`alter table audit_log drop constraint test_refuse_org_create`);
      }
    });
  });
}
