import { sql } from 'drizzle-orm';
import {
  bigserial,
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
import { org } from './org';

/** A column of the uploaded sheet as read: its index and its (possibly two-row) title. */
export interface ImportSheetColumn {
  index: number;
  title: string;
  /** The field its title matched among the built-in titles, if any. */
  field?: string | null;
}
export interface ImportMappingColumn {
  index: number;
  field: string;
}

/**
 * One uploaded roster or ledger (issue 3 §6) from upload to commit, undo or expiry. The file
 * itself lives in import_file only while the batch is open (SECURITY.md 17); what stays is
 * metadata — no cell of the sheet is copied here.
 */
export const importBatch = pgTable(
  'import_batch',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    /** The uploader's active org: the batch is seen in that org's subtree. */
    orgId: uuid('org_id')
      .notNull()
      .references(() => org.id),
    accountId: uuid('account_id').references(() => account.id),
    fileName: text('file_name').notNull(),
    fileSha256: text('file_sha256').notNull(),
    fileSize: integer('file_size').notNull(),
    sheetName: text('sheet_name').notNull(),
    sheets: jsonb('sheets').$type<string[]>().notNull(),
    /** 1-based number of the (last) header row, and how many rows the header spans. */
    headerRow: integer('header_row').notNull(),
    headerRows: integer('header_rows').notNull(),
    columns: jsonb('columns').$type<ImportSheetColumn[]>().notNull(),
    /**
     * The sheet's merged areas as [top row, left col, bottom row, right col], found once at
     * upload (Excel writes them after the rows, so a streaming read needs them first).
     */
    merges: jsonb('merges').$type<[number, number, number, number][]>(),
    totalRows: integer('total_rows').notNull(),
    savedMappingId: uuid('saved_mapping_id'),
    /** The officer's decisions, as committed. */
    mapping: jsonb('mapping').$type<ImportMappingColumn[]>(),
    dedupe: text('dedupe'),
    defaultOrgId: uuid('default_org_id').references(() => org.id),
    status: text('status').notNull(),
    createdCount: integer('created_count').notNull().default(0),
    updatedCount: integer('updated_count').notNull().default(0),
    skippedCount: integer('skipped_count').notNull().default(0),
    episodesCreated: integer('episodes_created').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    committedAt: timestamp('committed_at', { withTimezone: true }),
    undoneAt: timestamp('undone_at', { withTimezone: true }),
    undoneBy: uuid('undone_by').references(() => account.id),
    undoReason: text('undo_reason'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('import_batch_org_idx').on(t.orgId, t.createdAt, t.id),
    index('import_batch_sha_idx').on(t.fileSha256, t.status),
    index('import_batch_open_idx').on(t.status, t.expiresAt),
    check('import_batch_kind_check', sql`${t.kind} in ('members','ledger')`),
    check(
      'import_batch_status_check',
      sql`${t.status} in ('uploaded','committed','undone','expired')`,
    ),
    check(
      'import_batch_dedupe_check',
      sql`${t.dedupe} is null or ${t.dedupe} in ('skip','update','fill')`,
    ),
  ],
);

/**
 * The uploaded file, encrypted with the field cipher (it is full of ID numbers and phones), kept
 * only until the batch is committed or expires after an hour (SECURITY.md 15, 17).
 */
export const importFile = pgTable('import_file', {
  batchId: uuid('batch_id')
    .primaryKey()
    .references(() => importBatch.id),
  contentEnc: text('content_enc').notNull(),
});

/**
 * What a committed batch did to each record, so the whole batch can be undone: created rows are
 * deleted, updated ones get their previous columns back — exactly as stored, so ciphertext stays
 * ciphertext — unless the record changed since (its version is no longer `version_after`).
 */
export const importBatchItem = pgTable(
  'import_batch_item',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => importBatch.id),
    /** 'member' or 'mobility'. No foreign key: an undone creation deletes the record. */
    entity: text('entity').notNull(),
    entityId: uuid('entity_id').notNull(),
    action: text('action').notNull(),
    /** Updated records: the changed columns' previous values, as stored (snake_case names). */
    before: jsonb('before').$type<Record<string, unknown>>(),
    versionAfter: integer('version_after').notNull(),
    sheetRow: integer('sheet_row').notNull(),
  },
  (t) => [
    index('import_batch_item_batch_idx').on(t.batchId, t.entity),
    check('import_batch_item_entity_check', sql`${t.entity} in ('member','mobility')`),
    check('import_batch_item_action_check', sql`${t.action} in ('created','updated')`),
  ],
);

/**
 * A saved header mapping (normalized sheet titles → fields), offered for the next file of the
 * same kind with the same titles, in the subtree of the org it was saved at.
 */
export const importMapping = pgTable(
  'import_mapping',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => org.id),
    accountId: uuid('account_id').references(() => account.id),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    columns: jsonb('columns').$type<{ title: string; field: string }[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('import_mapping_org_kind_name_key').on(t.orgId, t.kind, t.name),
    check('import_mapping_kind_check', sql`${t.kind} in ('members','ledger')`),
  ],
);
