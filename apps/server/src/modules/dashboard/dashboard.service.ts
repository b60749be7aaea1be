import type { DashboardResponse } from '@liudong/contracts';
import { chinaDateOf, rate } from '@liudong/domain';
import { requireActor, type RequestContext } from '../../platform/actor';
import type { Db } from '../../platform/db';
import * as repo from './dashboard.repository';

export function createDashboardService(deps: { db: Db }) {
  const { db } = deps;

  async function forActiveOrg(ctx: RequestContext): Promise<DashboardResponse> {
    const actor = requireActor(ctx);
    const asOf = chinaDateOf(ctx.clock.now());
    const [h, flowRows, destinations, industries] = await Promise.all([
      repo.headline(db, actor.orgPath, asOf),
      repo.flows(db, actor.orgPath),
      repo.topDestinations(db, actor.orgPath),
      repo.topIndustries(db, actor.orgPath),
    ]);
    return {
      asOf,
      orgName: actor.orgName,
      outbound: h.outbound,
      inbound: h.inbound,
      // Certificates arrive with their feature; until then the rate is unknown, not zero.
      certificateRate: null,
      checkIn: {
        checkedIn: h.checked_in,
        withHostOrg: h.with_host,
        rate: rate(h.checked_in, h.with_host),
      },
      shouldTransfer: h.should_transfer,
      flows: flowRows.map((f) => ({ from: f.from_name, to: f.to_name, value: f.value })),
      topDestinations: destinations,
      topIndustries: industries,
    };
  }

  return { forActiveOrg };
}
