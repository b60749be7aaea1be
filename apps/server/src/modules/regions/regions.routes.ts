import { and, asc, eq, ilike, isNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import {
  CreateRegionInput,
  ErrorBody,
  Region,
  RegionListResponse,
  RegionQuery,
  UpdateRegionInput,
} from '@liudong/contracts';
import { regionLevel } from '@liudong/domain';
import { region } from '../../db/schema';
import type { AppServices } from '../../app';
import type { Api } from '../../platform/http';
import { AppError, notFound } from '../../platform/errors';
import { writeAudit } from '../../platform/audit';

const tags = ['行政区划'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const CodeParams = z.object({ code: z.string().regex(/^\d{6}$/) });

const regionColumns = {
  code: region.code,
  name: region.name,
  level: region.level,
  parentCode: region.parentCode,
  hasChildren: sql<boolean>`exists (select 1 from region c where c.parent_code = "region"."code")`,
};
type RegionOut = z.infer<typeof Region>;

// The region table is small reference data with no personal information: any signed-in role
// may read it (org forms need it); only the system admin edits it.
export function registerRegionRoutes(api: Api, s: AppServices) {
  const { db } = s;

  api.get(
    '/api/regions',
    {
      schema: {
        tags,
        summary: '行政区划（不带参数时为省级）',
        querystring: RegionQuery,
        response: { 200: RegionListResponse, ...errors },
      },
    },
    async (req) => {
      const where: SQL[] = [];
      if (req.query.q)
        where.push(ilike(region.name, `%${req.query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
      else if (req.query.parentCode) where.push(eq(region.parentCode, req.query.parentCode));
      else where.push(isNull(region.parentCode));
      const items = await db
        .select(regionColumns)
        .from(region)
        .where(and(...where))
        .orderBy(asc(region.code))
        .limit(200);
      return { items: items as RegionOut[] };
    },
  );

  api.post(
    '/api/regions',
    {
      schema: {
        tags,
        summary: '新增行政区划',
        body: CreateRegionInput,
        response: { 200: Region, ...errors },
      },
      config: { permission: 'system.manage' },
    },
    async (req) => {
      const { code, name, parentCode } = req.body;
      return db.transaction(async (tx) => {
        const [exists] = await tx
          .select({ code: region.code })
          .from(region)
          .where(eq(region.code, code));
        if (exists) throw new AppError('conflict', `行政区划代码 ${code} 已存在`);
        if (parentCode) {
          const [parent] = await tx
            .select({ code: region.code })
            .from(region)
            .where(eq(region.code, parentCode));
          if (!parent) throw new AppError('validation_failed', `上级行政区划 ${parentCode} 不存在`);
        }
        await tx.insert(region).values({
          code,
          name,
          level: regionLevel(code),
          parentCode,
          updatedAt: req.ctx.clock.now(),
        });
        await writeAudit(tx, req.ctx, {
          action: 'region.create',
          result: 'success',
          targetType: 'region',
          targetId: code,
          targetLabel: name,
          after: { code, name, parentCode },
        });
        const [row] = await tx.select(regionColumns).from(region).where(eq(region.code, code));
        return row as RegionOut;
      });
    },
  );

  api.patch(
    '/api/regions/:code',
    {
      schema: {
        tags,
        summary: '修改行政区划名称',
        params: CodeParams,
        body: UpdateRegionInput,
        response: { 200: Region, ...errors },
      },
      config: { permission: 'system.manage' },
    },
    async (req) => {
      return db.transaction(async (tx) => {
        const [before] = await tx.select().from(region).where(eq(region.code, req.params.code));
        if (!before) throw notFound('行政区划');
        await tx
          .update(region)
          .set({ name: req.body.name, updatedAt: req.ctx.clock.now() })
          .where(eq(region.code, req.params.code));
        await writeAudit(tx, req.ctx, {
          action: 'region.update',
          result: 'success',
          targetType: 'region',
          targetId: before.code,
          targetLabel: req.body.name,
          before: { name: before.name },
          after: { name: req.body.name },
        });
        const [row] = await tx
          .select(regionColumns)
          .from(region)
          .where(eq(region.code, req.params.code));
        return row as RegionOut;
      });
    },
  );
}
