import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  check,
  date,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { member, mobility } from './member';
import { org } from './org';

/**
 * 流动党员活动证 (DOMAIN.md §3): numbered per county and year by the county-level org department,
 * stamped by the grassroots committee (`issued_by_org_id`), reviewed once a year. A lost one is
 * voided and replaced by a new number (`replaced_by_id` points from the old to the new).
 */
export const certificate = pgTable(
  'certificate',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The formatted number, e.g. 511922-2026-00017 (pattern in app_setting 'certificate_pattern'). */
    number: text('number').notNull(),
    countyCode: text('county_code').notNull(),
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => member.id),
    /** The outflow the certificate was issued for. */
    mobilityId: uuid('mobility_id').references(() => mobility.id),
    status: text('status').notNull(),
    issuedOn: date('issued_on').notNull(),
    issuedByOrgId: uuid('issued_by_org_id')
      .notNull()
      .references(() => org.id),
    lastReviewedOn: date('last_reviewed_on'),
    /** When it was returned, cancelled or voided, and why. */
    endedOn: date('ended_on'),
    endReason: text('end_reason'),
    replacedById: uuid('replaced_by_id').references((): AnyPgColumn => certificate.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('certificate_number_key').on(t.number),
    uniqueIndex('certificate_county_year_seq_key').on(t.countyCode, t.year, t.seq),
    index('certificate_member_idx').on(t.memberId),
    // One certificate in hand per member: a second issue is refused even when two officers
    // issue at the same moment.
    uniqueIndex('certificate_one_issued_per_member')
      .on(t.memberId)
      .where(sql`${t.status} = 'issued'`),
    check('certificate_status_check', sql`${t.status} in ('issued','returned','cancelled','void')`),
    check('certificate_seq_check', sql`${t.seq} > 0`),
  ],
);

/**
 * The next sequence number per county and year. Incremented under a row lock inside the issuing
 * transaction, so a failed issue rolls its number back and numbers never skip. The surrogate id
 * is the backup's ordering key (platform/backup.ts pages by one column); (county_code, year) is
 * the natural key and the conflict target.
 */
export const certificateCounter = pgTable(
  'certificate_counter',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    countyCode: text('county_code').notNull(),
    year: integer('year').notNull(),
    nextSeq: integer('next_seq').notNull().default(1),
  },
  (t) => [
    uniqueIndex('certificate_counter_county_year_key').on(t.countyCode, t.year),
    check('certificate_counter_next_seq_check', sql`${t.nextSeq} > 0`),
  ],
);
