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
  uuid,
} from 'drizzle-orm/pg-core';
import { region } from './region';

/**
 * The Party organization tree (DOMAIN.md §7). `path` is a materialized path of ids
 * ('/<root>/<child>/…/<self>/'): subtree membership is one indexed prefix match, never a
 * recursive walk per row (issue 2 §5). A move rewrites the paths of the subtree in one statement.
 */
export const org = pgTable(
  'org',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    parentId: uuid('parent_id').references((): AnyPgColumn => org.id),
    path: text('path').notNull().unique(),
    depth: integer('depth').notNull(),
    name: text('name').notNull(),
    shortName: text('short_name'),
    kind: text('kind').notNull(),
    categoryCode: text('category_code'),
    regionCode: text('region_code').references(() => region.code),
    address: text('address'),
    secretaryName: text('secretary_name'),
    contactPhone: text('contact_phone'),
    establishedOn: date('established_on'),
    dissolvedOn: date('dissolved_on'),
    dissolveReason: text('dissolve_reason'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('org_path_prefix_idx').using('btree', t.path.op('text_pattern_ops')),
    index('org_parent_idx').on(t.parentId),
    check(
      'org_kind_check',
      sql`${t.kind} in ('committee','working_committee','general_branch','branch','group','temporary_branch','mobile_party_org','online_branch')`,
    ),
    check('org_category_check', sql`${t.categoryCode} is null or ${t.categoryCode} ~ '^[1-9]$'`),
  ],
);

/** The service network attached to orgs: center / station / point (DOMAIN.md §2, §7). */
export const servicePoint = pgTable(
  'service_point',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => org.id),
    level: text('level').notNull(),
    name: text('name').notNull(),
    address: text('address'),
    phone: text('phone'),
    openingHours: text('opening_hours'),
    closedOn: date('closed_on'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('service_point_org_idx').on(t.orgId),
    check('service_point_level_check', sql`${t.level} in ('center','station','point')`),
  ],
);
