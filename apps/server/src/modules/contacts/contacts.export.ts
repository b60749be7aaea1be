import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type {
  LostExportQuery,
  LostItem,
  LostRegisterExportQuery,
  LostRegisterItem,
} from '@liudong/contracts';
import { LOST_CONTACT_REASON_LABELS, chinaDateOf } from '@liudong/domain';
import { account } from '../../db/schema';
import { requireActor, type Actor, type RequestContext } from '../../platform/actor';
import { writeAuditAlone } from '../../platform/audit';
import type { Db } from '../../platform/db';
import { EXPORT_PAGE_SIZE, EXPORT_TMP_PREFIX, type ExportFile } from '../exports/exports.service';
import { literalCell } from '../exports/literal-cell';
import { subtreeOrgOf, toLostItem, toRegisterItem } from './contacts.service';
import * as repo from './contacts.repository';

/**
 * The lost-contact lists and the two official registers as .xlsx (issue 4 §4, §7; DOMAIN.md §4;
 * SECURITY.md 22, 23), done as every export is (modules/exports, the census register): the
 * rows are exactly those of the JSON lists (the same repository queries, paged through with
 * their keyset cursors, one query per page and none per row), the columns those of the page.
 * No phone, no ID number, no address: names, orgs, dates, counts and the officer's notes only.
 *
 * The workbook is streamed into a private temporary file (mode 0600), which is opened, unlinked
 * and handed to the response; the export is audited once complete, and a break-off half-way is
 * audited as a failure. No file outlives the request (SECURITY.md 17).
 */

/** A cell: text (always written literal), a count, or nothing. */
export type ListCell = string | number | null;

export interface ListColumn {
  title: string;
  width: number;
}

/** The audit action of these exports (label: 导出失联党员名单或登记表). */
export const LOST_EXPORT_ACTION = 'lost_contact.export';

/** The list names, as on the page's printed heading. */
export const LOST_EXPORT_TITLES = {
  warning: '失联预警名单（未满6个月）',
  lost: '失去联系党员名单（满6个月）',
  found: '经查找取得联系党员登记表',
  not_found: '经查找仍然无法取得联系党员登记表',
} as const;

/** Sheet and file names (no parentheses: a file name says it plainly). */
const LABELS = {
  warning: '失联预警名单',
  lost: '失去联系党员名单',
  found: '经查找取得联系党员登记表',
  not_found: '经查找仍然无法取得联系党员登记表',
} as const;

/** 2026-11-20 10:00:00, as seen in China (UTC+8), for the watermark. */
function chinaDateTimeOf(instant: Date): string {
  const shifted = new Date(instant.getTime() + 8 * 3600_000);
  return `${chinaDateOf(instant)} ${shifted.toISOString().slice(11, 19)}`;
}

export function lostColumns(level: 'warning' | 'lost'): ListColumn[] {
  return [
    { title: '姓名', width: 12 },
    { title: '所属党组织', width: 28 },
    { title: '流向', width: 24 },
    { title: '外出日期', width: 12 },
    { title: '最后一次联系上', width: 14 },
    { title: '最近组织生活', width: 12 },
    { title: '最近交纳党费', width: 12 },
    { title: '未联系月数', width: 10 },
    // The day the member reaches (warning) or reached (lost) the 6 months (DOMAIN.md §4).
    { title: level === 'warning' ? '满6个月日期' : '失联日期', width: 12 },
    { title: '查找次数', width: 8 },
    { title: '失联原因', width: 18 },
    { title: '备注', width: 30 },
    { title: '联络员', width: 12 },
  ];
}

export function registerColumns(kind: 'found' | 'not_found'): ListColumn[] {
  return [
    { title: '序号', width: 6 },
    { title: '姓名', width: 12 },
    { title: '所属党组织', width: 28 },
    { title: '失联原因', width: 18 },
    { title: '失联起始日期', width: 12 },
    // Still not found: no day and no way of finding (as on the page).
    ...(kind === 'found'
      ? [
          { title: '取得联系日期', width: 12 },
          { title: '联系方式', width: 10 },
        ]
      : []),
    { title: '查找次数', width: 8 },
    { title: '备注', width: 30 },
  ];
}

/** The cells of a lost-contact row; the reason not yet recorded shows the suggestion. */
export function lostCells(item: LostItem): ListCell[] {
  return [
    item.memberName,
    item.orgName,
    item.destinationName,
    item.leftOn,
    item.lastReachedOn,
    item.lastOrgLifeOn,
    item.lastDuesOn,
    item.monthsWithout,
    item.lostOn,
    item.searchAttempts,
    item.reasonCode
      ? LOST_CONTACT_REASON_LABELS[item.reasonCode]
      : `建议：${LOST_CONTACT_REASON_LABELS[item.suggestedReason]}`,
    item.note,
    item.liaisonName ?? '未分配',
  ];
}

export function registerCells(
  kind: 'found' | 'not_found',
  n: number,
  item: LostRegisterItem,
): ListCell[] {
  return [
    n,
    item.memberName,
    item.orgName,
    item.reasonCode ? LOST_CONTACT_REASON_LABELS[item.reasonCode] : null,
    item.lostSince,
    ...(kind === 'found' ? [item.foundOn, item.foundChannel] : []),
    item.searchAttempts,
    item.note,
  ];
}

/**
 * One sheet with exceljs's streaming writer: a title row, the exporter's watermark line
 * (SECURITY.md 23), the header, then one row per member, each committed at once so memory stays
 * flat. Every text cell goes through literalCell (SECURITY.md 22); counts are plain numbers.
 */
export function createListWriter(
  stream: Writable,
  opts: { sheetName: string; title: string; watermark: string; columns: readonly ListColumn[] },
) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useSharedStrings: false,
    useStyles: true,
  });
  const sheet = workbook.addWorksheet(opts.sheetName, { views: [{ state: 'frozen', ySplit: 3 }] });
  sheet.columns = opts.columns.map((c) => ({ width: c.width }));
  const width = Math.max(opts.columns.length, 1);
  const title = sheet.getRow(1);
  title.getCell(1).value = literalCell(opts.title);
  title.getCell(1).font = { bold: true, size: 14 };
  sheet.mergeCells(1, 1, 1, width);
  title.commit();
  const mark = sheet.getRow(2);
  mark.getCell(1).value = literalCell(opts.watermark);
  mark.getCell(1).font = { bold: true, color: { argb: 'FFC00000' } };
  sheet.mergeCells(2, 1, 2, width);
  mark.commit();
  const header = sheet.addRow(opts.columns.map((c) => c.title));
  header.font = { bold: true };
  header.commit();
  return {
    row(cells: readonly ListCell[]) {
      sheet.addRow(cells.map((c) => (typeof c === 'number' ? c : literalCell(c)))).commit();
    },
    async finish() {
      sheet.commit();
      await workbook.commit();
    },
  };
}

export function createContactExportService(deps: { db: Db; pageSize?: number }) {
  const { db } = deps;
  const pageSize = deps.pageSize ?? EXPORT_PAGE_SIZE;

  async function watermarkOf(actor: Actor, now: Date) {
    const [row] = await db
      .select({ displayName: account.displayName })
      .from(account)
      .where(eq(account.id, actor.accountId));
    const who = `${row?.displayName ?? actor.username}（${actor.username}）`;
    return `导出人：${who}  导出时间：${chinaDateTimeOf(now)}  仅限工作使用，请妥善保管`;
  }

  async function produce(
    ctx: RequestContext,
    o: {
      label: string;
      title: string;
      filters: Record<string, unknown>;
      columns: ListColumn[];
      rows: (write: (cells: ListCell[]) => void) => Promise<void>;
    },
  ): Promise<ExportFile> {
    const actor = requireActor(ctx);
    const now = ctx.clock.now();
    const after = (rows: number) => ({ format: 'xlsx', masked: true, filters: o.filters, rows });
    const file = path.join(os.tmpdir(), `${EXPORT_TMP_PREFIX}${randomUUID()}.xlsx`);
    let count = 0;
    try {
      const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
      try {
        const sheet = createListWriter(out, {
          sheetName: o.label,
          title: o.title,
          watermark: await watermarkOf(actor, now),
          columns: o.columns,
        });
        await o.rows((cells) => {
          sheet.row(cells);
          count += 1;
        });
        await sheet.finish();
        await finished(out);
      } catch (err) {
        out.destroy();
        throw err;
      }
      // Opened before it is unlinked (in `finally`): the download reads the open file.
      const handle = await fs.promises.open(file, 'r');
      const stream = handle.createReadStream();
      try {
        await writeAuditAlone(db, ctx, {
          action: LOST_EXPORT_ACTION,
          result: 'success',
          targetType: 'lost_contact',
          targetLabel: o.label,
          after: after(count),
        });
      } catch (err) {
        stream.destroy();
        throw err;
      }
      return { fileName: `${o.label}-${chinaDateOf(now)}.xlsx`, stream, rows: count };
    } catch (err) {
      await writeAuditAlone(db, ctx, {
        action: LOST_EXPORT_ACTION,
        result: 'failure',
        targetType: 'lost_contact',
        targetLabel: o.label,
        reason: 'export_failed',
        after: after(count),
      }).catch(() => undefined);
      throw err;
    } finally {
      await fs.promises.rm(file, { force: true });
    }
  }

  /** 失联预警名单 / 失去联系党员名单: every member of the level in the subtree. */
  async function lost(ctx: RequestContext, q: LostExportQuery): Promise<ExportFile> {
    const org = await subtreeOrgOf(db, ctx, q.orgId);
    const today = chinaDateOf(ctx.clock.now());
    const settings = await repo.loadContactSettings(db);
    return produce(ctx, {
      label: LABELS[q.level],
      title: `${LOST_EXPORT_TITLES[q.level]}  ${org.name}  统计截至 ${today}`,
      filters: { level: q.level, orgId: org.id },
      columns: lostColumns(q.level),
      rows: async (write) => {
        let after: { lastSignOn: string; id: string } | undefined;
        for (;;) {
          const rows = await repo.lostList(db, {
            today,
            settings,
            path: org.path,
            level: q.level,
            after,
            limit: pageSize,
          });
          const page = rows.slice(0, pageSize);
          for (const r of page) write(lostCells(toLostItem(r)));
          const last = page.at(-1);
          if (rows.length <= pageSize || !last) return;
          after = { lastSignOn: last.last_sign_on, id: last.member_id };
        }
      },
    });
  }

  /** 经查找取得联系党员 / 经查找仍然无法取得联系党员 登记表 (DOMAIN.md §4). */
  async function register(ctx: RequestContext, q: LostRegisterExportQuery): Promise<ExportFile> {
    const org = await subtreeOrgOf(db, ctx, q.orgId);
    const today = chinaDateOf(ctx.clock.now());
    const settings = await repo.loadContactSettings(db);
    const since = q.kind === 'found' ? q.since : undefined;
    return produce(ctx, {
      label: LABELS[q.kind],
      title: `${LOST_EXPORT_TITLES[q.kind]}${since ? `（取得联系日期自 ${since}）` : ''}  ${org.name}  统计截至 ${today}`,
      filters: { kind: q.kind, orgId: org.id, since: since ?? null },
      columns: registerColumns(q.kind),
      rows: async (write) => {
        let after: { on: string; id: string } | undefined;
        let n = 0;
        for (;;) {
          const rows =
            q.kind === 'found'
              ? await repo.foundRegister(db, { path: org.path, since, after, limit: pageSize })
              : await repo.notFoundRegister(db, {
                  today,
                  settings,
                  path: org.path,
                  after,
                  limit: pageSize,
                });
          const page = rows.slice(0, pageSize);
          for (const r of page) write(registerCells(q.kind, ++n, toRegisterItem(r)));
          const last = page.at(-1);
          if (rows.length <= pageSize || !last) return;
          after = {
            on: q.kind === 'found' ? last.found_on! : last.lost_since,
            id: last.member_id,
          };
        }
      },
    });
  }

  return { lost, register };
}
