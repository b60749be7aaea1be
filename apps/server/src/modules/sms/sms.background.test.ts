import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { runBackgroundTick, startBackgroundWork } from '../../background';
import { queryRows, type Database } from '../../platform/db';
import { createTestApp, testConfig, testDatabaseKinds, type TestApp } from '../../test/harness';
import { contactDailyJobKey } from '../contacts/contacts.jobs';
import { queueSms } from './sms.outbox';

for (const kind of testDatabaseKinds()) {
  describe(`background work [${kind}]`, () => {
    let t: TestApp;
    const deps = () => ({
      database: t.database,
      cipher: t.cipher,
      config: testConfig(),
      log: t.app.log,
      instanceId: `test-${kind}`,
      now: () => t.clock.now(),
    });

    beforeAll(async () => {
      // 07:30 in Beijing on 2026-11-21.
      t = await createTestApp(kind, { now: '2026-11-20T23:30:00Z' });
    });
    afterAll(() => t.close());

    it('enqueues the day’s contact job from 08:00 China time, once however often it ticks', async () => {
      const early = await runBackgroundTick(deps());
      expect(early.enqueued).toBeNull();
      t.clock.advance(30 * 60_000); // 08:00
      const first = await runBackgroundTick(deps());
      expect(first.enqueued).toBe(true);
      const second = await runBackgroundTick({ ...deps(), instanceId: 'another-instance' });
      expect(second.enqueued).toBe(false);
      const jobs = await queryRows<{ key: string }>(
        t.db,
        sql`select key from job where key = ${contactDailyJobKey('2026-11-21')}`,
      );
      expect(jobs).toHaveLength(1);
    });

    it('dispatches the outbox with the configured (record) driver', async () => {
      await queueSms(t.db, t.cipher, {
        phone: '13922220001',
        body: '测试：后台发送',
        now: t.clock.now(),
      });
      const r = await runBackgroundTick(deps());
      expect(r.sms).toMatchObject({ sent: 1 });
      const [row] = await queryRows<{ status: string; provider: string }>(
        t.db,
        sql`select status, provider from sms_message where body = '测试：后台发送'`,
      );
      expect(row).toEqual({ status: 'sent', provider: 'record' });
    });

    it('logs a failing step and carries on: nothing is thrown', async () => {
      const broken = {
        ...t.database,
        db: new Proxy(t.db, {
          get: (target, prop) =>
            prop === 'execute' || prop === 'transaction'
              ? () => Promise.reject(new Error('database is gone'))
              : Reflect.get(target, prop),
        }),
      } as Database;
      const r = await runBackgroundTick({ ...deps(), database: broken });
      expect(r.errors).toEqual(['contact.enqueue', 'jobs', 'sms']);
    });

    it('ticks on its own timer (BACKGROUND_TICK_SECONDS) until stopped', async () => {
      await queueSms(t.db, t.cipher, {
        phone: '13922220002',
        body: '测试：定时发送',
        now: t.clock.now(),
      });
      const stop = startBackgroundWork({
        ...deps(),
        config: testConfig({ backgroundTickSeconds: 1 }),
      });
      const statusOf = async () =>
        (
          await queryRows<{ status: string }>(
            t.db,
            sql`select status from sms_message where body = '测试：定时发送'`,
          )
        )[0]!.status;
      try {
        for (let i = 0; i < 50 && (await statusOf()) !== 'sent'; i++) {
          await new Promise((r) => setTimeout(r, 100));
        }
      } finally {
        await stop();
      }
      expect(await statusOf()).toBe('sent');
    });
  });
}
