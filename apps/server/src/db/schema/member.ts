import { sql } from 'drizzle-orm';
import {
  bigserial,
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
import { org } from './org';
import { region } from './region';

/**
 * A Party member (DOMAIN.md §2). ID number, phones and addresses are stored only encrypted
 * (`*_enc`, AES-256-GCM, platform/crypto) with a keyed blind index (`*_bidx`) for exact search
 * (SECURITY.md 15). No masked or partial copy is stored: with the plain birth date, a stored
 * "first 6 + last 4" would give the whole ID number back. Lists sort by the pinyin keys, and
 * pinyin search uses them, because PGlite has no Chinese collation.
 */
export const member = pgTable(
  'member',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /**
     * The org of affiliation (组织关系所在党组织). Null for a member who arrived from outside the
     * system (inflow): their record is then reached through the mobility's host org.
     */
    orgId: uuid('org_id').references(() => org.id),
    name: text('name').notNull(),
    /** Full pinyin without tones or spaces (张三丰 → zhangsanfeng). */
    namePinyin: text('name_pinyin').notNull(),
    /** Pinyin initials (张三丰 → zsf). */
    nameInitials: text('name_initials').notNull(),
    gender: text('gender').notNull(),
    ethnicity: text('ethnicity'),
    birthDate: date('birth_date'),
    idNumberEnc: text('id_number_enc'),
    idNumberBidx: text('id_number_bidx'),
    education: text('education'),
    phoneEnc: text('phone_enc'),
    phoneBidx: text('phone_bidx'),
    homeAddressEnc: text('home_address_enc'),
    currentAddressEnc: text('current_address_enc'),
    emergencyContactName: text('emergency_contact_name'),
    emergencyContactPhoneEnc: text('emergency_contact_phone_enc'),
    joinedOn: date('joined_on'),
    membership: text('membership').notNull(),
    fullMemberOn: date('full_member_on'),
    partyPosts: text('party_posts'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('member_org_idx').on(t.orgId),
    // One person, one record: the ID number's blind index is unique.
    uniqueIndex('member_id_number_bidx_key').on(t.idNumberBidx),
    index('member_phone_bidx_idx').on(t.phoneBidx),
    index('member_name_pinyin_idx').using('btree', t.namePinyin.op('text_pattern_ops')),
    index('member_name_initials_idx').using('btree', t.nameInitials.op('text_pattern_ops')),
    index('member_name_idx').on(t.name, t.id),
    // Name search, a substring anywhere in the name (issue 5): the set of the lower-cased name's
    // characters, matched with `@>` against the search text's before ILIKE decides. Built-in array
    // GIN, not pg_trgm: PGlite may lack it, and it skips CJK characters in the C locale.
    index('member_name_chars_idx').using('gin', sql`string_to_array(lower(${t.name}), null)`),
    check('member_gender_check', sql`${t.gender} in ('male','female')`),
    check('member_membership_check', sql`${t.membership} in ('full','probationary')`),
  ],
);

/**
 * One stay away (DOMAIN.md §3): an outflow from our orgs or an inflow into them, from
 * registration to return, transfer or an exceptional end. Fields follow the
 * 《流动党员情况登记表》; categories are the codes of packages/domain/src/mobility.ts.
 */
export const mobility = pgTable(
  'mobility',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => member.id),
    direction: text('direction').notNull(),
    status: text('status').notNull(),
    /** Outflow: the org of affiliation at registration. Inflow: the home org when it is ours. */
    homeOrgId: uuid('home_org_id').references(() => org.id),
    /** Inflow from outside the system: the home org as written, with its region. */
    homeOrgText: text('home_org_text'),
    homeRegionCode: text('home_region_code').references(() => region.code),
    registeredOn: date('registered_on').notNull(),
    /** The day the member left (outflow) or arrived (inflow). */
    leftOn: date('left_on').notNull(),
    destinationRegionCode: text('destination_region_code').references(() => region.code),
    destinationAddressEnc: text('destination_address_enc'),
    employer: text('employer'),
    industry: text('industry'),
    unitType: text('unit_type'),
    originalOccupation: text('original_occupation'),
    reason: text('reason').notNull(),
    reasonNote: text('reason_note'),
    expectedMonths: integer('expected_months'),
    mobilityRange: text('mobility_range'),
    /** The host org at the destination, when it is in the system; else as written. */
    hostOrgId: uuid('host_org_id').references(() => org.id),
    hostOrgText: text('host_org_text'),
    checkedInOn: date('checked_in_on'),
    hostContact: text('host_contact'),
    endedOn: date('ended_on'),
    endNote: text('end_note'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('mobility_member_idx').on(t.memberId),
    index('mobility_home_org_idx').on(t.homeOrgId, t.status),
    index('mobility_host_org_idx').on(t.hostOrgId),
    index('mobility_destination_idx').on(t.destinationRegionCode),
    // The ledger's order (newest departure first, keyset on left_on, id): a page is read off the
    // index instead of sorting every episode in scope (issue 5: 85 ms a page for a province).
    index('mobility_ledger_idx').on(t.leftOn, t.id),
    // A member has at most one open outflow (DOMAIN.md §3); the database holds the line even
    // when two officers register at the same moment.
    uniqueIndex('mobility_one_open_outflow')
      .on(t.memberId)
      .where(
        sql`${t.direction} = 'outflow' and ${t.status} not in ('returned','transferred','ended')`,
      ),
    check('mobility_direction_check', sql`${t.direction} in ('outflow','inflow')`),
    check(
      'mobility_status_check',
      sql`${t.status} in ('registered','informed','contacted','settled','serving','returned','transferred','ended')`,
    ),
  ],
);

/** Every life-cycle transition, with who and when (the member timeline). */
export const mobilityTransition = pgTable(
  'mobility_transition',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    mobilityId: uuid('mobility_id')
      .notNull()
      .references(() => mobility.id),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorAccountId: uuid('actor_account_id').references(() => account.id),
    note: text('note'),
  },
  (t) => [index('mobility_transition_mobility_idx').on(t.mobilityId, t.at)],
);
