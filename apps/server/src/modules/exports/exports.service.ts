import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { eq } from 'drizzle-orm';
import type { MemberListQuery, MobilityListQuery } from '@liudong/contracts';
import {
  EDUCATION_LABELS,
  GENDER_LABELS,
  INDUSTRY_LABELS,
  MEMBERSHIP_LABELS,
  MOBILITY_DIRECTION_LABELS,
  MOBILITY_RANGE_LABELS,
  MOBILITY_REASON_LABELS,
  MOBILITY_STATUS_LABELS,
  UNIT_TYPE_LABELS,
  ageOn,
  chinaDateOf,
  maskAddress,
  maskIdNumber,
  maskPhone,
  maskText,
  placeName,
} from '@liudong/domain';
import { account } from '../../db/schema';
import { requireActor, type Actor, type RequestContext } from '../../platform/actor';
import { writeAuditAlone } from '../../platform/audit';
import type { FieldCipher } from '../../platform/crypto';
import type { Db } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { createSheetWriter, type SheetCell, type SheetColumn } from '../../platform/xlsx';
import { findWithScope as findOrgWithScope } from '../orgs/orgs.repository';
import { FIELD } from '../members/member-fields';
import * as memberRepo from '../members/members.repository';
import { memberSearchOf } from '../members/members.service';
import * as mobilityRepo from '../mobility/mobility.repository';
import { literalCell } from './literal-cell';

/** Rows read per keyset page: memory holds one page, whatever the size of the export. */
export const EXPORT_PAGE_SIZE = 500;

/** Temporary workbooks live here, mode 0600, and are unlinked before the download starts. */
export const EXPORT_TMP_PREFIX = 'liudong-export-';

export type MemberExportQuery = Omit<MemberListQuery, 'cursor' | 'limit'>;
export type MobilityExportQuery = Omit<MobilityListQuery, 'cursor' | 'limit'>;

export interface ExportFile {
  fileName: string;
  stream: Readable;
  rows: number;
}

const labelOf = <K extends string>(labels: Record<K, string>, code: string | null) =>
  code === null ? null : (labels[code as K] ?? code);

/** 2026-11-20 10:00:00, as seen in China (UTC+8). */
function chinaDateTimeOf(instant: Date): string {
  const shifted = new Date(instant.getTime() + 8 * 3600_000);
  return `${chinaDateOf(instant)} ${shifted.toISOString().slice(11, 19)}`;
}

const MOBILITY_COLUMNS: SheetColumn[] = [
  { title: '姓名', width: 12 },
  { title: '联系电话', width: 16 },
  { title: '流动方向', width: 10 },
  { title: '流动状态', width: 12 },
  { title: '组织关系所在党组织', width: 28 },
  { title: '登记日期', width: 12 },
  { title: '外出（流入）日期', width: 16 },
  { title: '流入地', width: 24 },
  { title: '详细地址', width: 24 },
  { title: '工作单位', width: 24 },
  { title: '所在行业', width: 20 },
  { title: '单位性质', width: 16 },
  { title: '外出原因', width: 12 },
  { title: '流动范围', width: 12 },
  { title: '流入地党组织', width: 28 },
  { title: '报到日期', width: 12 },
  { title: '结束日期', width: 12 },
  { title: '应转接组织关系', width: 14 },
];

const MEMBER_COLUMNS: SheetColumn[] = [
  { title: '姓名', width: 12 },
  { title: '性别', width: 6 },
  { title: '年龄', width: 6 },
  { title: '民族', width: 8 },
  { title: '学历', width: 12 },
  { title: '身份证号码', width: 20 },
  { title: '联系电话', width: 16 },
  { title: '现居住地', width: 24 },
  { title: '所在党组织', width: 28 },
  { title: '党员类别', width: 10 },
  { title: '入党时间', width: 12 },
  { title: '流动情况', width: 16 },
  { title: '流入地（流出地）', width: 24 },
  { title: '流入地党组织', width: 28 },
];

/**
 * Spreadsheet exports of the mobility ledger and the member list (issue 3 §6; SECURITY.md 22,
 * 23). The rows are exactly those of the JSON lists with the same filters: the modules'
 * repositories build the scoped SQL, and the export pages through it with their keyset cursors.
 *
 * Personal fields are always masked (list masks of ID number, phone and address); an unmasked
 * export is out of scope for now and would need its own permission, a reason and an audit
 * record of its own.
 *
 * The workbook is streamed row by row into a temporary file (mode 0600), then the file is
 * opened, unlinked and handed to the response: a failure half-way still gets an ordinary error
 * response and a `failure` audit record, and no file outlives the request (SECURITY.md 17).
 */
export function createExportService(deps: { db: Db; cipher: FieldCipher; pageSize?: number }) {
  const { db, cipher } = deps;
  const pageSize = deps.pageSize ?? EXPORT_PAGE_SIZE;

  const decrypt = (value: string | null, context: string) =>
    value === null ? null : cipher.decrypt(value, context);

  async function underPathOf(ctx: RequestContext, orgId: string | undefined) {
    if (!orgId) return undefined;
    const found = await findOrgWithScope(db, requireActor(ctx), orgId);
    if (!found) throw notFound('组织');
    if (!found.inScope) {
      await writeAuditAlone(db, ctx, {
        action: 'access.denied',
        result: 'denied',
        targetType: 'org',
        targetId: orgId,
        reason: 'out_of_scope',
      });
      throw notFound('组织');
    }
    return found.org.path;
  }

  async function watermarkOf(actor: Actor, now: Date) {
    const [row] = await db
      .select({ displayName: account.displayName })
      .from(account)
      .where(eq(account.id, actor.accountId));
    const who = `${row?.displayName ?? actor.username}（${actor.username}）`;
    return `导出人：${who}  导出时间：${chinaDateTimeOf(now)}  仅限工作使用，请妥善保管`;
  }

  /**
   * Writes the workbook to a private temporary file, audits the export in its own transaction
   * once it is complete (or a `failure` if it broke off), and returns a stream of the file that
   * no longer has a name on disk.
   */
  async function produce(
    ctx: RequestContext,
    o: {
      action: 'member.export' | 'mobility.export';
      targetType: string;
      label: string;
      filters: Record<string, unknown>;
      columns: SheetColumn[];
      rows: (write: (cells: SheetCell[]) => void) => Promise<void>;
    },
  ): Promise<ExportFile> {
    const actor = requireActor(ctx);
    const now = ctx.clock.now();
    const file = path.join(os.tmpdir(), `${EXPORT_TMP_PREFIX}${randomUUID()}.xlsx`);
    let count = 0;
    try {
      const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
      try {
        const sheet = createSheetWriter(out, {
          sheetName: o.label,
          watermark: await watermarkOf(actor, now),
          columns: o.columns,
        });
        await o.rows((cells) => {
          // Every text cell is literal: never read as a formula (SECURITY.md 22).
          sheet.row(cells.map(literalCell));
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
          action: o.action,
          result: 'success',
          targetType: o.targetType,
          targetLabel: o.label,
          after: { format: 'xlsx', masked: true, filters: o.filters, rows: count },
        });
      } catch (err) {
        stream.destroy();
        throw err;
      }
      const fileName = `${o.label}-${chinaDateOf(now)}.xlsx`;
      return { fileName, stream, rows: count };
    } catch (err) {
      await writeAuditAlone(db, ctx, {
        action: o.action,
        result: 'failure',
        targetType: o.targetType,
        targetLabel: o.label,
        reason: 'export_failed',
        after: { format: 'xlsx', masked: true, filters: o.filters, rows: count },
      }).catch(() => undefined);
      throw err;
    } finally {
      await fs.promises.rm(file, { force: true });
    }
  }

  async function mobilities(ctx: RequestContext, q: MobilityExportQuery): Promise<ExportFile> {
    const actor = requireActor(ctx);
    const underPath = await underPathOf(ctx, q.orgId);
    const asOf = chinaDateOf(ctx.clock.now());
    return produce(ctx, {
      action: 'mobility.export',
      targetType: 'mobility',
      label: '流动党员台账',
      filters: {
        direction: q.direction ?? null,
        status: q.status ?? null,
        orgId: q.orgId ?? null,
        shouldTransfer: q.shouldTransfer ?? null,
      },
      columns: MOBILITY_COLUMNS,
      rows: async (write) => {
        let after: { leftOn: string; id: string } | undefined;
        for (;;) {
          const rows = await mobilityRepo.ledger(db, actor, asOf, {
            direction: q.direction,
            status: q.status,
            underPath,
            shouldTransfer: q.shouldTransfer,
            after,
            limit: pageSize,
          });
          const page = rows.slice(0, pageSize);
          for (const r of page) {
            const m = r.mobility;
            const phone = decrypt(r.phoneEnc, FIELD.phone.context);
            const address = decrypt(m.destinationAddressEnc, FIELD.destinationAddress.context);
            write([
              r.memberName,
              phone === null ? null : maskPhone(phone),
              labelOf(MOBILITY_DIRECTION_LABELS, m.direction),
              labelOf(MOBILITY_STATUS_LABELS, m.status),
              r.homeOrgName,
              m.registeredOn,
              m.leftOn,
              placeName([r.regionGrandparentName, r.regionParentName, r.regionName]),
              address === null ? null : maskAddress(address),
              m.employer,
              labelOf(INDUSTRY_LABELS, m.industry),
              labelOf(UNIT_TYPE_LABELS, m.unitType),
              labelOf(MOBILITY_REASON_LABELS, m.reason),
              labelOf(MOBILITY_RANGE_LABELS, m.mobilityRange),
              r.hostOrgName,
              m.checkedInOn,
              m.endedOn,
              r.shouldTransfer ? '是' : '否',
            ]);
          }
          const last = page.at(-1)?.mobility;
          if (rows.length <= pageSize || !last) return;
          after = { leftOn: last.leftOn, id: last.id };
        }
      },
    });
  }

  async function members(ctx: RequestContext, q: MemberExportQuery): Promise<ExportFile> {
    const actor = requireActor(ctx);
    const now = ctx.clock.now();
    const underPath = await underPathOf(ctx, q.orgId);
    const search = memberSearchOf(cipher, q.q, now);
    return produce(ctx, {
      action: 'member.export',
      targetType: 'member',
      label: '党员信息',
      filters: {
        // The search text may be an ID number or a phone: only its kind and a mask are kept.
        search: search ? { kind: search.kind, text: maskText(q.q ?? '') } : null,
        orgId: q.orgId ?? null,
        membership: q.membership ?? null,
        mobility: q.mobility ?? null,
        sort: q.sort,
      },
      columns: MEMBER_COLUMNS,
      rows: async (write) => {
        let keyset: memberRepo.MemberKeyset =
          q.sort === 'joinedOn' ? { sort: 'joinedOn' } : { sort: 'name' };
        for (;;) {
          const rows = await memberRepo.list(db, actor, {
            search,
            underPath,
            membership: q.membership,
            mobility: q.mobility,
            keyset,
            limit: pageSize,
          });
          const page = rows.slice(0, pageSize);
          const open = await memberRepo.openMobilitiesOf(
            db,
            page.map((r) => r.member.id),
          );
          const openOf = new Map(open.map((x) => [x.memberId, x]));
          for (const r of page) {
            const m = r.member;
            const idNumber = decrypt(m.idNumberEnc, FIELD.idNumber.context);
            const phone = decrypt(m.phoneEnc, FIELD.phone.context);
            const address = decrypt(m.currentAddressEnc, FIELD.currentAddress.context);
            const mob = openOf.get(m.id);
            write([
              m.name,
              labelOf(GENDER_LABELS, m.gender),
              m.birthDate ? String(ageOn(m.birthDate, now)) : null,
              m.ethnicity,
              labelOf(EDUCATION_LABELS, m.education),
              idNumber === null ? null : maskIdNumber(idNumber, 'list'),
              phone === null ? null : maskPhone(phone),
              address === null ? null : maskAddress(address),
              r.orgName,
              labelOf(MEMBERSHIP_LABELS, m.membership),
              m.joinedOn,
              mob
                ? `${labelOf(MOBILITY_DIRECTION_LABELS, mob.direction)}·${labelOf(MOBILITY_STATUS_LABELS, mob.status)}`
                : null,
              mob
                ? placeName([mob.regionGrandparentName, mob.regionParentName, mob.regionName])
                : null,
              mob?.hostOrgName ?? null,
            ]);
          }
          const last = page.at(-1)?.member;
          if (rows.length <= pageSize || !last) return;
          keyset =
            keyset.sort === 'name'
              ? { sort: 'name', after: { namePinyin: last.namePinyin, id: last.id } }
              : { sort: 'joinedOn', after: { joinedOn: last.joinedOn, id: last.id } };
        }
      },
    });
  }

  return { mobilities, members };
}
