import { createHash, randomUUID } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type {
  DedupeMode,
  ImportBatch,
  ImportBatchList,
  ImportCheckResult,
  ImportKind,
  ImportListQuery,
  ImportMapping,
  ImportMappingList,
  ImportOptions,
  ImportPreview,
  ImportProgressLine,
  ImportRowError,
  ImportStatus,
  ImportUploadQuery,
  SaveImportMappingInput,
  UndoImportInput,
} from '@liudong/contracts';
import {
  SHEET_FIELDS,
  chinaDateOf,
  createRegionMatcher,
  maskIdNumber,
  maskPhone,
  mobilityRangeOf,
  normalizeHeader,
  type Clock,
  type SheetField,
} from '@liudong/domain';
import { requireActor, type Actor, type RequestContext } from '../../platform/actor';
import { writeAudit, writeAuditAlone } from '../../platform/audit';
import type { FieldCipher } from '../../platform/crypto';
import { decodeCursor, encodeCursor } from '../../platform/cursor';
import type { Db, Tx } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { describeSafely } from '../../platform/safe-error';
import { createSheetWriter } from '../../platform/xlsx';
import {
  cellText,
  openXlsx,
  type MergeRange,
  type SheetRow,
  type WorkbookSheet,
  type XlsxWorkbook,
} from '../../platform/xlsx-reader';
import { XLSX_LIMITS, guardXlsx, inspectZip } from '../../platform/zip-guard';
import { literalCell } from '../exports/literal-cell';
import { findWithScope as findOrgWithScope } from '../orgs/orgs.repository';
import { FIELD, idNumberBlindIndex, nameKeys, phoneBlindIndex } from '../members/member-fields';
import {
  HEADER_SCAN_ROWS,
  REQUIRED_FIELDS,
  detectLayout,
  missingRequired,
  suggestColumns,
  titleMatcher,
  type SavedMapping,
  type SheetLayout,
} from './import-layout';
import {
  MEMBER_ORG_KINDS,
  createRowParser,
  maskedValue,
  orgLookup,
  type Candidate,
  type ImportOrg,
  type MemberValues,
} from './import-rows';
import { importAbilities } from './imports.policy';
import * as repo from './imports.repository';

/**
 * Excel import of member rosters and mobility ledgers (issue 3 §6; SECURITY.md 17, 24, 25).
 *
 * upload   the file is checked before anything parses it (platform/zip-guard), read as a stream
 *          (platform/xlsx-reader), its header found, and kept encrypted for one batch's life
 * check    a dry run of the whole import: every row validated, duplicates found, counts
 * commit   the same run writing, in ONE transaction: any row error, any conflict, a crash or a
 *          kill -9 leaves nothing behind; a committed batch answers with its result again
 * undo     the whole batch or nothing, refused when a record changed since
 */

const BATCH = '导入批次';
const MAPPING = '导入列对应';
const ORG = '组织';

/** How long an uploaded file is kept for its check and commit (SECURITY.md 17: within an hour). */
export const UPLOAD_TTL_MS = 50 * 60 * 1000;
/**
 * Rows per lookup and per write statement: one query per chunk, never one per row. Measured on
 * 100,000 rows (bench/): 2,000 took about 7% less time than 500 (fewer statements to plan and
 * round trips to wait for), peak memory the same within the runs' spread.
 */
export const IMPORT_CHUNK = 2000;
/** Errors returned by a check; the downloadable report has all of them. */
export const CHECK_ERROR_LIMIT = 200;
const SAMPLE_ROWS = 5;
const MAX_KEPT_MERGES = 50_000;
const FILE_CONTEXT = 'import_file.content';

const BatchCursor = z.object({ createdAt: z.string(), id: z.uuid() });

const ID_SHAPE = /^[\dXx]{15,18}$/;
const MOBILE_SHAPE = /^1[3-9]\d{9}$/;

/** A sample cell: personal fields masked by their column, and anything shaped like one too. */
function sampleCell(field: SheetField | null, text: string): string {
  if (!text) return '';
  if (field) return maskedValue(field, text);
  const compact = text.replace(/\s/g, '');
  if (ID_SHAPE.test(compact)) return maskIdNumber(compact, 'list');
  if (MOBILE_SHAPE.test(compact)) return maskPhone(compact);
  return text.slice(0, 100);
}

/**
 * Whether a row holds a value typed in it — not copied down from a merged area — in one of
 * `columns` (any column when null): the rows that count (xlsx-reader's countRows).
 */
function hasOwnValue(r: SheetRow, columns: readonly number[] | null): boolean {
  const own = (i: number) => !r.filled?.includes(i) && cellText(r.cells[i]) !== '';
  return columns ? columns.some(own) : r.cells.some((_v, i) => own(i));
}

type Mode = DedupeMode;

interface Tally {
  total: number;
  created: number;
  updated: number;
  skipped: number;
  episodesCreated: number;
  errors: number;
}

interface RunHooks {
  /** Present: write (commit). Absent: a dry run. */
  tx?: Tx;
  onError(e: ImportRowError): void;
  onProgress?(line: ImportProgressLine): void;
}

/** What a member column holds, keyed by its SQL name (the form import_batch_item keeps). */
type MemberColumns = Record<repo.MemberColumn, unknown>;
type MobilityColumns = Record<repo.MobilityColumn, unknown>;

function memberColumnsOf(m: repo.MemberRow): MemberColumns {
  return {
    name: m.name,
    name_pinyin: m.namePinyin,
    name_initials: m.nameInitials,
    birth_date: m.birthDate,
    ethnicity: m.ethnicity,
    education: m.education,
    phone_enc: m.phoneEnc,
    phone_bidx: m.phoneBidx,
    home_address_enc: m.homeAddressEnc,
    current_address_enc: m.currentAddressEnc,
    emergency_contact_name: m.emergencyContactName,
    emergency_contact_phone_enc: m.emergencyContactPhoneEnc,
    joined_on: m.joinedOn,
    membership: m.membership,
    full_member_on: m.fullMemberOn,
    party_posts: m.partyPosts,
  };
}

function mobilityColumnsOf(m: repo.MobilityRow): MobilityColumns {
  return {
    left_on: m.leftOn,
    destination_region_code: m.destinationRegionCode,
    destination_address_enc: m.destinationAddressEnc,
    employer: m.employer,
    industry: m.industry,
    reason: m.reason,
    mobility_range: m.mobilityRange,
    host_org_text: m.hostOrgText,
    checked_in_on: m.checkedInOn,
  };
}

export function createImportService(deps: {
  db: Db;
  cipher: FieldCipher;
  clock?: Clock;
  log?: FastifyBaseLogger;
}) {
  const { db, cipher, log } = deps;
  const today = (ctx: RequestContext) => chinaDateOf(ctx.clock.now());

  async function denied(ctx: RequestContext, targetType: string, id: string) {
    await writeAuditAlone(db, ctx, {
      action: 'access.denied',
      result: 'denied',
      targetType,
      targetId: id,
      reason: 'out_of_scope',
    });
  }

  /** Out of scope answers like missing (404) and is logged (SECURITY.md 9), before any write. */
  async function loadInScope(ctx: RequestContext, id: string): Promise<repo.BatchInScope> {
    const found = await repo.findWithScope(db, requireActor(ctx), id);
    if (!found) throw notFound(BATCH);
    if (!found.inScope) {
      await denied(ctx, 'import_batch', id);
      throw notFound(BATCH);
    }
    return found;
  }

  function statusOf(b: repo.BatchRow, now: Date): ImportStatus {
    if (b.status === 'uploaded' && b.expiresAt.getTime() <= now.getTime()) return 'expired';
    return b.status as ImportStatus;
  }

  function viewOf(
    ctx: RequestContext,
    r: Omit<repo.BatchInScope, 'batch'> & { batch: repo.BatchRow },
  ): ImportBatch {
    const b = r.batch;
    const status = statusOf(b, ctx.clock.now());
    return {
      id: b.id,
      kind: b.kind as ImportKind,
      fileName: b.fileName,
      status,
      orgId: b.orgId,
      orgName: r.orgName,
      createdBy: r.createdBy ?? null,
      createdAt: b.createdAt.toISOString(),
      committedAt: b.committedAt?.toISOString() ?? null,
      undoneAt: b.undoneAt?.toISOString() ?? null,
      totalRows: b.totalRows,
      createdCount: b.createdCount,
      updatedCount: b.updatedCount,
      skippedCount: b.skippedCount,
      episodesCreated: b.episodesCreated,
      abilities: importAbilities(requireActor(ctx), { status, inScope: r.inScope }),
    };
  }

  /** A batch whose file may still be read: uploaded and not past its hour. */
  function requireOpen(ctx: RequestContext, b: repo.BatchRow) {
    const status = statusOf(b, ctx.clock.now());
    if (status === 'committed') throw new AppError('conflict', '该批次已经导入');
    if (status === 'undone') throw new AppError('conflict', '该批次已撤销，请重新上传文件');
    if (status === 'expired')
      throw new AppError('conflict', '上传的文件已过期（超过 50 分钟未导入，已删除），请重新上传');
  }

  // -------------------------------------------------------------------------------------------
  // Reading the file

  function encryptFile(buf: Buffer) {
    return cipher.encrypt(buf.toString('base64'), FILE_CONTEXT);
  }

  async function workbookOf(handle: Db | Tx, batchId: string) {
    const stored = await repo.fileOf(handle, batchId);
    if (!stored) throw new AppError('conflict', '上传的文件已删除（已导入或已过期），请重新上传');
    const buf = Buffer.from(cipher.decrypt(stored, FILE_CONTEXT), 'base64');
    // Checked in full at upload; the stored bytes are authenticated (AES-GCM), so the structure
    // is read again without inflating every entry a second time.
    return openXlsx(buf, inspectZip(buf));
  }

  function sheetOf(wb: XlsxWorkbook, name: string): WorkbookSheet {
    const sheet = wb.sheets.find((s) => s.name === name);
    if (!sheet) throw new AppError('conflict', '文件中找不到该工作表，请重新上传');
    return sheet;
  }

  /** The header of one sheet: reads only its first rows (the loop stops there). */
  async function layoutOf(
    wb: XlsxWorkbook,
    sheet: WorkbookSheet,
    saved: readonly SavedMapping[],
    merges: MergeRange[],
  ) {
    const top: SheetRow[] = [];
    for await (const r of wb.rows(sheet, { merges })) {
      top.push(r);
      if (top.length >= HEADER_SCAN_ROWS) break;
    }
    return detectLayout(top, titleMatcher(saved));
  }

  function mergesOf(b: repo.BatchRow): MergeRange[] | null {
    return b.merges ? b.merges.map(([r1, c1, r2, c2]) => ({ r1, c1, r2, c2 })) : null;
  }

  /** The header as found at upload (the batch keeps it; the file is not read again for it). */
  function layoutOfBatch(b: repo.BatchRow): SheetLayout {
    return {
      headerRow: b.headerRow,
      headerRows: b.headerRows === 2 ? 2 : 1,
      columns: b.columns.map((c) => ({
        index: c.index,
        title: c.title,
        field: (c.field ?? null) as SheetField | null,
      })),
    };
  }

  async function savedMappings(actor: Actor, kind: ImportKind) {
    const rows = await repo.listMappings(db, actor, kind);
    return rows.map((m) => ({ id: m.id, name: m.name, columns: m.columns }));
  }

  // -------------------------------------------------------------------------------------------
  // Upload and preview

  async function upload(
    ctx: RequestContext,
    query: ImportUploadQuery,
    body: Buffer,
  ): Promise<ImportPreview> {
    const actor = requireActor(ctx);
    let layout: SheetLayout | null = null;
    let sheet: WorkbookSheet | undefined;
    let merges: MergeRange[] = [];
    let wb: XlsxWorkbook;
    const sha256 = createHash('sha256').update(body).digest('hex');
    const saved = await savedMappings(actor, query.kind);
    try {
      // SECURITY.md 24: nothing parses the file before this gate has passed it.
      const dir = await guardXlsx(body, query.fileName);
      wb = await openXlsx(body, dir);
      if (query.sheet) {
        sheet = wb.sheets.find((s) => s.name === query.sheet);
        if (!sheet)
          throw new AppError('validation_failed', `工作簿中没有名为“${query.sheet}”的工作表`, {
            reason: 'no_sheet',
          });
        merges = await wb.merges(sheet);
        layout = await layoutOf(wb, sheet, saved, merges);
      } else {
        // The first sheet with a recognisable header (visible ones first): a workbook often
        // starts with a sheet of instructions.
        for (const s of [
          ...wb.sheets.filter((x) => !x.hidden),
          ...wb.sheets.filter((x) => x.hidden),
        ]) {
          merges = await wb.merges(s);
          layout = await layoutOf(wb, s, saved, merges);
          if (layout) {
            sheet = s;
            break;
          }
        }
      }
      if (!layout || !sheet)
        throw new AppError(
          'validation_failed',
          '未能在表格前 15 行中找到表头（至少应有“姓名”“身份证号码”等两个可识别的列标题）',
          { reason: 'no_header' },
        );
    } catch (err) {
      // A refused upload is recorded (who tried what), and nothing of the file is kept.
      if (err instanceof AppError)
        await writeAuditAlone(db, ctx, {
          action: 'import.upload',
          result: 'failure',
          targetType: 'import_batch',
          targetLabel: query.fileName.slice(0, 100),
          reason: String((err.details as { reason?: string } | undefined)?.reason ?? err.code),
          after: { kind: query.kind, size: body.length, sha256 },
        });
      throw err;
    }

    const { columns, mapping } = suggestColumns(layout, saved);
    const mapped = columns.filter((c) => c.field !== null);
    // The rows that count: those with a value typed in a mapped column (in any column when none
    // is mapped yet). Counted without making the cells' values (issue 3 §10: this pass reads the
    // whole sheet); the samples are the first of them, as the officer will see them.
    const counted = mapped.length > 0 ? mapped.map((c) => c.index) : null;
    const totalRows = await wb.countRows(sheet, { after: layout.headerRow, columns: counted });
    const sampleRows: ImportPreview['sampleRows'] = [];
    for await (const r of wb.rows(sheet, { merges })) {
      if (r.row <= layout.headerRow || !hasOwnValue(r, counted)) continue;
      sampleRows.push({
        row: r.row,
        cells: columns.map((c) => sampleCell(c.field, cellText(r.cells[c.index]))),
      });
      if (sampleRows.length >= SAMPLE_ROWS) break;
    }

    const now = ctx.clock.now();
    const expiresAt = new Date(now.getTime() + UPLOAD_TTL_MS);
    const previous = await repo.previousCommit(db, actor, sha256, query.kind);
    const batch = await db.transaction(async (tx) => {
      const row = await repo.insertBatch(tx, {
        kind: query.kind,
        orgId: actor.orgId,
        accountId: actor.accountId,
        fileName: query.fileName,
        fileSha256: sha256,
        fileSize: body.length,
        sheetName: sheet.name,
        sheets: wb.sheets.map((s) => s.name),
        headerRow: layout.headerRow,
        headerRows: layout.headerRows,
        columns: layout.columns.map((c) => ({ index: c.index, title: c.title, field: c.field })),
        // Kept unless pathological (then each read scans for them again).
        merges:
          merges.length <= MAX_KEPT_MERGES
            ? merges.map((m): [number, number, number, number] => [m.r1, m.c1, m.r2, m.c2])
            : null,
        totalRows,
        savedMappingId: mapping?.id ?? null,
        status: 'uploaded',
        createdAt: now,
        expiresAt,
      });
      await repo.insertFile(tx, row.id, encryptFile(body));
      await writeAudit(tx, ctx, {
        action: 'import.upload',
        result: 'success',
        targetType: 'import_batch',
        targetId: row.id,
        targetLabel: query.fileName.slice(0, 100),
        after: { kind: query.kind, size: body.length, sha256, sheet: sheet.name, totalRows },
      });
      return row;
    });

    return {
      id: batch.id,
      kind: query.kind,
      fileName: query.fileName,
      sheets: batch.sheets,
      sheetName: batch.sheetName,
      headerRow: batch.headerRow,
      headerRows: batch.headerRows,
      columns,
      sampleRows,
      totalRows,
      savedMappingName: mapping?.name ?? null,
      previousImport: previous
        ? {
            id: previous.id,
            committedAt: previous.committedAt!.toISOString(),
            by: previous.by ?? null,
          }
        : null,
      missingRequired: missingRequired(
        query.kind,
        columns.map((c) => c.field),
      ),
      expiresAt: expiresAt.toISOString(),
    };
  }

  /** The preview of an uploaded batch again (a page reload), read from the kept file. */
  async function preview(ctx: RequestContext, id: string): Promise<ImportPreview> {
    const actor = requireActor(ctx);
    const found = await loadInScope(ctx, id);
    const b = found.batch;
    requireOpen(ctx, b);
    const wb = await workbookOf(db, id);
    const sheet = sheetOf(wb, b.sheetName);
    const saved = await savedMappings(actor, b.kind as ImportKind);
    const layout = layoutOfBatch(b);
    const { columns, mapping } = suggestColumns(layout, saved);
    const sampleRows: ImportPreview['sampleRows'] = [];
    for await (const r of wb.rows(sheet, { merges: mergesOf(b) })) {
      if (r.row <= layout.headerRow) continue;
      sampleRows.push({
        row: r.row,
        cells: columns.map((c) => sampleCell(c.field, cellText(r.cells[c.index]))),
      });
      if (sampleRows.length >= SAMPLE_ROWS) break;
    }
    const previous = await repo.previousCommit(db, actor, b.fileSha256, b.kind);
    return {
      id: b.id,
      kind: b.kind as ImportKind,
      fileName: b.fileName,
      sheets: b.sheets,
      sheetName: b.sheetName,
      headerRow: b.headerRow,
      headerRows: b.headerRows,
      columns,
      sampleRows,
      totalRows: b.totalRows,
      savedMappingName: mapping?.name ?? null,
      previousImport: previous
        ? {
            id: previous.id,
            committedAt: previous.committedAt!.toISOString(),
            by: previous.by ?? null,
          }
        : null,
      missingRequired: missingRequired(
        b.kind as ImportKind,
        columns.map((c) => c.field),
      ),
      expiresAt: b.expiresAt.toISOString(),
    };
  }

  // -------------------------------------------------------------------------------------------
  // The run: check and commit share it, so the dry run says exactly what the commit would do.

  interface Prepared {
    batch: repo.BatchRow;
    options: ImportOptions;
    columns: Map<SheetField, number>;
    titles: Map<number, string>;
    defaultOrg: ImportOrg | null;
  }

  /** The officer's options against the batch: columns exist, required fields mapped, org in scope. */
  async function prepareOptions(
    ctx: RequestContext,
    batch: repo.BatchRow,
    options: ImportOptions,
  ): Promise<Prepared> {
    const actor = requireActor(ctx);
    const titles = new Map(batch.columns.map((c) => [c.index, c.title]));
    const columns = new Map<SheetField, number>();
    for (const m of options.mapping) {
      if (!titles.has(m.index))
        throw new AppError('validation_failed', `第 ${m.index + 1} 列没有标题，不能导入`, [
          { path: 'mapping', message: '列不存在' },
        ]);
      columns.set(m.field, m.index);
    }
    const missing = REQUIRED_FIELDS[batch.kind as ImportKind].filter((f) => !columns.has(f));
    if (missing.length > 0)
      throw new AppError(
        'validation_failed',
        `请为以下必填项指定对应的列：${missing.map((f) => SHEET_FIELDS[f][0]).join('、')}`,
        missing.map((f) => ({ path: 'mapping', message: f })),
      );
    let defaultOrg: ImportOrg | null = null;
    if (options.defaultOrgId) {
      // An org outside the scope answers like a missing one, and is logged (SECURITY.md 9).
      const found = await findOrgWithScope(db, actor, options.defaultOrgId);
      if (!found) throw notFound(ORG);
      if (!found.inScope) {
        await denied(ctx, 'org', options.defaultOrgId);
        throw notFound(ORG);
      }
      const o = found.org;
      if (!MEMBER_ORG_KINDS.includes(o.kind) || o.dissolvedOn)
        throw new AppError(
          'validation_failed',
          '默认党组织应为未撤销的党支部（或党总支、临时党支部等）',
          [{ path: 'defaultOrgId', message: '所选组织不是党支部' }],
        );
      defaultOrg = o;
    }
    if (!columns.has('orgName') && !defaultOrg)
      throw new AppError(
        'validation_failed',
        '表格中没有“所在党组织”列，请选择这些党员所属的默认党组织',
        [{ path: 'defaultOrgId', message: '请选择默认党组织' }],
      );
    return { batch, options, columns, titles, defaultOrg };
  }

  async function run(
    handle: Db | Tx,
    ctx: RequestContext,
    p: Prepared,
    hooks: RunHooks,
  ): Promise<Tally> {
    const actor = requireActor(ctx);
    const now = ctx.clock.now();
    const nowIso = now.toISOString();
    const kind = p.batch.kind as ImportKind;
    const mode: Mode = p.options.dedupe;
    const tally: Tally = {
      total: 0,
      created: 0,
      updated: 0,
      skipped: 0,
      episodesCreated: 0,
      errors: 0,
    };
    const total = () => Math.max(p.batch.totalRows, tally.total);
    hooks.onProgress?.({ type: 'progress', phase: 'reading', done: 0, total: p.batch.totalRows });

    const wb = await workbookOf(handle, p.batch.id);
    const sheet = sheetOf(wb, p.batch.sheetName);
    // Reference data once per run, not per row.
    const orgs = await repo.orgsInScope(handle, actor);
    const regions = kind === 'ledger' ? await repo.allRegions(handle) : [];
    const registeredOn = today(ctx);
    // One parser for the run: what depends only on the mapping is worked out once.
    const parseRow = createRowParser({
      kind,
      asOf: now,
      today: registeredOn,
      columns: p.columns,
      titles: p.titles,
      findOrg: orgLookup(orgs),
      defaultOrg: p.defaultOrg,
      matchRegion: createRegionMatcher(regions),
    });
    // The region of every org of the scope (its own code or its nearest ancestor's), for the
    // mobility range of new episodes: one query for the scope root, the rest by parent links.
    const regionOf = new Map<string, string | null>();
    if (kind === 'ledger') {
      const rootRegion = await repo.regionOfOrg(handle, actor.orgPath);
      const byId = new Map(orgs.map((o) => [o.id, o]));
      const resolve = (id: string | null, depth = 0): string | null => {
        if (!id || depth > 64) return rootRegion;
        if (regionOf.has(id)) return regionOf.get(id)!;
        const o = byId.get(id);
        const r = !o ? rootRegion : (o.regionCode ?? resolve(o.parentId, depth + 1));
        regionOf.set(id, r);
        return r;
      };
      for (const o of orgs) resolve(o.id);
    }

    const idTitle = p.titles.get(p.columns.get('idNumber')!) ?? null;
    const report = (e: ImportRowError) => {
      tally.errors++;
      hooks.onError(e);
    };
    const rowError = (c: Candidate, field: SheetField | null, message: string, value?: string) =>
      report({
        row: c.row,
        column: field ? (p.titles.get(p.columns.get(field) ?? -1) ?? null) : null,
        value: value ?? null,
        message,
      });
    const writing = () => !!hooks.tx && tally.errors === 0;

    interface Pending {
      c: Candidate;
      bidx: string;
      /** The new member's row, encrypted ahead (commit only): used when the ID is new. */
      fresh: repo.MemberJson | null;
    }
    const seen = new Map<string, number>();
    let chunk: Pending[] = [];
    // One chunk's writes in flight while the next chunk is read, parsed and encrypted: the
    // database and this process work at the same time (one connection, so order is kept).
    let inflight: Promise<void> = Promise.resolve();

    const flush = async () => {
      if (chunk.length === 0) return;
      const rows = chunk;
      chunk = [];
      const lookup = repo.membersByIdNumberBidx(
        handle,
        actor,
        rows.map((r) => r.bidx),
      );
      // A failed write of the previous chunk is reported as itself, not as the aborted lookup.
      const [, existing] = await Promise.all([inflight, lookup]);
      const byBidx = new Map(existing.map((e) => [e.member.idNumberBidx!, e]));
      const open =
        kind === 'ledger'
          ? await repo.openOutflowsOf(
              handle,
              existing.filter((e) => e.homeInScope).map((e) => e.member.id),
            )
          : [];
      const openOf = new Map(open.map((o) => [o.memberId, o]));

      const newMembers: repo.MemberJson[] = [];
      const memberUpdates: object[] = [];
      const newEpisodes: repo.MobilityJson[] = [];
      const transitions: object[] = [];
      const episodeUpdates: object[] = [];
      const items: object[] = [];
      const item = (
        entity: 'member' | 'mobility',
        id: string,
        action: 'created' | 'updated',
        row: number,
        versionAfter: number,
        before: Record<string, unknown> | null = null,
      ) =>
        items.push({
          batch_id: p.batch.id,
          entity,
          entity_id: id,
          action,
          before,
          version_after: versionAfter,
          sheet_row: row,
        });

      for (const { c, bidx, fresh } of rows) {
        const found = byBidx.get(bidx);
        const v = c.member;
        let memberId: string;
        let homeOrgId: string;
        let outcome: 'created' | 'updated' | 'skipped' = 'skipped';

        if (!found) {
          memberId = fresh ? (fresh.id as string) : randomUUID();
          homeOrgId = c.org.id;
          outcome = 'created';
          if (fresh) newMembers.push(fresh);
          item('member', memberId, 'created', c.row, 1);
        } else if (!found.homeInScope) {
          if (kind === 'members' && mode === 'skip') {
            tally.skipped++;
            continue;
          }
          rowError(
            c,
            'idNumber',
            kind === 'ledger'
              ? '该党员的组织关系不在您的管理范围内，不能登记流出'
              : '该身份证号码已登记在您管理范围以外的党组织，不能更新',
            maskIdNumber(v.idNumber, 'list'),
          );
          continue;
        } else {
          memberId = found.member.id;
          homeOrgId = found.member.orgId!;
          if (mode !== 'skip') {
            const diff = memberDiff(found.member, v, mode);
            if (diff.error) {
              rowError(c, diff.error.field, diff.error.message);
              continue;
            }
            if (diff.before) {
              memberUpdates.push({ id: memberId, version: found.member.version, ...diff.next });
              item('member', memberId, 'updated', c.row, found.member.version + 1, {
                ...diff.before,
                version: found.member.version,
                updated_at: found.member.updatedAt.toISOString(),
              });
              outcome = 'updated';
            }
          }
        }

        if (kind === 'ledger' && c.episode) {
          const e = c.episode;
          const current = openOf.get(memberId);
          const range = mobilityRangeOf(regionOf.get(homeOrgId) ?? null, e.destinationRegionCode);
          if (!current) {
            const episodeId = randomUUID();
            if (hooks.tx) {
              newEpisodes.push({
                id: episodeId,
                member_id: memberId,
                direction: 'outflow',
                status: 'registered',
                home_org_id: homeOrgId,
                registered_on: registeredOn,
                left_on: e.leftOn,
                destination_region_code: e.destinationRegionCode,
                destination_address_enc: e.destinationAddress
                  ? cipher.encrypt(e.destinationAddress, FIELD.destinationAddress.context)
                  : null,
                employer: e.employer ?? null,
                industry: e.industry ?? null,
                reason: e.reason ?? 'other',
                mobility_range: range,
                host_org_text: e.hostOrgText ?? null,
                checked_in_on: e.checkedInOn ?? null,
                version: 1,
                created_at: nowIso,
                updated_at: nowIso,
              });
              transitions.push({
                mobility_id: episodeId,
                from_status: null,
                to_status: 'registered',
                at: nowIso,
                actor_account_id: actor.accountId,
                note: '批量导入',
              });
            }
            item('mobility', episodeId, 'created', c.row, 1);
            tally.episodesCreated++;
            if (outcome === 'skipped') outcome = 'updated';
          } else if (mode !== 'skip') {
            const diff = episodeDiff(current, e, range, mode);
            if (diff.error) {
              rowError(c, diff.error.field, diff.error.message);
              continue;
            }
            if (diff.before) {
              episodeUpdates.push({ id: current.id, version: current.version, ...diff.next });
              item('mobility', current.id, 'updated', c.row, current.version + 1, {
                ...diff.before,
                version: current.version,
                updated_at: current.updatedAt.toISOString(),
              });
              if (outcome === 'skipped') outcome = 'updated';
            }
          }
        }
        tally[outcome]++;
      }

      if (writing()) {
        const tx = hooks.tx!;
        inflight = (async () => {
          await repo.insertMembers(tx, newMembers);
          if ((await repo.updateMembers(tx, memberUpdates, now)) !== memberUpdates.length)
            throw changedMeanwhile();
          await repo.insertMobilities(tx, newEpisodes);
          await repo.insertTransitions(tx, transitions);
          if ((await repo.updateMobilities(tx, episodeUpdates, now)) !== episodeUpdates.length)
            throw changedMeanwhile();
          await repo.insertItems(tx, items);
        })();
        // Awaited with the next chunk's lookup (or at the end); never left unobserved.
        inflight.catch(() => undefined);
      }
      hooks.onProgress?.({
        type: 'progress',
        phase: writing() ? 'writing' : 'checking',
        done: tally.total,
        total: total(),
      });
    };

    for await (const r of wb.rows(sheet, { merges: mergesOf(p.batch) })) {
      if (r.row <= p.batch.headerRow) continue;
      const result = parseRow(r);
      if (result.kind === 'empty') continue;
      tally.total++;
      if (result.kind === 'error') {
        for (const e of result.errors) report(e);
        continue;
      }
      const c = result.candidate;
      const bidx = idNumberBlindIndex(cipher, c.member.idNumber);
      const first = seen.get(c.member.idNumber);
      if (first !== undefined) {
        report({
          row: c.row,
          column: idTitle,
          value: maskIdNumber(c.member.idNumber, 'list'),
          message: `与第 ${first} 行的身份证号码重复`,
        });
        continue;
      }
      seen.set(c.member.idNumber, c.row);
      // Encrypted now, while the previous chunk is being written; a dry run needs none of it.
      const fresh = writing() ? newMemberJson(randomUUID(), c, bidx, nowIso) : null;
      chunk.push({ c, bidx, fresh });
      if (chunk.length >= IMPORT_CHUNK) await flush();
    }
    await flush();
    await inflight;
    return tally;
  }

  const changedMeanwhile = () =>
    new AppError('conflict', '导入期间有党员信息被他人修改，未导入任何数据，请重新导入');

  function newMemberJson(id: string, c: Candidate, bidx: string, nowIso: string): repo.MemberJson {
    const v = c.member;
    const keys = nameKeys(v.name);
    return {
      id,
      org_id: c.org.id,
      name: v.name,
      name_pinyin: keys.namePinyin,
      name_initials: keys.nameInitials,
      gender: v.gender,
      ethnicity: v.ethnicity ?? null,
      birth_date: v.birthDate,
      id_number_enc: cipher.encrypt(v.idNumber, FIELD.idNumber.context),
      id_number_bidx: bidx,
      education: v.education ?? null,
      phone_enc: v.phone ? cipher.encrypt(v.phone, FIELD.phone.context) : null,
      phone_bidx: v.phone ? phoneBlindIndex(cipher, v.phone) : null,
      home_address_enc: v.homeAddress
        ? cipher.encrypt(v.homeAddress, FIELD.homeAddress.context)
        : null,
      current_address_enc: v.currentAddress
        ? cipher.encrypt(v.currentAddress, FIELD.currentAddress.context)
        : null,
      emergency_contact_name: v.emergencyContactName ?? null,
      emergency_contact_phone_enc: v.emergencyContactPhone
        ? cipher.encrypt(v.emergencyContactPhone, FIELD.emergencyContactPhone.context)
        : null,
      joined_on: v.joinedOn ?? null,
      // The register needs a category; a roster without one lists full members.
      membership: v.membership ?? 'full',
      full_member_on: v.fullMemberOn ?? null,
      party_posts: v.partyPosts ?? null,
      version: 1,
      created_at: nowIso,
      updated_at: nowIso,
    };
  }

  /**
   * Dedupe by ID number: `update` writes the sheet's non-empty values over the record, `fill`
   * only into its empty fields. Encrypted fields are compared in clear (or by blind index) and
   * written as new ciphertext; `before` keeps what was stored, for the undo.
   */
  function memberDiff(existing: repo.MemberRow, v: MemberValues, mode: 'update' | 'fill') {
    const current = memberColumnsOf(existing);
    const next: MemberColumns = { ...current };
    const before: Partial<MemberColumns> = {};
    const set = (col: repo.MemberColumn, value: unknown) => {
      if (!(col in before)) before[col] = current[col];
      next[col] = value;
    };
    const takes = (has: boolean, differs: boolean) => (mode === 'fill' ? !has : differs);
    const plain = (col: repo.MemberColumn, value: string | undefined) => {
      if (value === undefined) return;
      if (takes(current[col] !== null, current[col] !== value)) set(col, value);
    };
    const secret = (col: repo.MemberColumn, value: string | undefined, context: string) => {
      if (value === undefined) return;
      const stored = current[col] as string | null;
      const differs = stored === null || cipher.decrypt(stored, context) !== value;
      if (takes(stored !== null, differs)) set(col, cipher.encrypt(value, context));
    };
    if (mode === 'update' && v.name !== existing.name) {
      const keys = nameKeys(v.name);
      set('name', v.name);
      set('name_pinyin', keys.namePinyin);
      set('name_initials', keys.nameInitials);
    }
    plain('birth_date', v.birthDate);
    plain('ethnicity', v.ethnicity);
    plain('education', v.education);
    plain('joined_on', v.joinedOn);
    plain('membership', v.membership);
    plain('full_member_on', v.fullMemberOn);
    plain('party_posts', v.partyPosts);
    plain('emergency_contact_name', v.emergencyContactName);
    if (v.phone !== undefined) {
      const bidx = phoneBlindIndex(cipher, v.phone);
      if (takes(current.phone_bidx !== null, current.phone_bidx !== bidx)) {
        set('phone_enc', cipher.encrypt(v.phone, FIELD.phone.context));
        set('phone_bidx', bidx);
      }
    }
    secret('home_address_enc', v.homeAddress, FIELD.homeAddress.context);
    secret('current_address_enc', v.currentAddress, FIELD.currentAddress.context);
    secret(
      'emergency_contact_phone_enc',
      v.emergencyContactPhone,
      FIELD.emergencyContactPhone.context,
    );

    // The record that results must hold together, as a manual edit must (members.service).
    let error: { field: SheetField; message: string } | null = null;
    if (next.membership === 'probationary' && next.full_member_on)
      error = {
        field: 'fullMemberOn',
        message: '预备党员尚未转正，不能有转正时间（与系统中已有信息合并后）',
      };
    else if (
      next.joined_on &&
      next.full_member_on &&
      (next.full_member_on as string) < (next.joined_on as string)
    )
      error = {
        field: 'fullMemberOn',
        message: '转正时间不能早于入党时间（与系统中已有信息合并后）',
      };
    return {
      next,
      before: Object.keys(before).length > 0 ? (before as Record<string, unknown>) : null,
      error,
    };
  }

  function episodeDiff(
    existing: repo.MobilityRow,
    e: NonNullable<Candidate['episode']>,
    range: string | null,
    mode: 'update' | 'fill',
  ) {
    const current = mobilityColumnsOf(existing);
    const next: MobilityColumns = { ...current };
    const before: Partial<MobilityColumns> = {};
    const set = (col: repo.MobilityColumn, value: unknown) => {
      if (!(col in before)) before[col] = current[col];
      next[col] = value;
    };
    const takes = (has: boolean, differs: boolean) => (mode === 'fill' ? !has : differs);
    const plain = (col: repo.MobilityColumn, value: string | undefined | null) => {
      if (value === undefined || value === null) return;
      if (takes(current[col] !== null, current[col] !== value)) set(col, value);
    };
    plain('left_on', e.leftOn);
    if (
      takes(
        current.destination_region_code !== null,
        current.destination_region_code !== e.destinationRegionCode,
      )
    ) {
      set('destination_region_code', e.destinationRegionCode);
      if (range !== current.mobility_range) set('mobility_range', range);
    }
    plain('employer', e.employer);
    plain('industry', e.industry);
    plain('reason', e.reason);
    plain('host_org_text', e.hostOrgText);
    plain('checked_in_on', e.checkedInOn);
    if (e.destinationAddress !== undefined) {
      const stored = current.destination_address_enc as string | null;
      const differs =
        stored === null ||
        cipher.decrypt(stored, FIELD.destinationAddress.context) !== e.destinationAddress;
      if (takes(stored !== null, differs))
        set(
          'destination_address_enc',
          cipher.encrypt(e.destinationAddress, FIELD.destinationAddress.context),
        );
    }
    const error =
      next.checked_in_on && (next.checked_in_on as string) < (next.left_on as string)
        ? {
            field: 'checkedInOn' as const,
            message: '报到时间不能早于外出时间（与系统中已有的流出登记合并后）',
          }
        : null;
    return {
      next,
      before: Object.keys(before).length > 0 ? (before as Record<string, unknown>) : null,
      error,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Check, commit, error report

  async function check(
    ctx: RequestContext,
    id: string,
    options: ImportOptions,
  ): Promise<ImportCheckResult> {
    const found = await loadInScope(ctx, id);
    requireOpen(ctx, found.batch);
    const prepared = await prepareOptions(ctx, found.batch, options);
    // The options are kept with the batch: the error report is made with the same ones.
    await repo.updateBatch(db, id, {
      mapping: options.mapping,
      dedupe: options.dedupe,
      defaultOrgId: options.defaultOrgId ?? null,
    });
    const errors: ImportRowError[] = [];
    const tally = await run(db, ctx, prepared, {
      onError: (e) => {
        if (errors.length < CHECK_ERROR_LIMIT) errors.push(e);
      },
    });
    return {
      total: tally.total,
      toCreate: tally.created,
      toUpdate: tally.updated,
      toSkip: tally.skipped,
      episodesToCreate: tally.episodesCreated,
      errorCount: tally.errors,
      errors,
    };
  }

  /**
   * Everything a commit checks before it starts to stream (scope, state, options), so that
   * these refusals are ordinary error responses; `run` then does the work.
   */
  async function startCommit(ctx: RequestContext, id: string, options: ImportOptions) {
    const actor = requireActor(ctx);
    const found = await loadInScope(ctx, id);
    // Idempotent: a committed batch answers with its result and writes nothing again.
    if (found.batch.status === 'committed') return { run: async () => viewOf(ctx, found) };
    requireOpen(ctx, found.batch);
    const prepared = await prepareOptions(ctx, found.batch, options);
    // Kept with the batch (as a check does): a refused commit's error report uses them.
    await repo.updateBatch(db, id, {
      mapping: options.mapping,
      dedupe: options.dedupe,
      defaultOrgId: options.defaultOrgId ?? null,
    });

    return {
      run: async (onProgress?: (line: ImportProgressLine) => void): Promise<ImportBatch> => {
        const firstErrors: ImportRowError[] = [];
        let errorCount = 0;
        try {
          await db.transaction(async (tx) => {
            const locked = await repo.lockBatch(tx, id);
            if (!locked) throw notFound(BATCH);
            // A second commit of the same batch waited for the first here: same answer.
            if (locked.status === 'committed') return;
            requireOpen(ctx, locked);
            const tally = await run(
              tx,
              ctx,
              { ...prepared, batch: locked },
              {
                tx,
                onError: (e) => {
                  if (firstErrors.length < 20) firstErrors.push(e);
                },
                onProgress,
              },
            );
            errorCount = tally.errors;
            if (tally.errors > 0)
              throw new AppError(
                'validation_failed',
                `有 ${tally.errors} 处错误，未导入任何数据。请下载错误报告，修改表格后重新上传`,
                { errorCount: tally.errors, errors: firstErrors },
              );
            const now = ctx.clock.now();
            await repo.updateBatch(tx, id, {
              status: 'committed',
              committedAt: now,
              mapping: options.mapping,
              dedupe: options.dedupe,
              defaultOrgId: options.defaultOrgId ?? null,
              totalRows: tally.total,
              createdCount: tally.created,
              updatedCount: tally.updated,
              skippedCount: tally.skipped,
              episodesCreated: tally.episodesCreated,
            });
            // SECURITY.md 17: the file goes as soon as it has served its purpose.
            await repo.deleteFile(tx, id);
            await writeAudit(tx, ctx, {
              action: 'import.commit',
              result: 'success',
              targetType: 'import_batch',
              targetId: id,
              targetLabel: locked.fileName.slice(0, 100),
              // Counts only: no row of the sheet enters the trail (SECURITY.md 18).
              after: {
                kind: locked.kind,
                dedupe: options.dedupe,
                total: tally.total,
                created: tally.created,
                updated: tally.updated,
                skipped: tally.skipped,
                episodesCreated: tally.episodesCreated,
              },
            });
            if (options.saveMappingAs) {
              await saveMappingIn(tx, ctx, {
                name: options.saveMappingAs,
                kind: locked.kind as ImportKind,
                columns: options.mapping.map((m) => ({
                  title: prepared.titles.get(m.index)!,
                  field: m.field,
                })),
              });
            }
          });
        } catch (err) {
          const refusal = repo.isUniqueViolation(err)
            ? new AppError(
                'conflict',
                '导入期间有相同身份证号码的党员或流出登记被他人录入，未导入任何数据，请重新导入',
              )
            : err;
          // The refused import is recorded too, in its own transaction (the import's own was
          // rolled back); a failing audit here must not hide why the import failed.
          await writeAuditAlone(db, ctx, {
            action: 'import.commit',
            result: 'failure',
            targetType: 'import_batch',
            targetId: id,
            targetLabel: found.batch.fileName.slice(0, 100),
            reason: refusal instanceof AppError ? refusal.code : 'internal',
            // Counts only, never row data (SECURITY.md 18).
            after: { errorCount },
          }).catch(() => undefined);
          throw refusal;
        }
        const after = await repo.findWithScope(db, actor, id);
        return viewOf(ctx, after!);
      },
    };
  }

  async function commit(
    ctx: RequestContext,
    id: string,
    options: ImportOptions,
    onProgress?: (line: ImportProgressLine) => void,
  ) {
    return (await startCommit(ctx, id, options)).run(onProgress);
  }

  /**
   * Every row error as a spreadsheet (row, column title, masked value, message), streamed as it
   * is found; formula-safe cells (SECURITY.md 22) and no personal data in clear.
   */
  async function errorReport(
    ctx: RequestContext,
    id: string,
  ): Promise<{ fileName: string; stream: Readable }> {
    const actor = requireActor(ctx);
    const found = await loadInScope(ctx, id);
    requireOpen(ctx, found.batch);
    const b = found.batch;
    // The report is of the last check, with its options: an unchecked batch has none yet.
    if (!b.mapping || !b.dedupe)
      throw new AppError('conflict', '请先完成列对应并试导入，再下载错误报告');
    const options: ImportOptions = {
      mapping: b.mapping as ImportOptions['mapping'],
      dedupe: b.dedupe as DedupeMode,
      defaultOrgId: b.defaultOrgId,
    };
    const prepared = await prepareOptions(ctx, b, options);
    const stream = new PassThrough();
    const when = new Date(ctx.clock.now().getTime() + 8 * 3600_000)
      .toISOString()
      .slice(0, 16)
      .replace('T', ' ');
    const writer = createSheetWriter(stream, {
      sheetName: '错误报告',
      watermark: `导入错误报告：${b.fileName}（${actor.username} ${when} 生成；内容已脱敏）`,
      columns: [
        { title: '行号', width: 8 },
        { title: '列', width: 20 },
        { title: '内容（已脱敏）', width: 28 },
        { title: '问题', width: 60 },
      ],
    });
    void (async () => {
      try {
        let count = 0;
        await run(db, ctx, prepared, {
          onError: (e) => {
            count++;
            writer.row([
              String(e.row),
              literalCell(e.column),
              literalCell(e.value),
              literalCell(e.message),
            ]);
          },
        });
        if (count === 0) writer.row(['', '', '', '没有发现错误']);
        await writer.finish();
      } catch (err) {
        log?.error({ err: describeSafely(err), batchId: id }, 'import error report failed');
        stream.destroy(err instanceof Error ? err : new Error('error report failed'));
      }
    })();
    return { fileName: `导入错误报告-${b.fileName.replace(/\.[^.]+$/, '')}.xlsx`, stream };
  }

  // -------------------------------------------------------------------------------------------
  // Undo

  async function undo(
    ctx: RequestContext,
    id: string,
    input: UndoImportInput,
  ): Promise<ImportBatch> {
    const actor = requireActor(ctx);
    const found = await loadInScope(ctx, id);
    if (found.batch.status !== 'committed') throw new AppError('conflict', '只能撤销已导入的批次');
    await db.transaction(async (tx) => {
      try {
        await undoIn(tx);
      } catch (err) {
        // A record of the batch that another feature now refers to (a table added later than
        // the checks below knows about): the whole undo is refused, never done in part.
        if (repo.isForeignKeyViolation(err))
          throw new AppError('conflict', '导入的记录已被其他业务引用，不能撤销整个批次');
        throw err;
      }
    });
    const after = await repo.findWithScope(db, actor, id);
    return viewOf(ctx, after!);

    async function undoIn(tx: Tx) {
      const locked = await repo.lockBatch(tx, id);
      if (!locked || locked.status !== 'committed')
        throw new AppError('conflict', '只能撤销已导入的批次');
      await repo.lockBatchRecords(tx, id);
      const conflicts = await repo.undoConflicts(tx, id);
      if (conflicts.length > 0) {
        const names = [...new Set(conflicts.map((c) => c.name ?? ''))].filter(Boolean);
        throw new AppError(
          'conflict',
          `有 ${names.length} 名党员的记录在导入后已被修改或已办理后续业务（${names
            .slice(0, 10)
            .join('、')}${names.length > 10 ? ' 等' : ''}），不能撤销整个批次`,
          {
            count: names.length,
            records: conflicts
              .slice(0, 50)
              .map((c) => ({ entity: c.entity, id: c.id, name: c.name, reason: c.reason })),
          },
        );
      }
      const done = await repo.undoBatchWrites(tx, id, ctx.clock.now());
      await repo.updateBatch(tx, id, {
        status: 'undone',
        undoneAt: ctx.clock.now(),
        undoneBy: actor.accountId,
        undoReason: input.reason,
      });
      await writeAudit(tx, ctx, {
        action: 'import.undo',
        result: 'success',
        targetType: 'import_batch',
        targetId: id,
        targetLabel: locked.fileName.slice(0, 100),
        reason: input.reason,
        after: done,
      });
    }
  }

  // -------------------------------------------------------------------------------------------
  // Lists

  async function get(ctx: RequestContext, id: string): Promise<ImportBatch> {
    return viewOf(ctx, await loadInScope(ctx, id));
  }

  async function list(ctx: RequestContext, q: ImportListQuery): Promise<ImportBatchList> {
    const actor = requireActor(ctx);
    const rows = await repo.listBatches(db, actor, {
      kind: q.kind,
      after: decodeCursor(q.cursor, BatchCursor),
      limit: q.limit,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1)?.batch;
    return {
      items: page.map((r) => viewOf(ctx, r)),
      nextCursor:
        rows.length > q.limit && last
          ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id })
          : null,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Saved mappings

  function mappingView(m: Awaited<ReturnType<typeof repo.listMappings>>[number]): ImportMapping {
    return {
      id: m.id,
      name: m.name,
      kind: m.kind as ImportKind,
      columns: m.columns as ImportMapping['columns'],
      createdAt: m.createdAt.toISOString(),
    };
  }

  async function listMappings(ctx: RequestContext, kind?: ImportKind): Promise<ImportMappingList> {
    const rows = await repo.listMappings(db, requireActor(ctx), kind);
    return { items: rows.map(mappingView) };
  }

  async function saveMappingIn(tx: Tx, ctx: RequestContext, input: SaveImportMappingInput) {
    const actor = requireActor(ctx);
    const columns = input.columns.map((c) => ({ title: normalizeHeader(c.title), field: c.field }));
    const row = await repo.upsertMapping(tx, {
      orgId: actor.orgId,
      accountId: actor.accountId,
      kind: input.kind,
      name: input.name,
      columns,
      at: ctx.clock.now(),
    });
    await writeAudit(tx, ctx, {
      action: 'import.mapping_save',
      result: 'success',
      targetType: 'import_mapping',
      targetId: row.id,
      targetLabel: input.name,
      after: { kind: input.kind, columns },
    });
    return row;
  }

  async function saveMapping(
    ctx: RequestContext,
    input: SaveImportMappingInput,
  ): Promise<ImportMapping> {
    if (new Set(input.columns.map((c) => c.field)).size !== input.columns.length)
      throw new AppError('validation_failed', '同一个字段只能对应一列');
    return mappingView(await db.transaction((tx) => saveMappingIn(tx, ctx, input)));
  }

  async function deleteMapping(ctx: RequestContext, id: string) {
    const found = await repo.findMappingWithScope(db, requireActor(ctx), id);
    if (!found) throw notFound(MAPPING);
    if (!found.inScope) {
      await denied(ctx, 'import_mapping', id);
      throw notFound(MAPPING);
    }
    await db.transaction(async (tx) => {
      await repo.deleteMapping(tx, id);
      await writeAudit(tx, ctx, {
        action: 'import.mapping_save',
        result: 'success',
        targetType: 'import_mapping',
        targetId: id,
        targetLabel: found.mapping.name,
        reason: 'deleted',
        before: { kind: found.mapping.kind, name: found.mapping.name },
      });
    });
  }

  return {
    upload,
    preview,
    check,
    startCommit,
    commit,
    errorReport,
    undo,
    get,
    list,
    listMappings,
    saveMapping,
    deleteMapping,
    limits: XLSX_LIMITS,
  };
}

export type ImportService = ReturnType<typeof createImportService>;
