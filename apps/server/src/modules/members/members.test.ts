import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { computeIdCheckChar } from '@liudong/domain';
import { auditLog, member, mobility, mobilityTransition } from '../../db/schema';
import { queryRows } from '../../platform/db';
import {
  createTestApp,
  testDatabaseKinds,
  type TestApp,
  type TestClient,
  type TestOrg,
} from '../../test/harness';
import { FIELD } from './member-fields';
import { REVEAL_BURST_LIMIT, REVEAL_BURST_WINDOW_MS } from './members.service';

/** A valid GB 11643 number from its parts (the check character computed). */
function idNumber(region: string, birth: string, seq: string) {
  const first17 = `${region}${birth}${seq}`;
  return first17 + computeIdCheckChar(first17);
}

interface Summary {
  id: string;
  name: string;
  idNumberMasked: string | null;
  phoneMasked: string | null;
  joinedOn: string | null;
  abilities: { update: boolean; reveal: boolean };
  openMobility: { direction: string; destinationName: string | null; hostOrgName: string | null };
}
interface Page {
  items: Summary[];
  nextCursor: string | null;
}

for (const kind of testDatabaseKinds()) {
  describe(`members [${kind}]`, () => {
    let t: TestApp;
    let county: TestOrg, townA: TestOrg, branchA: TestOrg, townB: TestOrg, branchB: TestOrg;
    let otherCounty: TestOrg, hostOrg: TestOrg;
    let admin: TestClient, officerA: TestClient, officerB: TestClient, liaisonA: TestClient;
    let hostOfficer: TestClient;
    let adminId: string;

    beforeAll(async () => {
      t = await createTestApp(kind);
      county = await t.addOrg(null, '党员测试县委');
      townA = await t.addOrg(county, '甲镇党委');
      branchA = await t.addOrg(townA, '甲村党支部', 'branch');
      townB = await t.addOrg(county, '乙镇党委');
      branchB = await t.addOrg(townB, '乙村党支部', 'branch');
      otherCounty = await t.addOrg(null, '外县县委');
      hostOrg = await t.addOrg(otherCounty, '成都外县流动党员党支部', 'mobile_party_org');
      const adminUser = await t.addUser('m-admin', [{ role: 'org_admin', org: county }]);
      adminId = adminUser.id;
      admin = await t.login(adminUser);
      officerA = await t.login(
        await t.addUser('m-officer-a', [{ role: 'committee_officer', org: townA }]),
      );
      officerB = await t.login(
        await t.addUser('m-officer-b', [{ role: 'committee_officer', org: townB }]),
      );
      liaisonA = await t.login(await t.addUser('m-liaison-a', [{ role: 'liaison', org: townA }]));
      hostOfficer = await t.login(
        await t.addUser('m-host', [{ role: 'branch_officer', org: hostOrg }]),
      );
    });
    afterAll(() => t.close());

    const count = async () =>
      (await t.db.select({ n: sql<number>`count(*)::int` }).from(member))[0]!.n;
    const search = async (client: TestClient, query: string) => {
      const res = await client.get(`/api/members?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as Page;
    };
    const auditOf = (action: string, targetId: string) =>
      t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, action), eq(auditLog.targetId, targetId)));

    const zsf = idNumber('110105', '19800101', '123');
    const zsfPhone = '13812345678';

    it('registers a member: masked detail, ciphertext only at rest, found through the blind indexes and pinyin', async () => {
      const res = await officerA.post('/api/members', {
        orgId: branchA.id,
        name: '张三丰',
        idNumber: zsf,
        phone: zsfPhone,
        homeAddress: '四川省成都市锦江区红星路一段100号',
        emergencyContactName: '张小明',
        emergencyContactPhone: '13900001111',
        membership: 'full',
        joinedOn: '2005-07-01',
        fullMemberOn: '2006-07-01',
      });
      expect(res.statusCode, res.body).toBe(200);
      const d = res.json();
      expect(d).toMatchObject({
        name: '张三丰',
        gender: 'male',
        age: 46,
        idNumberMasked: `110105********${zsf.slice(-4)}`,
        phoneMasked: '138****5678',
        homeAddressMasked: '四川省成都市****',
        emergencyContactPhoneMasked: '139****1111',
        orgId: branchA.id,
        orgName: '甲村党支部',
        version: 1,
        mobilities: [],
        abilities: { update: true, reveal: true },
      });
      expect(res.body).not.toContain(zsf);
      expect(res.body).not.toContain(zsfPhone);

      // At rest: ciphertext and keyed indexes only.
      const [row] = await queryRows<Record<string, unknown>>(
        t.db,
        sql`select * from member where id = ${d.id}`,
      );
      const stored = JSON.stringify(row);
      for (const plain of [zsf, zsf.slice(6, 14), zsfPhone, '红星路', '13900001111'])
        expect(stored).not.toContain(plain);
      expect(row!.id_number_enc).toMatch(/^v1\./);
      expect(t.cipher.decrypt(row!.id_number_enc as string, FIELD.idNumber.context)).toBe(zsf);
      expect(row).toMatchObject({ name_pinyin: 'zhangsanfeng', name_initials: 'zsf' });

      const [created] = await auditOf('member.create', d.id);
      expect(created!.targetLabel).toBe('张**');
      expect(created!.after).toMatchObject({
        name: '张**',
        idNumber: `110105********${zsf.slice(-4)}`,
        phone: '138****5678',
        emergencyContactName: '张**',
        emergencyContactPhone: '139****1111',
      });
      expect(JSON.stringify(created)).not.toContain(zsf);
      expect(JSON.stringify(created)).not.toContain(zsfPhone);
      expect(JSON.stringify(created)).not.toContain('1980-01-01');

      for (const q of [zsf, zsf.toLowerCase(), zsfPhone, 'zsf', 'ZSF', 'zhangsan', '三丰']) {
        const page = await search(officerA, `q=${encodeURIComponent(q)}`);
        expect(
          page.items.map((i) => i.id),
          q,
        ).toContain(d.id);
        const hit = page.items.find((i) => i.id === d.id)!;
        expect(hit.idNumberMasked).toBe(`110${'*'.repeat(14)}${zsf.slice(-1)}`);
        expect(hit.phoneMasked).toBe('138****5678');
        expect(JSON.stringify(page)).not.toContain(zsf);
      }
      // Exact search is exact: another valid number finds nothing.
      expect((await search(officerA, `q=${idNumber('110105', '19800101', '125')}`)).items).toEqual(
        [],
      );
      expect((await search(officerA, 'q=13812345679')).items).toEqual([]);
      // LIKE specials are literal.
      expect((await search(officerA, `q=${encodeURIComponent('%')}`)).items).toEqual([]);
    });

    it('converts a 15-digit number and rejects a bad check character, gender mismatch and bad phone with Chinese messages', async () => {
      const res = await officerA.post('/api/members', {
        orgId: branchA.id,
        name: '王老五',
        idNumber: '110105750203457',
        membership: 'full',
      });
      expect(res.statusCode, res.body).toBe(200);
      const converted = idNumber('110105', '19750203', '457');
      expect(res.json()).toMatchObject({
        gender: 'male',
        age: 51,
        idNumberMasked: `110105********${converted.slice(-4)}`,
      });
      // The birth date is the ID number's middle: no response may carry it beside the mask.
      expect(res.body).not.toContain('1975-02-03');
      expect(res.body).not.toContain('19750203');
      const born = await officerA.post(`/api/members/${res.json().id}/reveal`, {
        field: 'birthDate',
        reason: '核对出生日期',
      });
      expect(born.json()).toEqual({ field: 'birthDate', value: '1975-02-03' });
      const revealed = await officerA.post(`/api/members/${res.json().id}/reveal`, {
        field: 'idNumber',
        reason: '核对旧身份证号码',
      });
      expect(revealed.json()).toEqual({ field: 'idNumber', value: converted });

      const before = await count();
      const good = idNumber('110105', '19900315', '246');
      const badCheck = good.slice(0, 17) + (good.endsWith('0') ? '1' : '0');
      const bad = await officerA.post('/api/members', {
        orgId: branchA.id,
        name: '李校验',
        idNumber: badCheck,
        membership: 'full',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error).toMatchObject({
        code: 'validation_failed',
        message: '身份证号码校验位不正确，请核对',
        details: [{ path: 'idNumber', message: '身份证号码校验位不正确，请核对' }],
      });
      const badDate = await officerA.post('/api/members', {
        orgId: branchA.id,
        name: '李日期',
        idNumber: idNumber('110105', '19900230', '246'),
        membership: 'full',
      });
      expect(badDate.json().error.message).toBe('身份证号码中的出生日期无效');
      const mismatch = await officerA.post('/api/members', {
        orgId: branchA.id,
        name: '李性别',
        idNumber: good, // 246: even, female
        gender: 'male',
        membership: 'full',
      });
      expect(mismatch.statusCode).toBe(400);
      expect(mismatch.json().error.details).toEqual([
        { path: 'gender', message: expect.stringContaining('性别与身份证号码不符') },
      ]);
      const noGender = await officerA.post('/api/members', {
        orgId: branchA.id,
        name: '李无性别',
        membership: 'full',
      });
      expect(noGender.statusCode).toBe(400);
      const badPhone = await officerA.post('/api/members', {
        orgId: branchA.id,
        name: '李电话',
        gender: 'female',
        phone: '12345',
        membership: 'full',
      });
      expect(badPhone.json().error.details).toEqual([
        { path: 'phone', message: '手机号码或固定电话格式不正确' },
      ]);
      const probationary = await officerA.post('/api/members', {
        orgId: branchA.id,
        name: '李预备',
        gender: 'female',
        membership: 'probationary',
        joinedOn: '2026-03-01',
        fullMemberOn: '2027-03-01',
      });
      expect(probationary.statusCode).toBe(400);
      expect(probationary.json().error.details[0].path).toBe('fullMemberOn');
      expect(await count()).toBe(before);

      // The female number with its gender omitted: taken from the number; a phone normalized.
      const ok = await officerA.post('/api/members', {
        orgId: branchA.id,
        name: '李秀英',
        idNumber: good,
        phone: '+86 139 0000 2222',
        membership: 'full',
      });
      expect(ok.json()).toMatchObject({ gender: 'female', phoneMasked: '139****2222' });
      expect((await search(officerA, 'q=13900002222')).items.map((i) => i.name)).toEqual([
        '李秀英',
      ]);
    });

    it('refuses a duplicate ID number without leaking the holder outside the scope, and changes nothing', async () => {
      const before = await count();
      const same = await officerA.post('/api/members', {
        orgId: branchA.id,
        name: '张重复',
        idNumber: zsf,
        membership: 'full',
      });
      expect(same.statusCode).toBe(409);
      expect(same.json().error).toMatchObject({
        code: 'conflict',
        message: '该身份证号码已登记（党员：张**）',
      });
      // The 15-digit form of the same person is the same number.
      const as15 = await officerA.post('/api/members', {
        orgId: branchA.id,
        name: '张重复',
        idNumber: '110105750203457',
        membership: 'full',
      });
      expect(as15.statusCode).toBe(409);
      const outside = await officerB.post('/api/members', {
        orgId: branchB.id,
        name: '张重复',
        idNumber: zsf,
        membership: 'full',
      });
      expect(outside.statusCode).toBe(409);
      expect(outside.json().error.message).toBe('该身份证号码已在系统中登记');
      expect(await count()).toBe(before);

      // An edit that takes another member's number is refused the same way.
      const other = await officerA.post('/api/members', {
        orgId: branchA.id,
        name: '赵改号',
        gender: 'male',
        membership: 'full',
      });
      const edit = await officerA.patch(`/api/members/${other.json().id}`, {
        version: 1,
        idNumber: zsf,
      });
      expect(edit.statusCode).toBe(409);
      expect((await officerA.get(`/api/members/${other.json().id}`)).json()).toMatchObject({
        idNumberMasked: null,
        version: 1,
      });
    });

    it('places members in branches of the scope only', async () => {
      const committee = await officerA.post('/api/members', {
        orgId: townA.id,
        name: '钱党委',
        gender: 'male',
        membership: 'full',
      });
      expect(committee.statusCode).toBe(400);
      expect(committee.json().error.message).toBe('党员应隶属于党支部（或党总支、临时党支部等）');
      const outside = await officerA.post('/api/members', {
        orgId: branchB.id,
        name: '钱外面',
        gender: 'male',
        membership: 'full',
      });
      const missing = await officerA.post('/api/members', {
        orgId: '00000000-0000-4000-8000-000000000000',
        name: '钱外面',
        gender: 'male',
        membership: 'full',
      });
      expect(outside.statusCode).toBe(404);
      expect(outside.json()).toEqual(missing.json());
      expect(outside.json().error.message).toBe('组织不存在');
      const denied = await auditOf('access.denied', branchB.id);
      expect(denied.some((d) => d.actorUsername === 'm-officer-a')).toBe(true);
    });

    it('reveals one value with the permission and a reason, audited without the value', async () => {
      const [m] = (await search(officerA, `q=${zsf}`)).items;
      const url = `/api/members/${m!.id}/reveal`;
      expect(
        (await liaisonA.post(url, { field: 'idNumber', reason: '核对身份信息' })).statusCode,
      ).toBe(403);
      expect((await officerA.post(url, { field: 'idNumber' })).statusCode).toBe(400);
      const short = await officerA.post(url, { field: 'idNumber', reason: '看' });
      expect(short.statusCode).toBe(400);
      expect(short.body).toContain('请写明查看原因');
      expect(
        (await officerA.post(url, { field: 'salary', reason: '核对身份信息' })).statusCode,
      ).toBe(400);

      const res = await officerA.post(url, { field: 'idNumber', reason: '办理组织关系转接核对' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ field: 'idNumber', value: zsf });
      expect((await officerA.post(url, { field: 'phone', reason: '联系本人核实' })).json()).toEqual(
        {
          field: 'phone',
          value: zsfPhone,
        },
      );
      expect(
        (await officerA.post(url, { field: 'currentAddress', reason: '联系本人核实' })).json(),
      ).toEqual({ field: 'currentAddress', value: null });

      const rows = await auditOf('member.reveal', m!.id);
      const idReveal = rows.find((r) => r.reason === '办理组织关系转接核对')!;
      expect(idReveal).toMatchObject({
        actorUsername: 'm-officer-a',
        targetType: 'member',
        targetLabel: '张**',
        result: 'success',
        after: { field: 'idNumber' },
      });
      const all = JSON.stringify(rows);
      expect(all).not.toContain(zsf);
      expect(all).not.toContain(zsfPhone);
    });

    it('raises one alert when an account reveals more than the limit within the window; the reveals still succeed', async () => {
      const burster = await t.login(
        await t.addUser('m-burst', [{ role: 'committee_officer', org: townA }]),
      );
      const created = await burster.post('/api/members', {
        orgId: branchA.id,
        name: '孙频繁',
        gender: 'female',
        phone: '13700003333',
        membership: 'full',
      });
      const url = `/api/members/${created.json().id}/reveal`;
      const alerts = () =>
        t.db
          .select()
          .from(auditLog)
          .where(
            and(eq(auditLog.action, 'alert.reveal_burst'), eq(auditLog.actorUsername, 'm-burst')),
          );
      for (let i = 0; i < REVEAL_BURST_LIMIT; i++) {
        const r = await burster.post(url, { field: 'phone', reason: `批量核对电话 ${i}` });
        expect(r.statusCode).toBe(200);
        t.clock.advance(1000);
      }
      expect(await alerts()).toHaveLength(0);
      const over = await burster.post(url, { field: 'phone', reason: '批量核对电话 超出' });
      expect(over.statusCode).toBe(200);
      expect(over.json().value).toBe('13700003333');
      const [alert] = await alerts();
      expect(alert).toMatchObject({ result: 'denied', role: 'committee_officer' });
      expect(alert!.reason).toContain(`${REVEAL_BURST_LIMIT + 1}`);
      expect(JSON.stringify(alert)).not.toContain('13700003333');
      // The same burst is not alerted again; a later, quiet window starts afresh.
      await burster.post(url, { field: 'phone', reason: '批量核对电话 再次' });
      expect(await alerts()).toHaveLength(1);
      t.clock.advance(REVEAL_BURST_WINDOW_MS + 1000);
      await burster.post(url, { field: 'phone', reason: '批量核对电话 之后' });
      expect(await alerts()).toHaveLength(1);
    });

    it('audits every view of a member record', async () => {
      const [m] = (await search(officerA, `q=${zsf}`)).items;
      const before = (await auditOf('member.view', m!.id)).length;
      expect((await liaisonA.get(`/api/members/${m!.id}`)).statusCode).toBe(200);
      const views = await auditOf('member.view', m!.id);
      expect(views).toHaveLength(before + 1);
      expect(views.at(-1)).toMatchObject({
        actorUsername: 'm-liaison-a',
        targetType: 'member',
        targetLabel: '张**',
        result: 'success',
      });
      // The liaison reads masked and may not change or reveal.
      expect((await liaisonA.get(`/api/members/${m!.id}`)).json().abilities).toEqual({
        update: false,
        reveal: false,
      });
    });

    it('edits with optimistic locking: of two edits of one version the first wins, the second changes nothing (SECURITY.md 26)', async () => {
      const c = await officerA.post('/api/members', {
        orgId: branchA.id,
        name: '周版本',
        gender: 'male',
        phone: '13600004444',
        membership: 'probationary',
        joinedOn: '2025-10-01',
      });
      const id = c.json().id;
      const first = await officerA.patch(`/api/members/${id}`, {
        version: 1,
        name: '吴改名',
        phone: '13600005555',
      });
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toMatchObject({
        name: '吴改名',
        version: 2,
        phoneMasked: '136****5555',
      });
      const second = await officerA.patch(`/api/members/${id}`, { version: 1, name: '郑第二' });
      expect(second.statusCode).toBe(409);
      expect(second.json().error.code).toBe('version_conflict');
      expect((await officerA.get(`/api/members/${id}`)).json()).toMatchObject({
        name: '吴改名',
        version: 2,
      });
      // The pinyin keys follow the name; the old phone is no longer found.
      expect((await search(officerA, 'q=wgm')).items.map((i) => i.id)).toContain(id);
      expect((await search(officerA, 'q=zbb')).items.map((i) => i.id)).not.toContain(id);
      expect((await search(officerA, 'q=13600004444')).items).toEqual([]);
      expect((await search(officerA, 'q=13600005555')).items.map((i) => i.id)).toEqual([id]);

      const [entry] = await auditOf('member.update', id);
      expect(entry!.before).toMatchObject({ name: '周**', phone: '136****4444', version: 1 });
      expect(entry!.after).toMatchObject({ name: '吴**', phone: '136****5555', version: 2 });

      // Full membership: the date comes with it; probationary never has one.
      const full = await officerA.patch(`/api/members/${id}`, {
        version: 2,
        membership: 'full',
        fullMemberOn: '2026-10-01',
      });
      expect(full.statusCode, full.body).toBe(200);
      const back = await officerA.patch(`/api/members/${id}`, {
        version: 3,
        membership: 'probationary',
      });
      expect(back.statusCode).toBe(400);
      // A gender that contradicts the stored ID number is refused too.
      const [m] = (await search(officerA, `q=${zsf}`)).items;
      const detail = (await officerA.get(`/api/members/${m!.id}`)).json();
      const g = await officerA.patch(`/api/members/${m!.id}`, {
        version: detail.version,
        gender: 'female',
      });
      expect(g.statusCode).toBe(400);
    });

    it('answers an out-of-scope member exactly like a missing one, and logs it (SECURITY.md 9)', async () => {
      const [m] = (await search(officerA, `q=${zsf}`)).items;
      const missing = await officerB.get('/api/members/00000000-0000-4000-8000-000000000000');
      const res = await officerB.get(`/api/members/${m!.id}`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual(missing.json());
      expect(res.json().error.message).toBe('党员不存在');
      const patch = await officerB.patch(`/api/members/${m!.id}`, { version: 1, name: '改' });
      expect(patch.statusCode).toBe(404);
      const reveal = await officerB.post(`/api/members/${m!.id}/reveal`, {
        field: 'phone',
        reason: '越权查看测试',
      });
      expect(reveal.statusCode).toBe(404);
      const denied = (await auditOf('access.denied', m!.id)).filter(
        (d) => d.actorUsername === 'm-officer-b',
      );
      expect(denied).toHaveLength(3);
      expect(denied[0]).toMatchObject({ reason: 'out_of_scope', targetType: 'member' });
      expect((await search(officerB, `q=${zsf}`)).items).toEqual([]);
      expect((await search(officerB, 'q=zsf')).items.map((i) => i.id)).not.toContain(m!.id);
      // Nor may a list be narrowed to an org outside the scope.
      expect((await officerB.get(`/api/members?orgId=${branchA.id}`)).statusCode).toBe(404);
    });

    it('shows an outflow member to the host side masked and read-only, with the timeline to the home side', async () => {
      const mem = await officerA.post('/api/members', {
        orgId: branchA.id,
        name: '陈外出',
        idNumber: idNumber('511902', '19880808', '315'),
        phone: '13512345678',
        membership: 'full',
      });
      const id = mem.json().id as string;
      const [mob] = await t.db
        .insert(mobility)
        .values({
          memberId: id,
          direction: 'outflow',
          status: 'serving',
          homeOrgId: branchA.id,
          registeredOn: '2025-02-20',
          leftOn: '2025-03-01',
          destinationRegionCode: '510104',
          destinationAddressEnc: t.cipher.encrypt(
            '四川省成都市锦江区春熙路8号',
            FIELD.destinationAddress.context,
          ),
          reason: 'work',
          hostOrgId: hostOrg.id,
          checkedInOn: '2025-03-10',
        })
        .returning();
      await t.db.insert(mobilityTransition).values([
        { mobilityId: mob!.id, toStatus: 'registered', at: new Date('2025-02-20T01:00:00Z') },
        {
          mobilityId: mob!.id,
          fromStatus: 'registered',
          toStatus: 'serving',
          at: new Date('2025-03-10T01:00:00Z'),
          actorAccountId: adminId,
          note: '已到流入地报到',
        },
      ]);

      const home = (await officerA.get(`/api/members/${id}`)).json();
      expect(home.mobilities).toHaveLength(1);
      expect(home.mobilities[0]).toMatchObject({
        direction: 'outflow',
        status: 'serving',
        destinationName: '四川省成都市锦江区',
        hostOrgName: '成都外县流动党员党支部',
        homeOrgName: '甲村党支部',
        destinationAddressMasked: '四川省成都市****',
        timeline: [
          { fromStatus: null, toStatus: 'registered', actorName: null },
          {
            fromStatus: 'registered',
            toStatus: 'serving',
            actorName: 'm-admin',
            note: '已到流入地报到',
          },
        ],
      });

      const seen = await hostOfficer.get(`/api/members/${id}`);
      expect(seen.statusCode, seen.body).toBe(200);
      expect(seen.json()).toMatchObject({
        name: '陈外出',
        phoneMasked: '135****5678',
        abilities: { update: false, reveal: false },
      });
      expect(seen.body).not.toContain('13512345678');
      const listed = await search(hostOfficer, 'q=cwc');
      expect(listed.items.map((i) => i.id)).toEqual([id]);
      expect(listed.items[0]!.abilities).toEqual({ update: false, reveal: false });
      expect(listed.items[0]!.openMobility).toMatchObject({
        direction: 'outflow',
        destinationName: '四川省成都市锦江区',
        hostOrgName: '成都外县流动党员党支部',
      });

      // Seen, so not hidden: the host side gets 403 for what the home org keeps, logged.
      const patch = await hostOfficer.patch(`/api/members/${id}`, { version: 1, name: '改名' });
      expect(patch.statusCode).toBe(403);
      const reveal = await hostOfficer.post(`/api/members/${id}/reveal`, {
        field: 'phone',
        reason: '流入地联系本人',
      });
      expect(reveal.statusCode).toBe(403);
      const denied = (await auditOf('access.denied', id)).map((d) => d.reason);
      expect(denied).toEqual(['host_side_update', 'host_side_reveal']);
      expect((await auditOf('member.reveal', id)).length).toBe(0);
      expect((await officerA.get(`/api/members/${id}`)).json().name).toBe('陈外出');

      // When the episode ends, the host side loses sight of the member.
      await t.db
        .update(mobility)
        .set({ status: 'returned', endedOn: '2026-10-01' })
        .where(eq(mobility.id, mob!.id));
      expect((await hostOfficer.get(`/api/members/${id}`)).statusCode).toBe(404);
      expect((await search(hostOfficer, 'q=cwc')).items).toEqual([]);
    });

    it('lists inflow members to their host org, with the home region as the place', async () => {
      const inflow = await t.addMember(null, { name: '杨流入', gender: 'male' });
      await t.db.insert(mobility).values({
        memberId: inflow.id,
        direction: 'inflow',
        status: 'registered',
        homeOrgText: '中共青川县石桥村支部委员会',
        homeRegionCode: '110105',
        registeredOn: '2026-05-02',
        leftOn: '2026-05-01',
        destinationRegionCode: '510104',
        reason: 'work',
        hostOrgId: branchB.id,
      });
      const page = await search(officerB, `mobility=inflow&orgId=${branchB.id}`);
      expect(page.items.map((i) => i.name)).toEqual(['杨流入']);
      expect(page.items[0]).toMatchObject({
        orgId: null,
        orgName: null,
        abilities: { update: false, reveal: false },
        openMobility: {
          direction: 'inflow',
          destinationName: '北京市朝阳区',
          hostOrgName: '乙村党支部',
        },
      });
      expect((await search(officerA, 'q=ylr')).items).toEqual([]);
      expect((await search(admin, 'q=ylr')).items.map((i) => i.id)).toEqual([inflow.id]);
    });

    it('filters by membership, mobility and org subtree', async () => {
      const branch = await t.addOrg(townA, '筛选测试支部', 'branch');
      const full = await t.addMember(branch, { name: '筛选正式', membership: 'full' });
      const prob = await t.addMember(branch, { name: '筛选预备', membership: 'probationary' });
      const out = await t.addMember(branch, { name: '筛选流出' });
      await t.db.insert(mobility).values({
        memberId: out.id,
        direction: 'outflow',
        status: 'registered',
        registeredOn: '2026-06-01',
        leftOn: '2026-06-01',
        reason: 'work',
        destinationRegionCode: '110105',
      });
      const names = async (q: string) =>
        (await search(officerA, `orgId=${branch.id}&${q}`)).items.map((i) => i.name).sort();
      expect(await names('limit=50')).toEqual([full.name, out.name, prob.name].sort());
      expect(await names('membership=probationary')).toEqual([prob.name]);
      expect(await names('mobility=outflow')).toEqual([out.name]);
      expect(await names('mobility=inflow')).toEqual([]);
      expect(await names('mobility=none')).toEqual([full.name, prob.name].sort());
      expect((await officerA.get(`/api/members?membership=honorary`)).statusCode).toBe(400);
    });

    it('pages by name and by joining date with no duplicates while members are added (SECURITY.md 27)', async () => {
      const branch = await t.addOrg(townA, '分页测试支部', 'branch');
      const surnames = ['赵', '钱', '孙', '李', '周', '吴', '郑', '王', '冯', '陈', '褚', '卫'];
      const dates = ['2001-07-01', null, '2010-07-01', '2001-07-01', null, '1999-01-01'];
      const ids: string[] = [];
      for (const [i, s] of surnames.entries())
        ids.push(
          (
            await t.addMember(branch, {
              name: `${s}分页`,
              joinedOn: dates[i % dates.length] ?? null,
            })
          ).id,
        );

      for (const sort of ['name', 'joinedOn'] as const) {
        const whole = await search(officerA, `orgId=${branch.id}&sort=${sort}&limit=200`);
        const seen: Summary[] = [];
        let cursor: string | null = null;
        let round = 0;
        do {
          const page: Page = await search(
            officerA,
            `orgId=${branch.id}&sort=${sort}&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
          );
          seen.push(...page.items);
          cursor = page.nextCursor;
          // Meanwhile, members sorting before and after the cursor arrive.
          await t.addMember(branch, { name: `阿${sort}${round}`, joinedOn: '2030-01-01' });
          await t.addMember(branch, { name: `左${sort}${round}`, joinedOn: null });
          round++;
        } while (cursor);
        const seenIds = seen.map((i) => i.id);
        expect(new Set(seenIds).size).toBe(seenIds.length);
        for (const id of ids) expect(seenIds).toContain(id);
        // The first pass over the original members follows the full order.
        const order = whole.items.map((i) => i.id);
        expect(seenIds.filter((i) => order.includes(i))).toEqual(order);
        if (sort === 'joinedOn') {
          const joined = whole.items.map((i) => i.joinedOn);
          const dated = joined.filter((j) => j !== null) as string[];
          expect(dated).toEqual([...dated].sort().reverse());
          expect(joined.slice(dated.length).every((j) => j === null)).toBe(true);
        }
      }
      // A cursor of the other sort, or a forged one, is a clear 400.
      const byName = await search(officerA, `orgId=${branch.id}&sort=name&limit=2`);
      expect(
        (await officerA.get(`/api/members?sort=joinedOn&cursor=${byName.nextCursor}`)).statusCode,
      ).toBe(400);
      expect((await officerA.get('/api/members?cursor=not-a-cursor')).statusCode).toBe(400);
    });

    it('rejects fields a client may not set and writes nothing (SECURITY.md 11)', async () => {
      const before = await count();
      for (const extra of [
        { version: 1 },
        { namePinyin: 'abc' },
        { idNumberBidx: 'f'.repeat(64) },
        { id: '00000000-0000-4000-8000-000000000000' },
        { birthDate: '1990-01-01' },
      ]) {
        const res = await officerA.post('/api/members', {
          orgId: branchA.id,
          name: '越权字段',
          gender: 'male',
          membership: 'full',
          ...extra,
        });
        expect(res.statusCode, JSON.stringify(extra)).toBe(400);
        expect(res.json().error.code).toBe('validation_failed');
      }
      expect(await count()).toBe(before);
      const [m] = (await search(officerA, `q=${zsf}`)).items;
      const v = (await officerA.get(`/api/members/${m!.id}`)).json().version;
      for (const extra of [{ orgId: branchB.id }, { nameInitials: 'x' }, { phoneBidx: 'x' }]) {
        const res = await officerA.patch(`/api/members/${m!.id}`, { version: v, ...extra });
        expect(res.statusCode).toBe(400);
      }
      expect((await officerA.get(`/api/members/${m!.id}`)).json()).toMatchObject({
        version: v,
        orgId: branchA.id,
      });
    });

    it('fails the change when its audit record cannot be written (SECURITY.md 20)', async () => {
      await t.db.execute(
        sql`alter table audit_log add constraint test_refuse_member_create check (action <> 'member.create') not valid`,
      );
      try {
        const before = await count();
        const res = await officerA.post('/api/members', {
          orgId: branchA.id,
          name: '审计失败',
          gender: 'male',
          membership: 'full',
        });
        expect(res.statusCode).toBe(500);
        expect(await count()).toBe(before);
      } finally {
        await t.db.execute(sql`alter table audit_log drop constraint test_refuse_member_create`);
      }
    });
  });
}
