import { contactSchedule, liaison, liaisonAssignment } from '../../db/schema';
import type { Entry, Fixture, Position } from '../../test/matrix';
import { addMobilityFixture } from '../mobility/mobility.fixtures';

/**
 * Authorization matrix entries (SECURITY.md 8) for the keeping-in-touch routes (contacts,
 * liaisons, assignments, lost contact, settings) and the notification bell; merged in
 * authorization-matrix.test.ts.
 */

let seq = 0;
/** The org whose rule the schedules entry wrote last (its `shows` looks for it). */
let lastScheduleOrg = '';

/** The candidate account the candidates entry placed last (its `shows` looks for it). */
let lastCandidate = '';

/** A fresh member of the org at the position, away now (open outflow from that org). */
async function outboundHomeAt(p: Position, fx: Fixture, leftOn = '2026-10-01') {
  const home = await fx.orgAt(p);
  const m = await fx.memberAt(p);
  const mobilityId = await addMobilityFixture(fx.t, home.id, m.id, leftOn);
  return { ...m, mobilityId, orgId: home.id };
}

/** A fresh liaison without an account at the org at the position. */
async function liaisonAt(p: Position, fx: Fixture) {
  const o = await fx.orgAt(p);
  const name = `矩阵联络员${++seq}号`;
  const [row] = await fx.t.db.insert(liaison).values({ orgId: o.id, name }).returning();
  return { id: row!.id, name, version: row!.version };
}

const items = (body: unknown) => (body as { items: unknown[] }).items;

export const CONTACTS_MATRIX: Record<string, Entry> = {
  'GET /api/liaisons': {
    auth: 'active',
    permission: 'liaison.assign',
    target: 'none',
    ok: 200,
    request: async (p, fx) => ({
      method: 'GET',
      url: `/api/liaisons?q=${encodeURIComponent((await liaisonAt(p, fx)).name)}`,
    }),
    shows: (body) => items(body).length > 0,
  },
  // A fresh account with a business role at the position: listed only when in scope.
  'GET /api/liaisons/candidates': {
    auth: 'active',
    permission: 'liaison.assign',
    target: 'none',
    ok: 200,
    request: async (p, fx) => {
      const a = await fx.accountAt(p, { grant: 'liaison' });
      lastCandidate = a.id;
      return { method: 'GET', url: `/api/liaisons/candidates?q=${encodeURIComponent(a.username)}` };
    },
    shows: (body) =>
      (body as { items: { id: string }[] }).items.some((i) => i.id === lastCandidate),
  },
  'POST /api/liaisons': {
    auth: 'active',
    permission: 'liaison.assign',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'POST',
      url: '/api/liaisons',
      body: { orgId: (await fx.orgAt(p)).id, name: '矩阵新联络员', phone: '13900000000' },
    }),
  },
  'PATCH /api/liaisons/:id': {
    auth: 'active',
    permission: 'liaison.assign',
    target: 'record',
    ok: 200,
    request: async (p, fx) => {
      const l = await liaisonAt(p, fx);
      return {
        method: 'PATCH',
        url: `/api/liaisons/${l.id}`,
        body: { title: '支部组织委员', version: l.version },
      };
    },
  },
  'POST /api/liaisons/:id/retire': {
    auth: 'active',
    permission: 'liaison.assign',
    target: 'record',
    ok: 200,
    request: async (p, fx) => {
      const l = await liaisonAt(p, fx);
      const successor = await liaisonAt('own', fx);
      return {
        method: 'POST',
        url: `/api/liaisons/${l.id}/retire`,
        body: {
          toLiaisonId: successor.id,
          leftOn: '2026-11-01',
          reason: '工作调动',
          version: l.version,
        },
      };
    },
  },
  // The members named are at the position; the liaison is the actor's own org's.
  'POST /api/liaisons/assign': {
    auth: 'active',
    permission: 'liaison.assign',
    target: 'record',
    ok: 200,
    request: async (p, fx) => {
      const m = await outboundHomeAt(p, fx);
      const l = await liaisonAt('own', fx);
      return {
        method: 'POST',
        url: '/api/liaisons/assign',
        body: { target: { memberIds: [m.id] }, liaisonId: l.id, duty: '每月了解工作生活情况' },
      };
    },
  },
  'PATCH /api/assignments/:id': {
    auth: 'active',
    permission: 'liaison.assign',
    target: 'record',
    ok: 200,
    request: async (p, fx) => {
      const m = await outboundHomeAt(p, fx);
      const l = await liaisonAt(p, fx);
      const [a] = await fx.t.db
        .insert(liaisonAssignment)
        .values({ memberId: m.id, liaisonId: l.id, duty: '了解近况', assignedOn: '2026-10-05' })
        .returning();
      return {
        method: 'PATCH',
        url: `/api/assignments/${a!.id}`,
        body: { intervalMonths: 2, version: a!.version },
      };
    },
  },
  'GET /api/contacts/queue': {
    auth: 'active',
    permission: 'contact.log',
    target: 'none',
    ok: 200,
    request: async (p, fx) => {
      const m = await outboundHomeAt(p, fx);
      return {
        method: 'GET',
        url: `/api/contacts/queue?view=org&bucket=all&q=${encodeURIComponent(m.name)}`,
      };
    },
    shows: (body) => items(body).length > 0,
  },
  'GET /api/contacts/queue/summary': {
    auth: 'active',
    permission: 'contact.log',
    target: 'none',
    ok: 200,
    request: async () => ({ method: 'GET', url: '/api/contacts/queue/summary?view=org' }),
  },
  'POST /api/contacts': {
    auth: 'active',
    permission: 'contact.log',
    target: 'record',
    ok: 200,
    request: async (p, fx) => {
      const m = await outboundHomeAt(p, fx);
      return {
        method: 'POST',
        url: '/api/contacts',
        body: { memberId: m.id, contactedOn: '2026-11-10', channel: 'phone', reached: true },
      };
    },
  },
  'GET /api/members/:id/contacts': {
    auth: 'active',
    permission: 'member.read',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'GET',
      url: `/api/members/${(await fx.memberAt(p)).id}/contacts`,
    }),
  },
  'GET /api/contacts/lost': {
    auth: 'active',
    permission: 'member.read',
    target: 'none',
    ok: 200,
    request: async (p, fx) => {
      // Away since January without a sign of life: lost by November.
      const m = await outboundHomeAt(p, fx, '2026-01-05');
      return {
        method: 'GET',
        url: `/api/contacts/lost?level=lost&q=${encodeURIComponent(m.name)}`,
      };
    },
    shows: (body) => items(body).length > 0,
  },
  'GET /api/contacts/lost/registers': {
    auth: 'active',
    permission: 'member.read',
    target: 'none',
    ok: 200,
    request: async () => ({ method: 'GET', url: '/api/contacts/lost/registers?kind=not_found' }),
  },
  // Exports need member.export (SECURITY.md 23); the org named must lie in the scope (404 else).
  'GET /api/contacts/lost.xlsx': {
    auth: 'active',
    permission: 'member.export',
    target: 'record',
    ok: 200,
    request: async (p, fx) => {
      const m = await outboundHomeAt(p, fx, '2026-01-05');
      return { method: 'GET', url: `/api/contacts/lost.xlsx?level=lost&orgId=${m.orgId}` };
    },
  },
  'GET /api/contacts/lost/registers.xlsx': {
    auth: 'active',
    permission: 'member.export',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'GET',
      url: `/api/contacts/lost/registers.xlsx?kind=not_found&orgId=${(await fx.orgAt(p)).id}`,
    }),
  },
  'PUT /api/contacts/lost/:memberId/note': {
    auth: 'active',
    permission: 'member.write',
    target: 'record',
    ok: 204,
    request: async (p, fx) => {
      const m = await outboundHomeAt(p, fx, '2026-01-05');
      return {
        method: 'PUT',
        url: `/api/contacts/lost/${m.id}/note`,
        body: { reasonCode: 'work_business', note: '已托老乡打听' },
      };
    },
  },
  'GET /api/contacts/settings': {
    auth: 'active',
    permission: 'contact.log',
    target: 'none',
    ok: 200,
    request: async () => ({ method: 'GET', url: '/api/contacts/settings' }),
  },
  'PUT /api/contacts/settings': {
    auth: 'active',
    permission: 'contact.configure',
    target: 'none',
    ok: 200,
    request: async () => ({
      method: 'PUT',
      url: '/api/contacts/settings',
      body: { defaultIntervalMonths: { domestic: 1, abroad: 6 }, warningMonths: [3, 5] },
    }),
  },
  'GET /api/contacts/schedules': {
    auth: 'active',
    permission: 'contact.log',
    target: 'none',
    ok: 200,
    request: async (p, fx) => {
      const o = await fx.orgAt(p);
      await fx.t.db
        .insert(contactSchedule)
        .values({ orgId: o.id, category: 'abroad', intervalMonths: 3 })
        .onConflictDoNothing();
      lastScheduleOrg = o.id;
      return { method: 'GET', url: '/api/contacts/schedules' };
    },
    shows: (body) =>
      (body as { items: { orgId: string }[] }).items.some((i) => i.orgId === lastScheduleOrg),
  },
  'PUT /api/contacts/schedules': {
    auth: 'active',
    permission: 'contact.configure',
    target: 'record',
    ok: 204,
    request: async (p, fx) => ({
      method: 'PUT',
      url: '/api/contacts/schedules',
      body: { orgId: (await fx.orgAt(p)).id, category: 'domestic', intervalMonths: 2 },
    }),
  },

  // The bell: any active session, its own notifications only (notifications.test.ts).
  'GET /api/notifications': {
    auth: 'active',
    permission: null,
    target: 'none',
    ok: 200,
    request: async () => ({ method: 'GET', url: '/api/notifications' }),
  },
  'POST /api/notifications/:id/read': {
    auth: 'session-only',
    coveredBy:
      'notifications.test.ts (own notification → 204; another account’s → 404 and audited)',
  },
  'POST /api/notifications/read-all': {
    auth: 'active',
    permission: null,
    target: 'none',
    ok: 204,
    request: async () => ({ method: 'POST', url: '/api/notifications/read-all' }),
  },
};
