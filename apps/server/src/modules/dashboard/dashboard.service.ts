import type { DashboardResponse } from '@liudong/contracts';
import { DEFAULT_CERTIFICATE_GRACE_MONTHS, chinaDateOf, rate } from '@liudong/domain';
import { requireActor, type RequestContext } from '../../platform/actor';
import type { Db } from '../../platform/db';
import { loadContactSettings } from '../contacts/contacts.repository';
import * as repo from './dashboard.repository';

export function createDashboardService(deps: { db: Db }) {
  const { db } = deps;

  async function forActiveOrg(ctx: RequestContext): Promise<DashboardResponse> {
    const actor = requireActor(ctx);
    const asOf = chinaDateOf(ctx.clock.now());
    const [grace, contactSettings] = await Promise.all([
      repo.certificateGraceMonths(db, DEFAULT_CERTIFICATE_GRACE_MONTHS),
      loadContactSettings(db),
    ]);
    const [h, k, flowRows, destinations, industries] = await Promise.all([
      repo.headline(db, actor.orgPath, asOf, grace),
      repo.keepInTouch(db, actor.orgPath, asOf, contactSettings),
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
      // 按时联系率 = on time ÷ due; 失联率 = lost ÷ outbound (DOMAIN.md §9; the definitions are
      // contacts.repository keepInTouchCounts, shared with the contact queue).
      onTimeContact: {
        due: k.due,
        onTime: k.on_time,
        overdue: k.overdue,
        rate: rate(k.on_time, k.due),
      },
      lostContact: {
        lost: k.lost,
        warning: k.warning,
        mobile: k.mobile,
        rate: rate(k.lost, k.mobile),
      },
      flows: flowRows.map((f) => ({ from: f.from_name, to: f.to_name, value: f.value })),
      topDestinations: destinations,
      topIndustries: industries,
    };
  }

  return { forActiveOrg };
}
