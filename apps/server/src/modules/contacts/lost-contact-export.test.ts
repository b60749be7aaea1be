import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { permissionsOf } from '@liudong/domain';
import { auditLog } from '../../db/schema';
import type { Actor, RequestContext } from '../../platform/actor';
import type { Db } from '../../platform/db';
import {
  createTestApp,
  testDatabaseKinds,
  type TestApp,
  type TestClient,
  type TestOrg,
} from '../../test/harness';
import { EXPORT_TMP_PREFIX } from '../exports/exports.service';
import { literalCell } from '../exports/literal-cell';
import {
  addAssignment,
  addContactRow,
  addLiaison,
  addOutbound,
  addParticipation,
} from './contacts.fixtures';
import { LOST_EXPORT_ACTION, createContactExportService } from './contacts.export';

/**
 * The lost-contact lists and the two registers as .xlsx (issue 4 §4, §7; SECURITY.md 22, 23):
 * read back with exceljs — title, watermark, header, the rows of the JSON list, no phone, every
 * text literal — audited on success and on failure; member.export needed; scope as the lists.
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TODAY = '2026-11-30';
const PHONE = '13912345678';

async function readXlsx(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  expect(wb.worksheets).toHaveLength(1);
  const ws = wb.worksheets[0]!;
  const rows: string[][] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    const values: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell) => {
      expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
      const text = cell.value === null ? '' : String(cell.value as string | number);
      // No mobile number anywhere, masked or not (SECURITY.md 13, 23), and literal text only
      // (SECURITY.md 22).
      expect(text).not.toMatch(/1\d{10}/);
      expect(text).not.toMatch(/^1\d\d\*{4}\d{4}$/);
      expect(text).not.toMatch(/^[=+\-@\t\r＝＋－＠]/);
      values[Number(cell.col) - 1] = text;
    });
    rows.push(Array.from(values, (v) => v ?? ''));
  });
  // Empty cells at the end of a row are not stored: pad to the header's width (row 3).
  const width = rows[2]?.length ?? 0;
  return {
    name: ws.name,
    rows: rows.map((r) => [...r, ...Array<string>(Math.max(0, width - r.length)).fill('')]),
  };
}

for (const kind of testDatabaseKinds()) {
  describe(`lost-contact exports [${kind}]`, () => {
    let t: TestApp;
    let county: TestOrg, branch: TestOrg, sibling: TestOrg;
    let officer: TestClient, admin: TestClient, siblingOfficer: TestClient;
    let liaisonClient: TestClient;
    let tmp: string;
    const savedTmp = process.env.TMPDIR;
    const ids: Record<string, string> = {};

    const leftovers = () => fs.readdirSync(tmp).filter((f) => f.startsWith(EXPORT_TMP_PREFIX));

    async function download(client: TestClient, url: string) {
      const res = await client.get(url);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe(XLSX);
      expect(res.headers['cache-control']).toBe('no-store');
      return { res, sheet: await readXlsx(res.rawPayload) };
    }

    /** Every member of a JSON list with the same filters, through its pages. */
    async function listed(client: TestClient, url: string) {
      const names: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await client.get(
          `${url}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(res.statusCode, res.body).toBe(200);
        const page = res.json() as { items: { memberName: string }[]; nextCursor: string | null };
        // As the sheet shows them: a name that starts with a formula trigger is quoted.
        names.push(...page.items.map((i) => literalCell(i.memberName)!));
        cursor = page.nextCursor;
      } while (cursor);
      return names;
    }

    const audits = (username: string) =>
      t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, LOST_EXPORT_ACTION), eq(auditLog.actorUsername, username)))
        .orderBy(asc(auditLog.id));

    beforeAll(async () => {
      // Exports write their temporary files here: another process's exports never interfere.
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lost-export-test-'));
      process.env.TMPDIR = tmp;
      t = await createTestApp(kind, { now: `${TODAY}T02:00:00Z` });
      county = await t.addOrg(null, '失联导出县委');
      branch = await t.addOrg(county, '失联导出一村党支部', 'branch');
      sibling = await t.addOrg(county, '失联导出二村党支部', 'branch');
      officer = await t.login(
        await t.addUser('le-officer', [{ role: 'branch_officer', org: branch }]),
      );
      siblingOfficer = await t.login(
        await t.addUser('le-sibling', [{ role: 'branch_officer', org: sibling }]),
      );
      admin = await t.login(await t.addUser('le-admin', [{ role: 'org_admin', org: county }]));
      liaisonClient = await t.login(
        await t.addUser('le-liaison', [{ role: 'liaison', org: branch }]),
      );

      // Lost since 2026-07-10, searched twice, reason and a formula-like note recorded.
      const jia = await addOutbound(t, branch, {
        name: '失联甲',
        phone: PHONE,
        leftOn: '2026-01-10',
      });
      await addContactRow(t, jia.id, '2026-08-01', false);
      await addContactRow(t, jia.id, '2026-10-01', false);
      await addParticipation(t, jia.id, 'dues', '2026-01-05');
      ids.jia = jia.id;
      const note = await officer.request('PUT', `/api/contacts/lost/${jia.id}/note`, {
        reasonCode: 'work_business',
        note: '=托老乡打听，暂无消息',
      });
      expect(note.statusCode, note.body).toBe(204);
      // Lost, a name that starts with a formula trigger, a liaison, to 香港 (a suggested ⑤).
      const yi = await addOutbound(t, branch, {
        name: '＋失联乙',
        phone: '13987654321',
        leftOn: '2026-02-01',
        destinationRegionCode: '810000',
        reason: 'study',
      });
      const l = await addLiaison(t, branch.id, { name: '李联络' });
      await addAssignment(t, yi.id, l.id, { assignedOn: '2026-02-01' });
      // Warned (4 months), and one in good standing.
      await addOutbound(t, branch, { name: '预警丙', leftOn: '2026-07-15' });
      await addOutbound(t, branch, { name: '正常丁', leftOn: '2026-10-01' });
      // Found after searching: lost from 2026-07-10, reached on 2026-08-15 by a visit.
      const wu = await addOutbound(t, branch, { name: '找到戊', leftOn: '2026-01-10' });
      await addContactRow(t, wu.id, '2026-07-20', false);
      await addContactRow(t, wu.id, '2026-08-15', true, 'visit');
      // The sibling branch's lost member: in the county's list, never in the branch's.
      const ji = await addOutbound(t, sibling, { name: '他村失联己', leftOn: '2026-03-01' });
      await addContactRow(t, ji.id, '2026-10-10', false);
    });
    afterAll(async () => {
      await t.close();
      process.env.TMPDIR = savedTmp;
      if (savedTmp === undefined) delete process.env.TMPDIR;
      fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('exports the lost list: title, watermark, the page’s columns and rows; audited', async () => {
      const { res, sheet } = await download(officer, '/api/contacts/lost.xlsx?level=lost');
      expect(res.headers['content-disposition']).toContain(
        `filename*=UTF-8''${encodeURIComponent(`失去联系党员名单-${TODAY}.xlsx`)}`,
      );
      expect(sheet.name).toBe('失去联系党员名单');
      expect(sheet.rows[0]![0]).toBe(
        `失去联系党员名单（满6个月）  失联导出一村党支部  统计截至 ${TODAY}`,
      );
      expect(sheet.rows[1]![0]).toMatch(
        /^导出人：le-officer（le-officer） {2}导出时间：2026-11-30 \d\d:\d\d:\d\d {2}仅限工作使用，请妥善保管$/,
      );
      expect(sheet.rows[2]).toEqual([
        '姓名',
        '所属党组织',
        '流向',
        '外出日期',
        '最后一次联系上',
        '最近组织生活',
        '最近交纳党费',
        '未联系月数',
        '失联日期',
        '查找次数',
        '失联原因',
        '备注',
        '联络员',
      ]);
      const data = sheet.rows.slice(3);
      // Exactly the JSON list's rows, in its order (longest without a sign of life first).
      const names = await listed(officer, '/api/contacts/lost?level=lost');
      expect(data.map((r) => r[0])).toEqual(names);
      expect(data.map((r) => r[0])).toEqual(['失联甲', `'＋失联乙`]);
      expect(data[0]).toEqual([
        '失联甲',
        '失联导出一村党支部',
        '广东省深圳市南山区',
        '2026-01-10',
        '',
        '',
        '2026-01-05',
        '10',
        '2026-07-10',
        '2',
        '①外出务工经商',
        `'=托老乡打听，暂无消息`,
        '未分配',
      ]);
      expect(data[1]).toEqual([
        `'＋失联乙`,
        '失联导出一村党支部',
        '香港特别行政区',
        '2026-02-01',
        '',
        '',
        '',
        '9',
        '2026-08-01',
        '0',
        '建议：⑤出国(境)',
        '',
        '李联络',
      ]);

      const [audit, ...more] = await audits('le-officer');
      expect(more).toHaveLength(0);
      expect(audit).toMatchObject({
        result: 'success',
        targetType: 'lost_contact',
        targetLabel: '失去联系党员名单',
      });
      expect(audit!.after).toEqual({
        format: 'xlsx',
        masked: true,
        filters: { level: 'lost', orgId: branch.id },
        rows: 2,
      });
      expect(leftovers()).toEqual([]);
    });

    it('exports the warning list and follows the scope: an org of the subtree, 404 outside', async () => {
      const { sheet } = await download(officer, '/api/contacts/lost.xlsx?level=warning');
      expect(sheet.rows[0]![0]).toContain('失联预警名单（未满6个月）');
      expect(sheet.rows[2]![8]).toBe('满6个月日期');
      const data = sheet.rows.slice(3);
      expect(data.map((r) => r[0])).toEqual(
        await listed(officer, '/api/contacts/lost?level=warning'),
      );
      const bing = data.find((r) => r[0] === '预警丙')!;
      expect(bing.slice(7, 11)).toEqual(['4', '2027-01-15', '0', '建议：①外出务工经商']);

      // The county sees both branches; asked for one branch, that branch's title and rows.
      const whole = await download(admin, '/api/contacts/lost.xlsx?level=lost');
      expect(whole.sheet.rows[0]![0]).toContain('失联导出县委');
      expect(whole.sheet.rows.slice(3).map((r) => r[0])).toEqual(
        await listed(admin, '/api/contacts/lost?level=lost'),
      );
      expect(whole.sheet.rows.slice(3).map((r) => r[0])).toContain('他村失联己');
      const one = await download(admin, `/api/contacts/lost.xlsx?level=lost&orgId=${sibling.id}`);
      expect(one.sheet.rows[0]![0]).toContain('失联导出二村党支部');
      expect(one.sheet.rows.slice(3).map((r) => r[0])).toEqual(['他村失联己']);

      // An org outside the scope answers like a missing one (SECURITY.md 9), and writes no file.
      const out = await siblingOfficer.get(`/api/contacts/lost.xlsx?orgId=${branch.id}`);
      expect(out.statusCode).toBe(404);
      expect(out.body).toContain('不存在');
      expect(await audits('le-sibling')).toEqual([]);
      expect(leftovers()).toEqual([]);
    });

    it('exports the two registers with the page’s columns', async () => {
      const found = await download(officer, '/api/contacts/lost/registers.xlsx?kind=found');
      expect(found.res.headers['content-disposition']).toContain(
        encodeURIComponent(`经查找取得联系党员登记表-${TODAY}.xlsx`),
      );
      expect(found.sheet.rows[0]![0]).toBe(
        `经查找取得联系党员登记表  失联导出一村党支部  统计截至 ${TODAY}`,
      );
      expect(found.sheet.rows[1]![0]).toContain('导出人：le-officer（le-officer）');
      expect(found.sheet.rows[2]).toEqual([
        '序号',
        '姓名',
        '所属党组织',
        '失联原因',
        '失联起始日期',
        '取得联系日期',
        '联系方式',
        '查找次数',
        '备注',
      ]);
      expect(found.sheet.rows.slice(3)).toEqual([
        ['1', '找到戊', '失联导出一村党支部', '', '2026-07-10', '2026-08-15', '走访', '1', ''],
      ]);
      const since = await download(
        officer,
        '/api/contacts/lost/registers.xlsx?kind=found&since=2026-09-01',
      );
      expect(since.sheet.rows[0]![0]).toContain('（取得联系日期自 2026-09-01）');
      expect(since.sheet.rows.slice(3)).toEqual([]);

      const notFound = await download(officer, '/api/contacts/lost/registers.xlsx?kind=not_found');
      expect(notFound.sheet.rows[0]![0]).toContain('经查找仍然无法取得联系党员登记表');
      expect(notFound.sheet.rows[2]).toEqual([
        '序号',
        '姓名',
        '所属党组织',
        '失联原因',
        '失联起始日期',
        '查找次数',
        '备注',
      ]);
      // Searched: 失联甲 only (＋失联乙 was never searched for).
      expect(notFound.sheet.rows.slice(3)).toEqual([
        [
          '1',
          '失联甲',
          '失联导出一村党支部',
          '①外出务工经商',
          '2026-07-10',
          '2',
          `'=托老乡打听，暂无消息`,
        ],
      ]);
      const registerAudits = (await audits('le-officer')).filter(
        (a) => a.targetLabel !== '失去联系党员名单' && a.targetLabel !== '失联预警名单',
      );
      expect(registerAudits.map((a) => a.after)).toEqual([
        {
          format: 'xlsx',
          masked: true,
          filters: { kind: 'found', orgId: branch.id, since: null },
          rows: 1,
        },
        {
          format: 'xlsx',
          masked: true,
          filters: { kind: 'found', orgId: branch.id, since: '2026-09-01' },
          rows: 0,
        },
        {
          format: 'xlsx',
          masked: true,
          filters: { kind: 'not_found', orgId: branch.id, since: null },
          rows: 1,
        },
      ]);
    });

    it('needs member.export: a liaison gets 403', async () => {
      for (const url of [
        '/api/contacts/lost.xlsx?level=lost',
        '/api/contacts/lost/registers.xlsx?kind=found',
      ]) {
        const res = await liaisonClient.get(url);
        expect(res.statusCode).toBe(403);
        expect(res.headers['content-type']).toContain('application/json');
      }
      const bad = await officer.get('/api/contacts/lost/registers.xlsx?kind=lost');
      expect(bad.statusCode).toBe(400);
    });

    describe('through the service', () => {
      const ctxOf = (): RequestContext => {
        const actor: Actor = {
          accountId: '00000000-0000-4000-8000-000000000001',
          username: 'le-paging',
          grantId: '00000000-0000-4000-8000-000000000002',
          role: 'org_admin',
          orgId: county.id,
          orgName: county.name,
          orgPath: county.path,
          permissions: permissionsOf(['org_admin']),
        };
        return { actor, ip: null, correlationId: 'lost-export', clock: t.clock };
      };
      const bodyOf = async (stream: NodeJS.ReadableStream) => {
        const chunks: Buffer[] = [];
        for await (const c of stream) chunks.push(c as Buffer);
        return Buffer.concat(chunks);
      };

      it('pages through the list queries with their keyset cursors', async () => {
        const small = createContactExportService({ db: t.db, pageSize: 1 });
        const lost = await small.lost(ctxOf(), { level: 'lost' });
        const lostRows = (await readXlsx(await bodyOf(lost.stream))).rows.slice(3);
        expect(lost.rows).toBe(3);
        expect(lostRows.map((r) => r[0])).toEqual(
          await listed(admin, '/api/contacts/lost?level=lost'),
        );
        const nf = await small.register(ctxOf(), { kind: 'not_found' });
        const nfRows = (await readXlsx(await bodyOf(nf.stream))).rows.slice(3);
        expect(nfRows.map((r) => r.slice(0, 2))).toEqual([
          ['1', '失联甲'],
          ['2', '他村失联己'],
        ]);
        expect(leftovers()).toEqual([]);
      });

      it('records a failure and leaves no file when the export breaks off', async () => {
        // The second page's query fails: half a workbook was written, then the error.
        let calls = 0;
        const failing = new Proxy(t.db, {
          get(target, prop) {
            const value = Reflect.get(target, prop, target) as unknown;
            if (prop === 'execute')
              return (...args: unknown[]) => {
                calls += 1;
                if (calls === 3) return Promise.reject(new Error('simulated failure'));
                return (value as (...a: unknown[]) => unknown).apply(target, args);
              };
            return typeof value === 'function'
              ? (value as (...a: unknown[]) => unknown).bind(target)
              : value;
          },
        }) as Db;
        const small = createContactExportService({ db: failing, pageSize: 1 });
        await expect(small.lost(ctxOf(), { level: 'lost' })).rejects.toThrow('simulated failure');
        const failed = await t.db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.action, LOST_EXPORT_ACTION), eq(auditLog.result, 'failure')));
        expect(failed).toHaveLength(1);
        expect(failed[0]).toMatchObject({
          actorUsername: 'le-paging',
          reason: 'export_failed',
          targetLabel: '失去联系党员名单',
        });
        expect(failed[0]!.after).toMatchObject({ rows: 1, masked: true });
        expect(leftovers()).toEqual([]);
      });
    });
  });
}
