import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { account } from './account';
import { member } from './member';
import { org } from './org';

/**
 * Background work kept in PostgreSQL (SECURITY.md 30: exactly once with two instances). A job is
 * enqueued with a unique `key` (a second instance enqueuing the same work is a no-op) and worked
 * by whichever instance locks it first with `FOR UPDATE SKIP LOCKED` (platform/jobs.ts).
 */
export const job = pgTable(
  'job',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    key: text('key').notNull(),
    payload: jsonb('payload').notNull().default({}),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    lockedBy: text('locked_by'),
    doneAt: timestamp('done_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('job_key_key').on(t.key),
    index('job_queued_idx')
      .on(t.runAt)
      .where(sql`${t.status} = 'queued'`),
    check('job_status_check', sql`${t.status} in ('queued','done','failed')`),
  ],
);

/** An in-app message to an account (reminders, lost-contact warnings), shown under the bell. */
export const notification = pgTable(
  'notification',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => account.id),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** A path in the web app, e.g. /contacts?bucket=overdue. */
    link: text('link'),
    /** Makes a reminder exactly-once: the same key is never inserted twice. */
    dedupeKey: text('dedupe_key').notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('notification_dedupe_key').on(t.dedupeKey),
    index('notification_account_idx').on(t.accountId, t.createdAt),
    check('notification_kind_check', sql`${t.kind} in ('reminder','warning','census','system')`),
  ],
);

/** SMS templates (issue 4 §6) with `${name}` variables; `providerTemplateCode` as approved. */
export const smsTemplate = pgTable(
  'sms_template',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    body: text('body').notNull(),
    providerTemplateCode: text('provider_template_code'),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    updatedBy: uuid('updated_by').references(() => account.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sms_template_name_key').on(t.name),
    check('sms_template_kind_check', sql`${t.kind} in ('reminder','warning','broadcast','notice')`),
  ],
);

/** A broadcast to a filtered group (红色短信): who asked, what filter, how many (audited too). */
export const smsBroadcast = pgTable('sms_broadcast', {
  id: uuid('id').primaryKey().defaultRandom(),
  templateId: uuid('template_id')
    .notNull()
    .references(() => smsTemplate.id),
  orgId: uuid('org_id')
    .notNull()
    .references(() => org.id),
  filter: jsonb('filter').notNull(),
  params: jsonb('params').notNull().default({}),
  recipientCount: integer('recipient_count').notNull(),
  createdBy: uuid('created_by').references(() => account.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The outbox: every SMS the system means to send, whatever the driver. The phone is stored
 * encrypted with a blind index (for the per-phone daily limit and opt-out); the text is kept
 * because an officer must be able to see what was sent.
 */
export const smsMessage = pgTable(
  'sms_message',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    phoneEnc: text('phone_enc').notNull(),
    phoneBidx: text('phone_bidx').notNull(),
    memberId: uuid('member_id').references(() => member.id),
    accountId: uuid('account_id').references(() => account.id),
    templateId: uuid('template_id').references(() => smsTemplate.id),
    broadcastId: uuid('broadcast_id').references(() => smsBroadcast.id),
    params: jsonb('params').notNull().default({}),
    body: text('body').notNull(),
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    provider: text('provider'),
    providerMessageId: text('provider_message_id'),
    /** Exactly once: a reminder's key; null for a broadcast (one row per recipient). */
    dedupeKey: text('dedupe_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('sms_message_dedupe_key').on(t.dedupeKey),
    index('sms_message_queue_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'queued'`),
    index('sms_message_phone_idx').on(t.phoneBidx, t.sentAt),
    index('sms_message_broadcast_idx').on(t.broadcastId),
    check(
      'sms_message_status_check',
      sql`${t.status} in ('queued','sending','sent','failed','suppressed')`,
    ),
  ],
);

/** Numbers that asked not to receive SMS (退订). Keyed by the phone's blind index. */
export const smsOptOut = pgTable('sms_opt_out', {
  phoneBidx: text('phone_bidx').primaryKey(),
  memberId: uuid('member_id').references(() => member.id),
  source: text('source').notNull(),
  createdBy: uuid('created_by').references(() => account.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
