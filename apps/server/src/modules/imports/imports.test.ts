import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import {
  ImportBatch as ImportBatchSchema,
  ImportCheckResult as ImportCheckResultSchema,
  ImportPreview as ImportPreviewSchema,
  ImportProgressLine,
  type ImportBatch,
  type ImportCheckResult,
  type ImportOptions,
  type ImportPreview,
} from '@liudong/contracts';
import { computeIdCheckChar, maskIdNumber } from '@liudong/domain';
import {
  auditLog,
  importBatch,
  importBatchItem,
  importFile,
  importMapping,
  member,
  mobility,
  mobilityTransition,
  org,
} from '../../db/schema';
import { backupDatabase, restoreDatabase, tableChecksums } from '../../platform/backup';
import { queryRows } from '../../platform/db';
import { sweepExpiredImports } from '../../platform/maintenance';
import { SESSION_COOKIE } from '../../platform/session-token';
import {
  createTestApp,
  openTestDatabase,
  registerSecret,
  testDatabaseKinds,
  type TestApp,
  type TestClient,
  type TestOrg,
} from '../../test/harness';
import { FIELD } from '../members/member-fields';
import {
  buildLedger,
  buildMessyRoster,
  buildSheet,
  buildZip,
  macroWorkbook,
  minimalXlsxEntries,
  syntheticPeople,
  zipBomb,
  type RosterPerson,
} from './import.fixtures';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function idNumber(birth: string, seq: number) {
  const first17 = `510107${birth}${String(seq).padStart(3, '0')}`;
  return first17 + computeIdCheckChar(first17);
}

/** A valid number with a wrong check character. */
function badChecksum(id: string) {
  const last = id.at(-1) === '0' ? '1' : '0';
  return id.slice(0, 17) + last;
}

for (const kind of testDatabaseKinds()) {
  describe(`imports [${kind}]`, () => {
    let t: TestApp;
    let county: TestOrg, town: TestOrg, branchA: TestOrg, branchB: TestOrg;
    let otherTown: TestOrg, otherBranch: TestOrg;
    let officer: TestClient, sibling: TestClient, liaison: TestClient;
    let seed = 100;

    beforeAll(async () => {
      t = await createTestApp(kind);
      county = await t.addOrg(null, '导入测试县委');
      town = await t.addOrg(county, '导入甲镇党委');
      branchA = await t.addOrg(town, '前进村党支部', 'branch');
      branchB = await t.addOrg(town, '胜利村党支部', 'branch');
      otherTown = await t.addOrg(county, '导入乙镇党委');
      otherBranch = await t.addOrg(otherTown, '外镇某村党支部', 'branch');
      await t.db.update(org).set({ regionCode: '510107' }).where(eq(org.id, county.id));
      officer = await t.login(
        await t.addUser('imp-officer', [{ role: 'committee_officer', org: town }]),
      );
      sibling = await t.login(
        await t.addUser('imp-sibling', [{ role: 'committee_officer', org: otherTown }]),
      );
      liaison = await t.login(await t.addUser('imp-liaison', [{ role: 'liaison', org: town }]));
    });
    afterAll(() => t.close());

    /** The people of a test: fresh (seeded) so tests do not collide on ID numbers. */
    const people = (n: number) => {
      const list = syntheticPeople(n, seed++);
      for (const p of list) {
        registerSecret(p.idNumber);
        registerSecret(p.phone);
      }
      return list;
    };

    const upload = (
      client: TestClient,
      file: Buffer,
      query: { kind?: string; fileName?: string; sheet?: string } = {},
      contentType: string | null = XLSX,
    ) => {
      const q = new URLSearchParams({
        kind: query.kind ?? 'members',
        fileName: query.fileName ?? '名册.xlsx',
        ...(query.sheet ? { sheet: query.sheet } : {}),
      });
      return t.app.inject({
        method: 'POST',
        url: `/api/imports?${q.toString()}`,
        cookies: { [SESSION_COOKIE]: client.cookie },
        headers: {
          'x-csrf-token': client.csrf,
          ...(contentType ? { 'content-type': contentType } : {}),
        },
        payload: file,
      });
    };

    async function preview(client: TestClient, file: Buffer, kindOf = 'members') {
      const res = await upload(client, file, { kind: kindOf });
      expect(res.statusCode, res.body).toBe(200);
      return ImportPreviewSchema.parse(res.json()) as ImportPreview;
    }

    const optionsOf = (p: ImportPreview, extra: Partial<ImportOptions> = {}): ImportOptions => ({
      mapping: p.columns.flatMap((c) => (c.field ? [{ index: c.index, field: c.field }] : [])),
      dedupe: 'skip',
      ...extra,
    });

    async function check(client: TestClient, id: string, options: ImportOptions) {
      const res = await client.post(`/api/imports/${id}/check`, options);
      expect(res.statusCode, res.body).toBe(200);
      return ImportCheckResultSchema.parse(res.json()) as ImportCheckResult;
    }

    async function commit(client: TestClient, id: string, options: ImportOptions) {
      const res = await client.post(`/api/imports/${id}/commit`, options);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toContain('application/x-ndjson');
      const lines = res.body
        .split('\n')
        .filter(Boolean)
        .map((l) => ImportProgressLine.parse(JSON.parse(l)));
      const last = lines.at(-1)!;
      expect(['done', 'error']).toContain(last.type);
      // Exactly one final line, and it is the last.
      expect(lines.filter((l) => l.type !== 'progress')).toHaveLength(1);
      return { lines, last };
    }

    async function commitOk(client: TestClient, id: string, options: ImportOptions) {
      const { lines, last } = await commit(client, id, options);
      if (last.type !== 'done') throw new Error(JSON.stringify(last));
      return { lines, batch: ImportBatchSchema.parse(last.batch) as ImportBatch };
    }

    const membersByIds = async (ids: string[]) => {
      const rows = await t.db.select().from(member);
      return rows.filter((m) =>
        ids.includes(t.cipher.decrypt(m.idNumberEnc!, FIELD.idNumber.context)),
      );
    };
    const plain = (v: string | null, context: string) =>
      v === null ? null : t.cipher.decrypt(v, context);
    const countMembers = async () =>
      (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from member`))[0]!.n;

    it('reads a messy roster: title rows, two-row merged header, merged orgs, odd IDs and dates', async () => {
      const ps = people(8);
      const roster = await buildMessyRoster({ orgNames: [branchA.name, branchB.name], people: ps });
      for (const r of roster.rows) registerSecret(r.idNumber);
      const p = await preview(officer, roster.file);
      expect(p.sheetName).toBe('党员名册');
      expect(p.sheets).toEqual(['填表说明', '党员名册']);
      expect(p.headerRow).toBe(4);
      expect(p.headerRows).toBe(2);
      expect(p.totalRows).toBe(8);
      expect(p.missingRequired).toEqual([]);
      const fieldOf = (title: string) => p.columns.find((c) => c.title === title)?.field;
      expect(fieldOf('序号')).toBeNull();
      expect(fieldOf('姓名')).toBe('name');
      expect(fieldOf('基本情况/性别')).toBe('gender');
      expect(fieldOf('基本情况/出生年月')).toBe('birthDate');
      expect(fieldOf('基本情况/身份证号码')).toBe('idNumber');
      expect(fieldOf('党员信息/入党时间')).toBe('joinedOn');
      expect(fieldOf('党员信息/党员类别')).toBe('membership');
      expect(fieldOf('所在党支部')).toBe('orgName');
      expect(fieldOf('联系电话')).toBe('phone');
      expect(fieldOf('家庭住址')).toBe('homeAddress');
      expect(p.columns.every((c) => c.field === null || c.source === 'auto')).toBe(true);
      // Samples: the row numbers as Excel shows them; ID numbers, phones, addresses masked.
      expect(p.sampleRows[0]!.row).toBe(5);
      const body = JSON.stringify(p);
      for (const r of roster.rows) {
        expect(body).not.toContain(r.idNumber);
        expect(body).not.toContain(r.phone);
      }
      expect(p.previousImport).toBeNull();

      const options = optionsOf(p);
      const c = await check(officer, p.id, options);
      expect(c).toMatchObject({ total: 8, toCreate: 8, toUpdate: 0, toSkip: 0, errorCount: 0 });
      expect(await countMembers()).toBe(0);

      const { lines, batch } = await commitOk(officer, p.id, options);
      expect(lines[0]).toMatchObject({ type: 'progress', phase: 'reading' });
      expect(lines.some((l) => l.type === 'progress' && l.phase === 'writing')).toBe(true);
      expect(batch).toMatchObject({
        status: 'committed',
        createdCount: 8,
        updatedCount: 0,
        skippedCount: 0,
        totalRows: 8,
        orgId: town.id,
        abilities: { undo: true },
      });

      // Exactly the right records, decrypted and compared.
      const rows = await membersByIds(roster.rows.map((r) => r.idNumber));
      expect(rows).toHaveLength(8);
      for (const r of roster.rows) {
        const m = rows.find(
          (x) => t.cipher.decrypt(x.idNumberEnc!, FIELD.idNumber.context) === r.idNumber,
        )!;
        expect(m.name).toBe(r.person.name);
        expect(m.gender).toBe(r.person.gender);
        expect(m.birthDate).toBe(r.person.birthDate);
        expect(m.orgId).toBe(r.orgName === branchA.name ? branchA.id : branchB.id);
        expect(m.joinedOn).toBe(r.joinedOn);
        expect(plain(m.phoneEnc, FIELD.phone.context)).toBe(r.phone);
        expect(plain(m.homeAddressEnc, FIELD.homeAddress.context)).toBe(r.person.homeAddress);
        expect(m.ethnicity).toBe(r.person.ethnicity);
        expect(m.membership).toBe(r.person.membership);
        expect(m.version).toBe(1);
      }
      // The file is gone with the commit (SECURITY.md 17); the batch keeps no cell.
      expect(await t.db.select().from(importFile).where(eq(importFile.batchId, p.id))).toEqual([]);
      const [audit] = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'import.commit'), eq(auditLog.targetId, p.id)));
      expect(audit).toMatchObject({ result: 'success', actorUsername: 'imp-officer' });
      expect(audit!.after).toMatchObject({ created: 8, total: 8 });
      const trail = JSON.stringify(await t.db.select().from(auditLog));
      for (const r of roster.rows) expect(trail).not.toContain(r.idNumber);

      // Idempotent: the same batch again answers with its result and writes nothing.
      const again = await commitOk(officer, p.id, options);
      expect(again.batch).toEqual(batch);
      expect(await countMembers()).toBe(8);

      // The same file again: recognised, and with "skip" nothing changes.
      const p2 = await preview(officer, roster.file);
      expect(p2.previousImport).toMatchObject({ id: p.id, by: 'imp-officer' });
      const c2 = await check(officer, p2.id, optionsOf(p2));
      expect(c2).toMatchObject({ total: 8, toCreate: 0, toSkip: 8, errorCount: 0 });
      const before = await t.db.select().from(member);
      const r2 = await commitOk(officer, p2.id, optionsOf(p2));
      expect(r2.batch).toMatchObject({ createdCount: 0, skippedCount: 8 });
      expect(await t.db.select().from(member)).toEqual(before);
    });

    it('reports every bad row by row number and column, writes nothing, and gives the report', async () => {
      const [a, b, c, d, e, f] = people(6) as [RosterPerson, ...RosterPerson[]];
      const good = (p: RosterPerson) => [p.name, p.idNumber, p.phone, p.joinedOn, branchA.name];
      const rows = [
        good(a),
        [b!.name, badChecksum(b!.idNumber), b!.phone, b!.joinedOn, branchA.name],
        [c!.name, c!.idNumber, '1381234', c!.joinedOn, branchA.name],
        [d!.name, d!.idNumber, d!.phone, '2019.13', branchA.name],
        [e!.name, e!.idNumber, e!.phone, e!.joinedOn, otherBranch.name],
        [f!.name, '1.10105E+17', f!.phone, f!.joinedOn, branchA.name],
        good(a),
      ];
      registerSecret(badChecksum(b!.idNumber));
      const file = await buildSheet({
        title: '党员信息采集表',
        headers: ['姓名', '身份证号码', '手机号码', '入党时间', '所在党组织'],
        rows,
      });
      const p = await preview(officer, file);
      expect(p.headerRow).toBe(2);
      const before = await countMembers();
      const result = await check(officer, p.id, optionsOf(p));
      expect(result.total).toBe(7);
      expect(result.errorCount).toBe(6);
      const at = (row: number) => result.errors.find((x) => x.row === row)!;
      expect(at(4)).toMatchObject({
        column: '身份证号码',
        message: expect.stringContaining('校验位'),
      });
      expect(at(4).value).toBe(maskIdNumber(badChecksum(b!.idNumber), 'list'));
      expect(at(5)).toMatchObject({ column: '手机号码', message: expect.stringContaining('格式') });
      expect(at(6)).toMatchObject({
        column: '入党时间',
        message: expect.stringContaining('不存在'),
      });
      expect(at(7)).toMatchObject({
        column: '所在党组织',
        message: expect.stringContaining('不在您的管理范围内'),
      });
      expect(at(8)).toMatchObject({
        column: '身份证号码',
        message: expect.stringContaining('文本'),
      });
      expect(at(9)).toMatchObject({ message: '与第 3 行的身份证号码重复' });
      expect(JSON.stringify(result)).not.toContain(b!.idNumber.slice(0, 17));

      // The commit refuses the whole file: an error line, nothing written.
      const { last } = await commit(officer, p.id, optionsOf(p));
      expect(last).toMatchObject({
        type: 'error',
        error: { code: 'validation_failed', message: expect.stringContaining('未导入任何数据') },
      });
      expect(await countMembers()).toBe(before);
      const [batch] = await t.db.select().from(importBatch).where(eq(importBatch.id, p.id));
      expect(batch!.status).toBe('uploaded');
      const [refusal] = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'import.commit'), eq(auditLog.targetId, p.id)));
      expect(refusal).toMatchObject({ result: 'failure', reason: 'validation_failed' });
      expect(refusal!.after).toEqual({ errorCount: 6 });

      // The report opens and lists them, masked, formula-safe.
      const res = await officer.get(`/api/imports/${p.id}/errors.xlsx`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe(XLSX);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
      const ws = wb.worksheets[0]!;
      const lines: string[][] = [];
      ws.eachRow((r) =>
        lines.push((r.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))),
      );
      expect(lines[0]![0]).toContain('导入错误报告');
      expect(lines[1]).toEqual(['行号', '列', '内容（已脱敏）', '问题']);
      expect(lines.slice(2).map((l) => Number(l[0]))).toEqual([4, 5, 6, 7, 8, 9]);
      expect(lines[3]![2]).toBe('*****34');
      const text = JSON.stringify(lines);
      for (const p2 of [a, b, c, d, e, f]) expect(text).not.toContain(p2!.idNumber);
      expect(text).not.toContain(c!.phone);
    });

    it('checks birth date and gender against the ID number, and names the org', async () => {
      const id = idNumber('19800115', 13); // male
      registerSecret(id);
      const file = await buildSheet({
        headers: ['姓名', '性别', '出生日期', '身份证号码', '所在支部'],
        rows: [
          ['钱一', '女', '1980-01-15', id, branchA.name],
          ['钱一', '男', '1980.02', id, '不存在的支部'],
          ['钱一', '男', new Date('1980-01-15T00:00:00Z'), id, town.name],
        ],
      });
      const p = await preview(officer, file);
      const r = await check(officer, p.id, optionsOf(p));
      const messages = r.errors.map((e) => `${e.row}:${e.column}:${e.message}`);
      expect(messages).toContainEqual(expect.stringMatching(/^2:性别:性别与身份证号码不符/));
      expect(messages).toContainEqual(expect.stringMatching(/^3:出生日期:出生日期与身份证号码/));
      expect(messages).toContainEqual(expect.stringMatching(/^3:所在支部:未找到党组织/));
      expect(messages).toContainEqual(expect.stringMatching(/^4:所在支部:.*不是党支部/));
    });

    it('dedupes by ID number: skip, update, fill', async () => {
      const idOf = (n: number) => idNumber('19750601', 100 + n * 2 + 1);
      const ids = [idOf(1), idOf(2), idOf(3)];
      ids.forEach(registerSecret);
      const existing = await Promise.all(
        ids.map((id, i) =>
          t.addMember(branchA, { name: `旧名${i}`, idNumber: id, phone: '13900000001' }),
        ),
      );
      const sheet = (i: number) =>
        buildSheet({
          headers: ['姓名', '身份证号码', '手机', '学历', '所在党支部'],
          rows: [[`新名${i}`, ids[i]!, '13900000002', '大学本科', branchB.name]],
        });
      const run = async (i: number, dedupe: 'skip' | 'update' | 'fill') => {
        const p = await preview(officer, await sheet(i));
        const options = optionsOf(p, { dedupe });
        const c = await check(officer, p.id, options);
        const { batch } = await commitOk(officer, p.id, options);
        const [row] = await t.db.select().from(member).where(eq(member.id, existing[i]!.id));
        return { c, batch, row: row! };
      };
      const skipped = await run(0, 'skip');
      expect(skipped.c).toMatchObject({ toSkip: 1, toUpdate: 0, toCreate: 0 });
      expect(skipped.row).toMatchObject({ name: '旧名0', education: null, version: 1 });
      expect(plain(skipped.row.phoneEnc, FIELD.phone.context)).toBe('13900000001');

      const updated = await run(1, 'update');
      expect(updated.c).toMatchObject({ toUpdate: 1 });
      expect(updated.row).toMatchObject({ name: '新名1', education: 'bachelor', version: 2 });
      expect(plain(updated.row.phoneEnc, FIELD.phone.context)).toBe('13900000002');
      // The org of affiliation changes only by a transfer, never by a spreadsheet.
      expect(updated.row.orgId).toBe(branchA.id);

      const filled = await run(2, 'fill');
      expect(filled.row).toMatchObject({ name: '旧名2', education: 'bachelor', version: 2 });
      expect(plain(filled.row.phoneEnc, FIELD.phone.context)).toBe('13900000001');

      // A second run of the same update changes nothing more.
      const again = await run(1, 'update');
      expect(again.c).toMatchObject({ toUpdate: 0, toSkip: 1 });
      expect(again.row.version).toBe(2);
    });

    it('undoes a whole batch, and refuses (changing nothing) once a record was edited', async () => {
      const ps = people(3);
      const existingId = idNumber('19700101', 211);
      registerSecret(existingId);
      const old = await t.addMember(branchA, {
        name: '撤销旧名',
        idNumber: existingId,
        phone: '13700000001',
      });
      const [stored] = await t.db.select().from(member).where(eq(member.id, old.id));
      const file = await buildSheet({
        headers: ['姓名', '身份证号码', '联系电话', '所在党支部'],
        rows: [
          ...ps.map((p) => [p.name, p.idNumber, p.phone, branchA.name]),
          ['撤销新名', existingId, '13700000002', branchA.name],
        ],
      });
      const p = await preview(officer, file);
      const options = optionsOf(p, { dedupe: 'update' });
      const { batch } = await commitOk(officer, p.id, options);
      expect(batch).toMatchObject({ createdCount: 3, updatedCount: 1 });
      const items = await t.db
        .select()
        .from(importBatchItem)
        .where(eq(importBatchItem.batchId, p.id));
      expect(items).toHaveLength(4);

      const undo = await officer.post(`/api/imports/${p.id}/undo`, { reason: '导入了错误的表格' });
      expect(undo.statusCode, undo.body).toBe(200);
      expect(undo.json()).toMatchObject({ status: 'undone', abilities: { undo: false } });
      expect(await membersByIds(ps.map((x) => x.idNumber))).toEqual([]);
      const [restored] = await t.db.select().from(member).where(eq(member.id, old.id));
      // The previous row back exactly as stored: ciphertext stays ciphertext, version and time too.
      expect(restored).toEqual(stored);
      const [audit] = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'import.undo'), eq(auditLog.targetId, p.id)));
      expect(audit).toMatchObject({ reason: '导入了错误的表格' });
      expect(audit!.after).toMatchObject({ membersDeleted: 3, membersRestored: 1 });
      // Undone is final.
      expect((await officer.post(`/api/imports/${p.id}/undo`, { reason: '再来' })).statusCode).toBe(
        409,
      );

      // A batch one of whose members was edited afterwards cannot be undone at all.
      const ps2 = people(2);
      const p2 = await preview(
        officer,
        await buildSheet({
          headers: ['姓名', '身份证号码', '所在党支部'],
          rows: ps2.map((x) => [x.name, x.idNumber, branchA.name]),
        }),
      );
      await commitOk(officer, p2.id, optionsOf(p2));
      const [edited] = await membersByIds([ps2[0]!.idNumber]);
      const patch = await officer.patch(`/api/members/${edited!.id}`, {
        version: 1,
        partyPosts: '组织委员',
      });
      expect(patch.statusCode, patch.body).toBe(200);
      const refused = await officer.post(`/api/imports/${p2.id}/undo`, { reason: '撤销' });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.message).toContain(ps2[0]!.name);
      expect(refused.json().error.details).toMatchObject({ count: 1 });
      expect(await membersByIds(ps2.map((x) => x.idNumber))).toHaveLength(2);
      const [still] = await t.db.select().from(importBatch).where(eq(importBatch.id, p2.id));
      expect(still!.status).toBe('committed');
    });

    it('imports a ledger: creates missing members and opens outflows with their first step', async () => {
      const [known, fresh, third] = people(3) as [RosterPerson, RosterPerson, RosterPerson];
      const existing = await t.addMember(branchA, { name: known.name, idNumber: known.idNumber });
      const file = await buildLedger([
        {
          person: known,
          orgName: branchA.name,
          leftOn: new Date('2026-03-05T00:00:00Z'),
          destination: '广东省深圳市南山区',
          destinationAddress: '广东省深圳市南山区科技园某栋',
          employer: '深圳某科技有限公司',
          industry: '信息传输、软件和信息技术服务业',
          reason: '务工',
        },
        {
          person: fresh,
          orgName: branchB.name,
          leftOn: '2025年10月',
          destination: '成都市',
          reason: '经商',
        },
        { person: third, orgName: branchB.name, leftOn: '2026-1-8', destination: '广东深圳' },
      ]);
      const p = await preview(officer, file, 'ledger');
      expect(p.headerRows).toBe(2);
      expect(p.columns.find((c) => c.title === '外出情况/流入地')?.field).toBe('destination');
      expect(p.missingRequired).toEqual([]);
      const options = optionsOf(p);
      const c = await check(officer, p.id, options);
      expect(c).toMatchObject({
        total: 3,
        toCreate: 2,
        toUpdate: 1,
        episodesToCreate: 3,
        errorCount: 0,
      });
      const { batch } = await commitOk(officer, p.id, options);
      expect(batch).toMatchObject({ episodesCreated: 3, createdCount: 2 });

      const episodes = await t.db.select().from(mobility).where(eq(mobility.memberId, existing.id));
      expect(episodes).toHaveLength(1);
      expect(episodes[0]).toMatchObject({
        direction: 'outflow',
        status: 'registered',
        homeOrgId: branchA.id,
        leftOn: '2026-03-05',
        destinationRegionCode: '440305',
        industry: 'I',
        reason: 'work',
        employer: '深圳某科技有限公司',
        mobilityRange: 'cross_province',
        registeredOn: '2026-11-20',
      });
      expect(plain(episodes[0]!.destinationAddressEnc, FIELD.destinationAddress.context)).toBe(
        '广东省深圳市南山区科技园某栋',
      );
      const steps = await t.db
        .select()
        .from(mobilityTransition)
        .where(eq(mobilityTransition.mobilityId, episodes[0]!.id));
      expect(steps).toEqual([
        expect.objectContaining({ fromStatus: null, toStatus: 'registered' }),
      ]);
      const [freshMember] = await membersByIds([fresh.idNumber]);
      expect(freshMember).toMatchObject({ orgId: branchB.id, name: fresh.name });
      const [freshEpisode] = await t.db
        .select()
        .from(mobility)
        .where(eq(mobility.memberId, freshMember!.id));
      expect(freshEpisode).toMatchObject({
        leftOn: '2025-10-01',
        destinationRegionCode: '510100',
        reason: 'business',
      });
      const [thirdMember] = await membersByIds([third.idNumber]);
      const [thirdEpisode] = await t.db
        .select()
        .from(mobility)
        .where(eq(mobility.memberId, thirdMember!.id));
      expect(thirdEpisode).toMatchObject({ destinationRegionCode: '440300', reason: 'other' });

      // Again with "update": the open episodes are updated, not doubled.
      const changed = await buildLedger([
        {
          person: known,
          orgName: branchA.name,
          leftOn: '2026-03-05',
          destination: '广东省深圳市南山区',
          employer: '另一家公司',
        },
      ]);
      const p2 = await preview(officer, changed, 'ledger');
      const r2 = await commitOk(officer, p2.id, optionsOf(p2, { dedupe: 'update' }));
      expect(r2.batch).toMatchObject({ episodesCreated: 0, updatedCount: 1 });
      const after = await t.db.select().from(mobility).where(eq(mobility.memberId, existing.id));
      expect(after).toHaveLength(1);
      expect(after[0]).toMatchObject({ employer: '另一家公司', version: 2 });

      // Undo of the first ledger batch is refused now: its episode changed since.
      const refused = await officer.post(`/api/imports/${p.id}/undo`, { reason: '撤销' });
      expect(refused.statusCode).toBe(409);
      // Undo the second, then the first.
      expect(
        (await officer.post(`/api/imports/${p2.id}/undo`, { reason: '撤销' })).statusCode,
      ).toBe(200);
      const undone = await officer.post(`/api/imports/${p.id}/undo`, { reason: '撤销' });
      expect(undone.statusCode, undone.body).toBe(200);
      expect(await t.db.select().from(mobility).where(eq(mobility.memberId, existing.id))).toEqual(
        [],
      );
      expect(await membersByIds([fresh.idNumber, third.idNumber])).toEqual([]);
      expect(await membersByIds([known.idNumber])).toHaveLength(1);
    });

    it('refuses bad files before parsing, stores nothing, and audits the attempt', async () => {
      const batches = async () =>
        (await t.db.select({ id: importBatch.id }).from(importBatch)).length;
      const before = await batches();
      const cases: [Buffer, string, string][] = [
        [Buffer.from('%PDF-1.7 this is not a workbook, just some bytes'), 'a.xlsx', '.xlsx'],
        [macroWorkbook(), '名册.xlsm', '宏'],
        [macroWorkbook(), '名册.xlsx', '宏'],
        [
          buildZip([...minimalXlsxEntries(), { name: '../../evil.xml', data: Buffer.from('x') }]),
          'a.xlsx',
          '路径',
        ],
        [
          buildZip([
            ...minimalXlsxEntries(),
            ...Array.from({ length: 1001 }, (_, i) => ({
              name: `xl/media/p${i}.bin`,
              data: Buffer.from('x'),
              method: 0 as const,
            })),
          ]),
          'a.xlsx',
          '部件过多',
        ],
        [zipBomb({ inflatedMb: 600 }), 'a.xlsx', '压缩炸弹'],
      ];
      for (const [file, fileName, message] of cases) {
        const res = await upload(officer, file, { fileName });
        expect(res.statusCode, `${fileName}: ${res.body}`).toBe(400);
        expect(res.json().error).toMatchObject({
          code: 'validation_failed',
          message: expect.stringContaining(message),
        });
      }
      // Over the size limit: 413 before anything reads it.
      const big = await upload(officer, Buffer.alloc(26 * 1024 * 1024, 1));
      expect(big.statusCode).toBe(413);
      expect(big.json().error).toMatchObject({
        code: 'payload_too_large',
        message: expect.stringContaining('25 MB'),
      });
      expect(await batches()).toBe(before);
      const failures = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'import.upload'), eq(auditLog.result, 'failure')));
      expect(failures.length).toBeGreaterThanOrEqual(cases.length);
      // No header in the sheet: a clear message too.
      const noHeader = await upload(
        officer,
        await buildSheet({ headers: ['甲', '乙'], rows: [['1', '2']] }),
      );
      expect(noHeader.statusCode).toBe(400);
      expect(noHeader.json().error.message).toContain('表头');
    });

    it('keeps batches in scope: a sibling sees a 404 (audited), the list hides them', async () => {
      const p = await preview(
        officer,
        await buildSheet({
          headers: ['姓名', '身份证号码'],
          rows: [['范围', idNumber('19900101', 31)]],
        }),
      );
      for (const res of [
        await sibling.get(`/api/imports/${p.id}`),
        await sibling.post(
          `/api/imports/${p.id}/check`,
          optionsOf(p, { defaultOrgId: branchA.id }),
        ),
        await sibling.post(`/api/imports/${p.id}/commit`, optionsOf(p)),
        await sibling.get(`/api/imports/${p.id}/errors.xlsx`),
        await sibling.post(`/api/imports/${p.id}/undo`, { reason: 'x' }),
      ]) {
        expect(res.statusCode).toBe(404);
        expect(res.json().error.message).toContain('不存在');
      }
      const denials = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'access.denied'), eq(auditLog.targetId, p.id)));
      expect(denials.length).toBe(5);
      const list = (await sibling.get('/api/imports?limit=200')).json() as { items: ImportBatch[] };
      expect(list.items.map((b) => b.id)).not.toContain(p.id);
      const mine = (await officer.get('/api/imports?limit=200')).json() as { items: ImportBatch[] };
      expect(mine.items.map((b) => b.id)).toContain(p.id);
      // A default org outside the scope answers like a missing one.
      const outside = await officer.post(
        `/api/imports/${p.id}/check`,
        optionsOf(p, { defaultOrgId: otherBranch.id }),
      );
      expect(outside.statusCode).toBe(404);
      // No permission: the liaison reads members but does not import.
      expect((await liaison.get(`/api/imports/${p.id}`)).statusCode).toBe(403);
      // Without an org column or a default org the check says what is missing.
      const noOrg = await officer.post(`/api/imports/${p.id}/check`, optionsOf(p));
      expect(noOrg.statusCode).toBe(400);
      expect(noOrg.json().error.message).toContain('默认党组织');
    });

    it('pages the batch list with a keyset cursor', async () => {
      const seen = new Set<string>();
      let cursor: string | null = null;
      do {
        const url: string = `/api/imports?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = (await officer.get(url)).json() as {
          items: ImportBatch[];
          nextCursor: string | null;
        };
        for (const b of page.items) {
          expect(seen.has(b.id)).toBe(false);
          seen.add(b.id);
        }
        cursor = page.nextCursor;
      } while (cursor);
      const total = await queryRows<{ n: number }>(
        t.db,
        sql`select count(*)::int as n from import_batch b join org o on o.id = b.org_id where o.path like ${`${town.path}%`}`,
      );
      expect(seen.size).toBe(total[0]!.n);
    });

    it('saves a mapping and applies it to the next file with the same titles', async () => {
      const headers = ['名字', '证件', '单位党组织'];
      const ps = people(2);
      const first = await preview(
        officer,
        await buildSheet({ headers, rows: ps.map((x) => [x.name, x.idNumber, branchA.name]) }),
      );
      // '证件' and '单位党组织' are not titles we know: the officer maps them by hand.
      expect(first.missingRequired).toEqual(['idNumber']);
      const mapping: ImportOptions['mapping'] = [
        { index: 0, field: 'name' },
        { index: 1, field: 'idNumber' },
        { index: 2, field: 'orgName' },
      ];
      await commitOk(officer, first.id, { mapping, dedupe: 'skip', saveMappingAs: '乡镇模板' });
      const saved = (await officer.get('/api/import-mappings?kind=members')).json();
      const tpl = saved.items.find((m: { name: string }) => m.name === '乡镇模板');
      expect(tpl.columns).toEqual([
        { title: '名字', field: 'name' },
        { title: '证件', field: 'idNumber' },
        { title: '单位党组织', field: 'orgName' },
      ]);
      const second = await preview(
        officer,
        await buildSheet({ headers, rows: [[ps[0]!.name, ps[0]!.idNumber, branchA.name]] }),
      );
      expect(second.savedMappingName).toBe('乡镇模板');
      expect(second.columns.map((c) => [c.field, c.source])).toEqual([
        ['name', 'saved'],
        ['idNumber', 'saved'],
        ['orgName', 'saved'],
      ]);
      expect(second.missingRequired).toEqual([]);
      // Saved directly, listed, deleted; a sibling cannot delete it.
      const created = await officer.post('/api/import-mappings', {
        name: '直接保存',
        kind: 'ledger',
        columns: [{ title: ' 流 入 地 ', field: 'destination' }],
      });
      expect(created.statusCode, created.body).toBe(200);
      expect(created.json().columns).toEqual([{ title: '流入地', field: 'destination' }]);
      expect((await sibling.del(`/api/import-mappings/${created.json().id}`)).statusCode).toBe(404);
      expect((await officer.del(`/api/import-mappings/${created.json().id}`)).statusCode).toBe(204);
      expect(
        await t.db.select().from(importMapping).where(eq(importMapping.id, created.json().id)),
      ).toEqual([]);
    });

    it('expires uploads: refused after their time, swept by maintenance', async () => {
      const p = await preview(
        officer,
        await buildSheet({
          headers: ['姓名', '身份证号码'],
          rows: [['过期', idNumber('19910101', 41)]],
        }),
      );
      // 50 minutes later (moving the batch's time, not the clock: sessions would idle out).
      await t.db
        .update(importBatch)
        .set({ expiresAt: new Date(t.clock.now().getTime() - 60_000) })
        .where(eq(importBatch.id, p.id));
      const late = await officer.post(
        `/api/imports/${p.id}/check`,
        optionsOf(p, { defaultOrgId: branchA.id }),
      );
      expect(late.statusCode).toBe(409);
      expect(late.json().error.message).toContain('过期');
      expect((await officer.get(`/api/imports/${p.id}`)).json().status).toBe('expired');
      const swept = await sweepExpiredImports(t.db, t.clock.now());
      expect(swept.expired).toBeGreaterThanOrEqual(1);
      const [row] = await t.db.select().from(importBatch).where(eq(importBatch.id, p.id));
      expect(row!.status).toBe('expired');
      expect(await t.db.select().from(importFile).where(eq(importFile.batchId, p.id))).toEqual([]);
    });

    it('backs up and restores the import tables exactly (SECURITY.md 29)', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liudong-import-backup-'));
      try {
        const file = path.join(dir, 'backup.jsonl.gz');
        const backup = await backupDatabase(t.database, { out: file, dataDir: dir });
        const rows = (name: string) => backup.tables.find((x) => x.name === name)!.rows;
        expect(rows('import_batch')).toBeGreaterThan(5);
        expect(rows('import_batch_item')).toBeGreaterThan(5);
        expect(rows('import_mapping')).toBeGreaterThan(0);
        const target = await openTestDatabase(kind);
        try {
          await restoreDatabase(target, file);
          expect(await tableChecksums(target)).toEqual(await tableChecksums(t.database));
        } finally {
          await target.close();
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('keeps the uploaded file encrypted at rest', async () => {
      const id = idNumber('19920202', 51);
      registerSecret(id);
      const p = await preview(
        officer,
        await buildSheet({ headers: ['姓名', '身份证号码'], rows: [['加密', id]] }),
      );
      const [f] = await t.db.select().from(importFile).where(eq(importFile.batchId, p.id));
      expect(f!.contentEnc.startsWith('v1.')).toBe(true);
      expect(f!.contentEnc).not.toContain('UEsDB'); // no base64 of a ZIP in clear
      const items = await t.db
        .select()
        .from(importBatchItem)
        .where(inArray(importBatchItem.batchId, [p.id]));
      expect(items).toEqual([]);
    });
  });
}
