import { sql } from 'drizzle-orm';
import {
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
import { account } from './account';
import { member, mobility } from './member';
import { org } from './org';
import { region } from './region';

/**
 * 组织关系转接 (DOMAIN.md §3, issue 3 §5; life cycle in packages/domain transfer.ts). The member's
 * org of affiliation changes only when the receipt is recorded: until then the home org stays
 * responsible (条例 Art. 25).
 */
export const transfer = pgTable(
  'transfer',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => member.id),
    /** The open outflow this transfer settles, if any: it ends as 'transferred' at receipt. */
    mobilityId: uuid('mobility_id').references(() => mobility.id),
    /** The org of affiliation when requested: the sending side. */
    fromOrgId: uuid('from_org_id')
      .notNull()
      .references(() => org.id),
    /** The receiving org when it is in the system; else its name and region as written. */
    toOrgId: uuid('to_org_id').references(() => org.id),
    toOrgText: text('to_org_text'),
    toRegionCode: text('to_region_code').references(() => region.code),
    reason: text('reason').notNull(),
    status: text('status').notNull(),
    requestedOn: date('requested_on').notNull(),
    requestedBy: uuid('requested_by').references(() => account.id),
    /** Approval by the sending committee issues the letter. */
    decidedOn: date('decided_on'),
    decidedBy: uuid('decided_by').references(() => account.id),
    decisionNote: text('decision_note'),
    /** 介绍信: number (per issuing county and year, no gaps), issue day and last valid day. */
    letterNumber: text('letter_number'),
    letterCountyCode: text('letter_county_code'),
    letterYear: integer('letter_year'),
    letterSeq: integer('letter_seq'),
    letterIssuedOn: date('letter_issued_on'),
    dueOn: date('due_on'),
    /** 回执: recorded by the receiving org in the system, or from the paper receipt. */
    receivedOn: date('received_on'),
    receivedBy: uuid('received_by').references(() => account.id),
    receiptSource: text('receipt_source'),
    receiptNote: text('receipt_note'),
    cancelledOn: date('cancelled_on'),
    /** Why the request or the letter was withdrawn (shown with the transfer, not only audited). */
    cancelReason: text('cancel_reason'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('transfer_member_idx').on(t.memberId),
    index('transfer_from_org_idx').on(t.fromOrgId, t.status),
    index('transfer_to_org_idx').on(t.toOrgId, t.status),
    index('transfer_due_idx').on(t.status, t.dueOn),
    uniqueIndex('transfer_letter_number_key').on(t.letterNumber),
    uniqueIndex('transfer_letter_seq_key').on(t.letterCountyCode, t.letterYear, t.letterSeq),
    // One open transfer per member: a second request is refused even at the same moment.
    uniqueIndex('transfer_one_open_per_member')
      .on(t.memberId)
      .where(sql`${t.status} in ('requested','approved')`),
    check(
      'transfer_status_check',
      sql`${t.status} in ('requested','approved','completed','rejected','cancelled')`,
    ),
    check('transfer_receipt_source_check', sql`${t.receiptSource} in ('system','paper')`),
    check(
      'transfer_destination_check',
      sql`(${t.toOrgId} is not null) <> (${t.toOrgText} is not null)`,
    ),
    check(
      'transfer_letter_check',
      sql`${t.status} not in ('approved','completed') or ${t.letterNumber} is not null`,
    ),
  ],
);

/**
 * The next letter number per issuing county and year, incremented under a row lock inside the
 * approving transaction (the certificate counter's pattern): a failed approval gives its number
 * back, so numbers never skip.
 */
export const transferLetterCounter = pgTable(
  'transfer_letter_counter',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    countyCode: text('county_code').notNull(),
    year: integer('year').notNull(),
    nextSeq: integer('next_seq').notNull().default(1),
  },
  (t) => [
    uniqueIndex('transfer_letter_counter_county_year_key').on(t.countyCode, t.year),
    check('transfer_letter_counter_next_seq_check', sql`${t.nextSeq} > 0`),
  ],
);
