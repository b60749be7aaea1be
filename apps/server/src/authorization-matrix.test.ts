import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { DEFAULT_CERTIFICATE_PATTERN, ROLES, ROLE_PERMISSIONS, type Role } from '@liudong/domain';
import { account, certificate, org, roleGrant, servicePoint } from './db/schema';
import {
  POSITIONS,
  inScope,
  outboundAt,
  type Entry,
  type Fixture,
  type Position,
} from './test/matrix';
import { CONTACTS_MATRIX } from './modules/contacts/contacts.matrix';
import { CENSUS_MATRIX } from './modules/census/census.matrix';
import { SMS_MATRIX } from './modules/sms/sms.matrix';
import { hashPassword } from './platform/password';
import { DEFAULT_SECURITY_POLICY } from './platform/security-policy';
import { addMobilityFixture, nextTestIdNumber } from './modules/mobility/mobility.fixtures';
import {
  createTestApp,
  testDatabaseKinds,
  type TestApp,
  type TestClient,
  type TestOrg,
} from './test/harness';

/**
 * SECURITY.md 8: endpoint × role × target position. Every /api route must have an entry here;
 * a new route without one fails this file. The expected answer follows from three rules:
 * no permission → 403; a target outside the actor's subtree → 404 (exactly like a missing one);
 * otherwise the route's success status (or a stated policy exception).
 * Co-management agreements (the sixth position) arrive with the agreements feature.
 */

const names = new Map<string, string>();
/** The episode the ledger entry placed last (GET /api/mobilities). */
let ledgerTarget = '';

let certificateSeq = 0;
/** A fresh certificate in hand (version 1) of a member at the position. */
async function certificateAt(p: Position, fx: Fixture) {
  const m = await outboundAt(p, fx);
  const seq = ++certificateSeq;
  const [row] = await fx.t.db
    .insert(certificate)
    .values({
      number: `矩阵-${seq}`,
      countyCode: '999999',
      year: 2026,
      seq,
      memberId: m.id,
      mobilityId: m.mobilityId,
      status: 'issued',
      issuedOn: '2026-11-01',
      issuedByOrgId: (await fx.orgAt(p)).id,
    })
    .returning();
  return row!.id;
}

const CORE_MATRIX: Record<string, Entry> = {
  'GET /api/health': { auth: 'public', coveredBy: 'auth.test.ts (security headers)' },
  'GET /api/openapi.json': { auth: 'public', coveredBy: 'auth.test.ts (OpenAPI document)' },
  'POST /api/auth/login': { auth: 'public', coveredBy: 'auth.test.ts' },
  'GET /api/auth/me': { auth: 'pending', coveredBy: 'auth.test.ts' },
  'POST /api/auth/password': { auth: 'pending', coveredBy: 'auth.test.ts' },
  'GET /api/auth/totp/enrolment': { auth: 'pending', coveredBy: 'auth.test.ts' },
  'POST /api/auth/totp/enrolment': { auth: 'pending', coveredBy: 'auth.test.ts' },
  'POST /api/auth/totp': { auth: 'pending', coveredBy: 'auth.test.ts' },
  'POST /api/auth/logout': { auth: 'pending', coveredBy: 'auth.test.ts' },
  'POST /api/auth/switch-role': {
    auth: 'session-only',
    coveredBy: 'auth.test.ts (switches role); own grants only, checked below',
  },

  'GET /api/orgs/children': {
    auth: 'active',
    permission: 'org.read',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'GET',
      url: `/api/orgs/children?parentId=${(await fx.orgAt(p)).id}`,
    }),
  },
  'GET /api/orgs': {
    auth: 'active',
    permission: 'org.read',
    target: 'none',
    ok: 200,
    request: async (p, fx) => ({
      method: 'GET',
      url: `/api/orgs?q=${encodeURIComponent(names.get((await fx.orgAt(p)).id)!)}`,
    }),
    shows: (body) => (body as { items: unknown[] }).items.length > 0,
  },
  'GET /api/orgs/lookup': {
    auth: 'active',
    permission: 'org.lookup',
    target: 'none',
    ok: 200,
    request: async (p, fx) => ({
      method: 'GET',
      url: `/api/orgs/lookup?q=${encodeURIComponent(names.get((await fx.orgAt(p)).id)!)}`,
    }),
    shows: (body) => (body as { items: unknown[] }).items.length > 0,
  },
  // System-wide names: every position's org is found, in scope or not.
  'GET /api/orgs/directory': {
    auth: 'active',
    permission: 'member.write',
    target: 'none',
    ok: 200,
    request: async (p, fx) => ({
      method: 'GET',
      url: `/api/orgs/directory?q=${encodeURIComponent(names.get((await fx.orgAt(p)).id)!)}`,
    }),
  },
  'GET /api/orgs/:id': {
    auth: 'active',
    permission: 'org.read',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({ method: 'GET', url: `/api/orgs/${(await fx.orgAt(p)).id}` }),
  },
  'POST /api/orgs': {
    auth: 'active',
    permission: 'org.create',
    target: 'record',
    ok: 200,
    request: async (p, fx) => {
      const parent = await fx.orgAt(p, { fresh: true, kind: 'committee' });
      return {
        method: 'POST',
        url: '/api/orgs',
        body: { parentId: parent.id, name: '矩阵新建支部', kind: 'branch' },
      };
    },
  },
  'PATCH /api/orgs/:id': {
    auth: 'active',
    permission: 'org.update',
    target: 'record',
    ok: 200,
    request: async (p, fx) => {
      const o = await fx.orgAt(p, { fresh: true });
      return {
        method: 'PATCH',
        url: `/api/orgs/${o.id}`,
        body: { version: await fx.versionOf(o.id), secretaryName: '王五' },
      };
    },
  },
  'POST /api/orgs/:id/move': {
    auth: 'active',
    permission: 'org.move',
    target: 'record',
    ok: 200,
    request: async (p, fx) => {
      const node = await fx.orgAt(p, { fresh: true });
      const dest = await fx.orgAt('own');
      return {
        method: 'POST',
        url: `/api/orgs/${node.id}/move`,
        body: { newParentId: dest.id, version: await fx.versionOf(node.id) },
      };
    },
    // The actor's own scope root cannot be moved by its own officers.
    exception: (p) => (p === 'own' ? 403 : undefined),
  },
  'POST /api/orgs/:id/dissolve': {
    auth: 'active',
    permission: 'org.dissolve',
    target: 'record',
    ok: 200,
    request: async (p, fx) => {
      const o = await fx.orgAt(p, { fresh: true });
      return {
        method: 'POST',
        url: `/api/orgs/${o.id}/dissolve`,
        body: { dissolvedOn: '2026-11-01', reason: '矩阵测试', version: await fx.versionOf(o.id) },
      };
    },
    exception: (p) => (p === 'own' ? 403 : undefined),
  },
  'POST /api/service-points': {
    auth: 'active',
    permission: 'service_point.manage',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'POST',
      url: '/api/service-points',
      body: { orgId: (await fx.orgAt(p)).id, level: 'point', name: '矩阵服务点' },
    }),
  },
  'PATCH /api/service-points/:id': {
    auth: 'active',
    permission: 'service_point.manage',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'PATCH',
      url: `/api/service-points/${(await fx.pointAt(p)).id}`,
      body: { version: 1, openingHours: '全天' },
    }),
  },

  'GET /api/members': {
    auth: 'active',
    permission: 'member.read',
    target: 'none',
    ok: 200,
    request: async (p, fx) => ({
      method: 'GET',
      url: `/api/members?q=${encodeURIComponent((await fx.memberAt(p)).name)}`,
    }),
    shows: (body) => (body as { items: unknown[] }).items.length > 0,
  },
  'GET /api/members/:id': {
    auth: 'active',
    permission: 'member.read',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({ method: 'GET', url: `/api/members/${(await fx.memberAt(p)).id}` }),
  },
  'POST /api/members/:id/reveal': {
    auth: 'active',
    permission: 'member.reveal',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'POST',
      url: `/api/members/${(await fx.memberAt(p)).id}/reveal`,
      body: { field: 'phone', reason: '矩阵测试核对' },
    }),
  },
  'POST /api/members': {
    auth: 'active',
    permission: 'member.write',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'POST',
      url: '/api/members',
      body: {
        orgId: (await fx.orgAt(p, { fresh: true, kind: 'branch' })).id,
        name: '矩阵新党员',
        gender: 'female',
        membership: 'full',
      },
    }),
    // Members belong to branches; the actor's own org in this matrix is a committee (党委).
    // The fresh branches at the other positions cover the success and the scope answers.
    exception: (p) => (p === 'own' ? 400 : undefined),
  },
  'PATCH /api/members/:id': {
    auth: 'active',
    permission: 'member.write',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'PATCH',
      url: `/api/members/${(await fx.memberAt(p)).id}`,
      body: { version: 1, partyPosts: '组织委员' },
    }),
  },

  // Mobility episodes (issue 3 §2, §4): targeted by a member or an episode whose home org is at
  // the position (for an inflow: the host org at the position).
  'POST /api/members/:id/outflows': {
    auth: 'active',
    permission: 'member.write',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'POST',
      url: `/api/members/${(await fx.memberAt(p)).id}/outflows`,
      body: { leftOn: '2026-10-01', destinationRegionCode: '440305', reason: 'work' },
    }),
  },
  'POST /api/members/inflows': {
    auth: 'active',
    permission: 'member.write',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'POST',
      url: '/api/members/inflows',
      body: {
        name: '矩阵流入党员',
        idNumber: nextTestIdNumber(),
        homeOrgText: '矩阵外地党支部',
        hostOrgId: (await fx.orgAt(p)).id,
        arrivedOn: '2026-11-01',
        reason: 'work',
      },
    }),
  },
  'POST /api/mobilities/:id/transitions': {
    auth: 'active',
    permission: 'member.write',
    target: 'record',
    ok: 200,
    request: async (p, fx) => {
      const o = await fx.orgAt(p);
      const id = await addMobilityFixture(fx.t, o.id, (await fx.memberAt(p)).id);
      return {
        method: 'POST',
        url: `/api/mobilities/${id}/transitions`,
        body: { to: 'informed', version: 1 },
      };
    },
  },
  'GET /api/mobilities': {
    auth: 'active',
    permission: 'member.read',
    target: 'none',
    ok: 200,
    request: async (p, fx) => {
      const o = await fx.orgAt(p);
      // The latest departure of the matrix: first on the ledger (newest first).
      ledgerTarget = await addMobilityFixture(fx.t, o.id, (await fx.memberAt(p)).id, '2026-11-15');
      return { method: 'GET', url: '/api/mobilities?limit=200' };
    },
    shows: (body) => (body as { items: { id: string }[] }).items.some((i) => i.id === ledgerTarget),
  },
  // The exports answer a workbook, not JSON: scope is checked in modules/exports/exports.test.ts.
  'GET /api/mobilities/export.xlsx': {
    auth: 'active',
    permission: 'member.export',
    target: 'none',
    ok: 200,
    request: async () => ({ method: 'GET', url: '/api/mobilities/export.xlsx' }),
  },
  'GET /api/members/export.xlsx': {
    auth: 'active',
    permission: 'member.export',
    target: 'none',
    ok: 200,
    request: async () => ({ method: 'GET', url: '/api/members/export.xlsx' }),
  },
  'GET /api/mobilities/temporary-branch-suggestions': {
    auth: 'active',
    permission: 'member.read',
    target: 'none',
    ok: 200,
    request: async () => ({ method: 'GET', url: '/api/mobilities/temporary-branch-suggestions' }),
  },

  'GET /api/members/:id/certificates': {
    auth: 'active',
    permission: 'member.read',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'GET',
      url: `/api/members/${(await fx.memberAt(p)).id}/certificates`,
    }),
  },
  'POST /api/members/:id/certificates': {
    auth: 'active',
    permission: 'member.write',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'POST',
      url: `/api/members/${(await outboundAt(p, fx)).id}/certificates`,
      body: {},
    }),
  },
  'POST /api/certificates/:id/review': {
    auth: 'active',
    permission: 'member.write',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'POST',
      url: `/api/certificates/${await certificateAt(p, fx)}/review`,
      body: { version: 1 },
    }),
  },
  'POST /api/certificates/:id/return': {
    auth: 'active',
    permission: 'member.write',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'POST',
      url: `/api/certificates/${await certificateAt(p, fx)}/return`,
      body: { version: 1 },
    }),
  },
  'POST /api/certificates/:id/cancel': {
    auth: 'active',
    permission: 'member.write',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'POST',
      url: `/api/certificates/${await certificateAt(p, fx)}/cancel`,
      body: { version: 1, reason: '矩阵测试' },
    }),
  },
  'POST /api/certificates/:id/reissue': {
    auth: 'active',
    permission: 'member.write',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'POST',
      url: `/api/certificates/${await certificateAt(p, fx)}/reissue`,
      body: { version: 1, reason: '矩阵测试遗失' },
    }),
  },
  'GET /api/public/certificates/:number': {
    auth: 'public',
    coveredBy: 'certificates.test.ts (public verification: validity only, no personal data)',
  },
  'GET /api/certificate-settings': {
    auth: 'active',
    permission: 'certificate.configure',
    target: 'none',
    ok: 200,
    request: async () => ({ method: 'GET', url: '/api/certificate-settings' }),
  },
  'PUT /api/certificate-settings': {
    auth: 'active',
    permission: 'certificate.configure',
    target: 'none',
    ok: 200,
    request: async () => ({
      method: 'PUT',
      url: '/api/certificate-settings',
      body: { pattern: DEFAULT_CERTIFICATE_PATTERN, graceMonths: 3 },
    }),
  },

  'GET /api/accounts': {
    auth: 'active',
    permission: 'account.read',
    target: 'none',
    ok: 200,
    request: async (p, fx) => ({
      method: 'GET',
      url: `/api/accounts?q=${(await fx.accountAt(p)).username}`,
    }),
    shows: (body) => (body as { items: unknown[] }).items.length > 0,
  },
  'GET /api/accounts/:id': {
    auth: 'active',
    permission: 'account.read',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'GET',
      url: `/api/accounts/${(await fx.accountAt(p)).id}`,
    }),
  },
  'POST /api/accounts': {
    auth: 'active',
    permission: 'account.manage',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'POST',
      url: '/api/accounts',
      body: {
        username: `m${randomUUID().slice(0, 8)}`,
        displayName: '矩阵',
        homeOrgId: (await fx.orgAt(p)).id,
      },
    }),
  },
  'POST /api/accounts/:id/status': {
    auth: 'active',
    permission: 'account.manage',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'POST',
      url: `/api/accounts/${(await fx.accountAt(p)).id}/status`,
      body: { disabled: true },
    }),
  },
  'POST /api/accounts/:id/unlock': {
    auth: 'active',
    permission: 'account.manage',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'POST',
      url: `/api/accounts/${(await fx.accountAt(p)).id}/unlock`,
      body: {},
    }),
  },
  'POST /api/accounts/:id/reset-password': {
    auth: 'active',
    permission: 'account.manage',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'POST',
      url: `/api/accounts/${(await fx.accountAt(p)).id}/reset-password`,
      body: {},
    }),
  },
  'POST /api/accounts/:id/reset-totp': {
    auth: 'active',
    permission: 'account.manage',
    target: 'record',
    ok: 204,
    request: async (p, fx) => ({
      method: 'POST',
      url: `/api/accounts/${(await fx.accountAt(p)).id}/reset-totp`,
      body: {},
    }),
  },
  'POST /api/accounts/:id/grants': {
    auth: 'active',
    permission: 'role.grant',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'POST',
      url: `/api/accounts/${(await fx.accountAt(p)).id}/grants`,
      body: { role: 'liaison', orgId: (await fx.orgAt('own')).id },
    }),
  },
  'DELETE /api/accounts/:id/grants/:grantId': {
    auth: 'active',
    permission: 'role.grant',
    target: 'record',
    ok: 200,
    request: async (p, fx) => {
      const a = await fx.accountAt(p, { grant: 'liaison' });
      return { method: 'DELETE', url: `/api/accounts/${a.id}/grants/${a.grantId}` };
    },
  },

  'GET /api/dashboard': {
    auth: 'active',
    permission: 'member.read',
    target: 'none',
    ok: 200,
    request: async () => ({ method: 'GET', url: '/api/dashboard' }),
  },
  'GET /api/audit': {
    auth: 'active',
    permission: 'audit.read',
    target: 'none',
    ok: 200,
    request: async () => ({ method: 'GET', url: '/api/audit?limit=5' }),
  },
  'POST /api/audit/verify': {
    auth: 'active',
    permission: 'audit.read',
    target: 'none',
    ok: 200,
    request: async () => ({ method: 'POST', url: '/api/audit/verify', body: {} }),
  },

  'GET /api/security-policy': {
    auth: 'active',
    permission: 'security_policy.manage',
    target: 'none',
    ok: 200,
    request: async () => ({ method: 'GET', url: '/api/security-policy' }),
  },
  'PUT /api/security-policy': {
    auth: 'active',
    permission: 'security_policy.manage',
    target: 'none',
    ok: 200,
    request: async () => ({
      method: 'PUT',
      url: '/api/security-policy',
      body: DEFAULT_SECURITY_POLICY,
    }),
  },

  'GET /api/regions': {
    auth: 'active',
    permission: null,
    target: 'none',
    ok: 200,
    request: async () => ({ method: 'GET', url: '/api/regions?parentCode=510000' }),
  },
  'POST /api/regions': {
    auth: 'active',
    permission: 'system.manage',
    target: 'none',
    ok: 200,
    request: async () => ({
      method: 'POST',
      url: '/api/regions',
      body: {
        code: `5101${String(90 + Math.floor(Math.random() * 10))}`.slice(0, 6),
        name: '矩阵测试区',
        parentCode: '510100',
      },
    }),
  },
  'PATCH /api/regions/:code': {
    auth: 'active',
    permission: 'system.manage',
    target: 'none',
    ok: 200,
    request: async () => ({
      method: 'PATCH',
      url: '/api/regions/510104',
      body: { name: '锦江区' },
    }),
  },

  // 组织关系转接 (issue 3 §5): a transfer sent from the org at the position (the member's org of
  // affiliation) to an org outside the system; the receiving side is covered in transfers.test.ts.
  'GET /api/transfers': {
    auth: 'active',
    permission: 'member.read',
    target: 'none',
    ok: 200,
    request: async (p, fx) => {
      const { transferAt } = await import('./modules/transfers/transfers.fixtures');
      const tr = await transferAt(fx, p);
      return { method: 'GET', url: `/api/transfers?q=${encodeURIComponent(tr.memberName)}` };
    },
    shows: (body) => (body as { items: unknown[] }).items.length > 0,
  },
  'GET /api/transfers/:id': {
    auth: 'active',
    permission: 'member.read',
    target: 'record',
    ok: 200,
    request: async (p, fx) => {
      const { transferAt } = await import('./modules/transfers/transfers.fixtures');
      return { method: 'GET', url: `/api/transfers/${(await transferAt(fx, p)).id}` };
    },
  },
  'POST /api/transfers': {
    auth: 'active',
    permission: 'member.write',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'POST',
      url: '/api/transfers',
      body: {
        memberId: (await fx.memberAt(p)).id,
        toOrgText: '矩阵外地党支部',
        toRegionCode: '440305',
        reason: '矩阵测试',
      },
    }),
  },
  'POST /api/transfers/:id/decision': {
    auth: 'active',
    permission: 'transfer.approve',
    target: 'record',
    ok: 200,
    request: async (p, fx) => {
      const { transferAt } = await import('./modules/transfers/transfers.fixtures');
      return {
        method: 'POST',
        url: `/api/transfers/${(await transferAt(fx, p)).id}/decision`,
        body: { decision: 'approve', version: 1 },
      };
    },
  },
  'POST /api/transfers/:id/receipt': {
    auth: 'active',
    permission: 'member.write',
    target: 'record',
    ok: 200,
    request: async (p, fx) => {
      const { transferAt } = await import('./modules/transfers/transfers.fixtures');
      return {
        method: 'POST',
        url: `/api/transfers/${(await transferAt(fx, p, 'approved')).id}/receipt`,
        body: { source: 'paper', receivedOn: '2026-11-10', version: 1 },
      };
    },
  },
  'POST /api/transfers/:id/cancel': {
    auth: 'active',
    permission: 'member.write',
    target: 'record',
    ok: 200,
    request: async (p, fx) => {
      const { transferAt } = await import('./modules/transfers/transfers.fixtures');
      return {
        method: 'POST',
        url: `/api/transfers/${(await transferAt(fx, p)).id}/cancel`,
        body: { reason: '矩阵测试', version: 1 },
      };
    },
  },
  'GET /api/transfers/:id/letter': {
    auth: 'active',
    permission: 'member.read',
    target: 'record',
    ok: 200,
    request: async (p, fx) => {
      const { transferAt } = await import('./modules/transfers/transfers.fixtures');
      return {
        method: 'GET',
        url: `/api/transfers/${(await transferAt(fx, p, 'approved')).id}/letter`,
      };
    },
  },
  'GET /api/transfer-settings': {
    auth: 'active',
    permission: 'member.read',
    target: 'none',
    ok: 200,
    request: async () => ({ method: 'GET', url: '/api/transfer-settings' }),
  },
  'PUT /api/transfer-settings': {
    auth: 'active',
    permission: 'transfer.configure',
    target: 'none',
    ok: 200,
    request: async () => ({
      method: 'PUT',
      url: '/api/transfer-settings',
      body: { withinCityDays: 10, elsewhereDays: 30 },
    }),
  },

  // Excel import (issue 3 §6): a batch uploaded (or committed) by the org at the position; the
  // branch of the actor's scope (descendant) receives the rows. Flows in imports.test.ts.
  'POST /api/imports': {
    auth: 'active',
    permission: 'member.import',
    target: 'none',
    ok: 200,
    request: async () => {
      const { buildSheet, nextImportIdNumber } = await import('./modules/imports/import.fixtures');
      const body = await buildSheet({
        headers: ['姓名', '身份证号码'],
        rows: [['矩阵上传', nextImportIdNumber()]],
      });
      return { method: 'POST', url: '/api/imports?kind=members&fileName=matrix.xlsx', body };
    },
  },
  'GET /api/imports': {
    auth: 'active',
    permission: 'member.import',
    target: 'none',
    ok: 200,
    request: async () => ({ method: 'GET', url: '/api/imports?limit=5' }),
  },
  ...Object.fromEntries(
    (
      [
        ['GET', '', 'uploaded', null],
        ['GET', '/preview', 'uploaded', null],
        ['POST', '/check', 'uploaded', 'options'],
        ['POST', '/commit', 'uploaded', 'options'],
        ['GET', '/errors.xlsx', 'uploaded', null],
        ['POST', '/undo', 'committed', 'reason'],
      ] as const
    ).map(([method, suffix, status, body]): [string, Entry] => [
      `${method} /api/imports/:id${suffix}`,
      {
        auth: 'active',
        permission: 'member.import',
        target: 'record',
        ok: 200,
        request: async (p, fx) => {
          const f = await import('./modules/imports/import.fixtures');
          const branch = (await fx.orgAt('descendant')).id;
          const id = await f.addImportBatchFixture(fx.t, {
            orgId: (await fx.orgAt(p)).id,
            status,
            checkedWith: branch,
          });
          return {
            method,
            url: `/api/imports/${id}${suffix}`,
            ...(body === 'options' ? { body: f.fixtureOptions(branch) } : {}),
            ...(body === 'reason' ? { body: { reason: '矩阵撤销' } } : {}),
          };
        },
      },
    ]),
  ),
  'GET /api/import-mappings': {
    auth: 'active',
    permission: 'member.import',
    target: 'none',
    ok: 200,
    request: async () => ({ method: 'GET', url: '/api/import-mappings?kind=members' }),
  },
  'POST /api/import-mappings': {
    auth: 'active',
    permission: 'member.import',
    target: 'none',
    ok: 200,
    request: async () => ({
      method: 'POST',
      url: '/api/import-mappings',
      body: {
        name: `矩阵方案${randomUUID().slice(0, 6)}`,
        kind: 'members',
        columns: [{ title: '姓名', field: 'name' }],
      },
    }),
  },
  'DELETE /api/import-mappings/:id': {
    auth: 'active',
    permission: 'member.import',
    target: 'record',
    ok: 204,
    request: async (p, fx) => {
      const { addImportMappingFixture } = await import('./modules/imports/import.fixtures');
      const id = await addImportMappingFixture(fx.t, (await fx.orgAt(p)).id);
      return { method: 'DELETE', url: `/api/import-mappings/${id}` };
    },
  },
};

// Features list their own routes next to their code (issue 4 onwards).
const MATRIX: Record<string, Entry> = {
  ...CORE_MATRIX,
  ...CONTACTS_MATRIX,
  ...CENSUS_MATRIX,
  ...SMS_MATRIX,
};

for (const kind of testDatabaseKinds()) {
  describe(`authorization matrix [${kind}]`, () => {
    let t: TestApp;
    let c1: TestOrg, t1: TestOrg, t2: TestOrg, c2: TestOrg, d1: TestOrg;
    const clients = new Map<Role, TestClient>();
    const actorIds = new Set<string>();
    let hash: string;
    let fx: Fixture;

    beforeAll(async () => {
      t = await createTestApp(kind);
      hash = await hashPassword(`unused-${randomUUID()}`);
      c1 = await t.addOrg(null, '矩阵县委');
      t1 = await t.addOrg(c1, '矩阵甲镇党委');
      t2 = await t.addOrg(c1, '矩阵乙镇党委');
      d1 = await t.addOrg(t1, '矩阵甲村党支部', 'branch');
      c2 = await t.addOrg(null, '矩阵外县县委');
      for (const o of [c1, t1, t2, d1, c2]) names.set(o.id, o.name);
      for (const role of ROLES) {
        const u = await t.addUser(`actor-${role}`, [{ role, org: t1 }]);
        actorIds.add(u.id);
        clients.set(role, await t.login(u));
      }
      let n = 0;
      const fresh = async (parent: TestOrg, kind = 'committee') => {
        const o = await t.addOrg(parent, `矩阵临时组织${++n}`, kind as TestOrg['kind']);
        names.set(o.id, o.name);
        return o;
      };
      fx = {
        t,
        async orgAt(p, o = {}) {
          const k = o.kind ?? 'committee';
          switch (p) {
            case 'own':
              return t1;
            case 'ancestor':
              return c1;
            case 'descendant':
              return o.fresh ? fresh(t1, k) : d1;
            case 'sibling':
              return o.fresh ? fresh(t2, k) : t2;
            case 'other_county':
              return o.fresh ? fresh(c2, k) : c2;
          }
        },
        async accountAt(p, o = {}) {
          const home = await fx.orgAt(p, { fresh: p !== 'own' && p !== 'ancestor' });
          const username = `target${++n}`;
          const [a] = await t.db
            .insert(account)
            .values({
              username,
              displayName: username,
              passwordHash: hash,
              mustChangePassword: false,
              homeOrgId: home.id,
            })
            .returning();
          if (!o.grant) return { id: a!.id, username };
          const [g] = await t.db
            .insert(roleGrant)
            .values({ accountId: a!.id, role: o.grant, orgId: home.id })
            .returning();
          return { id: a!.id, username, grantId: g!.id };
        },
        async pointAt(p) {
          const o = await fx.orgAt(p);
          const [sp] = await t.db
            .insert(servicePoint)
            .values({ orgId: o.id, level: 'point', name: '矩阵已有服务点' })
            .returning();
          return { id: sp!.id };
        },
        async memberAt(p) {
          // 甲…乙 brackets the number, so no name is a substring of another in name search.
          return t.addMember(await fx.orgAt(p), {
            name: `矩阵党员甲${++n}乙`,
            phone: '13800000000',
          });
        },
        async versionOf(orgId) {
          const [row] = await t.db.select({ v: org.version }).from(org).where(eq(org.id, orgId));
          return row!.v;
        },
      };
    });
    afterAll(() => t.close());

    it('has an entry for every route, and each entry declares the guard the route really has', () => {
      const routes = new Map(t.app.routeTable.map((r) => [`${r.method} ${r.url}`, r]));
      const missing = [...routes.keys()].filter((k) => !(k in MATRIX));
      expect(missing, 'routes without an authorization matrix entry').toEqual([]);
      const stale = Object.keys(MATRIX).filter((k) => !routes.has(k));
      expect(stale, 'matrix entries for routes that no longer exist').toEqual([]);
      for (const [key, entry] of Object.entries(MATRIX)) {
        const route = routes.get(key)!;
        if (entry.auth === 'session-only') expect(route.auth, key).toBe('active');
        else expect(route.auth, key).toBe(entry.auth);
        if (entry.auth === 'active') expect(route.permission ?? null, key).toBe(entry.permission);
      }
    });

    for (const [key, entry] of Object.entries(MATRIX)) {
      if (entry.auth !== 'active') continue;
      it(`${key}: every role × position`, async () => {
        const failures: string[] = [];
        for (const role of ROLES) {
          const permitted =
            entry.permission === null || ROLE_PERMISSIONS[role].includes(entry.permission);
          const positions =
            entry.target === 'none' && !entry.shows ? (['own'] as const) : POSITIONS;
          for (const p of positions) {
            const req = await entry.request(p, fx);
            const client = clients.get(role)!;
            const res = await client.request(req.method, req.url, req.body);
            const expected = !permitted
              ? 403
              : entry.target === 'record' && !inScope(p)
                ? 404
                : (entry.exception?.(p) ?? entry.ok);
            if (res.statusCode !== expected)
              failures.push(
                `${role} @ ${p}: expected ${expected}, got ${res.statusCode} ${res.body.slice(0, 120)}`,
              );
            if (permitted && entry.shows && res.statusCode === 200) {
              const shown = entry.shows(res.json(), p, fx);
              if (shown !== inScope(p))
                failures.push(`${role} @ ${p}: list ${shown ? 'shows' : 'hides'} the record`);
            }
            if (res.statusCode === 404 && expected === 404 && !res.body.includes('不存在'))
              failures.push(`${role} @ ${p}: 404 without the not-found message`);
          }
        }
        expect(failures).toEqual([]);
      });
    }

    it('switch-role accepts only the actor’s own grants', async () => {
      const someoneElse = await fx.accountAt('own', { grant: 'liaison' });
      const res = await clients
        .get('liaison')!
        .post('/api/auth/switch-role', { grantId: someoneElse.grantId });
      expect(res.statusCode).toBe(404);
      expect(actorIds.size).toBe(ROLES.length);
    });
  });
}
