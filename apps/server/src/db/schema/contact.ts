import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
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
import { member, mobility } from './member';
import { org } from './org';

/**
 * A liaison (联络员, DOMAIN.md §4 定人): an account, or a named person without one (a branch
 * committee member who never logs in). Their phone is kept encrypted like a member's, for the
 * reminders sent through the SMS outbox. A liaison who leaves is marked inactive and their
 * members are reassigned (issue 4 §1).
 */
export const liaison = pgTable(
  'liaison',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The org the liaison serves (usually a branch); seen in that org's scope. */
    orgId: uuid('org_id')
      .notNull()
      .references(() => org.id),
    accountId: uuid('account_id').references(() => account.id),
    name: text('name').notNull(),
    phoneEnc: text('phone_enc'),
    phoneBidx: text('phone_bidx'),
    /** E.g. 支部组织委员. */
    title: text('title'),
    active: boolean('active').notNull().default(true),
    leftOn: date('left_on'),
    createdBy: uuid('created_by').references(() => account.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('liaison_org_idx').on(t.orgId),
    // One liaison record per account: an account liaison is the same person everywhere.
    uniqueIndex('liaison_account_key').on(t.accountId),
  ],
);

/**
 * 三定 for one member: who (定人), how often (定时: the member's own interval, else the org's rule
 * for the category, else the default) and what for (定责). At most one open assignment per member;
 * a reassignment ends the old one and opens a new one, so the history stays.
 */
export const liaisonAssignment = pgTable(
  'liaison_assignment',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => member.id),
    liaisonId: uuid('liaison_id')
      .notNull()
      .references(() => liaison.id),
    category: text('category').notNull().default('domestic'),
    intervalMonths: integer('interval_months'),
    duty: text('duty').notNull(),
    assignedOn: date('assigned_on').notNull(),
    assignedBy: uuid('assigned_by').references(() => account.id),
    endedOn: date('ended_on'),
    endReason: text('end_reason'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('liaison_assignment_liaison_idx').on(t.liaisonId),
    uniqueIndex('liaison_assignment_one_open')
      .on(t.memberId)
      .where(sql`${t.endedOn} is null`),
    check('liaison_assignment_category_check', sql`${t.category} in ('domestic','abroad')`),
    check(
      'liaison_assignment_interval_check',
      sql`${t.intervalMonths} is null or ${t.intervalMonths} between 1 and 6`,
    ),
  ],
);

/** An org's schedule rule per member category (定时, configurable per org; subtree inherits). */
export const contactSchedule = pgTable(
  'contact_schedule',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => org.id),
    category: text('category').notNull(),
    intervalMonths: integer('interval_months').notNull(),
    updatedBy: uuid('updated_by').references(() => account.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('contact_schedule_org_category_key').on(t.orgId, t.category),
    check('contact_schedule_category_check', sql`${t.category} in ('domestic','abroad')`),
    check('contact_schedule_interval_check', sql`${t.intervalMonths} between 1 and 6`),
  ],
);

/**
 * One logged contact (联系记录, DOMAIN.md §4). `reached` decides whether it resets the schedule
 * and counts as a sign of life. A census verification writes one too (source 'census').
 */
export const contact = pgTable(
  'contact',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => member.id),
    /** The open episode at the time, when there was one. */
    mobilityId: uuid('mobility_id').references(() => mobility.id),
    contactedOn: date('contacted_on').notNull(),
    channel: text('channel').notNull(),
    reached: boolean('reached').notNull(),
    work: text('work'),
    life: text('life'),
    thinking: text('thinking'),
    difficulties: text('difficulties'),
    followUp: text('follow_up'),
    followUpNeeded: boolean('follow_up_needed').notNull().default(false),
    source: text('source').notNull().default('liaison'),
    /** Who made the contact: the liaison record, when it was one. */
    liaisonId: uuid('liaison_id').references(() => liaison.id),
    recordedBy: uuid('recorded_by').references(() => account.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('contact_member_idx').on(t.memberId, t.contactedOn),
    // The last reached contact per member is the hot lookup of every queue and of lost contact.
    index('contact_member_reached_idx')
      .on(t.memberId, t.contactedOn)
      .where(sql`${t.reached}`),
    check(
      'contact_channel_check',
      sql`${t.channel} in ('phone','sms','wechat','video','letter','visit','meeting','self_report')`,
    ),
    check('contact_source_check', sql`${t.source} in ('liaison','census','self_report','import')`),
  ],
);

/**
 * Org life attended and dues paid, as far as this system knows them: recorded with a contact
 * ("参加组织生活 / 交纳党费" reported by the member), by a census, or imported. They feed lost
 * contact (§4). The org-life and dues registers of a later issue write here too.
 */
export const participation = pgTable(
  'participation',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => member.id),
    kind: text('kind').notNull(),
    on: date('on_date').notNull(),
    source: text('source').notNull(),
    contactId: uuid('contact_id').references(() => contact.id),
    note: text('note'),
    recordedBy: uuid('recorded_by').references(() => account.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('participation_member_kind_idx').on(t.memberId, t.kind, t.on),
    check('participation_kind_check', sql`${t.kind} in ('org_life','dues')`),
    check('participation_source_check', sql`${t.source} in ('contact','census','import','manual')`),
  ],
);

/**
 * The latest sign of life per member, kept by triggers on `contact` and `participation` in the
 * same transaction as the change (migration 0008: member_sign_refresh / member_sign_rebuild), so
 * it is never stale — lost contact is still computed when read (issue 4 §4), from these four
 * dates instead of aggregating ~40 rows per member on every read: the province dashboard
 * aggregated 5.4 million rows per request (issue 5, bench/BENCH.md). Derived: not in the backup,
 * rebuilt after a restore. A member with no row has no contact and no participation.
 */
export const memberSign = pgTable('member_sign', {
  memberId: uuid('member_id')
    .primaryKey()
    .references(() => member.id, { onDelete: 'cascade' }),
  lastContactOn: date('last_contact_on'),
  lastReachedOn: date('last_reached_on'),
  lastOrgLifeOn: date('last_org_life_on'),
  lastDuesOn: date('last_dues_on'),
});

/**
 * The officer's record on a lost (or nearly lost) member: the reason code ①–⑦ of the official
 * registers and what has been done to find them. Whether the member is lost is never stored:
 * it is computed when read (issue 4 §4).
 */
export const lostContactNote = pgTable(
  'lost_contact_note',
  {
    memberId: uuid('member_id')
      .primaryKey()
      .references(() => member.id),
    reasonCode: text('reason_code').notNull(),
    note: text('note'),
    updatedBy: uuid('updated_by').references(() => account.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    check(
      'lost_contact_note_reason_check',
      sql`${t.reasonCode} in ('work_business','restructured','graduated','employer_changed','abroad','moved','other')`,
    ),
  ],
);

/** A census campaign (摸排 / 三找) over a subtree and a period (issue 4 §5). */
export const censusCampaign = pgTable(
  'census_campaign',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => org.id),
    name: text('name').notNull(),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    status: text('status').notNull().default('open'),
    openedBy: uuid('opened_by').references(() => account.id),
    closedOn: date('closed_on'),
    closedBy: uuid('closed_by').references(() => account.id),
    /** Counts at closing (per status and per org), kept as they were. */
    summary: jsonb('summary'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('census_campaign_org_idx').on(t.orgId),
    check('census_campaign_status_check', sql`${t.status} in ('open','closed')`),
    check('census_campaign_period_check', sql`${t.endsOn} >= ${t.startsOn}`),
  ],
);

/** One member to verify in a campaign; `orgId` is the org responsible (home org or host org). */
export const censusTask = pgTable(
  'census_task',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => censusCampaign.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => member.id),
    mobilityId: uuid('mobility_id').references(() => mobility.id),
    orgId: uuid('org_id')
      .notNull()
      .references(() => org.id),
    status: text('status').notNull().default('pending'),
    verifiedOn: date('verified_on'),
    verifiedBy: uuid('verified_by').references(() => account.id),
    note: text('note'),
    contactId: uuid('contact_id').references(() => contact.id),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('census_task_campaign_member_key').on(t.campaignId, t.memberId),
    index('census_task_campaign_org_idx').on(t.campaignId, t.orgId, t.status),
    check(
      'census_task_status_check',
      sql`${t.status} in ('pending','unchanged','changed','unreachable')`,
    ),
  ],
);
