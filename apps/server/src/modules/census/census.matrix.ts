import { and, eq } from 'drizzle-orm';
import { censusCampaign, censusTask } from '../../db/schema';
import type { Entry, Fixture, Position } from '../../test/matrix';
import { addMobilityFixture } from '../mobility/mobility.fixtures';

// Fixtures written straight to the tables (the one-open-per-org rule is the service's, and the
// cells must not depend on each other).
const PERIOD = { startsOn: '2026-11-01', endsOn: '2026-12-31' };
let seq = 0;
/** The member name the last tasks request positioned (for `shows`). */
let positionedName = '';

async function campaignAt(fx: Fixture, orgId: string) {
  const [row] = await fx.t.db
    .insert(censusCampaign)
    .values({ orgId, name: `矩阵摸排${++seq}`, ...PERIOD, status: 'open' })
    .returning();
  return row!.id;
}

/**
 * A pending task of a fresh outbound member of the org at the position, in an open campaign of
 * that org's county (the matrix county, or the other county for 'other_county').
 */
async function taskAt(fx: Fixture, p: Position) {
  const o = await fx.orgAt(p);
  const m = await fx.memberAt(p);
  const mobilityId = await addMobilityFixture(fx.t, o.id, m.id);
  const root = await fx.orgAt(p === 'other_county' ? 'other_county' : 'ancestor');
  const campaignId = await campaignAt(fx, root.id);
  const [task] = await fx.t.db
    .insert(censusTask)
    .values({ campaignId, memberId: m.id, mobilityId, orgId: o.id })
    .returning();
  return { campaignId, taskId: task!.id, memberName: m.name };
}

/** The matrix county's campaign, seen from the actors' org (a town) below it. */
async function countyCampaign(fx: Fixture) {
  return campaignAt(fx, (await fx.orgAt('ancestor')).id);
}

/**
 * Authorization matrix entries (SECURITY.md 8) for the census routes; merged in
 * authorization-matrix.test.ts.
 *
 * A campaign is visible where its subtree meets the actor's: its own org's officers and, from
 * below, every org inside it (a branch works the county's campaign: issue 4 §5). The matrix's
 * rule "an ancestor's record answers 404" cannot state that, so the routes that read a campaign
 * run from the 'own' position against the county's campaign (the case seen from below), and
 * their sibling / other-county refusals are tested in census.test.ts. Where a route names a
 * record inside the campaign (a task, an org filter) or acts on the campaign's own org (open,
 * close), every position is checked here.
 */
export const CENSUS_MATRIX: Record<string, Entry> = {
  // The org of the new campaign at the position, with one outbound member in it.
  'POST /api/census': {
    auth: 'active',
    permission: 'census.manage',
    target: 'record',
    ok: 200,
    request: async (p, fx) => {
      const o = await fx.orgAt(p, { fresh: true });
      const m = await fx.t.addMember(o, { name: `矩阵摸排党员${++seq}` });
      await addMobilityFixture(fx.t, o.id, m.id);
      // One open campaign per org: end the previous cell's, so each cell opens afresh.
      await fx.t.db
        .update(censusCampaign)
        .set({ status: 'closed', closedOn: '2026-11-20' })
        .where(and(eq(censusCampaign.orgId, o.id), eq(censusCampaign.status, 'open')));
      return {
        method: 'POST',
        url: '/api/census',
        body: { orgId: o.id, name: '矩阵摸排', ...PERIOD },
      };
    },
  },
  'GET /api/census': {
    auth: 'active',
    permission: 'contact.log',
    target: 'none',
    ok: 200,
    request: async () => ({ method: 'GET', url: '/api/census' }),
  },
  'GET /api/census/:id': {
    auth: 'active',
    permission: 'contact.log',
    target: 'none',
    ok: 200,
    request: async (_p, fx) => ({ method: 'GET', url: `/api/census/${await countyCampaign(fx)}` }),
  },
  // Positioned by the org filter: the county's campaign, the tasks of the org at the position.
  'GET /api/census/:id/tasks': {
    auth: 'active',
    permission: 'contact.log',
    target: 'record',
    ok: 200,
    request: async (p, fx) => {
      const task = await taskAt(fx, p === 'other_county' ? 'own' : p);
      positionedName = task.memberName;
      const o = await fx.orgAt(p);
      return {
        method: 'GET',
        url: `/api/census/${task.campaignId}/tasks?orgId=${o.id}&limit=200`,
      };
    },
    shows: (body) =>
      (body as { items: { memberName: string }[] }).items.some(
        (x) => x.memberName === positionedName,
      ),
  },
  // The task of a member at the position.
  'POST /api/census/:id/tasks/:taskId': {
    auth: 'active',
    permission: 'contact.log',
    target: 'record',
    ok: 200,
    request: async (p, fx) => {
      const task = await taskAt(fx, p);
      return {
        method: 'POST',
        url: `/api/census/${task.campaignId}/tasks/${task.taskId}`,
        body: { result: 'unchanged', verifiedOn: '2026-11-15', channel: 'phone', version: 1 },
      };
    },
  },
  // A campaign of the org at the position: only the campaign's own subtree closes it.
  'POST /api/census/:id/close': {
    auth: 'active',
    permission: 'census.manage',
    target: 'record',
    ok: 200,
    request: async (p, fx) => {
      const o = await fx.orgAt(p, { fresh: true });
      return {
        method: 'POST',
        url: `/api/census/${await campaignAt(fx, o.id)}/close`,
        body: { version: 1 },
      };
    },
  },
  'GET /api/census/:id/register.xlsx': {
    auth: 'active',
    permission: 'member.export',
    target: 'none',
    ok: 200,
    request: async (_p, fx) => ({
      method: 'GET',
      url: `/api/census/${await countyCampaign(fx)}/register.xlsx`,
    }),
  },
};
