import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq, like, sql } from 'drizzle-orm';
import { job, notification, smsMessage, smsTemplate } from '../../db/schema';
import { openPostgres, queryRows } from '../../platform/db';
import { workJobs } from '../../platform/jobs';
import { withDatabase } from '../../test/global-setup';
import { createTestApp, testDatabaseKinds, type TestApp, type TestOrg } from '../../test/harness';
import { SMS_PHONE_CONTEXT } from '../sms/sms.outbox';
import {
  CONTACT_DAILY_JOB,
  REMINDER_LINK,
  WARNING_LINK,
  contactDailyJobKey,
  contactJobHandlers,
  enqueueContactDaily,
  runContactDaily,
} from './contacts.jobs';
import { addAssignment, addContactRow, addLiaison, addOutbound } from './contacts.fixtures';

for (const kind of testDatabaseKinds()) {
  describe(`the daily reminder and warning job [${kind}]`, () => {
    let t: TestApp;
    let county: TestOrg, branch: TestOrg;
    let officerId: string, committeeId: string, liaisonAccountId: string;
    const ids: Record<string, string> = {};

    const handlers = () => contactJobHandlers({ cipher: t.cipher });
    const notificationsLike = (prefix: string) =>
      t.db
        .select()
        .from(notification)
        .where(like(notification.dedupeKey, `${prefix}%`));
    const smsLike = (prefix: string) =>
      t.db
        .select()
        .from(smsMessage)
        .where(like(smsMessage.dedupeKey, `${prefix}%`));

    beforeAll(async () => {
      t = await createTestApp(kind, { now: '2026-11-20T02:00:00Z' });
      county = await t.addOrg(null, '提醒测试县委');
      branch = await t.addOrg(county, '提醒测试支部', 'branch');
      officerId = (await t.addUser('job-officer', [{ role: 'branch_officer', org: branch }])).id;
      committeeId = (await t.addUser('job-county', [{ role: 'committee_officer', org: county }]))
        .id;
      liaisonAccountId = (await t.addUser('job-liaison', [{ role: 'liaison', org: branch }])).id;
      // An account liaison with a phone, a named person with a phone only, an account without a
      // phone, and one who left (no reminders any more).
      ids.withAll = (
        await addLiaison(t, branch.id, {
          name: '甲联络员',
          accountId: liaisonAccountId,
          phone: '13900140001',
        })
      ).id;
      ids.phoneOnly = (
        await addLiaison(t, branch.id, { name: '乙联络员', phone: '13900140002' })
      ).id;
      const quiet = await addLiaison(t, branch.id, { name: '丙联络员' });
      ids.quiet = quiet.id;
      const gone = await addLiaison(t, branch.id, { name: '丁联络员', phone: '13900140004' });
      ids.gone = gone.id;
      await t.db.execute(sql`update liaison set active = false where id = ${gone.id}`);

      const assign = async (liaisonId: string, leftOn: string, reached?: string) => {
        const m = await addOutbound(t, branch, { leftOn });
        if (reached) await addContactRow(t, m.id, reached, true);
        await addAssignment(t, m.id, liaisonId);
        return m;
      };
      // 甲: two overdue, one due this week, one later.
      await assign(ids.withAll, '2026-09-01');
      await assign(ids.withAll, '2026-09-01', '2026-10-10');
      await assign(ids.withAll, '2026-09-01', '2026-10-22');
      await assign(ids.withAll, '2026-09-01', '2026-11-10');
      // 乙: one due this week.
      await assign(ids.phoneOnly, '2026-10-01', '2026-10-25');
      // 丙: nothing due.
      await assign(ids.quiet, '2026-11-01');
      // 丁 (gone): overdue, but no reminder.
      await assign(ids.gone, '2026-05-01');
      // Lost-contact warnings: 3 months (warning point 3), 5 months, and lost.
      ids.three = (await addOutbound(t, branch, { name: '三月党员', leftOn: '2026-08-15' })).id;
      ids.five = (await addOutbound(t, branch, { name: '五月党员', leftOn: '2026-06-18' })).id;
      ids.lost = (await addOutbound(t, county, { name: '失联党员', leftOn: '2026-05-01' })).id;
    });
    afterAll(() => t.close());

    it('reminds liaisons in the app and by SMS, and warns the home branch, once', async () => {
      expect(await enqueueContactDaily(t.db, '2026-11-20')).toBe(true);
      // A second instance enqueuing the same day is a no-op.
      expect(await enqueueContactDaily(t.db, '2026-11-20')).toBe(false);
      const run = await workJobs(t.db, handlers(), { instanceId: 'test' });
      expect(run).toEqual({ done: 1, failed: 0, retried: 0 });

      const reminders = await notificationsLike('reminder:');
      expect(reminders).toEqual([
        expect.objectContaining({
          accountId: liaisonAccountId,
          kind: 'reminder',
          title: '联系提醒',
          body: '您联系的流动党员中有2人已逾期、1人本周应联系，请及时联系并登记。',
          link: REMINDER_LINK,
          dedupeKey: `reminder:${ids.withAll}:2026-11-20`,
        }),
      ]);
      const sms = await smsLike('reminder:');
      expect(sms.map((m) => m.dedupeKey).sort()).toEqual(
        [
          `reminder:${ids.withAll}:week-2026-11-16`,
          `reminder:${ids.phoneOnly}:week-2026-11-16`,
        ].sort(),
      );
      const first = sms.find((m) => m.dedupeKey!.includes(ids.withAll!))!;
      expect(first.body).toBe(
        '甲联络员同志：您联系的流动党员中有2人已逾期、1人本周应联系，请及时联系并登记。',
      );
      expect(first.accountId).toBe(liaisonAccountId);
      expect(first.templateId).toBeNull();
      expect(first.status).toBe('queued');
      expect(t.cipher.decrypt(first.phoneEnc, SMS_PHONE_CONTEXT)).toBe('13900140001');
      expect(sms.find((m) => m.dedupeKey!.includes(ids.phoneOnly!))!.body).toContain(
        '0人已逾期、1人本周应联系',
      );

      // Warnings: each member at a point or lost, to the officer of the member's home org.
      const warnings = await notificationsLike('warning:');
      // 三月, 五月, 失联 and 丁's member (left 05-01, never reached): four.
      expect(warnings).toHaveLength(4);
      const byKey = new Map(warnings.map((w) => [w.dedupeKey, w]));
      expect(byKey.get(`warning:${ids.three}:3:2026-08-15:${officerId}`)).toMatchObject({
        kind: 'warning',
        title: '失联预警',
        link: WARNING_LINK,
        body: expect.stringContaining('三月党员已3个月'),
      });
      expect(byKey.get(`warning:${ids.five}:5:2026-06-18:${officerId}`)).toBeDefined();
      // The member of the county committee itself: its committee officer is warned.
      expect(byKey.get(`warning:${ids.lost}:lost:2026-05-01:${committeeId}`)).toMatchObject({
        title: '失联提醒',
        body: expect.stringContaining('已满6个月'),
      });
      // Nobody is warned about members of other orgs; the liaison is not warned at all.
      expect(warnings.every((w) => w.accountId !== liaisonAccountId)).toBe(true);
      expect(warnings.filter((w) => w.accountId === committeeId)).toHaveLength(1);

      // Running the handler again for the same day creates nothing new.
      const total = async () =>
        (
          await queryRows<{ n: number; s: number }>(
            t.db,
            sql`select (select count(*)::int from notification) as n, (select count(*)::int from sms_message) as s`,
          )
        )[0]!;
      const before = await total();
      const again = await t.db.transaction((tx) => runContactDaily(tx, t.cipher, '2026-11-20'));
      expect(again).toMatchObject({ notified: 0, texted: 0, warnings: 0 });
      expect(await total()).toEqual(before);
    });

    it('uses the active reminder template, and the next day warns only about new points', async () => {
      const [tpl] = await t.db
        .insert(smsTemplate)
        .values({
          name: '本县联系提醒',
          kind: 'reminder',
          body: '${name}：逾期${overdue}人，本周${week}人。',
        })
        .returning();
      // The next day, same week: the bell again, but no second SMS.
      await enqueueContactDaily(t.db, '2026-11-21');
      await workJobs(t.db, handlers(), { instanceId: 'test' });
      expect(await notificationsLike(`reminder:${ids.withAll}:2026-11-21`)).toHaveLength(1);
      expect(await smsLike(`reminder:${ids.withAll}:`)).toHaveLength(1);
      // The next week: texted again, with the county's own template.
      await enqueueContactDaily(t.db, '2026-11-23');
      await workJobs(t.db, handlers(), { instanceId: 'test' });
      const [sms] = await t.db
        .select()
        .from(smsMessage)
        .where(eq(smsMessage.dedupeKey, `reminder:${ids.withAll}:week-2026-11-23`));
      // A week on, the member who was due this week is overdue too.
      expect(sms).toMatchObject({ body: '甲联络员：逾期3人，本周0人。', templateId: tpl!.id });
      expect(sms!.params).toEqual({ name: '甲联络员', overdue: '3', week: '0' });
      // The same points days later: no new warnings.
      expect((await notificationsLike('warning:')).length).toBe(4);

      // A template needing a value the job does not have is not used.
      await t.db
        .update(smsTemplate)
        .set({ body: '${name}：请联系${member}', updatedAt: new Date(Date.now() + 1000) })
        .where(eq(smsTemplate.id, tpl!.id));
      await t.db.transaction((tx) => runContactDaily(tx, t.cipher, '2026-11-30'));
      const [fallback] = await t.db
        .select()
        .from(smsMessage)
        .where(eq(smsMessage.dedupeKey, `reminder:${ids.withAll}:week-2026-11-30`));
      expect(fallback!.templateId).toBeNull();
      expect(fallback!.body).toContain('请及时联系并登记');
      await t.db
        .delete(smsTemplate)
        .where(eq(smsTemplate.id, tpl!.id))
        .catch(() => undefined);
    });

    it('fails a job without a date rather than guessing one', async () => {
      await t.db
        .insert(job)
        .values({ kind: CONTACT_DAILY_JOB, key: 'contact.daily:bad', payload: {} });
      const run = await workJobs(t.db, handlers(), { instanceId: 'test' });
      expect(run.retried).toBe(1);
      const [row] = await t.db.select().from(job).where(eq(job.key, 'contact.daily:bad'));
      expect(row!.lastError).toContain('payload without a date');
    });

    // Two server instances are two pools on one PostgreSQL: PGlite is one process's embedded
    // database and cannot be shared, so this runs on the PostgreSQL pass only.
    it.runIf(kind === 'postgres')(
      'reminds exactly once with two instances working the queue at the same time (SECURITY.md 30)',
      async () => {
        const [{ name }] = (await queryRows<{ name: string }>(
          t.db,
          sql`select current_database() as name`,
        )) as [{ name: string }];
        const second = openPostgres(withDatabase(inject('pgUrl')!, name), { max: 3 });
        try {
          const day = '2026-12-09';
          for (let round = 0; round < 3; round++) {
            await Promise.all([
              enqueueContactDaily(t.db, day),
              enqueueContactDaily(second.db, day),
              enqueueContactDaily(t.db, day),
            ]);
            const [a, b] = await Promise.all([
              workJobs(t.db, handlers(), { instanceId: 'one' }),
              workJobs(second.db, handlers(), { instanceId: 'two' }),
            ]);
            expect(a.done + b.done).toBe(round === 0 ? 1 : 0);
          }
          const jobs = await t.db
            .select()
            .from(job)
            .where(eq(job.key, contactDailyJobKey(day)));
          expect(jobs).toHaveLength(1);
          expect(jobs[0]!.status).toBe('done');
          const n = await notificationsLike(`reminder:`);
          expect(n.filter((x) => x.dedupeKey.endsWith(day))).toHaveLength(1);
          const s = await smsLike('reminder:');
          expect(s.filter((x) => x.dedupeKey!.endsWith('week-2026-12-07'))).toHaveLength(2);
          // And when both instances run the handler itself at once (outside the job lock), the
          // keys still hold: one waits for the other's keys, or fails and rolls back whole.
          await Promise.all([
            t.db.transaction((tx) => runContactDaily(tx, t.cipher, '2026-12-16')),
            second.db.transaction((tx) => runContactDaily(tx, t.cipher, '2026-12-16')),
          ]).catch(() => undefined);
          expect(
            (await notificationsLike('reminder:')).filter((x) =>
              x.dedupeKey.endsWith('2026-12-16'),
            ),
          ).toHaveLength(1);
          expect(
            (await smsLike('reminder:')).filter((x) => x.dedupeKey!.endsWith('week-2026-12-14')),
          ).toHaveLength(2);
        } finally {
          await second.close();
        }
      },
    );
  });
}
