import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { auditLog, mobility, smsBroadcast, smsMessage } from '../../db/schema';
import { queryRows } from '../../platform/db';
import { SESSION_COOKIE } from '../../platform/session-token';
import { createAliyunDriver } from '../../platform/sms';
import { startFakeAliyunSms, type FakeAliyunSms } from '../../test/fake-aliyun-sms';
import {
  createTestApp,
  testConfig,
  testDatabaseKinds,
  type TestApp,
  type TestClient,
  type TestOrg,
} from '../../test/harness';
import { dispatchSms } from './sms.dispatch';
import { ensureDefaultSmsTemplates } from './sms.templates';

// Synthetic people, numbers and credentials only.
const KEY = { accessKeyId: 'LTAIbroadcastTest1', accessKeySecret: 'broadcast-test-secret-7q' };
const P = (n: number) => `1391111${String(n).padStart(4, '0')}`;

interface Template {
  id: string;
  name: string;
  kind: string;
  body: string;
  variables: string[];
  providerTemplateCode: string | null;
  active: boolean;
  version: number;
}
interface Preview {
  recipients: number;
  withoutPhone: number;
  optedOut: number;
  sample: string;
  segments: number;
  missingVariables: string[];
  remainingToday: number;
}
interface OutboxItem {
  id: string;
  phoneMasked: string;
  recipientName: string | null;
  body: string;
  status: string;
  statusLabel: string;
  provider: string | null;
  sentAt: string | null;
}

for (const kind of testDatabaseKinds()) {
  describe(`SMS templates, broadcasts, outbox and opt-out [${kind}]`, () => {
    let t: TestApp;
    let fake: FakeAliyunSms;
    let county: TestOrg, townA: TestOrg, branchA: TestOrg, townB: TestOrg, branchB: TestOrg;
    let otherCounty: TestOrg;
    let admin: TestClient, officerA: TestClient, officerB: TestClient, branchOfficer: TestClient;
    let liaisonA: TestClient;
    const members: Record<string, string> = {};
    let greeting: Template;

    async function outbound(
      home: TestOrg | null,
      name: string,
      o: {
        phone?: string;
        dest?: string;
        direction?: 'outflow' | 'inflow';
        host?: TestOrg;
        status?: string;
      } = {},
    ) {
      const m = await t.addMember(home, { name, phone: o.phone });
      await t.db.insert(mobility).values({
        memberId: m.id,
        direction: o.direction ?? 'outflow',
        status: o.status ?? 'registered',
        homeOrgId: home?.id ?? null,
        homeOrgText: home ? null : '外县某村党支部',
        registeredOn: '2026-03-01',
        leftOn: '2026-03-01',
        destinationRegionCode: o.dest ?? null,
        hostOrgId: o.host?.id ?? null,
        reason: 'work',
        endedOn: o.status === 'returned' ? '2026-10-01' : null,
      });
      members[name] = m.id;
      return m.id;
    }

    const preview = (c: TestClient, body: unknown) => c.post('/api/sms/broadcasts/preview', body);
    const filterA = (extra: Record<string, unknown> = {}) => ({ orgId: townA.id, ...extra });

    beforeAll(async () => {
      t = await createTestApp(kind, { now: '2026-11-21T02:00:00Z' });
      fake = await startFakeAliyunSms(KEY);
      await ensureDefaultSmsTemplates(t.db);
      county = await t.addOrg(null, '南岭县委');
      townA = await t.addOrg(county, '甲镇党委');
      branchA = await t.addOrg(townA, '甲村党支部', 'branch');
      townB = await t.addOrg(county, '乙镇党委');
      branchB = await t.addOrg(townB, '乙村党支部', 'branch');
      otherCounty = await t.addOrg(null, '北山县委');
      admin = await t.login(await t.addUser('smsadmin', [{ role: 'org_admin', org: county }]));
      officerA = await t.login(
        await t.addUser('smsofficera', [{ role: 'committee_officer', org: townA }]),
      );
      officerB = await t.login(
        await t.addUser('smsofficerb', [{ role: 'committee_officer', org: townB }]),
      );
      branchOfficer = await t.login(
        await t.addUser('smsbranch', [{ role: 'branch_officer', org: branchA }]),
      );
      liaisonA = await t.login(await t.addUser('smsliaison', [{ role: 'liaison', org: branchA }]));

      await outbound(branchA, '甲一', { phone: P(1), dest: '440305' }); // 深圳市南山区
      await outbound(branchA, '甲二', { phone: P(2), dest: '440106' }); // 广州市天河区
      await outbound(branchA, '甲三', { phone: P(3), dest: '510104' }); // 成都市锦江区
      await outbound(branchA, '甲四', { dest: '440305' }); // no phone
      await outbound(branchA, '甲五', { phone: P(5), dest: '440305', status: 'returned' });
      members['甲六'] = (await t.addMember(townA, { name: '甲六', phone: P(6) })).id; // not mobile
      // Arrived from another county, hosted by 甲村: reached through the host side.
      await outbound(null, '外来七', {
        phone: P(7),
        direction: 'inflow',
        host: branchA,
        dest: '330106',
      });
      await outbound(branchB, '乙八', { phone: P(8), dest: '440305' });

      const list = (await admin.get('/api/sms/templates')).json() as { items: Template[] };
      greeting = list.items.find((x) => x.name === '节日问候')!;
    });
    afterAll(async () => {
      await fake.close();
      await t.close();
    });

    describe('templates', () => {
      it('lists the default templates with their variables', async () => {
        const res = await officerA.get('/api/sms/templates');
        expect(res.statusCode).toBe(200);
        const items = (res.json() as { items: Template[] }).items;
        expect(items.map((x) => x.name).sort()).toEqual(
          ['联系提醒', '失联预警', '节日问候', '学习通知'].sort(),
        );
        expect(greeting).toMatchObject({
          kind: 'broadcast',
          variables: ['name', 'festival'],
          active: true,
          version: 1,
        });
        // Idempotent: a second start creates nothing.
        expect(await ensureDefaultSmsTemplates(t.db)).toEqual([]);
        expect((await branchOfficer.get('/api/sms/templates')).statusCode).toBe(403);
      });

      it('creates, validates and edits templates (org department only)', async () => {
        const body = {
          name: '组织生活通知',
          kind: 'notice',
          body: '${name}同志：请于${date}参加${topic}。',
        };
        expect((await officerA.post('/api/sms/templates', body)).statusCode).toBe(403);
        const created = await admin.post('/api/sms/templates', body);
        expect(created.statusCode).toBe(200);
        const tpl = created.json() as Template;
        expect(tpl).toMatchObject({ variables: ['name', 'date', 'topic'], version: 1 });

        const dup = await admin.post('/api/sms/templates', body);
        expect(dup.statusCode).toBe(409);
        expect(dup.json().error.message).toContain('同名');

        const bad = await admin.post('/api/sms/templates', {
          ...body,
          name: '坏模板',
          body: '${ name}同志',
        });
        expect(bad.statusCode).toBe(400);
        expect(bad.json().error.details[0].path).toBe('body');
        const unclosed = await admin.post('/api/sms/templates', {
          ...body,
          name: '坏模板',
          body: '${name同志',
        });
        expect(unclosed.statusCode).toBe(400);

        // The daily job fills only the default variables of a reminder.
        const reminder = await admin.post('/api/sms/templates', {
          name: '另一种提醒',
          kind: 'reminder',
          body: '${name}：${overdue}人逾期，${foo}',
        });
        expect(reminder.statusCode).toBe(400);
        expect(reminder.json().error.message).toContain('${foo}');

        const noVersion = await admin.request('PUT', `/api/sms/templates/${tpl.id}`, body);
        expect(noVersion.statusCode).toBe(400);
        const edited = await admin.request('PUT', `/api/sms/templates/${tpl.id}`, {
          ...body,
          providerTemplateCode: 'SMS_300000009',
          version: 1,
        });
        expect(edited.statusCode).toBe(200);
        expect(edited.json()).toMatchObject({ providerTemplateCode: 'SMS_300000009', version: 2 });
        const stale = await admin.request('PUT', `/api/sms/templates/${tpl.id}`, {
          ...body,
          version: 1,
        });
        expect(stale.statusCode).toBe(409);
        const rename = await admin.request('PUT', `/api/sms/templates/${tpl.id}`, {
          ...body,
          name: '节日问候',
          version: 2,
        });
        expect(rename.statusCode).toBe(409);

        const audited = await t.db
          .select({ action: auditLog.action })
          .from(auditLog)
          .where(and(eq(auditLog.targetType, 'sms_template'), eq(auditLog.targetId, tpl.id)));
        expect(audited.map((a) => a.action).sort()).toEqual([
          'sms.template.create',
          'sms.template.update',
        ]);
      });
    });

    describe('broadcast preview', () => {
      it('counts the group of a subtree: outbound members and those hosted there', async () => {
        const res = await preview(officerA, {
          templateId: greeting.id,
          filter: filterA(),
          params: { festival: '春节' },
        });
        expect(res.statusCode).toBe(200);
        const p = res.json() as Preview;
        // 甲一 甲二 甲三 外来七; 甲四 has no phone; 甲五 has returned; 甲六 is not mobile; 乙八 is elsewhere.
        expect(p).toMatchObject({
          recipients: 4,
          withoutPhone: 1,
          optedOut: 0,
          missingVariables: [],
        });
        expect(p.sample).toMatch(/^(甲一|甲二|甲三|外来七)同志：值此春节之际/);
        expect(p.sample).not.toContain('${');
        expect(p.segments).toBe(1);
        expect(p.remainingToday).toBe(5000);

        const county = await preview(admin, {
          templateId: greeting.id,
          filter: { orgId: townB.id },
          params: { festival: '春节' },
        });
        expect((county.json() as Preview).recipients).toBe(1);
      });

      it.each([
        [{ direction: 'outflow' }, 3, 1],
        [{ direction: 'inflow' }, 1, 0],
        [{ destinationRegionCode: '440000' }, 2, 1], // 广东省
        [{ destinationRegionCode: '440100' }, 1, 0], // 广州市
        [{ destinationRegionCode: '440305' }, 1, 1], // 南山区
        [{ destinationRegionCode: '510000', direction: 'inflow' }, 0, 0],
      ])('filters %j: %i recipients, %i without phone', async (extra, recipients, withoutPhone) => {
        const res = await preview(officerA, {
          templateId: greeting.id,
          filter: filterA(extra),
          params: { festival: '春节' },
        });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ recipients, withoutPhone });
      });

      it('names the variables still to fill, and refuses job templates and unknown codes', async () => {
        const res = await preview(officerA, {
          templateId: greeting.id,
          filter: filterA(),
          params: {},
        });
        expect((res.json() as Preview).missingVariables).toEqual(['festival']);
        const list = (await admin.get('/api/sms/templates')).json() as { items: Template[] };
        const reminder = list.items.find((x) => x.kind === 'reminder')!;
        const r = await preview(officerA, {
          templateId: reminder.id,
          filter: filterA(),
          params: {},
        });
        expect(r.statusCode).toBe(400);
        expect(r.json().error.details[0].path).toBe('templateId');
        const code = await preview(officerA, {
          templateId: greeting.id,
          filter: filterA({ destinationRegionCode: '990000' }),
          params: {},
        });
        expect(code.statusCode).toBe(400);
      });

      it('answers 404 for an org outside the scope, and logs the attempt', async () => {
        for (const orgId of [townB.id, otherCounty.id, county.id]) {
          const res = await preview(officerA, {
            templateId: greeting.id,
            filter: { orgId },
            params: { festival: '春节' },
          });
          expect(res.statusCode).toBe(404);
          expect(res.json().error.message).toBe('党组织不存在');
        }
        const denied = await t.db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.action, 'access.denied'), eq(auditLog.targetId, townB.id)));
        expect(denied.length).toBeGreaterThan(0);
      });
    });

    describe('opt-out', () => {
      it('registers and lifts an opt-out for a member in scope, audited', async () => {
        const res = await officerA.post('/api/sms/opt-outs', { memberId: members['甲三'] });
        expect(res.statusCode).toBe(204);
        const again = await officerA.post('/api/sms/opt-outs', { memberId: members['甲三'] });
        expect(again.statusCode).toBe(204);
        let p = (
          await preview(officerA, {
            templateId: greeting.id,
            filter: filterA(),
            params: { festival: '春节' },
          })
        ).json() as Preview;
        expect(p).toMatchObject({ recipients: 3, optedOut: 1 });

        expect((await officerA.del(`/api/sms/opt-outs/${members['甲三']}`)).statusCode).toBe(204);
        p = (
          await preview(officerA, {
            templateId: greeting.id,
            filter: filterA(),
            params: { festival: '春节' },
          })
        ).json() as Preview;
        expect(p).toMatchObject({ recipients: 4, optedOut: 0 });

        // The host side may register it too (the member is seen there).
        expect(
          (await officerA.post('/api/sms/opt-outs', { memberId: members['外来七'] })).statusCode,
        ).toBe(204);
        expect((await officerA.del(`/api/sms/opt-outs/${members['外来七']}`)).statusCode).toBe(204);

        const audited = await t.db
          .select({ action: auditLog.action })
          .from(auditLog)
          .where(eq(auditLog.targetId, members['甲三']!));
        expect(audited.map((a) => a.action)).toEqual(['sms.opt_out', 'sms.opt_out', 'sms.opt_in']);
      });

      it('is recorded by the officers who keep the record (member.write), not a liaison', async () => {
        const memberId = members['甲二']!;
        const smsState = async () =>
          (
            (await branchOfficer.get(`/api/members/${memberId}/contacts`)).json() as {
              sms: { hasPhone: boolean; optedOut: boolean };
            }
          ).sms;
        // A liaison sees the member but keeps no record: refused before any lookup.
        expect((await liaisonA.post('/api/sms/opt-outs', { memberId })).statusCode).toBe(403);
        expect((await liaisonA.del(`/api/sms/opt-outs/${memberId}`)).statusCode).toBe(403);
        expect(await smsState()).toEqual({ hasPhone: true, optedOut: false });

        // The member told their branch: its officer records the opt-out, and lifts it again.
        const res = await branchOfficer.post('/api/sms/opt-outs', { memberId });
        expect(res.statusCode, res.body).toBe(204);
        expect(await smsState()).toEqual({ hasPhone: true, optedOut: true });
        expect((await branchOfficer.del(`/api/sms/opt-outs/${memberId}`)).statusCode).toBe(204);
        expect(await smsState()).toEqual({ hasPhone: true, optedOut: false });
        const audited = await t.db
          .select({ action: auditLog.action, actor: auditLog.actorUsername })
          .from(auditLog)
          .where(eq(auditLog.targetId, memberId))
          .orderBy(auditLog.id);
        expect(audited).toEqual([
          { action: 'sms.opt_out', actor: 'smsbranch' },
          { action: 'sms.opt_in', actor: 'smsbranch' },
        ]);

        // Another town's member: 404 like a missing one, and the attempt is logged.
        const far = members['乙八']!;
        expect((await branchOfficer.post('/api/sms/opt-outs', { memberId: far })).statusCode).toBe(
          404,
        );
        expect((await branchOfficer.del(`/api/sms/opt-outs/${far}`)).statusCode).toBe(404);
        const denied = await t.db
          .select({ result: auditLog.result, reason: auditLog.reason })
          .from(auditLog)
          .where(
            and(
              eq(auditLog.action, 'access.denied'),
              eq(auditLog.targetId, far),
              eq(auditLog.actorUsername, 'smsbranch'),
            ),
          );
        expect(denied).toEqual([
          { result: 'denied', reason: 'out_of_scope' },
          { result: 'denied', reason: 'out_of_scope' },
        ]);
      });

      it('answers 404 outside the scope and 400 for a member without a phone', async () => {
        const out = await officerA.post('/api/sms/opt-outs', { memberId: members['乙八'] });
        expect(out.statusCode).toBe(404);
        expect((await officerA.del(`/api/sms/opt-outs/${members['乙八']}`)).statusCode).toBe(404);
        const none = await officerA.post('/api/sms/opt-outs', { memberId: members['甲四'] });
        expect(none.statusCode).toBe(400);
        expect(none.json().error.message).toContain('没有登记手机号码');
      });
    });

    describe('sending a broadcast through the real adapter to the fake provider', () => {
      let broadcastId: string;

      it('refuses a count that changed since the preview, writing nothing', async () => {
        await officerA.post('/api/sms/opt-outs', { memberId: members['甲三'] });
        const res = await officerA.post('/api/sms/broadcasts', {
          templateId: greeting.id,
          filter: filterA(),
          params: { festival: '春节' },
          confirmRecipients: 4,
        });
        expect(res.statusCode).toBe(409);
        expect(res.json().error.message).toBe('收件人数已变化，请重新预览');
        expect(await t.db.select().from(smsBroadcast)).toHaveLength(0);
        expect(await t.db.select().from(smsMessage)).toHaveLength(0);

        const missing = await officerA.post('/api/sms/broadcasts', {
          templateId: greeting.id,
          filter: filterA(),
          params: {},
          confirmRecipients: 3,
        });
        expect(missing.statusCode).toBe(400);
        expect(missing.json().error.message).toContain('${festival}');
      });

      it('queues one message per recipient in one transaction, audited', async () => {
        const res = await officerA.post('/api/sms/broadcasts', {
          templateId: greeting.id,
          filter: filterA(),
          params: { festival: '春节' },
          confirmRecipients: 3,
        });
        expect(res.statusCode).toBe(200);
        const b = res.json();
        broadcastId = b.id;
        expect(b).toMatchObject({
          templateName: '节日问候',
          orgName: '甲镇党委',
          recipientCount: 3,
          createdByName: 'smsofficera',
          counts: { queued: 3, sent: 0, failed: 0, suppressed: 0 },
        });
        const rows = await t.db.select().from(smsMessage).where(eq(smsMessage.broadcastId, b.id));
        expect(rows.map((r) => r.memberId).sort()).toEqual(
          [members['甲一'], members['甲二'], members['外来七']].sort(),
        );
        for (const r of rows) {
          // Stored encrypted under the outbox's own context, never in clear.
          expect(r.phoneEnc).not.toMatch(/1391111/);
          expect(r.params).toMatchObject({ festival: '春节' });
          expect(r.body).toBe(
            `${(r.params as { name: string }).name}同志：值此春节之际，向在外奔波的您致以节日问候！离乡不离党，流动不流失，家乡党组织始终牵挂着您。`,
          );
        }
        const [audit] = await t.db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.action, 'sms.broadcast'), eq(auditLog.targetId, b.id)));
        expect(audit!.after).toMatchObject({
          recipientCount: 3,
          filter: { orgId: townA.id, direction: 'all' },
          params: { festival: '春节' },
        });
      });

      it('with the aliyun driver, refuses a template without the provider code', async () => {
        const { buildApp } = await import('../../app');
        const aliyunApp = await buildApp({
          database: t.database,
          config: testConfig({
            sms: {
              driver: 'aliyun',
              aliyun: { ...KEY, signName: '南岭县委组织部', endpoint: fake.url },
              dailyLimitPerPhone: 5,
              dailyLimitTotal: 5000,
            },
          }),
          cipher: t.cipher,
          clock: t.clock,
          version: 'test',
          logStream: new PassThrough(),
        });
        try {
          const res = await aliyunApp.inject({
            method: 'POST',
            url: '/api/sms/broadcasts',
            cookies: { [SESSION_COOKIE]: officerA.cookie },
            headers: { 'x-csrf-token': officerA.csrf },
            payload: {
              templateId: greeting.id,
              filter: filterA(),
              params: { festival: '春节' },
              confirmRecipients: 3,
            },
          });
          expect(res.statusCode).toBe(400);
          expect(res.json().error.message).toContain('阿里云模板编号');
          const status = await aliyunApp.inject({
            method: 'GET',
            url: '/api/sms/status',
            cookies: { [SESSION_COOKIE]: officerA.cookie },
          });
          expect(status.json()).toMatchObject({ driver: 'aliyun' });
        } finally {
          await aliyunApp.close();
        }
      });

      it('is sent by the aliyun driver: the fake verified and received exactly 3 messages', async () => {
        // The provider's approved template code, set by the org department.
        const put = await admin.request('PUT', `/api/sms/templates/${greeting.id}`, {
          name: greeting.name,
          kind: greeting.kind,
          body: greeting.body,
          providerTemplateCode: 'SMS_300000001',
          version: greeting.version,
        });
        expect(put.statusCode).toBe(200);
        const driver = createAliyunDriver({
          ...KEY,
          signName: '南岭县委组织部',
          endpoint: fake.url,
        });
        const result = await dispatchSms(t.db, t.cipher, driver, {
          now: () => t.clock.now(),
          limits: { perPhone: 5, total: 5000 },
          instanceId: 'test',
        });
        expect(result).toMatchObject({ sent: 3, failed: 0, retried: 0 });
        expect(fake.responses.every((r) => r.code === 'OK')).toBe(true);
        expect(
          fake.messages
            .map((m) => ({ ...m, bizId: undefined }))
            .sort((a, b) => a.phone.localeCompare(b.phone)),
        ).toEqual([
          {
            phone: P(1),
            signName: '南岭县委组织部',
            templateCode: 'SMS_300000001',
            params: { name: '甲一', festival: '春节' },
            bizId: undefined,
          },
          {
            phone: P(2),
            signName: '南岭县委组织部',
            templateCode: 'SMS_300000001',
            params: { name: '甲二', festival: '春节' },
            bizId: undefined,
          },
          {
            phone: P(7),
            signName: '南岭县委组织部',
            templateCode: 'SMS_300000001',
            params: { name: '外来七', festival: '春节' },
            bizId: undefined,
          },
        ]);
      });

      it('shows the outbox in scope, phones masked', async () => {
        const res = await officerA.get(`/api/sms/outbox?broadcastId=${broadcastId}`);
        expect(res.statusCode).toBe(200);
        const items = (res.json() as { items: OutboxItem[] }).items;
        expect(items).toHaveLength(3);
        for (const i of items) {
          expect(i).toMatchObject({ status: 'sent', statusLabel: '已发送', provider: 'aliyun' });
          expect(i.phoneMasked).toMatch(/^139\*{4}\d{4}$/);
          expect(res.body).not.toContain(P(1));
        }
        expect(items.map((i) => i.recipientName).sort()).toEqual(['外来七', '甲一', '甲二'].sort());

        // Another town sees neither the messages nor the broadcast.
        const other = await officerB.get('/api/sms/outbox');
        expect((other.json() as { items: OutboxItem[] }).items).toHaveLength(0);
        expect((await officerB.get(`/api/sms/outbox?broadcastId=${broadcastId}`)).statusCode).toBe(
          404,
        );
        expect(
          ((await officerB.get('/api/sms/broadcasts')).json() as { items: unknown[] }).items,
        ).toHaveLength(0);
        // The county sees them.
        const all = (await admin.get('/api/sms/outbox?status=sent')).json() as {
          items: OutboxItem[];
        };
        expect(all.items).toHaveLength(3);
      });

      it('pages the outbox with a keyset cursor, without duplicates', async () => {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const res = await admin.get(
            `/api/sms/outbox?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          );
          const page = res.json() as { items: OutboxItem[]; nextCursor: string | null };
          seen.push(...page.items.map((i) => i.id));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toHaveLength(3);
        expect(new Set(seen).size).toBe(3);
        expect((await admin.get('/api/sms/outbox?cursor=bm9wZQ')).statusCode).toBe(400);
      });

      it('lists the broadcast with its counts, and the status with today’s total', async () => {
        const res = await officerA.get('/api/sms/broadcasts');
        expect(res.statusCode).toBe(200);
        expect(res.json().items).toEqual([
          expect.objectContaining({
            id: broadcastId,
            recipientCount: 3,
            counts: { queued: 0, sent: 3, failed: 0, suppressed: 0 },
          }),
        ]);
        const status = await officerA.get('/api/sms/status');
        expect(status.json()).toEqual({ driver: 'record', sentToday: 3, dailyLimit: 5000 });
        const p = (
          await preview(officerA, {
            templateId: greeting.id,
            filter: filterA(),
            params: { festival: '春节' },
          })
        ).json() as Preview;
        expect(p.remainingToday).toBe(4997);
      });

      it('suppresses a message whose number opted out after it was queued', async () => {
        await officerA.del(`/api/sms/opt-outs/${members['甲三']}`);
        const res = await officerA.post('/api/sms/broadcasts', {
          templateId: greeting.id,
          filter: filterA({ destinationRegionCode: '510104' }),
          params: { festival: '元旦' },
          confirmRecipients: 1,
        });
        expect(res.statusCode).toBe(200);
        await officerA.post('/api/sms/opt-outs', { memberId: members['甲三'] });
        const before = fake.messages.length;
        const r = await dispatchSms(
          t.db,
          t.cipher,
          createAliyunDriver({ ...KEY, signName: '南岭县委组织部', endpoint: fake.url }),
          { now: () => t.clock.now(), limits: { perPhone: 5, total: 5000 }, instanceId: 'test' },
        );
        expect(r).toMatchObject({ sent: 0, suppressed: 1 });
        expect(fake.messages.length).toBe(before);
        const [row] = await queryRows<{ suppressed: number }>(
          t.db,
          sql`select count(*) filter (where status = 'suppressed')::int as suppressed
                from sms_message where broadcast_id = ${res.json().id}`,
        );
        expect(row!.suppressed).toBe(1);
      });
    });
  });
}
