import { sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../../platform/db';

export interface NotifyInput {
  accountId: string;
  kind: 'reminder' | 'warning' | 'census' | 'system';
  title: string;
  body: string;
  link?: string | null;
  /** Exactly once (SECURITY.md 30): the same key is never inserted twice, by any instance. */
  dedupeKey: string;
}

/** An in-app notification, in the caller's transaction. False when the key was already used. */
export async function notify(db: Db | Tx, n: NotifyInput): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`insert into notification (account_id, kind, title, body, link, dedupe_key)
        values (${n.accountId}, ${n.kind}, ${n.title}, ${n.body}, ${n.link ?? null}, ${n.dedupeKey})
        on conflict (dedupe_key) do nothing
        returning id`,
  );
  return rows.length > 0;
}

export interface NotificationRow {
  id: string;
  kind: 'reminder' | 'warning' | 'census' | 'system';
  title: string;
  body: string;
  link: string | null;
  read_at: string | Date | null;
  created_at: string | Date;
}

/** The account's own notifications, newest first, and how many are unread. */
export async function listOwn(db: Db | Tx, accountId: string, limit: number) {
  const [items, [count]] = await Promise.all([
    queryRows<NotificationRow>(
      db,
      sql`select id, kind, title, body, link, read_at, created_at from notification
           where account_id = ${accountId}
           order by created_at desc, id desc
           limit ${limit}`,
    ),
    queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from notification
           where account_id = ${accountId} and read_at is null`,
    ),
  ]);
  return { items, unread: count!.n };
}

/** Marks one of the account's own notifications read; false when it is not theirs (or gone). */
export async function markRead(db: Db | Tx, accountId: string, id: string, at: Date) {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update notification set read_at = coalesce(read_at, ${at.toISOString()}::timestamptz)
         where id = ${id} and account_id = ${accountId}
     returning id`,
  );
  return rows.length > 0;
}

export async function markAllRead(db: Db | Tx, accountId: string, at: Date) {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update notification set read_at = ${at.toISOString()}::timestamptz
         where account_id = ${accountId} and read_at is null
     returning id`,
  );
  return rows.length;
}

export async function notificationExists(db: Db | Tx, id: string) {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select id from notification where id = ${id}`,
  );
  return rows.length > 0;
}
