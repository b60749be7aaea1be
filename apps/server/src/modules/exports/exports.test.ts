import fs from 'node:fs';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { computeIdCheckChar, permissionsOf } from '@liudong/domain';
import { auditLog, member, mobility } from '../../db/schema';
import type { Actor, RequestContext } from '../../platform/actor';
import {
  createTestApp,
  testDatabaseKinds,
  type TestApp,
  type TestClient,
  type TestOrg,
} from '../../test/harness';
import { FIELD } from '../members/member-fields';
import { EXPORT_TMP_PREFIX, createExportService } from './exports.service';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let serial = 0;
function idNumber() {
  serial += 1;
  const first17 = `51010419850${String(1 + (serial % 9))}1${String(serial % 10)}${String(serial).padStart(3, '0')}`;
  return first17 + computeIdCheckChar(first17);
}
const phone = () => `139${String(10_000_000 + serial * 7919).slice(-8)}`;

interface Sheet {
  rows: string[][];
  cells: ExcelJS.Cell[];
}

async function readXlsx(body: Buffer): Promise<Sheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: string[][] = [];
  const cells: ExcelJS.Cell[] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    const values: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell) => {
      cells.push(cell);
      values[Number(cell.col) - 1] = cell.value === null ? '' : String(cell.value as string);
    });
    rows.push(Array.from(values, (v) => v ?? ''));
  });
  return { rows, cells };
}

const leftovers = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(EXPORT_TMP_PREFIX));

for (const kind of testDatabaseKinds()) {
  describe(`exports [${kind}]`, () => {
    let t: TestApp;
    let county: TestOrg, townA: TestOrg, branchA: TestOrg, townB: TestOrg, branchB: TestOrg;
    let admin: TestClient, officerA: TestClient, officerB: TestClient, liaisonA: TestClient;
    const secrets: string[] = [];

    async function seedMember(home: TestOrg, name: string, employer?: string, leftOn?: string) {
      const id = idNumber();
      const tel = phone();
      secrets.push(id, tel);
      const m = await t.addMember(home, { name, idNumber: id, phone: tel, joinedOn: '2010-07-01' });
      await t.db
        .update(member)
        .set({
          currentAddressEnc: t.cipher.encrypt(
            '四川省成都市锦江区某街道一号院三单元',
            FIELD.currentAddress.context,
          ),
        })
        .where(eq(member.id, m.id));
      if (employer !== undefined)
        await t.db.insert(mobility).values({
          memberId: m.id,
          direction: 'outflow',
          status: 'registered',
          homeOrgId: home.id,
          registeredOn: leftOn ?? '2026-10-01',
          leftOn: leftOn ?? '2026-10-01',
          destinationRegionCode: '440305',
          destinationAddressEnc: t.cipher.encrypt(
            '广东省深圳市南山区科技园南区一号楼',
            FIELD.destinationAddress.context,
          ),
          employer,
          industry: 'I',
          unitType: 'private_enterprise',
          reason: 'work',
        });
      return m;
    }

    beforeAll(async () => {
      t = await createTestApp(kind);
      county = await t.addOrg(null, '导出测试县委');
      townA = await t.addOrg(county, '甲镇党委');
      branchA = await t.addOrg(townA, '甲村党支部', 'branch');
      townB = await t.addOrg(county, '乙镇党委');
      branchB = await t.addOrg(townB, '乙村党支部', 'branch');
      for (let i = 0; i < 24; i++)
        await seedMember(
          branchA,
          `甲村党员${i}`,
          i % 2 === 0 ? `甲村务工单位${i}` : undefined,
          `2026-0${1 + (i % 9)}-1${i % 10}`,
        );
      await seedMember(branchA, '=HYPERLINK("http://x","点我")', '=cmd|/c calc!A1');
      await seedMember(branchA, '＋赵六', '＋1-2');
      await seedMember(branchA, '@王五', '-3+4');
      for (let i = 0; i < 10; i++) await seedMember(branchB, `乙村党员${i}`, `乙村务工单位${i}`);
      admin = await t.login(await t.addUser('ex-admin', [{ role: 'org_admin', org: county }]));
      officerA = await t.login(
        await t.addUser('ex-officer-a', [{ role: 'committee_officer', org: townA }]),
      );
      officerB = await t.login(
        await t.addUser('ex-officer-b', [{ role: 'committee_officer', org: townB }]),
      );
      liaisonA = await t.login(await t.addUser('ex-liaison-a', [{ role: 'liaison', org: townA }]));
    });
    afterAll(() => t.close());

    /** Every row of a JSON list with the same filters, through its pages. */
    async function listTotal(client: TestClient, url: string) {
      let n = 0;
      let cursor: string | null = null;
      do {
        const sep = url.includes('?') ? '&' : '?';
        const res = await client.get(
          `${url}${sep}limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(res.statusCode, res.body).toBe(200);
        const page = res.json() as { items: unknown[]; nextCursor: string | null };
        n += page.items.length;
        cursor = page.nextCursor;
      } while (cursor);
      return n;
    }

    async function download(client: TestClient, url: string) {
      const res = await client.get(url);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe(XLSX);
      expect(res.headers['cache-control']).toBe('no-store');
      return { res, sheet: await readXlsx(res.rawPayload) };
    }

    function expectSafe(sheet: Sheet) {
      for (const c of sheet.cells) {
        expect(c.formula).toBeUndefined();
        expect(c.type).not.toBe(ExcelJS.ValueType.Formula);
        const text = String((c.value as string | null) ?? '');
        // No full ID number or mobile number anywhere (SECURITY.md 13, 23).
        expect(text).not.toMatch(/\d{17}[\dX]/);
        expect(text).not.toMatch(/1\d{10}/);
        for (const s of secrets) expect(text).not.toContain(s);
        // Every text cell is literal (SECURITY.md 22).
        expect(text).not.toMatch(/^[=+\-@\t\r＝＋－＠]/);
      }
    }

    it('exports the mobility ledger: watermark, header, the list rows, masked, literal, audited', async () => {
      const { res, sheet } = await download(admin, '/api/mobilities/export.xlsx');
      expect(res.headers['content-disposition']).toContain(
        `filename*=UTF-8''${encodeURIComponent('流动党员台账-2026-11-20.xlsx')}`,
      );
      expect(sheet.rows[0]![0]).toMatch(
        /^导出人：ex-admin（ex-admin） {2}导出时间：2026-11-20 \d\d:\d\d:\d\d {2}仅限工作使用，请妥善保管$/,
      );
      expect(sheet.rows[1]!.slice(0, 4)).toEqual(['姓名', '联系电话', '流动方向', '流动状态']);
      const data = sheet.rows.slice(2);
      expect(data.length).toBe(await listTotal(admin, '/api/mobilities'));
      expect(data.length).toBe(12 + 3 + 10);
      const names = data.map((r) => r[0]);
      expect(names).toContain(`'=HYPERLINK("http://x","点我")`);
      expect(names).toContain(`'＋赵六`);
      const employers = data.map((r) => r[9]);
      expect(employers).toContain(`'=cmd|/c calc!A1`);
      expect(employers).toContain(`'-3+4`);
      const row = data.find((r) => r[0] === '乙村党员0')!;
      expect(row[1]).toMatch(/^139\*{4}\d{4}$/);
      expect(row[2]).toBe('流出');
      expect(row[8]).toMatch(/\*{4}$/);
      expect(row[10]).toContain('信息传输');
      expect(row[11]).not.toBe('private_enterprise');
      expectSafe(sheet);

      const audits = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'mobility.export'), eq(auditLog.actorUsername, 'ex-admin')));
      expect(audits).toHaveLength(1);
      expect(audits[0]!.result).toBe('success');
      expect(audits[0]!.after).toMatchObject({ rows: 25, masked: true, format: 'xlsx' });
      expect(leftovers()).toEqual([]);
    });

    it('applies the same filters and scope as the list', async () => {
      const q = `?orgId=${branchB.id}&direction=outflow`;
      const { sheet } = await download(admin, `/api/mobilities/export.xlsx${q}`);
      expect(sheet.rows.length - 2).toBe(await listTotal(admin, `/api/mobilities${q}`));
      expect(sheet.rows.length - 2).toBe(10);

      // An officer of the sibling town sees only their own rows.
      const b = await download(officerB, '/api/mobilities/export.xlsx');
      const bNames = b.sheet.rows.slice(2).map((r) => r[0]);
      expect(bNames).toHaveLength(10);
      expect(bNames.every((n) => n!.startsWith('乙村党员'))).toBe(true);
      const a = await download(officerA, '/api/members/export.xlsx');
      const aNames = a.sheet.rows.slice(2).map((r) => r[0]);
      expect(aNames).toHaveLength(await listTotal(officerA, '/api/members'));
      expect(aNames).toHaveLength(27);
      expect(aNames.some((n) => n!.startsWith('乙村'))).toBe(false);

      // A filter org outside the scope answers like a missing one.
      const out = await officerA.get(`/api/members/export.xlsx?orgId=${branchB.id}`);
      expect(out.statusCode).toBe(404);
    });

    it('exports members masked, with labels and a watermark, and audits it', async () => {
      const { sheet } = await download(admin, '/api/members/export.xlsx?membership=full');
      expect(sheet.rows[0]![0]).toContain('导出人：ex-admin（ex-admin）');
      expect(sheet.rows[1]).toContain('身份证号码');
      const data = sheet.rows.slice(2);
      expect(data.length).toBe(await listTotal(admin, '/api/members?membership=full'));
      expect(data.length).toBe(37);
      const row = data.find((r) => r[0] === '甲村党员0')!;
      expect(row[1]).toBe('男');
      expect(row[5]).toMatch(/^510\*+\d$|^510\*+X$/);
      expect(row[6]).toMatch(/^139\*{4}\d{4}$/);
      expect(row[7]).toMatch(/\*{4}$/);
      expect(row[9]).toBe('正式党员');
      expect(row[11]).toContain('流出');
      expectSafe(sheet);
      const [audit] = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'member.export'), eq(auditLog.actorUsername, 'ex-admin')));
      expect(audit!.after).toMatchObject({ rows: 37, filters: { membership: 'full' } });
    });

    it('keeps a searched ID number out of the audit record', async () => {
      const id = secrets[0]!;
      const { sheet } = await download(admin, `/api/members/export.xlsx?q=${id}`);
      expect(sheet.rows.length - 2).toBe(1);
      const audits = await t.db.select().from(auditLog).where(eq(auditLog.action, 'member.export'));
      for (const a of audits) expect(JSON.stringify(a.after)).not.toContain(id);
    });

    it('pages through the scoped query with the keyset cursor', async () => {
      const actor: Actor = {
        accountId: '00000000-0000-4000-8000-000000000001',
        username: 'ex-paging',
        grantId: '00000000-0000-4000-8000-000000000002',
        role: 'org_admin',
        orgId: county.id,
        orgName: county.name,
        orgPath: county.path,
        permissions: permissionsOf(['org_admin']),
      };
      const ctx: RequestContext = { actor, ip: null, correlationId: 'paging', clock: t.clock };
      const small = createExportService({ db: t.db, cipher: t.cipher, pageSize: 4 });
      for (const sort of ['name', 'joinedOn'] as const) {
        const file = await small.members(ctx, { sort });
        const chunks: Buffer[] = [];
        for await (const c of file.stream) chunks.push(c as Buffer);
        const names = (await readXlsx(Buffer.concat(chunks))).rows.slice(2).map((r) => r[0]);
        expect(file.rows).toBe(37);
        expect(new Set(names).size).toBe(37);
      }
      const file = await small.mobilities(ctx, {});
      file.stream.destroy();
      expect(file.rows).toBe(25);
      expect(leftovers()).toEqual([]);
    });

    it('needs member.export: a liaison gets 403', async () => {
      for (const url of ['/api/mobilities/export.xlsx', '/api/members/export.xlsx']) {
        const res = await liaisonA.get(url);
        expect(res.statusCode).toBe(403);
        expect(res.headers['content-type']).toContain('application/json');
      }
    });

    it('records a failure and leaves no file when the export breaks off', async () => {
      let calls = 0;
      const real = t.cipher.decrypt.bind(t.cipher);
      const spy = vi.spyOn(t.cipher, 'decrypt').mockImplementation((v, c) => {
        calls += 1;
        if (calls > 10) throw new Error('simulated failure');
        return real(v, c);
      });
      try {
        const res = await officerA.get('/api/members/export.xlsx');
        expect(res.statusCode).toBe(500);
      } finally {
        spy.mockRestore();
      }
      const failed = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'member.export'), eq(auditLog.result, 'failure')));
      expect(failed).toHaveLength(1);
      expect(failed[0]!.actorUsername).toBe('ex-officer-a');
      expect(leftovers()).toEqual([]);
    });
  });
}
