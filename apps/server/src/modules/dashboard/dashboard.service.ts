import type { DashboardResponse } from '@liudong/contracts';
import { DEFAULT_CERTIFICATE_GRACE_MONTHS, chinaDateOf, rate } from '@liudong/domain';
import { requireActor, type RequestContext } from '../../platform/actor';
import type { Db } from '../../platform/db';
import * as repo from './dashboard.repository';

export function createDashboardService(deps: { db: Db }) {
  const { db } = deps;

  async function forActiveOrg(ctx: RequestContext): Promise<DashboardResponse> {
    const actor = requireActor(ctx);
    const asOf = chinaDateOf(ctx.clock.now());
    const grace = await repo.certificateGraceMonths(db, DEFAULT_CERTIFICATE_GRACE_MONTHS);
    const [h, flowRows, destinations, industries] = await Promise.all([
      repo.headline(db, actor.orgPath, asOf, grace),
      repo.flows(db, actor.orgPath),
      repo.topDestinations(db, actor.orgPath),
      repo.topIndustries(db, actor.orgPath),
    ]);
    return {
      asOf,
      orgName: actor.orgName,
      outbound: h.outbound,
      inbound: h.inbound,
      certificateRate: rate(h.certified, h.outbound),
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
