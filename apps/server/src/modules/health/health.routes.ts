import { sql } from 'drizzle-orm';
import { HealthResponse } from '@liudong/contracts';
import type { AppServices } from '../../app';
import type { Api } from '../../platform/http';

export function registerHealthRoutes(api: Api, s: AppServices) {
  api.get(
    '/api/health',
    {
      schema: { tags: ['系统'], summary: '健康检查', response: { 200: HealthResponse } },
      config: { auth: 'public' },
    },
    async () => {
      await s.db.execute(sql`select 1`);
      return { status: 'ok' as const, db: s.kind, version: s.version };
    },
  );
}
