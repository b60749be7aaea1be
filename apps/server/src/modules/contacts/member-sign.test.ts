import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createRng } from '@liudong/domain';
import { contact, participation } from '../../db/schema';
import { openPostgres, queryRows, type Db } from '../../platform/db';
import { createTestApp, testDatabaseKinds, type TestApp } from '../../test/harness';

/**
 * member_sign (migration 0008) is a rollup that lost contact, the queues and the dashboard read
 * instead of aggregating contacts and participation (issue 5 §3: "rollups must stay exact,
 * tested"). After every kind of write — single and bulk inserts, updates of the date, of
 * `reached`, of the member, deletes — it must equal the aggregate computed from the rows.
 */
interface Sign {
  member_id: string;
  last_contact_on: string | null;
  last_reached_on: string | null;
  last_org_life_on: string | null;
  last_dues_on: string | null;
}

const AGGREGATE = sql`
  select m.id as member_id,
         (select max(contacted_on)::text from contact c where c.member_id = m.id) as last_contact_on,
         (select max(contacted_on)::text from contact c where c.member_id = m.id and c.reached) as last_reached_on,
         (select max(on_date)::text from participation p where p.member_id = m.id and p.kind = 'org_life') as last_org_life_on,
         (select max(on_date)::text from participation p where p.member_id = m.id and p.kind = 'dues') as last_dues_on
    from member m order by m.id`;

// A member without a row reads as four nulls (the left join in keepInTouchCte).
const ROLLUP = sql`
  select m.id as member_id, s.last_contact_on::text, s.last_reached_on::text,
         s.last_org_life_on::text, s.last_dues_on::text
    from member m left join member_sign s on s.member_id = m.id order by m.id`;

async function expectExact(db: Db) {
  expect(await queryRows<Sign>(db, ROLLUP)).toEqual(await queryRows<Sign>(db, AGGREGATE));
}

const dayOf = (rng: () => number) =>
  `2025-${String(1 + Math.floor(rng() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rng() * 28)).padStart(2, '0')}`;

for (const kind of testDatabaseKinds()) {
  describe(`member_sign rollup (${kind})`, () => {
    let t: TestApp;
    const members: string[] = [];

    beforeAll(async () => {
      t = await createTestApp(kind);
      const home = await t.addOrg(null, '测试县委');
      for (let i = 0; i < 12; i++) members.push((await t.addMember(home)).id);
    });
    afterAll(() => t.close());

    it('starts empty: no contact, no row', async () => {
      await expectExact(t.db);
    });

    it('follows one contact at a time, a bulk insert, and participation', async () => {
      await t.db.insert(contact).values({
        memberId: members[0]!,
        contactedOn: '2025-03-31',
        channel: 'phone',
        reached: false,
      });
      await expectExact(t.db);
      const r = createRng(7);
      const rng = r.next;
      await t.db.insert(contact).values(
        Array.from({ length: 200 }, () => ({
          memberId: members[Math.floor(rng() * 8)]!,
          contactedOn: dayOf(rng),
          channel: 'wechat',
          reached: rng() < 0.7,
        })),
      );
      await t.db.insert(participation).values(
        Array.from({ length: 60 }, () => ({
          memberId: members[Math.floor(rng() * 10)]!,
          kind: rng() < 0.5 ? 'org_life' : 'dues',
          on: dayOf(rng),
          source: 'manual',
        })),
      );
      await expectExact(t.db);
    });

    it('follows updates of the date, of reached, and of the member, and deletes', async () => {
      const r = createRng(11);
      const rng = r.next;
      for (let round = 0; round < 15; round++) {
        const [victim] = await queryRows<{ id: string }>(
          t.db,
          sql`select id from contact order by contacted_on desc, id limit 1 offset ${round}`,
        );
        switch (round % 4) {
          case 0: // the latest contact moves back in time: the maximum must fall
            await t.db.execute(
              sql`update contact set contacted_on = '2024-01-01' where id = ${victim!.id}`,
            );
            break;
          case 1:
            await t.db.execute(
              sql`update contact set reached = not reached where id = ${victim!.id}`,
            );
            break;
          case 2: // recorded against the wrong member: both members change
            await t.db.execute(
              sql`update contact set member_id = ${members[8 + (round % 4)]!} where id = ${victim!.id}`,
            );
            break;
          default:
            await t.db.execute(sql`delete from contact where id = ${victim!.id}`);
        }
        await expectExact(t.db);
      }
      await t.db.execute(
        sql`delete from participation where id in (select id from participation order by on_date desc limit 5)`,
      );
      await t.db.execute(sql`update participation set on_date = ${dayOf(rng)} where kind = 'dues'`);
      await t.db.execute(sql`delete from contact where member_id = ${members[1]!}`);
      await expectExact(t.db);
    });

    it('is rebuilt to the same figures from scratch', async () => {
      const before = await queryRows<Sign>(t.db, ROLLUP);
      await t.db.execute(sql`select member_sign_rebuild()`);
      expect(await queryRows<Sign>(t.db, ROLLUP)).toEqual(before);
    });

    it('a write in a rolled-back transaction leaves no trace', async () => {
      await t.db
        .transaction(async (tx) => {
          await tx.insert(contact).values({
            memberId: members[5]!,
            contactedOn: '2026-11-01',
            channel: 'phone',
            reached: true,
          });
          throw new Error('rollback');
        })
        .catch(() => undefined);
      await expectExact(t.db);
    });

    it.runIf(kind === 'postgres')(
      'two transactions writing contacts of one member at once: the later commit does not lose the earlier one',
      async () => {
        const second = openPostgres(t.database.pool!.options.connectionString!, { max: 2 });
        try {
          const member = members[6]!;
          // A holds the newer contact uncommitted; B adds an older one and must wait for A. Had B
          // computed the maximum with the snapshot it started with (before A's commit), it would
          // write back its own older date over A's: member_sign_refresh locks the row first and
          // reads in the next statement, with a snapshot that holds A's contact.
          let releaseA!: () => void;
          const aMayCommit = new Promise<void>((resolve) => (releaseA = resolve));
          let aInserted!: () => void;
          const aHasInserted = new Promise<void>((resolve) => (aInserted = resolve));
          const a = t.db.transaction(async (tx) => {
            await tx.insert(contact).values({
              memberId: member,
              contactedOn: '2026-10-20',
              channel: 'phone',
              reached: true,
            });
            aInserted();
            await aMayCommit;
          });
          await aHasInserted;
          const b = second.db.transaction(async (tx) => {
            await tx.insert(contact).values({
              memberId: member,
              contactedOn: '2026-10-01',
              channel: 'visit',
              reached: true,
            });
          });
          // B waits on A's lock of the member's row; let A commit, then B finishes.
          setTimeout(releaseA, 200);
          await Promise.all([a, b]);
          await expectExact(t.db);
          const [row] = await queryRows<{ last_reached_on: string }>(
            t.db,
            sql`select last_reached_on::text from member_sign where member_id = ${member}`,
          );
          expect(row!.last_reached_on).toBe('2026-10-20');
        } finally {
          await second.close();
        }
      },
    );
  });
}
