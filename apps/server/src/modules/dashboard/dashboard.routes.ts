import { DashboardResponse, ErrorBody } from '@liudong/contracts';
import type { AppServices } from '../../app';
import type { Api } from '../../platform/http';
import { createDashboardService } from './dashboard.service';

export function registerDashboardRoutes(api: Api, s: AppServices) {
  const dashboard = createDashboardService({ db: s.db });
  api.get(
    '/api/dashboard',
    {
      schema: {
        tags: ['首页'],
        summary: '本组织（含下级）的流动党员概况',
        response: { 200: DashboardResponse, 401: ErrorBody, 403: ErrorBody },
      },
      // Counts of members: the same audience as the member records.
      config: { permission: 'member.read' },
    },
    (req) => dashboard.forActiveOrg(req.ctx),
  );
}
