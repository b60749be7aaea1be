import { z } from 'zod';
import { SHEET_FIELDS, type SheetField } from '@liudong/domain';
import { Id, IsoDateTime, PageQuery, pageOf, text } from './common';

// Excel import of member rosters and mobility ledgers (issue 3 §6; SECURITY.md 24–25).
// Flow: upload (checked before parsing) → preview with matched headers → check (dry run with
// row errors) → commit (one transaction, progress streamed) → undo of the whole batch.

export const IMPORT_KINDS = ['members', 'ledger'] as const;
export const ImportKind = z.enum(IMPORT_KINDS);
export type ImportKind = z.infer<typeof ImportKind>;
export const IMPORT_KIND_LABELS: Record<ImportKind, string> = {
  members: '党员名册',
  ledger: '流动党员台账',
};

export const SHEET_FIELD_NAMES = Object.keys(SHEET_FIELDS) as SheetField[];
export const ImportField = z.enum(SHEET_FIELD_NAMES as [SheetField, ...SheetField[]]);

/** What to do with a row whose ID number is already in the system. */
export const DEDUPE_MODES = ['skip', 'update', 'fill'] as const;
export const DedupeMode = z.enum(DEDUPE_MODES);
export type DedupeMode = z.infer<typeof DedupeMode>;
export const DEDUPE_MODE_LABELS: Record<DedupeMode, string> = {
  skip: '跳过已有党员',
  update: '用表格内容更新已有党员',
  fill: '只补充已有党员的空白信息',
};

export const IMPORT_STATUSES = ['uploaded', 'committed', 'undone', 'expired'] as const;
export const ImportStatus = z.enum(IMPORT_STATUSES);
export type ImportStatus = z.infer<typeof ImportStatus>;

/** Upload: the file's bytes are the request body; these travel in the query string. */
export const ImportUploadQuery = z.object({
  kind: ImportKind,
  fileName: z.string().trim().min(1).max(200),
  /** Which sheet to read (default: the first with a recognisable header). */
  sheet: z.string().trim().max(100).optional(),
});
export type ImportUploadQuery = z.infer<typeof ImportUploadQuery>;

export const ImportColumn = z.object({
  index: z.number().int().min(0),
  /** The title as read (two-row headers joined as "上级标题/标题"). */
  title: z.string(),
  field: ImportField.nullable(),
  /** Where the suggestion came from: a saved mapping, the built-in titles, or none. */
  source: z.enum(['saved', 'auto']).nullable(),
});
export type ImportColumn = z.infer<typeof ImportColumn>;

export const ImportPreview = z.object({
  id: Id,
  kind: ImportKind,
  fileName: z.string(),
  sheets: z.array(z.string()),
  sheetName: z.string(),
  /** 1-based row number of the (last) header row, and how many rows the header spans. */
  headerRow: z.number().int(),
  headerRows: z.number().int(),
  columns: z.array(ImportColumn),
  /**
   * The first data rows as text, personal fields masked, with their sheet row numbers.
   * `cells[i]` is the value under `columns[i]` (not the sheet's column index).
   */
  sampleRows: z.array(z.object({ row: z.number().int(), cells: z.array(z.string()) })),
  totalRows: z.number().int(),
  savedMappingName: z.string().nullable(),
  /** The same file was imported before in this scope (idempotent re-run: nothing new). */
  previousImport: z
    .object({ id: Id, committedAt: IsoDateTime, by: z.string().nullable() })
    .nullable(),
  /** Fields this kind requires that no column is mapped to yet. */
  missingRequired: z.array(ImportField),
  expiresAt: IsoDateTime,
});
export type ImportPreview = z.infer<typeof ImportPreview>;

/** The officer's decisions, sent to check and to commit (the same body both times). */
export const ImportOptions = z
  .object({
    /** One entry per sheet column index that is imported; unlisted columns are ignored. */
    mapping: z
      .array(z.object({ index: z.number().int().min(0).max(500), field: ImportField }))
      .max(100)
      .refine((m) => new Set(m.map((c) => c.field)).size === m.length, {
        message: '同一个字段只能对应一列',
      }),
    dedupe: DedupeMode,
    /** The org of affiliation for rows without an org column (must be in the actor's scope). */
    defaultOrgId: Id.nullable().optional(),
    /** Save the mapping under this name for the next file with these titles. */
    saveMappingAs: z.string().trim().max(40).nullable().optional(),
  })
  .strict();
export type ImportOptions = z.infer<typeof ImportOptions>;

export const ImportRowError = z.object({
  /** Row number as Excel shows it. */
  row: z.number().int(),
  /** Column title as in the sheet (null: the row as a whole). */
  column: z.string().nullable(),
  /** The offending value, masked when it is personal data. */
  value: z.string().nullable(),
  message: z.string(),
});
export type ImportRowError = z.infer<typeof ImportRowError>;

export const ImportCheckResult = z.object({
  total: z.number().int(),
  toCreate: z.number().int(),
  toUpdate: z.number().int(),
  toSkip: z.number().int(),
  /** Ledger imports: episodes opened for the rows. */
  episodesToCreate: z.number().int(),
  errorCount: z.number().int(),
  /** The first errors (all of them are in the downloadable report). */
  errors: z.array(ImportRowError),
});
export type ImportCheckResult = z.infer<typeof ImportCheckResult>;

export const ImportBatch = z.object({
  id: Id,
  kind: ImportKind,
  fileName: z.string(),
  status: ImportStatus,
  orgId: Id,
  orgName: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: IsoDateTime,
  committedAt: IsoDateTime.nullable(),
  undoneAt: IsoDateTime.nullable(),
  totalRows: z.number().int(),
  createdCount: z.number().int(),
  updatedCount: z.number().int(),
  skippedCount: z.number().int(),
  episodesCreated: z.number().int(),
  abilities: z.object({ undo: z.boolean() }),
});
export type ImportBatch = z.infer<typeof ImportBatch>;
export const ImportBatchList = pageOf(ImportBatch);
export type ImportBatchList = z.infer<typeof ImportBatchList>;
export const ImportListQuery = PageQuery.extend({ kind: ImportKind.optional() });
export type ImportListQuery = z.infer<typeof ImportListQuery>;

/**
 * The commit streams newline-delimited JSON (Content-Type application/x-ndjson): progress lines
 * while it works, then exactly one `done` or `error` line. The whole import is one transaction:
 * an `error` line means nothing was written.
 */
export const ImportProgressLine = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('progress'),
    phase: z.enum(['reading', 'checking', 'writing']),
    done: z.number().int(),
    total: z.number().int(),
  }),
  z.object({ type: z.literal('done'), batch: ImportBatch }),
  z.object({
    type: z.literal('error'),
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  }),
]);
export type ImportProgressLine = z.infer<typeof ImportProgressLine>;

export const UndoImportInput = z.object({ reason: text(200) }).strict();
export type UndoImportInput = z.infer<typeof UndoImportInput>;

/** A saved header mapping: sheet titles (normalized) → fields. */
export const ImportMapping = z.object({
  id: Id,
  name: z.string(),
  kind: ImportKind,
  columns: z.array(z.object({ title: z.string(), field: ImportField })),
  createdAt: IsoDateTime,
});
export type ImportMapping = z.infer<typeof ImportMapping>;
export const ImportMappingList = z.object({ items: z.array(ImportMapping) });
export type ImportMappingList = z.infer<typeof ImportMappingList>;

/** POST /api/import-mappings: save a mapping directly (titles are normalized on the server). */
export const SaveImportMappingInput = z
  .object({
    name: text(40),
    kind: ImportKind,
    columns: z
      .array(z.object({ title: text(200), field: ImportField }))
      .min(1)
      .max(100),
  })
  .strict();
export type SaveImportMappingInput = z.infer<typeof SaveImportMappingInput>;
export const ImportMappingQuery = z.object({ kind: ImportKind.optional() });
export type ImportMappingQuery = z.infer<typeof ImportMappingQuery>;
