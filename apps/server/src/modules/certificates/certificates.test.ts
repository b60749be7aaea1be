import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { auditLog, certificate, certificateCounter, mobility, org } from '../../db/schema';
import {
  createTestApp,
  testDatabaseKinds,
  type TestApp,
  type TestClient,
  type TestOrg,
} from '../../test/harness';

interface Cert {
  id: string;
  number: string;
  seq: number;
  status: string;
  statusLabel: string;
  valid: boolean;
  validThrough: string | null;
  memberId: string;
  mobilityId: string | null;
  issuedOn: string;
  issuedByOrgId: string;
  lastReviewedOn: string | null;
  replacedById: string | null;
  version: number;
}

for (const kind of testDatabaseKinds()) {
  describe(`certificates [${kind}]`, () => {
    let t: TestApp;
    let county: TestOrg, townA: TestOrg, branchA: TestOrg, townB: TestOrg, branchB: TestOrg;
    let admin: TestClient, officerA: TestClient, officerB: TestClient, liaisonA: TestClient;

    /** A county root with its GB/T 2260 code, a town committee and a branch under it. */
    async function countyTree(name: string, regionCode: string | null) {
      const root = await t.addOrg(null, `${name}县委`);
      if (regionCode) await t.db.update(org).set({ regionCode }).where(eq(org.id, root.id));
      const town = await t.addOrg(root, `${name}镇党委`);
      const branch = await t.addOrg(town, `${name}村党支部`, 'branch');
      return { root, town, branch };
    }

    /** A member of `home` with an open outflow (registered, not yet returned). */
    async function outbound(home: TestOrg, name?: string) {
      const m = await t.addMember(home, name ? { name } : {});
      const [mob] = await t.db
        .insert(mobility)
        .values({
          memberId: m.id,
          direction: 'outflow',
          status: 'registered',
          homeOrgId: home.id,
          registeredOn: '2026-10-01',
          leftOn: '2026-10-02',
          reason: 'work',
          destinationRegionCode: '510104',
        })
        .returning();
      return { ...m, mobilityId: mob!.id };
    }

    const issue = (client: TestClient, memberId: string) =>
      client.post(`/api/members/${memberId}/certificates`, {});
    const auditOf = (action: string, targetId: string) =>
      t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, action), eq(auditLog.targetId, targetId)));

    beforeAll(async () => {
      t = await createTestApp(kind);
      ({ root: county, town: townA, branch: branchA } = await countyTree('南江', '511922'));
      townB = await t.addOrg(county, '乙镇党委');
      branchB = await t.addOrg(townB, '乙村党支部', 'branch');
      admin = await t.login(await t.addUser('c-admin', [{ role: 'org_admin', org: county }]));
      officerA = await t.login(
        await t.addUser('c-officer-a', [{ role: 'committee_officer', org: townA }]),
      );
      officerB = await t.login(
        await t.addUser('c-officer-b', [{ role: 'committee_officer', org: townB }]),
      );
      liaisonA = await t.login(await t.addUser('c-liaison-a', [{ role: 'liaison', org: townA }]));
    });
    afterAll(() => t.close());

    it('issues a number in the configured pattern, stamped by the town committee, audited', async () => {
      const m = await outbound(branchA, '杨发证');
      const res = await issue(officerA, m.id);
      expect(res.statusCode, res.body).toBe(200);
      const c = res.json() as Cert;
      expect(c).toMatchObject({
        number: '511922-2026-00001',
        seq: 1,
        status: 'issued',
        statusLabel: '有效',
        valid: true,
        issuedOn: '2026-11-20',
        validThrough: '2028-02-20',
        issuedByOrgId: townA.id,
        memberId: m.id,
        mobilityId: m.mobilityId,
        version: 1,
      });
      const [audit] = await auditOf('certificate.issue', c.id);
      expect(audit).toMatchObject({ result: 'success', actorUsername: 'c-officer-a' });
      expect(JSON.stringify(audit)).not.toContain('杨发证');

      const list = await liaisonA.get(`/api/members/${m.id}/certificates`);
      expect(list.statusCode, list.body).toBe(200);
      expect((list.json() as { items: Cert[] }).items.map((i) => i.number)).toEqual([c.number]);

      // One certificate in hand per member.
      const again = await issue(officerA, m.id);
      expect(again.statusCode).toBe(409);
      expect(again.json().error.message).toContain('已持有');
      // The liaison reads but does not issue.
      expect((await issue(liaisonA, m.id)).statusCode).toBe(403);
    });

    it('takes the certificate back when the outflow ends: returned on return, cancelled on an end', async () => {
      const back = await outbound(branchA);
      const away = await outbound(branchA);
      const issued = [
        (await issue(officerA, back.id)).json() as Cert,
        (await issue(officerA, away.id)).json() as Cert,
      ];
      const end = (mobilityId: string, body: object) =>
        officerA.post(`/api/mobilities/${mobilityId}/transitions`, { version: 1, ...body });
      const returned = await end(back.mobilityId, {
        to: 'returned',
        endedOn: '2026-11-15',
        endNote: '外出期间表现良好',
      });
      expect(returned.statusCode, returned.body).toBe(200);
      const ended = await end(away.mobilityId, { to: 'ended', endedOn: '2026-11-16' });
      expect(ended.statusCode, ended.body).toBe(200);
      const after = await t.db
        .select()
        .from(certificate)
        .where(sql`${certificate.id} in (${issued[0]!.id}, ${issued[1]!.id})`);
      const byMember = new Map(after.map((c) => [c.memberId, c]));
      expect(byMember.get(back.id)).toMatchObject({
        status: 'returned',
        endedOn: '2026-11-15',
        endReason: '流动结束返回，交回活动证',
        version: 2,
      });
      expect(byMember.get(away.id)).toMatchObject({ status: 'cancelled', endedOn: '2026-11-16' });
      // The same audit record tells which certificate the step ended.
      const [audit] = await auditOf('mobility.transition', back.mobilityId);
      expect(audit!.after).toMatchObject({ endedCertificateId: issued[0]!.id });
    });

    it('refuses a member without an open outflow, and a body with fields', async () => {
      const m = await t.addMember(branchA);
      const res = await issue(officerA, m.id);
      expect(res.statusCode).toBe(409);
      expect(res.json().error.message).toContain('流出登记');
      const o = await outbound(branchA);
      const extra = await officerA.post(`/api/members/${o.id}/certificates`, { number: 'x' });
      expect(extra.statusCode).toBe(400);
    });

    it('numbers 20 concurrent issues 1..20 without gaps or duplicates', async () => {
      const tree = await countyTree('通江', '511921');
      const countyAdmin = await t.login(
        await t.addUser('c-admin-tj', [{ role: 'org_admin', org: tree.root }]),
      );
      const ms = [];
      for (let i = 0; i < 20; i++) ms.push(await outbound(tree.branch));
      const results = await Promise.all(ms.map((m) => issue(countyAdmin, m.id)));
      for (const r of results) expect(r.statusCode, r.body).toBe(200);
      const seqs = results.map((r) => (r.json() as Cert).seq).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const numbers = new Set(results.map((r) => (r.json() as Cert).number));
      expect(numbers.size).toBe(20);
      expect(numbers.has('511921-2026-00020')).toBe(true);
      const [counter] = await t.db
        .select()
        .from(certificateCounter)
        .where(eq(certificateCounter.countyCode, '511921'));
      expect(counter).toMatchObject({ year: 2026, nextSeq: 21 });
    });

    it('does not use up a number when the issue fails (audit write refused)', async () => {
      const tree = await countyTree('平昌', '511923');
      const countyAdmin = await t.login(
        await t.addUser('c-admin-pc', [{ role: 'org_admin', org: tree.root }]),
      );
      const first = await issue(countyAdmin, (await outbound(tree.branch)).id);
      expect(first.json()).toMatchObject({ seq: 1 });
      const failing = await outbound(tree.branch);
      await t.db.execute(
        sql`alter table audit_log add constraint test_refuse_certificate check (action <> 'certificate.issue') not valid`,
      );
      try {
        const res = await issue(countyAdmin, failing.id);
        expect(res.statusCode).toBe(500);
        expect(res.body).not.toMatch(/audit_log|constraint/);
      } finally {
        await t.db.execute(sql`alter table audit_log drop constraint test_refuse_certificate`);
      }
      expect(
        await t.db.select().from(certificate).where(eq(certificate.memberId, failing.id)),
      ).toEqual([]);
      const next = await issue(countyAdmin, failing.id);
      expect(next.statusCode, next.body).toBe(200);
      expect(next.json()).toMatchObject({ seq: 2, number: '511923-2026-00002' });
    });

    it('falls back to county code 000000 when the tree root has no region code', async () => {
      const tree = await countyTree('无代码', null);
      const countyAdmin = await t.login(
        await t.addUser('c-admin-nc', [{ role: 'org_admin', org: tree.root }]),
      );
      const res = await issue(countyAdmin, (await outbound(tree.branch)).id);
      expect(res.json()).toMatchObject({ number: '000000-2026-00001' });
    });

    it('reissues a lost certificate: the old one void, the new number linked, one step', async () => {
      const m = await outbound(branchA);
      const old = (await issue(officerA, m.id)).json() as Cert;
      const res = await officerA.post(`/api/certificates/${old.id}/reissue`, {
        version: 1,
        reason: '在外地遗失',
      });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { old: Cert; new: Cert };
      expect(body.old).toMatchObject({
        id: old.id,
        status: 'void',
        valid: false,
        statusLabel: '已作废（遗失补办）',
        replacedById: body.new.id,
      });
      expect(body.new).toMatchObject({ status: 'issued', valid: true, memberId: m.id });
      expect(body.new.number).not.toBe(old.number);
      expect(body.new.seq).toBe(old.seq + 1);
      expect(await auditOf('certificate.reissue', old.id)).toHaveLength(1);
      expect(await auditOf('certificate.issue', body.new.id)).toHaveLength(1);
      // The voided one cannot be reissued again; a stale version is refused.
      const again = await officerA.post(`/api/certificates/${old.id}/reissue`, {
        version: body.old.version,
      });
      expect(again.statusCode).toBe(409);
      const stale = await officerA.post(`/api/certificates/${body.new.id}/review`, {
        version: 7,
      });
      expect(stale.json().error.code).toBe('version_conflict');
    });

    it('reviews, returns and cancels certificates in hand only', async () => {
      const a = (await issue(officerA, (await outbound(branchA)).id)).json() as Cert;
      const reviewed = await officerA.post(`/api/certificates/${a.id}/review`, { version: 1 });
      expect(reviewed.json()).toMatchObject({ lastReviewedOn: '2026-11-20', version: 2 });
      const returned = await officerA.post(`/api/certificates/${a.id}/return`, { version: 2 });
      expect(returned.json()).toMatchObject({ status: 'returned', valid: false, version: 3 });
      expect(
        (await officerA.post(`/api/certificates/${a.id}/review`, { version: 3 })).statusCode,
      ).toBe(409);

      const b = (await issue(officerA, (await outbound(branchA)).id)).json() as Cert;
      expect(
        (await officerA.post(`/api/certificates/${b.id}/cancel`, { version: 1 })).statusCode,
      ).toBe(400);
      const cancelled = await officerA.post(`/api/certificates/${b.id}/cancel`, {
        version: 1,
        reason: '登记有误',
      });
      expect(cancelled.json()).toMatchObject({ status: 'cancelled', statusLabel: '已注销' });
      const [audit] = await auditOf('certificate.cancel', b.id);
      expect(audit).toMatchObject({ reason: '登记有误' });
      expect(await auditOf('certificate.review', a.id)).toHaveLength(1);
      expect(await auditOf('certificate.return', a.id)).toHaveLength(1);
    });

    it('verifies a number publicly: validity only, no personal data, no session needed', async () => {
      const m = await outbound(branchA, '欧阳公开');
      const c = (await issue(officerA, m.id)).json() as Cert;
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/public/certificates/${c.number}`,
      });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['number', 'statusLabel', 'valid']);
      expect(body).toEqual({ number: c.number, valid: true, statusLabel: '有效' });
      for (const secret of ['欧阳公开', m.id, branchA.name, townA.name, townA.id, c.id])
        expect(res.body).not.toContain(secret);

      const missing = await t.app.inject({
        method: 'GET',
        url: '/api/public/certificates/511922-2026-99999',
      });
      expect(missing.statusCode).toBe(404);
      expect(Object.keys(missing.json())).toEqual(['error']);
    });

    it('shows an overdue certificate as not valid, and valid again after the review', async () => {
      const m = await outbound(branchA);
      const c = (await issue(officerA, m.id)).json() as Cert;
      // Issued 16 months ago and never reviewed: 12 months + 3 months of grace have passed.
      await t.db
        .update(certificate)
        .set({ issuedOn: '2025-07-19' })
        .where(eq(certificate.id, c.id));
      const url = `/api/public/certificates/${c.number}`;
      expect((await t.app.inject({ method: 'GET', url })).json()).toEqual({
        number: c.number,
        valid: false,
        statusLabel: '未按期年审，已失效',
      });
      await t.db
        .update(certificate)
        .set({ issuedOn: '2025-08-20' })
        .where(eq(certificate.id, c.id));
      expect((await t.app.inject({ method: 'GET', url })).json()).toMatchObject({ valid: true });
      await t.db
        .update(certificate)
        .set({ issuedOn: '2025-01-01' })
        .where(eq(certificate.id, c.id));
      const reviewed = await officerA.post(`/api/certificates/${c.id}/review`, { version: 1 });
      expect(reviewed.json()).toMatchObject({ valid: true, validThrough: '2028-02-20' });
      expect((await t.app.inject({ method: 'GET', url })).json()).toMatchObject({ valid: true });
    });

    it('answers 404 outside the home scope and logs the attempt', async () => {
      const m = await outbound(branchA);
      const c = (await issue(officerA, m.id)).json() as Cert;
      const denied = async () =>
        (
          await t.db
            .select()
            .from(auditLog)
            .where(
              and(eq(auditLog.action, 'access.denied'), eq(auditLog.actorUsername, 'c-officer-b')),
            )
        ).length;
      const before = await denied();
      const res = await issue(officerB, (await outbound(branchA)).id);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.message).toBe('党员不存在');
      expect((await officerB.get(`/api/members/${m.id}/certificates`)).statusCode).toBe(404);
      for (const action of ['review', 'return', 'reissue']) {
        const r = await officerB.post(`/api/certificates/${c.id}/${action}`, { version: 1 });
        expect(r.statusCode, action).toBe(404);
        expect(r.json().error.message).toBe('流动党员活动证不存在');
      }
      expect(await denied()).toBe(before + 5);
      // Unchanged by the attempts.
      const [row] = await t.db.select().from(certificate).where(eq(certificate.id, c.id));
      expect(row).toMatchObject({ status: 'issued', version: 1 });
      // A missing id answers the same.
      const none = await officerB.post(`/api/certificates/${crypto.randomUUID()}/review`, {
        version: 1,
      });
      expect(none.json().error.message).toBe('流动党员活动证不存在');
      // Officer B's own members are fine.
      expect((await issue(officerB, (await outbound(branchB)).id)).statusCode).toBe(200);
    });

    it('lets the org department configure the pattern and the grace, audited', async () => {
      expect((await admin.get('/api/certificate-settings')).json()).toEqual({
        pattern: '{county}-{year}-{seq:5}',
        graceMonths: 3,
      });
      expect((await officerA.get('/api/certificate-settings')).statusCode).toBe(403);
      const bad = await admin.request('PUT', '/api/certificate-settings', {
        pattern: '{county}-{seq:5}',
        graceMonths: 3,
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain('年份');
      const ok = await admin.request('PUT', '/api/certificate-settings', {
        pattern: 'LD{county}{yy}{seq:4}',
        graceMonths: 0,
      });
      expect(ok.statusCode, ok.body).toBe(200);
      const c = (await issue(officerA, (await outbound(branchA)).id)).json() as Cert;
      expect(c.number).toMatch(/^LD51192226\d{4}$/);
      expect(c.validThrough).toBe('2027-11-20');
      const [audit] = await auditOf('config.change', 'certificate_pattern');
      expect(audit).toMatchObject({ actorUsername: 'c-admin' });
      await admin.request('PUT', '/api/certificate-settings', {
        pattern: '{county}-{year}-{seq:5}',
        graceMonths: 3,
      });
    });
  });
}
