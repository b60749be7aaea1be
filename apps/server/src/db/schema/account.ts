import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { org } from './org';

export const account = pgTable(
  'account',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** argon2id hashes of the last 5 passwords: admins may not reuse them (SECURITY.md 1). */
    passwordHistory: jsonb('password_history').$type<string[]>().notNull().default([]),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
    mustChangePassword: boolean('must_change_password').notNull().default(true),
    totpSecret: text('totp_secret'),
    totpEnabled: boolean('totp_enabled').notNull().default(false),
    /** Last accepted TOTP time step: a code is never accepted twice (SECURITY.md 4). */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    homeOrgId: uuid('home_org_id')
      .notNull()
      .references(() => org.id),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('account_username_key').on(sql`lower(${t.username})`),
    index('account_home_org_idx').on(t.homeOrgId),
  ],
);

/** A role held by an account *at an org* (issue 2 §6). One account may hold several. */
export const roleGrant = pgTable(
  'role_grant',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => account.id),
    role: text('role').notNull(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => org.id),
    grantedBy: uuid('granted_by').references(() => account.id),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('role_grant_unique').on(t.accountId, t.role, t.orgId),
    index('role_grant_org_idx').on(t.orgId),
  ],
);

/**
 * Server-side sessions (revocable; SECURITY.md 5–6). The cookie carries a random token; only its
 * SHA-256 is stored, so a database read does not hand out live sessions.
 */
export const session = pgTable(
  'session',
  {
    id: text('id').primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => account.id),
    stage: text('stage').notNull(),
    activeGrantId: uuid('active_grant_id').references(() => roleGrant.id, { onDelete: 'set null' }),
    csrfToken: text('csrf_token').notNull(),
    ip: text('ip'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('session_account_idx').on(t.accountId)],
);

/** Every login attempt, for the per-account lockout and the per-IP throttle (SECURITY.md 2–3). */
export const loginAttempt = pgTable(
  'login_attempt',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    accountId: uuid('account_id').references(() => account.id),
    ip: text('ip'),
    success: boolean('success').notNull(),
  },
  (t) => [
    index('login_attempt_account_idx').on(t.accountId, t.at),
    index('login_attempt_ip_idx').on(t.ip, t.at),
  ],
);

/** Configurable settings, e.g. the security policy (SECURITY.md "(c)" defaults). */
export const appSetting = pgTable('app_setting', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid('updated_by').references(() => account.id),
});
