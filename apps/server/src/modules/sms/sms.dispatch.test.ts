import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { SMS_MAX_ATTEMPTS } from '@liudong/domain';
import { smsTemplate } from '../../db/schema';
import { openPostgres, queryRows, type Db } from '../../platform/db';
import {
  createAliyunDriver,
  createRecordDriver,
  SmsSendError,
  type SmsDriver,
} from '../../platform/sms';
import { startFakeAliyunSms, type FakeAliyunSms } from '../../test/fake-aliyun-sms';
import { createTestApp, testDatabaseKinds, type TestApp } from '../../test/harness';
import { phoneBlindIndex } from '../members/member-fields';
import { chinaDayStart, dispatchSms, SMS_SENDING_LEASE_MS } from './sms.dispatch';
import { queueSms } from './sms.outbox';

// Synthetic credentials and numbers only.
const KEY = { accessKeyId: 'LTAIdispatchTest01', accessKeySecret: 'dispatch-test-secret-9x' };
const START = new Date('2026-11-21T02:00:00Z'); // 10:00 in Beijing
const phoneOf = (n: number) => `1390000${String(n).padStart(4, '0')}`;

interface Row {
  id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  provider: string | null;
  provider_message_id: string | null;
  next_attempt_at: Date | string;
  sent_at: Date | string | null;
}

for (const kind of testDatabaseKinds()) {
  describe(`SMS outbox dispatcher [${kind}]`, () => {
    let t: TestApp;
    let fake: FakeAliyunSms;
    let aliyun: SmsDriver;
    let templateId: string;
    let now: Date;
    const limits = { perPhone: 5, total: 5000 };
    let queued = 0;
    const dispatch = (driver: SmsDriver = aliyun, l = limits, db: Db = t.db, instanceId = 'a') =>
      dispatchSms(db, t.cipher, driver, { now: () => now, limits: l, instanceId });

    async function queue(phone: string, params: Record<string, string> = { name: '测试' }) {
      await queueSms(t.db, t.cipher, {
        phone,
        body: `${params.name ?? ''}同志：测试短信`,
        templateId,
        params,
        now,
        dedupeKey: `test:${++queued}`,
      });
      const [row] = await queryRows<{ id: string }>(
        t.db,
        sql`select id from sms_message where dedupe_key = ${`test:${queued}`}`,
      );
      return row!.id;
    }
    async function row(id: string) {
      const [r] = await queryRows<Row>(t.db, sql`select * from sms_message where id = ${id}`);
      return r!;
    }

    beforeAll(async () => {
      t = await createTestApp(kind, { now: START.toISOString() });
      fake = await startFakeAliyunSms(KEY);
      aliyun = createAliyunDriver({ ...KEY, signName: '南岭县委组织部', endpoint: fake.url });
      const [tpl] = await t.db
        .insert(smsTemplate)
        .values({
          name: '调度测试模板',
          kind: 'notice',
          body: '${name}同志：测试短信',
          providerTemplateCode: 'SMS_200000001',
        })
        .returning();
      templateId = tpl!.id;
    });
    afterAll(async () => {
      await fake.close();
      await t.close();
    });
    beforeEach(async () => {
      now = new Date(START);
      fake.messages.length = 0;
      fake.failNext(0);
      await t.db.execute(sql`delete from sms_message`);
      await t.db.execute(sql`delete from sms_opt_out`);
    });

    it('sends through the provider and records sent_at, provider and its message id', async () => {
      const id = await queue(phoneOf(1), { name: '张三' });
      expect(await dispatch()).toMatchObject({ sent: 1, failed: 0, retried: 0 });
      const r = await row(id);
      expect(r).toMatchObject({
        status: 'sent',
        attempts: 1,
        provider: 'aliyun',
        last_error: null,
      });
      expect(new Date(r.sent_at!).toISOString()).toBe(START.toISOString());
      expect(fake.messages).toEqual([
        {
          phone: phoneOf(1),
          signName: '南岭县委组织部',
          templateCode: 'SMS_200000001',
          params: { name: '张三' },
          bizId: r.provider_message_id,
        },
      ]);
      // Nothing left: a second run sends nothing again.
      expect(await dispatch()).toMatchObject({ sent: 0 });
      expect(fake.messages).toHaveLength(1);
    });

    it('retries with backoff when the provider fails the next 2 requests', async () => {
      const id = await queue(phoneOf(2));
      fake.failNext(2);
      expect(await dispatch()).toMatchObject({ sent: 0, retried: 1 });
      let r = await row(id);
      expect(r).toMatchObject({ status: 'queued', attempts: 1 });
      expect(r.last_error).toContain('isv.BUSINESS_LIMIT_CONTROL');
      expect(new Date(r.next_attempt_at).getTime() - now.getTime()).toBe(60_000);

      // Not due yet: nothing is tried.
      now = new Date(now.getTime() + 59_000);
      expect(await dispatch()).toMatchObject({ sent: 0, retried: 0 });

      now = new Date(now.getTime() + 1_000);
      expect(await dispatch()).toMatchObject({ retried: 1 });
      r = await row(id);
      expect(r.attempts).toBe(2);
      expect(new Date(r.next_attempt_at).getTime() - now.getTime()).toBe(5 * 60_000);

      now = new Date(now.getTime() + 5 * 60_000);
      expect(await dispatch()).toMatchObject({ sent: 1 });
      r = await row(id);
      expect(r).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
      expect(fake.messages).toHaveLength(1);
      expect(fake.responses.slice(-3).map((x) => x.code)).toEqual([
        'isv.BUSINESS_LIMIT_CONTROL',
        'isv.BUSINESS_LIMIT_CONTROL',
        'OK',
      ]);
    });

    it(`gives up after ${SMS_MAX_ATTEMPTS} tries, and at once on a permanent refusal`, async () => {
      const id = await queue(phoneOf(3));
      fake.failNext(SMS_MAX_ATTEMPTS, 'isp.SYSTEM_ERROR');
      for (let i = 0; i < SMS_MAX_ATTEMPTS; i++) {
        await dispatch();
        now = new Date(now.getTime() + 3 * 3_600_000);
      }
      expect(await row(id)).toMatchObject({ status: 'failed', attempts: SMS_MAX_ATTEMPTS });
      expect(await dispatch()).toMatchObject({ sent: 0, retried: 0, failed: 0 });

      const bad = await queue(phoneOf(4));
      const wrongKey = createAliyunDriver({
        ...KEY,
        accessKeySecret: 'wrong',
        signName: '南岭县委组织部',
        endpoint: fake.url,
      });
      expect(await dispatch(wrongKey)).toMatchObject({ failed: 1 });
      const r = await row(bad);
      expect(r).toMatchObject({ status: 'failed', attempts: 1 });
      expect(r.last_error).toContain('SignatureDoesNotMatch');
      expect(fake.messages).toHaveLength(0);
    });

    it('suppresses opted-out numbers and landlines, with the reason', async () => {
      const opted = await queue(phoneOf(5));
      const landline = await queue('020-12345678');
      const other = await queue(phoneOf(6));
      await t.db.execute(
        sql`insert into sms_opt_out (phone_bidx, source) values (${phoneBlindIndex(t.cipher, phoneOf(5))}, 'officer')`,
      );
      expect(await dispatch()).toMatchObject({ sent: 1, suppressed: 2 });
      expect(await row(opted)).toMatchObject({ status: 'suppressed', attempts: 0 });
      expect((await row(opted)).last_error).toContain('退订');
      expect(await row(landline)).toMatchObject({ status: 'suppressed' });
      expect((await row(landline)).last_error).toContain('不是手机号码');
      expect(await row(other)).toMatchObject({ status: 'sent' });
      expect(fake.messages.map((m) => m.phone)).toEqual([phoneOf(6)]);
    });

    it('keeps messages over the per-number daily limit queued until the next China midnight', async () => {
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push(await queue(phoneOf(7)));
      const other = await queue(phoneOf(8));
      const r1 = await dispatch(aliyun, { perPhone: 2, total: 100 });
      expect(r1).toMatchObject({ sent: 3, deferred: 1 });
      const rows = await Promise.all(ids.map(row));
      // Queued at the same instant: which two go first is up to the queue order.
      expect(rows.map((r) => r.status).sort()).toEqual(['queued', 'sent', 'sent']);
      expect(await row(other)).toMatchObject({ status: 'sent' });
      const waiting = rows.find((r) => r.status === 'queued')!;
      expect(waiting.attempts).toBe(0);
      expect(waiting.last_error).toContain('上限');
      // 2026-11-22 00:00 in Beijing = 2026-11-21T16:00:00Z.
      expect(new Date(waiting.next_attempt_at).toISOString()).toBe('2026-11-21T16:00:00.000Z');
      expect(chinaDayStart('2026-11-22').toISOString()).toBe('2026-11-21T16:00:00.000Z');

      // 23:59 in Beijing: still today.
      now = new Date('2026-11-21T15:59:00Z');
      expect(await dispatch(aliyun, { perPhone: 2, total: 100 })).toMatchObject({ sent: 0 });
      // Midnight: a new day, a new allowance.
      now = new Date('2026-11-21T16:00:00Z');
      expect(await dispatch(aliyun, { perPhone: 2, total: 100 })).toMatchObject({ sent: 1 });
      expect(await row(waiting.id)).toMatchObject({ status: 'sent', last_error: null });
      expect(fake.messages.filter((m) => m.phone === phoneOf(7))).toHaveLength(3);
    });

    it('stops at the installation-wide daily limit and defers the rest in one go', async () => {
      for (let i = 0; i < 5; i++) await queue(phoneOf(20 + i));
      const r = await dispatch(aliyun, { perPhone: 5, total: 3 });
      expect(r).toMatchObject({ sent: 3, deferred: 2 });
      const [c] = await queryRows<{ queued: number; sent: number }>(
        t.db,
        sql`select count(*) filter (where status = 'queued')::int as queued,
                   count(*) filter (where status = 'sent')::int as sent from sms_message`,
      );
      expect(c).toEqual({ queued: 2, sent: 3 });
      expect(fake.messages).toHaveLength(3);
    });

    it('returns a message stuck in "sending" (a crashed instance) to the queue after 10 minutes', async () => {
      const id = await queue(phoneOf(30));
      // As a claim leaves it: sending, with its lease running out 10 minutes from now.
      const lease = new Date(now.getTime() + SMS_SENDING_LEASE_MS).toISOString();
      await t.db.execute(
        sql`update sms_message set status = 'sending', attempts = 1,
                   next_attempt_at = ${lease}::timestamptz where id = ${id}`,
      );
      expect(await dispatch()).toMatchObject({ recovered: 0, sent: 0 });
      now = new Date(now.getTime() + SMS_SENDING_LEASE_MS);
      expect(await dispatch()).toMatchObject({ recovered: 1, sent: 1 });
      expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2 });
    });

    it('with the record driver marks messages sent (provider record) and contacts nobody', async () => {
      const id = await queue(phoneOf(40));
      expect(await dispatch(createRecordDriver())).toMatchObject({ sent: 1 });
      const r = await row(id);
      expect(r).toMatchObject({ status: 'sent', provider: 'record' });
      expect(r.provider_message_id).toMatch(/^record-/);
      expect(fake.messages).toHaveLength(0);
    });

    it('treats an unexpected driver error as retryable and stores only its own text', async () => {
      const id = await queue(phoneOf(41));
      const broken: SmsDriver = {
        name: 'aliyun',
        send: () => Promise.reject(new Error(`boom ${phoneOf(41)}`)),
      };
      expect(await dispatch(broken)).toMatchObject({ retried: 1 });
      const r = await row(id);
      expect(r.last_error).not.toContain(phoneOf(41));
      const permanent: SmsDriver = {
        name: 'aliyun',
        send: () => Promise.reject(new SmsSendError('号码无效', false, 'X')),
      };
      now = new Date(now.getTime() + 60_000);
      expect(await dispatch(permanent)).toMatchObject({ failed: 1 });
    });

    it.runIf(kind === 'postgres')(
      'two dispatchers on one PostgreSQL send each message exactly once (SECURITY.md 30)',
      async () => {
        const N = 60;
        for (let i = 0; i < N; i++) await queue(phoneOf(100 + i), { name: `甲${i}` });
        const url = t.database.pool!.options.connectionString!;
        const second = openPostgres(url, { max: 3 });
        // A slower provider widens the window in which both instances work at once.
        const slow = (d: SmsDriver): SmsDriver => ({
          name: d.name,
          send: async (m) => {
            await new Promise((r) => setTimeout(r, 5));
            return d.send(m);
          },
        });
        try {
          const opts = { now: () => now, limits, batchSize: 5 };
          const [a, b] = await Promise.all([
            dispatchSms(t.db, t.cipher, slow(aliyun), { ...opts, instanceId: 'one' }),
            dispatchSms(second.db, t.cipher, slow(aliyun), { ...opts, instanceId: 'two' }),
          ]);
          expect(a.sent + b.sent).toBe(N);
          // Both really worked (otherwise this test would prove nothing).
          expect(a.sent).toBeGreaterThan(0);
          expect(b.sent).toBeGreaterThan(0);
        } finally {
          await second.close();
        }
        expect(fake.messages).toHaveLength(N);
        expect(new Set(fake.messages.map((m) => m.phone)).size).toBe(N);
        const [c] = await queryRows<{ sent: number; attempts: number }>(
          t.db,
          sql`select count(*) filter (where status = 'sent')::int as sent,
                     sum(attempts)::int as attempts from sms_message`,
        );
        expect(c).toEqual({ sent: N, attempts: N });
      },
    );

    it.runIf(kind === 'postgres')(
      'two dispatchers keep the daily limit exactly between them',
      async () => {
        for (let i = 0; i < 20; i++) await queue(phoneOf(200 + i));
        const second = openPostgres(t.database.pool!.options.connectionString!, { max: 3 });
        try {
          const l = { perPhone: 5, total: 7 };
          const opts = { now: () => now, limits: l, batchSize: 3 };
          const [a, b] = await Promise.all([
            dispatchSms(t.db, t.cipher, aliyun, { ...opts, instanceId: 'one' }),
            dispatchSms(second.db, t.cipher, aliyun, { ...opts, instanceId: 'two' }),
          ]);
          expect(a.sent + b.sent).toBe(7);
        } finally {
          await second.close();
        }
        expect(fake.messages).toHaveLength(7);
      },
    );
  });
}
