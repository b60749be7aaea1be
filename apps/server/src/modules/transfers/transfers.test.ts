import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import {
  auditLog,
  certificate,
  member,
  mobility,
  mobilityTransition,
  org,
  transfer,
  transferLetterCounter,
} from '../../db/schema';
import {
  createTestApp,
  testDatabaseKinds,
  type TestApp,
  type TestClient,
  type TestOrg,
} from '../../test/harness';
import { nextTestIdNumber } from '../mobility/mobility.fixtures';
import { addTransferFixture } from './transfers.fixtures';

interface Dto {
  id: string;
  memberId: string;
  memberName: string;
  mobilityId: string | null;
  fromOrgId: string;
  fromOrgName: string;
  toOrgId: string | null;
  toOrgName: string;
  toRegionCode: string | null;
  toRegionName: string | null;
  status: string;
  statusLabel: string;
  letterNumber: string | null;
  letterIssuedOn: string | null;
  dueOn: string | null;
  overdue: boolean;
  overdueDays: number;
  receivedOn: string | null;
  receiptSource: string | null;
  decisionNote: string | null;
  cancelledOn: string | null;
  cancelReason: string | null;
  version: number;
  abilities: { decide: boolean; receive: boolean; recordPaperReceipt: boolean; cancel: boolean };
}
interface Page {
  items: Dto[];
  nextCursor: string | null;
}

const TODAY = '2026-11-20';

for (const kind of testDatabaseKinds()) {
  describe(`transfers [${kind}]`, () => {
    let t: TestApp;
    let county: TestOrg, townA: TestOrg, branchA: TestOrg, townB: TestOrg, branchB: TestOrg;
    let otherCounty: TestOrg, townC: TestOrg, branchC: TestOrg;
    let admin: TestClient, officerA: TestClient, officerB: TestClient, officerC: TestClient;
    let branchOfficerA: TestClient, liaisonA: TestClient;

    /** A county root with its GB/T 2260 code. */
    async function countyRoot(name: string, regionCode: string) {
      const root = await t.addOrg(null, name);
      await t.db.update(org).set({ regionCode }).where(eq(org.id, root.id));
      return root;
    }

    beforeAll(async () => {
      // 23:40 in Beijing on 2026-11-20 (see the overdue test at the end).
      t = await createTestApp(kind, { now: '2026-11-20T15:40:00Z' });
      // 南江县 and 通江县 are both in 巴中市 (5119): a letter between them is "within the city".
      county = await countyRoot('南江县委', '511922');
      townA = await t.addOrg(county, '甲镇党委');
      branchA = await t.addOrg(townA, '甲村党支部', 'branch');
      townB = await t.addOrg(county, '乙镇党委');
      branchB = await t.addOrg(townB, '乙村党支部', 'branch');
      otherCounty = await countyRoot('通江县委', '511921');
      townC = await t.addOrg(otherCounty, '丙镇党委');
      branchC = await t.addOrg(townC, '丙村党支部', 'branch');
      admin = await t.login(await t.addUser('tr-admin', [{ role: 'org_admin', org: county }]));
      officerA = await t.login(
        await t.addUser('tr-officer-a', [{ role: 'committee_officer', org: townA }]),
      );
      officerB = await t.login(
        await t.addUser('tr-officer-b', [{ role: 'committee_officer', org: townB }]),
      );
      officerC = await t.login(
        await t.addUser('tr-officer-c', [{ role: 'committee_officer', org: townC }]),
      );
      branchOfficerA = await t.login(
        await t.addUser('tr-branch-a', [{ role: 'branch_officer', org: branchA }]),
      );
      liaisonA = await t.login(await t.addUser('tr-liaison-a', [{ role: 'liaison', org: townA }]));
    });
    afterAll(() => t.close());

    const auditOf = (action: string, targetId: string) =>
      t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, action), eq(auditLog.targetId, targetId)));
    const memberRow = async (id: string) =>
      (await t.db.select().from(member).where(eq(member.id, id)))[0]!;
    const transferRow = async (id: string) =>
      (await t.db.select().from(transfer).where(eq(transfer.id, id)))[0]!;
    const ok = (res: { statusCode: number; body: string }) => {
      expect(res.statusCode, res.body).toBe(200);
      return JSON.parse(res.body) as Dto;
    };

    /** A member of `home` with an open outflow and, when asked, a certificate in hand. */
    async function outbound(home: TestOrg, o: { name?: string; certificate?: boolean } = {}) {
      const m = await t.addMember(home, {
        name: o.name ?? `转接党员${crypto.randomUUID().slice(0, 4)}`,
        idNumber: nextTestIdNumber(),
      });
      const [mob] = await t.db
        .insert(mobility)
        .values({
          memberId: m.id,
          direction: 'outflow',
          status: 'serving',
          homeOrgId: home.id,
          registeredOn: '2026-03-01',
          leftOn: '2026-03-02',
          reason: 'work',
          destinationRegionCode: '511921',
        })
        .returning();
      let certificateId: string | null = null;
      if (o.certificate) {
        const [c] = await t.db
          .insert(certificate)
          .values({
            number: `测试证-${crypto.randomUUID().slice(0, 8)}`,
            countyCode: '999998',
            year: 2026,
            seq: Math.floor(Math.random() * 1e9) + 1,
            memberId: m.id,
            mobilityId: mob!.id,
            status: 'issued',
            issuedOn: '2026-03-05',
            issuedByOrgId: townA.id,
          })
          .returning();
        certificateId = c!.id;
      }
      return { ...m, mobilityId: mob!.id, certificateId };
    }

    const requestTo = (client: TestClient, memberId: string, to: Record<string, unknown>) =>
      client.post('/api/transfers', { memberId, reason: '长期在外地工作，组织关系随迁', ...to });
    const approve = (client: TestClient, id: string, version: number) =>
      client.post(`/api/transfers/${id}/decision`, { decision: 'approve', version });

    it('moves the member to an org in the system only at the receipt, in one step', async () => {
      const m = await outbound(branchA, { name: '蒲转接', certificate: true });
      await t.db
        .update(member)
        .set({ birthDate: '1986-05-12', ethnicity: '汉族' })
        .where(eq(member.id, m.id));
      const before = await memberRow(m.id);

      const requested = ok(await requestTo(branchOfficerA, m.id, { toOrgId: branchC.id }));
      expect(requested).toMatchObject({
        status: 'requested',
        statusLabel: '待审批',
        memberId: m.id,
        memberName: '蒲转接',
        mobilityId: m.mobilityId,
        fromOrgId: branchA.id,
        fromOrgName: '甲村党支部',
        toOrgId: branchC.id,
        toOrgName: '丙村党支部',
        toRegionCode: '511921',
        letterNumber: null,
        version: 1,
        // A branch officer asks; the committee decides.
        abilities: { decide: false, receive: false, recordPaperReceipt: false, cancel: true },
      });
      expect(await auditOf('transfer.request', requested.id)).toHaveLength(1);
      // The receiving side sees the incoming request, and may do nothing with it yet.
      const incoming = (await officerC.get('/api/transfers?side=in')).json() as Page;
      expect(incoming.items.map((i) => i.id)).toEqual([requested.id]);
      expect(incoming.items[0]!.abilities).toEqual({
        decide: false,
        receive: false,
        recordPaperReceipt: false,
        cancel: false,
      });
      expect((await officerC.get('/api/transfers?side=out')).json().items).toEqual([]);

      // The receiving side cannot approve: 403 (it sees the record), logged.
      const byReceiver = await approve(officerC, requested.id, 1);
      expect(byReceiver.statusCode).toBe(403);
      const approved = ok(await approve(officerA, requested.id, 1));
      expect(approved).toMatchObject({
        status: 'approved',
        letterNumber: '南江组转〔2026〕1号',
        letterIssuedOn: TODAY,
        // Within the city (巴中市): 10 days by default.
        dueOn: '2026-11-30',
        overdue: false,
        version: 2,
        abilities: { decide: false, receive: false, recordPaperReceipt: true, cancel: true },
      });
      expect(await auditOf('transfer.approve', requested.id)).toHaveLength(1);

      // The home org stays responsible until the receipt (条例 Art. 25): nothing has moved.
      expect(await memberRow(m.id)).toMatchObject({ orgId: branchA.id, version: before.version });
      expect((await officerC.get(`/api/members/${m.id}`)).statusCode).toBe(404);
      const [openMob] = await t.db.select().from(mobility).where(eq(mobility.id, m.mobilityId));
      expect(openMob).toMatchObject({ status: 'serving' });

      // The printed letter: masked ID number only, and the view is audited.
      const letterRes = await officerA.get(`/api/transfers/${requested.id}/letter`);
      expect(letterRes.statusCode, letterRes.body).toBe(200);
      const letter = letterRes.json();
      expect(letter.member).toMatchObject({
        name: '蒲转接',
        gender: '男',
        age: 40,
        ethnicity: '汉族',
        membership: '正式党员',
      });
      expect(letter.member.idNumberMasked).toMatch(/^510104\*{8}\d{3}[\dX]$/);
      expect(letter.issuingOrgName).toBe('甲镇党委');
      const views = await auditOf('member.view', m.id);
      expect(views).toHaveLength(1);
      expect(views[0]!.after).toMatchObject({ via: 'transfer_letter', transferId: requested.id });

      const fromReceiver = (await officerC.get(`/api/transfers/${requested.id}`)).json() as Dto;
      expect(fromReceiver.abilities).toMatchObject({ receive: true, recordPaperReceipt: false });
      const received = ok(
        await officerC.post(`/api/transfers/${requested.id}/receipt`, {
          source: 'system',
          receivedOn: TODAY,
          note: '已到支部报到',
          version: 2,
        }),
      );
      expect(received).toMatchObject({
        status: 'completed',
        statusLabel: '已接收',
        receivedOn: TODAY,
        receiptSource: 'system',
        version: 3,
      });

      expect(await memberRow(m.id)).toMatchObject({
        orgId: branchC.id,
        version: before.version + 1,
      });
      const [ended] = await t.db.select().from(mobility).where(eq(mobility.id, m.mobilityId));
      expect(ended).toMatchObject({ status: 'transferred', endedOn: TODAY });
      const steps = await t.db
        .select()
        .from(mobilityTransition)
        .where(eq(mobilityTransition.mobilityId, m.mobilityId));
      expect(steps).toHaveLength(1);
      expect(steps[0]).toMatchObject({ fromStatus: 'serving', toStatus: 'transferred' });
      expect(steps[0]!.note).toContain('丙村党支部');
      expect(steps[0]!.note).toContain('南江组转〔2026〕1号');
      const [cert] = await t.db
        .select()
        .from(certificate)
        .where(eq(certificate.id, m.certificateId!));
      expect(cert).toMatchObject({
        status: 'returned',
        endedOn: TODAY,
        endReason: '组织关系已转接',
        version: 2,
      });
      const [receipt] = await auditOf('transfer.receive', requested.id);
      expect(receipt).toMatchObject({ result: 'success', actorUsername: 'tr-officer-c' });
      expect(receipt!.after).toMatchObject({
        memberOrgId: branchC.id,
        endedMobilityId: m.mobilityId,
        returnedCertificateId: m.certificateId,
      });
      expect(JSON.stringify(receipt)).not.toContain('蒲转接');

      // The receiving org now owns the record; the sending side no longer sees the member but
      // keeps the transfer in its ledger.
      expect((await officerC.get(`/api/members/${m.id}`)).statusCode).toBe(200);
      expect((await officerA.get(`/api/members/${m.id}`)).statusCode).toBe(404);
      const history = ok(await officerA.get(`/api/transfers/${requested.id}`));
      expect(history).toMatchObject({ status: 'completed', abilities: { cancel: false } });
    });

    it('completes a transfer outside the system from the paper receipt', async () => {
      const m = await outbound(branchA, { name: '欧阳外转' });
      const requested = ok(
        await requestTo(officerA, m.id, {
          toOrgText: '中共深圳市南山区粤海街道科技园社区委员会',
          toRegionCode: '440305',
        }),
      );
      expect(requested).toMatchObject({
        toOrgId: null,
        toOrgName: '中共深圳市南山区粤海街道科技园社区委员会',
        toRegionCode: '440305',
      });
      expect(requested.toRegionName).toContain('南山区');
      const approved = ok(await approve(admin, requested.id, 1));
      // Elsewhere: 30 days by default.
      expect(approved).toMatchObject({ dueOn: '2026-12-20' });
      expect(approved.letterNumber).toMatch(/^南江组转〔2026〕\d+号$/);

      // Nobody in the system can confirm it: the sending side records the paper receipt.
      const bySystem = await officerA.post(`/api/transfers/${requested.id}/receipt`, {
        source: 'system',
        receivedOn: TODAY,
        version: 2,
      });
      expect(bySystem.statusCode).toBe(400);
      const early = await officerA.post(`/api/transfers/${requested.id}/receipt`, {
        source: 'paper',
        receivedOn: '2026-11-19',
        version: 2,
      });
      expect(early.statusCode).toBe(400);
      expect(early.json().error.message).toContain('不能早于介绍信开具日期');
      const future = await officerA.post(`/api/transfers/${requested.id}/receipt`, {
        source: 'paper',
        receivedOn: '2026-11-21',
        version: 2,
      });
      expect(future.json().error.message).toContain('不能晚于今天');
      // A liaison reads but does not record receipts.
      expect(
        (
          await liaisonA.post(`/api/transfers/${requested.id}/receipt`, {
            source: 'paper',
            receivedOn: TODAY,
            version: 2,
          })
        ).statusCode,
      ).toBe(403);

      const done = ok(
        await branchOfficerA.post(`/api/transfers/${requested.id}/receipt`, {
          source: 'paper',
          receivedOn: TODAY,
          version: 2,
        }),
      );
      expect(done).toMatchObject({ status: 'completed', receiptSource: 'paper' });
      expect(await memberRow(m.id)).toMatchObject({ orgId: null });
      const [ended] = await t.db.select().from(mobility).where(eq(mobility.id, m.mobilityId));
      expect(ended).toMatchObject({ status: 'transferred' });
      // The member has left our scopes; the history stays with the sending side.
      expect((await officerA.get(`/api/members/${m.id}`)).statusCode).toBe(404);
      expect(ok(await officerA.get(`/api/transfers/${requested.id}`)).status).toBe('completed');
    });

    it('rejects with a reason; a decided transfer cannot be decided or received again', async () => {
      const m = await t.addMember(branchA);
      const r = ok(await requestTo(officerA, m.id, { toOrgId: branchB.id }));
      const noReason = await officerA.post(`/api/transfers/${r.id}/decision`, {
        decision: 'reject',
        version: 1,
      });
      expect(noReason.statusCode).toBe(400);
      const rejected = ok(
        await officerA.post(`/api/transfers/${r.id}/decision`, {
          decision: 'reject',
          note: '材料不全，请补充后重新申请',
          version: 1,
        }),
      );
      expect(rejected).toMatchObject({
        status: 'rejected',
        statusLabel: '未批准',
        decisionNote: '材料不全，请补充后重新申请',
        letterNumber: null,
        abilities: { decide: false, receive: false, recordPaperReceipt: false, cancel: false },
      });
      const [audit] = await auditOf('transfer.reject', r.id);
      expect(audit).toMatchObject({ reason: '材料不全，请补充后重新申请' });
      const again = await approve(officerA, r.id, 2);
      expect(again.statusCode).toBe(409);
      expect(again.json().error.message).toContain('未批准');
      const receipt = await officerA.post(`/api/transfers/${r.id}/receipt`, {
        source: 'paper',
        receivedOn: TODAY,
        version: 2,
      });
      expect(receipt.statusCode).toBe(409);
      const letter = await officerA.get(`/api/transfers/${r.id}/letter`);
      expect(letter.statusCode).toBe(409);
      // A rejected transfer is closed: a new request may follow.
      expect((await requestTo(officerA, m.id, { toOrgId: branchB.id })).statusCode).toBe(200);
    });

    it('cancels a request or an unused letter from the sending side only', async () => {
      const m = await outbound(branchA);
      const r = ok(await requestTo(officerA, m.id, { toOrgId: branchC.id }));
      // The receiving side sees it but cannot withdraw it.
      const byReceiver = await officerC.post(`/api/transfers/${r.id}/cancel`, {
        reason: '不接收',
        version: 1,
      });
      expect(byReceiver.statusCode).toBe(403);
      const letterBefore = await officerA.get(`/api/transfers/${r.id}/letter`);
      expect(letterBefore.statusCode).toBe(409);
      expect(letterBefore.json().error.message).toContain('尚未批准');
      ok(await approve(officerA, r.id, 1));
      const cancelled = ok(
        await branchOfficerA.post(`/api/transfers/${r.id}/cancel`, {
          reason: '党员改变主意，暂不转接',
          version: 2,
        }),
      );
      expect(cancelled).toMatchObject({
        status: 'cancelled',
        cancelledOn: TODAY,
        cancelReason: '党员改变主意，暂不转接',
        version: 3,
      });
      const [audit] = await auditOf('transfer.cancel', r.id);
      expect(audit).toMatchObject({ reason: '党员改变主意，暂不转接' });
      // The member and the outflow are untouched; the letter can no longer be received.
      expect(await memberRow(m.id)).toMatchObject({ orgId: branchA.id, version: 1 });
      const [mob] = await t.db.select().from(mobility).where(eq(mobility.id, m.mobilityId));
      expect(mob).toMatchObject({ status: 'serving' });
      const late = await officerC.post(`/api/transfers/${r.id}/receipt`, {
        source: 'system',
        receivedOn: TODAY,
        version: 3,
      });
      expect(late.statusCode).toBe(409);
      expect(
        (await officerA.post(`/api/transfers/${r.id}/cancel`, { reason: '再撤', version: 3 }))
          .statusCode,
      ).toBe(409);
    });

    it('numbers concurrent approvals 1..n without gaps, and a failed approval uses none', async () => {
      const root = await countyRoot('恩阳区委', '511903');
      const town = await t.addOrg(root, '恩阳某镇党委');
      const branch = await t.addOrg(town, '恩阳某村党支部', 'branch');
      const boss = await t.login(
        await t.addUser('tr-admin-ey', [{ role: 'org_admin', org: root }]),
      );
      const requests: Dto[] = [];
      for (let i = 0; i < 8; i++)
        requests.push(
          ok(await requestTo(boss, (await t.addMember(branch)).id, { toOrgId: branchC.id })),
        );
      const results = await Promise.all(requests.map((r) => approve(boss, r.id, 1)));
      const seqs = results
        .map((r) => ok(r).letterNumber!)
        .map((n) => Number(/〔2026〕(\d+)号$/.exec(n)![1]))
        .sort((a, b) => a - b);
      expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(new Set(results.map((r) => ok(r).letterNumber)).size).toBe(8);
      const [counter] = await t.db
        .select()
        .from(transferLetterCounter)
        .where(eq(transferLetterCounter.countyCode, '511903'));
      expect(counter).toMatchObject({ year: 2026, nextSeq: 9 });

      const failing = ok(
        await requestTo(boss, (await t.addMember(branch)).id, { toOrgId: branchC.id }),
      );
      await t.db.execute(
        sql`alter table audit_log add constraint test_refuse_transfer_approve check (action <> 'transfer.approve') not valid`,
      );
      try {
        const res = await approve(boss, failing.id, 1);
        expect(res.statusCode).toBe(500);
        expect(res.body).not.toMatch(/audit_log|constraint/);
      } finally {
        await t.db.execute(sql`alter table audit_log drop constraint test_refuse_transfer_approve`);
      }
      expect(await transferRow(failing.id)).toMatchObject({
        status: 'requested',
        letterNumber: null,
        version: 1,
      });
      expect(ok(await approve(boss, failing.id, 1)).letterNumber).toBe('恩阳组转〔2026〕9号');
    });

    it('allows one open transfer per member, also when two requests race', async () => {
      const m = await t.addMember(branchA);
      ok(await requestTo(officerA, m.id, { toOrgId: branchB.id }));
      const second = await requestTo(branchOfficerA, m.id, { toOrgId: branchC.id });
      expect(second.statusCode).toBe(409);
      expect(second.json().error.message).toContain('已有正在办理的组织关系转接');

      const racer = await t.addMember(branchA);
      const both = await Promise.all([
        requestTo(officerA, racer.id, { toOrgId: branchB.id }),
        requestTo(branchOfficerA, racer.id, { toOrgId: branchC.id }),
      ]);
      expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      const rows = await t.db.select().from(transfer).where(eq(transfer.memberId, racer.id));
      expect(rows).toHaveLength(1);
    });

    it('refuses a stale version with 409 and changes nothing', async () => {
      const m = await t.addMember(branchA);
      const r = ok(await requestTo(officerA, m.id, { toOrgId: branchB.id }));
      const [first, second] = await Promise.all([
        approve(officerA, r.id, 1),
        officerA.post(`/api/transfers/${r.id}/cancel`, { reason: '重复申请', version: 1 }),
      ]);
      const codes = [first.statusCode, second.statusCode].sort();
      expect(codes).toEqual([200, 409]);
      const loser = first.statusCode === 409 ? first : second;
      expect(loser.json().error.code).toBe('version_conflict');
      expect((await transferRow(r.id)).version).toBe(2);
    });

    it('checks the request: member in scope, a real destination that takes members', async () => {
      const m = await t.addMember(branchA);
      const temp = await t.addOrg(townA, '赴深圳临时党支部', 'temporary_branch');
      const dissolved = await t.addOrg(townC, '已撤销村党支部', 'branch');
      await t.db.update(org).set({ dissolvedOn: '2026-01-01' }).where(eq(org.id, dissolved.id));
      for (const [to, message] of [
        [{ toOrgId: branchA.id }, '不能是党员现在的'],
        [{ toOrgId: temp.id }, '临时党支部'],
        [{ toOrgId: townC.id }, '党支部'],
        [{ toOrgId: dissolved.id }, '已撤销'],
        [{ toOrgId: crypto.randomUUID() }, '不存在'],
        [{ toOrgText: '某地党支部', toRegionCode: '999999' }, '不存在'],
      ] as const) {
        const res = await requestTo(officerA, m.id, to);
        expect(res.statusCode, JSON.stringify(to)).toBe(400);
        expect(res.json().error.message).toContain(message);
      }
      // The contract: one destination, and a region for one outside the system.
      expect((await requestTo(officerA, m.id, { toOrgText: '某地党支部' })).statusCode).toBe(400);
      expect(
        (await requestTo(officerA, m.id, { toOrgId: branchB.id, toOrgText: 'x' })).statusCode,
      ).toBe(400);
      // Fields the client may not set (SECURITY.md 11).
      expect(
        (await requestTo(officerA, m.id, { toOrgId: branchB.id, status: 'approved' })).statusCode,
      ).toBe(400);
      // A member of another town is not found, and the attempt is logged.
      const res = await requestTo(officerB, m.id, { toOrgId: branchC.id });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.message).toBe('党员不存在');
      expect(await t.db.select().from(transfer).where(eq(transfer.memberId, m.id))).toEqual([]);
    });

    it('answers 404 to a sibling org’s officer on every route, and logs it', async () => {
      const m = await outbound(branchA);
      const r = await addTransferFixture(t, {
        memberId: m.id,
        fromOrgId: branchA.id,
        status: 'approved',
      });
      const denials = async () =>
        (
          await t.db
            .select()
            .from(auditLog)
            .where(
              and(eq(auditLog.action, 'access.denied'), eq(auditLog.actorUsername, 'tr-officer-b')),
            )
        ).length;
      const before = await denials();
      const attempts = [
        officerB.get(`/api/transfers/${r.id}`),
        officerB.get(`/api/transfers/${r.id}/letter`),
        approve(officerB, r.id, 1),
        officerB.post(`/api/transfers/${r.id}/receipt`, {
          source: 'paper',
          receivedOn: TODAY,
          version: 1,
        }),
        officerB.post(`/api/transfers/${r.id}/cancel`, { reason: '越权', version: 1 }),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res.statusCode).toBe(404);
        expect(res.json().error.message).toBe('组织关系转接记录不存在');
      }
      expect(await denials()).toBe(before + attempts.length);
      const missing = await officerB.get(`/api/transfers/${crypto.randomUUID()}`);
      expect(missing.json().error.message).toBe('组织关系转接记录不存在');
      const list = (await officerB.get(`/api/transfers?memberId=${m.id}`)).json() as Page;
      expect(list.items).toEqual([]);
      expect(await transferRow(r.id)).toMatchObject({ status: 'approved', version: 1 });
    });

    it('leaves everything as it was when a step of the receipt fails (SECURITY.md 28)', async () => {
      const m = await outbound(branchA, { certificate: true });
      const r = ok(await requestTo(officerA, m.id, { toOrgId: branchC.id }));
      ok(await approve(officerA, r.id, 1));
      const snapshot = async () => ({
        transfer: await transferRow(r.id),
        member: await memberRow(m.id),
        mobility: (await t.db.select().from(mobility).where(eq(mobility.id, m.mobilityId)))[0],
        steps: await t.db
          .select()
          .from(mobilityTransition)
          .where(eq(mobilityTransition.mobilityId, m.mobilityId)),
        certificate: (
          await t.db.select().from(certificate).where(eq(certificate.id, m.certificateId!))
        )[0],
      });
      const before = await snapshot();
      // The certificate is handed back after the transfer, the member and the outflow have
      // changed: a fault there must undo them all.
      const memberId = m.id.replace(/[^0-9a-f-]/g, '');
      await t.db.execute(
        sql.raw(`create function test_refuse_certificate() returns trigger language plpgsql as $$
          begin
            if new.member_id = '${memberId}' then raise exception 'injected fault'; end if;
            return new;
          end $$`),
      );
      await t.db.execute(
        sql.raw(`create trigger test_refuse_certificate before update on certificate
          for each row execute function test_refuse_certificate()`),
      );
      try {
        const res = await officerC.post(`/api/transfers/${r.id}/receipt`, {
          source: 'system',
          receivedOn: TODAY,
          version: 2,
        });
        expect(res.statusCode).toBe(500);
        expect(res.body).not.toContain('injected');
      } finally {
        await t.db.execute(sql.raw('drop trigger test_refuse_certificate on certificate'));
        await t.db.execute(sql.raw('drop function test_refuse_certificate()'));
      }
      expect(await snapshot()).toEqual(before);
      expect(before.transfer).toMatchObject({ status: 'approved', version: 2 });
      expect(before.member).toMatchObject({ orgId: branchA.id });
      expect(await auditOf('transfer.receive', r.id)).toEqual([]);

      // Without the fault the same receipt goes through.
      ok(
        await officerC.post(`/api/transfers/${r.id}/receipt`, {
          source: 'system',
          receivedOn: TODAY,
          version: 2,
        }),
      );
      expect(await memberRow(m.id)).toMatchObject({ orgId: branchC.id });
    });

    it('searches by name, pinyin, initials and letter number, and pages without duplicates', async () => {
      const root = await countyRoot('平昌县委', '511923');
      const town = await t.addOrg(root, '平昌某镇党委');
      const branch = await t.addOrg(town, '平昌某村党支部', 'branch');
      const boss = await t.login(
        await t.addUser('tr-admin-pc', [{ role: 'org_admin', org: root }]),
      );
      const named = await t.addMember(branch, { name: '司马迁转' });
      const r = ok(await requestTo(boss, named.id, { toOrgId: branchC.id }));
      const letter = ok(await approve(boss, r.id, 1)).letterNumber!;
      for (let i = 0; i < 4; i++)
        ok(await requestTo(boss, (await t.addMember(branch)).id, { toOrgId: branchC.id }));
      const find = async (q: string) =>
        ((await boss.get(`/api/transfers?q=${encodeURIComponent(q)}`)).json() as Page).items.map(
          (i) => i.id,
        );
      expect(await find('司马')).toEqual([r.id]);
      expect(await find('simaqian')).toEqual([r.id]);
      expect(await find('smq')).toEqual([r.id]);
      expect(await find(letter)).toEqual([r.id]);
      expect(await find('无此人')).toEqual([]);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await boss.get(
          `/api/transfers?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        const page = res.json() as Page;
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(5);
      expect(new Set(seen).size).toBe(5);
      expect((await boss.get('/api/transfers?cursor=garbage')).statusCode).toBe(400);
    });

    it('reads the letter limits for everyone, and lets the org department change them', async () => {
      expect((await liaisonA.get('/api/transfer-settings')).json()).toEqual({
        withinCityDays: 10,
        elsewhereDays: 30,
      });
      expect(
        (
          await officerA.request('PUT', '/api/transfer-settings', {
            withinCityDays: 15,
            elsewhereDays: 60,
          })
        ).statusCode,
      ).toBe(403);
      const tooLong = await admin.request('PUT', '/api/transfer-settings', {
        withinCityDays: 15,
        elsewhereDays: 91,
      });
      expect(tooLong.statusCode).toBe(400);
      const changed = await admin.request('PUT', '/api/transfer-settings', {
        withinCityDays: 15,
        elsewhereDays: 60,
      });
      expect(changed.statusCode, changed.body).toBe(200);
      const [audit] = await auditOf('config.change', 'transfer_limits');
      expect(audit).toMatchObject({
        actorUsername: 'tr-admin',
        before: { withinCityDays: 10, elsewhereDays: 30 },
        after: { withinCityDays: 15, elsewhereDays: 60 },
      });
      try {
        const m = await t.addMember(branchA);
        const r = ok(await requestTo(officerA, m.id, { toOrgId: branchC.id }));
        expect(ok(await approve(officerA, r.id, 1)).dueOn).toBe('2026-12-05');
      } finally {
        await admin.request('PUT', '/api/transfer-settings', {
          withinCityDays: 10,
          elsewhereDays: 30,
        });
      }
    });

    // Last: it moves the clock past midnight in Beijing.
    it('lists overdue letters by the China date of the clock, with the days overdue', async () => {
      const root = await countyRoot('巴州区委', '511902');
      const town = await t.addOrg(root, '巴州某镇党委');
      const branch = await t.addOrg(town, '巴州某村党支部', 'branch');
      const boss = await t.login(
        await t.addUser('tr-admin-bz', [{ role: 'org_admin', org: root }]),
      );
      const ids: Record<string, string> = {};
      for (const [key, dueOn] of [
        ['yesterday', '2026-11-19'],
        ['today', TODAY],
        ['tenDays', '2026-11-10'],
      ] as const) {
        const m = await t.addMember(branch);
        const r = ok(await requestTo(boss, m.id, { toOrgId: branchC.id }));
        ok(await approve(boss, r.id, 1));
        await t.db.update(transfer).set({ dueOn }).where(eq(transfer.id, r.id));
        ids[key] = r.id;
      }
      const waiting = ok(
        await requestTo(boss, (await t.addMember(branch)).id, { toOrgId: branchC.id }),
      );
      const overdue = (await boss.get('/api/transfers?overdue=true')).json() as Page;
      expect(overdue.items.map((i) => [i.id, i.overdue, i.overdueDays]).sort()).toEqual(
        [
          [ids.tenDays, true, 10],
          [ids.yesterday, true, 1],
        ].sort(),
      );
      const notOverdue = (await boss.get('/api/transfers?overdue=false')).json() as Page;
      expect(notOverdue.items.map((i) => i.id).sort()).toEqual([ids.today, waiting.id].sort());
      // The China date: 16:01 UTC on the 20th is already the 21st in Beijing. (The suite starts
      // at 23:40 Beijing time, so this step stays within the sessions' idle timeout.)
      const saved = t.clock.now();
      expect(saved.toISOString() < '2026-11-20T16:01:00.000Z').toBe(true);
      t.clock.set('2026-11-20T16:01:00Z');
      try {
        const later = (await boss.get('/api/transfers?overdue=true&side=out')).json() as Page;
        expect(later.items.map((i) => i.id).sort()).toEqual(
          [ids.tenDays, ids.yesterday, ids.today].sort(),
        );
        expect(later.items.find((i) => i.id === ids.tenDays)!.overdueDays).toBe(11);
      } finally {
        t.clock.set(saved);
      }
      // The receiving side sees the same letters as overdue incoming ones.
      const incoming = (await officerC.get('/api/transfers?side=in&overdue=true')).json() as Page;
      expect(incoming.items.map((i) => i.id)).toEqual(
        expect.arrayContaining([ids.tenDays, ids.yesterday]),
      );
    });
  });
}
