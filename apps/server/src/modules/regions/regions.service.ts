import type { CreateRegionInput, Region, UpdateRegionInput } from '@liudong/contracts';
import { regionLevel } from '@liudong/domain';
import type { RequestContext } from '../../platform/actor';
import { writeAudit } from '../../platform/audit';
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import * as repo from './regions.repository';

/**
 * The region table is small reference data with no personal information: any signed-in role
 * may read it (org forms need it); only the system admin edits it (the routes say so).
 */
export function createRegionService(deps: { db: Db }) {
  const { db } = deps;

  const list = (q: { q?: string | undefined; parentCode?: string | undefined }) => repo.list(db, q);

  async function create(ctx: RequestContext, input: CreateRegionInput): Promise<Region> {
    const { code, name, parentCode } = input;
    return db.transaction(async (tx) => {
      if (await repo.find(tx, code)) throw new AppError('conflict', `行政区划代码 ${code} 已存在`);
      if (parentCode && !(await repo.find(tx, parentCode))) {
        throw new AppError('validation_failed', `上级行政区划 ${parentCode} 不存在`);
      }
      await repo.insert(tx, {
        code,
        name,
        level: regionLevel(code),
        parentCode,
        updatedAt: ctx.clock.now(),
      });
      await writeAudit(tx, ctx, {
        action: 'region.create',
        result: 'success',
        targetType: 'region',
        targetId: code,
        targetLabel: name,
        after: { code, name, parentCode },
      });
      return (await repo.findOut(tx, code))!;
    });
  }

  async function rename(
    ctx: RequestContext,
    code: string,
    input: UpdateRegionInput,
  ): Promise<Region> {
    return db.transaction(async (tx) => {
      const before = await repo.find(tx, code);
      if (!before) throw notFound('行政区划');
      await repo.rename(tx, code, input.name, ctx.clock.now());
      await writeAudit(tx, ctx, {
        action: 'region.update',
        result: 'success',
        targetType: 'region',
        targetId: before.code,
        targetLabel: input.name,
        before: { name: before.name },
        after: { name: input.name },
      });
      return (await repo.findOut(tx, code))!;
    });
  }

  return { list, create, rename };
}
