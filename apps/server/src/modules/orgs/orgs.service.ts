import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type {
  CreateOrgInput,
  CreateServicePointInput,
  DissolveOrgInput,
  MoveOrgInput,
  OrgDetail,
  OrgLookupQuery,
  OrgNode,
  OrgSearchQuery,
  OrgSearchResponse,
  ServicePoint,
  UpdateOrgInput,
  UpdateServicePointInput,
} from '@liudong/contracts';
import {
  ORG_KIND_LABELS,
  canContain,
  canMoveUnder,
  childPath,
  pathDepth,
  pathIds,
  type OrgKind,
} from '@liudong/domain';
import { requireActor, type Actor, type RequestContext } from '../../platform/actor';
import { writeAudit, writeAuditAlone } from '../../platform/audit';
import type { Db, Tx } from '../../platform/db';
import { AppError, forbidden, notFound, versionConflict } from '../../platform/errors';
import { decodeCursor, encodeCursor } from '../../platform/cursor';
import { orgAbilities } from './orgs.policy';
import * as repo from './orgs.repository';

const ORG = '组织';
const NameCursor = z.object({ name: z.string(), id: z.uuid() });

function toNode(
  actor: Actor,
  r: { org: repo.OrgRow; hasChildren: boolean; hasActiveChildren: boolean },
): OrgNode {
  const o = r.org;
  return {
    id: o.id,
    parentId: o.parentId,
    name: o.name,
    shortName: o.shortName,
    kind: o.kind as OrgKind,
    depth: o.depth,
    hasChildren: r.hasChildren,
    dissolvedOn: o.dissolvedOn,
    abilities: orgAbilities(actor, {
      path: o.path,
      kind: o.kind as OrgKind,
      dissolved: !!o.dissolvedOn,
      hasActiveChildren: r.hasActiveChildren,
    }),
  };
}

function toServicePoint(p: repo.ServicePointRow): ServicePoint {
  return {
    id: p.id,
    orgId: p.orgId,
    level: p.level as ServicePoint['level'],
    name: p.name,
    address: p.address,
    phone: p.phone,
    openingHours: p.openingHours,
    closedOn: p.closedOn,
    version: p.version,
  };
}

/** The audited view of an org: its editable fields and where it sits. */
function auditView(o: repo.OrgRow) {
  return {
    name: o.name,
    shortName: o.shortName,
    kind: o.kind,
    categoryCode: o.categoryCode,
    regionCode: o.regionCode,
    address: o.address,
    secretaryName: o.secretaryName,
    contactPhone: o.contactPhone,
    establishedOn: o.establishedOn,
    dissolvedOn: o.dissolvedOn,
    parentId: o.parentId,
    path: o.path,
    version: o.version,
  };
}

export function createOrgService(deps: { db: Db }) {
  const { db } = deps;

  /**
   * Out-of-scope ids behave exactly like missing ones (404), and the attempt is logged
   * (SECURITY.md 9).
   */
  async function loadInScope(
    ctx: RequestContext,
    id: string,
    handle: Db | Tx = db,
  ): Promise<repo.OrgRow> {
    const actor = requireActor(ctx);
    const found = await repo.findWithScope(handle, actor, id);
    if (!found) throw notFound(ORG);
    if (!found.inScope) {
      await writeAuditAlone(db, ctx, {
        action: 'access.denied',
        result: 'denied',
        targetType: 'org',
        targetId: id,
        reason: 'out_of_scope',
      });
      throw notFound(ORG);
    }
    return found.org;
  }

  async function children(
    ctx: RequestContext,
    parentId: string | undefined,
    includeDissolved: boolean,
  ) {
    const actor = requireActor(ctx);
    if (parentId) await loadInScope(ctx, parentId);
    const rows = await repo.listChildren(db, actor, parentId ?? null, includeDissolved);
    return { nodes: rows.map((r) => toNode(actor, r)) };
  }

  async function search(ctx: RequestContext, q: OrgSearchQuery): Promise<OrgSearchResponse> {
    const actor = requireActor(ctx);
    const after = decodeCursor(q.cursor, NameCursor);
    const rows = await repo.search(db, actor, {
      q: q.q,
      kind: q.kind,
      includeDissolved: q.includeDissolved,
      after,
      limit: q.limit,
    });
    const page = rows.slice(0, q.limit);
    const scopeDepth = pathDepth(actor.orgPath);
    // Ancestor names for the breadcrumbs, from the scope root down, in one query.
    const ancestorIds = new Set<string>();
    for (const r of page)
      pathIds(r.org.path)
        .slice(scopeDepth - 1, -1)
        .forEach((i) => ancestorIds.add(i));
    const names = await repo.namesOf(db, [...ancestorIds]);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        ...toNode(actor, r),
        regionCode: r.org.regionCode,
        pathNames: pathIds(r.org.path)
          .slice(scopeDepth - 1, -1)
          .map((i) => names.get(i) ?? ''),
      })),
      nextCursor:
        rows.length > q.limit && last
          ? encodeCursor({ name: last.org.name, id: last.org.id })
          : null,
    };
  }

  /** The security admin's org finder: names and breadcrumbs inside the scope, nothing else. */
  async function lookup(ctx: RequestContext, q: OrgLookupQuery) {
    const page = await search(ctx, { q: q.q, limit: q.limit, includeDissolved: false });
    return {
      items: page.items.map((i) => ({
        id: i.id,
        name: i.name,
        kind: i.kind,
        pathNames: i.pathNames,
      })),
    };
  }

  /** Any active org by name, with its full breadcrumb: for host and receiving org pickers. */
  async function directory(ctx: RequestContext, q: OrgLookupQuery) {
    requireActor(ctx);
    const rows = await repo.directory(db, q.q, q.limit);
    const names = await repo.namesOf(db, [
      ...new Set(rows.flatMap((r) => pathIds(r.path).slice(0, -1))),
    ]);
    return {
      items: rows.map((r) => ({
        id: r.id,
        name: r.name,
        kind: r.kind as OrgKind,
        pathNames: pathIds(r.path)
          .slice(0, -1)
          .map((i) => names.get(i) ?? ''),
      })),
    };
  }

  async function detailOf(actor: Actor, o: repo.OrgRow, handle: Db | Tx = db): Promise<OrgDetail> {
    const scopeDepth = pathDepth(actor.orgPath);
    const ancestorIds = pathIds(o.path).slice(scopeDepth - 1, -1);
    const [names, counts, points, regionName, parentKind] = await Promise.all([
      repo.namesOf(handle, ancestorIds),
      repo.countChildren(handle, o.id),
      repo.servicePointsOf(handle, o.id),
      repo.regionName(handle, o.regionCode),
      repo.kindOf(handle, o.parentId),
    ]);
    return {
      id: o.id,
      parentId: o.parentId,
      parentKind: (parentKind as OrgKind | null) ?? null,
      name: o.name,
      shortName: o.shortName,
      kind: o.kind as OrgKind,
      categoryCode: o.categoryCode as OrgDetail['categoryCode'],
      regionCode: o.regionCode,
      regionName,
      address: o.address,
      secretaryName: o.secretaryName,
      contactPhone: o.contactPhone,
      establishedOn: o.establishedOn,
      dissolvedOn: o.dissolvedOn,
      dissolveReason: o.dissolveReason,
      ancestors: ancestorIds.map((id) => ({ id, name: names.get(id) ?? '' })),
      childCount: counts.all,
      servicePoints: points.map(toServicePoint),
      version: o.version,
      updatedAt: o.updatedAt.toISOString(),
      abilities: orgAbilities(actor, {
        path: o.path,
        kind: o.kind as OrgKind,
        dissolved: !!o.dissolvedOn,
        hasActiveChildren: counts.active > 0,
      }),
    };
  }

  async function get(ctx: RequestContext, id: string) {
    const actor = requireActor(ctx);
    return detailOf(actor, await loadInScope(ctx, id));
  }

  async function checkRegion(handle: Db | Tx, code: string | null | undefined) {
    if (code && !(await repo.regionExists(handle, code))) {
      throw new AppError('validation_failed', `行政区划代码 ${code} 不存在`, [
        { path: 'regionCode', message: '行政区划代码不存在' },
      ]);
    }
  }

  function checkContains(parentKind: OrgKind, kind: OrgKind) {
    if (!canContain(parentKind, kind)) {
      throw new AppError(
        'validation_failed',
        `「${ORG_KIND_LABELS[parentKind]}」下不能设立「${ORG_KIND_LABELS[kind]}」`,
        [{ path: 'kind', message: '上下级组织类型不匹配' }],
      );
    }
  }

  async function create(ctx: RequestContext, input: CreateOrgInput) {
    const actor = requireActor(ctx);
    const parent = await loadInScope(ctx, input.parentId);
    if (parent.dissolvedOn) throw new AppError('conflict', '上级组织已撤销，不能在其下新建组织');
    checkContains(parent.kind as OrgKind, input.kind);
    await checkRegion(db, input.regionCode);
    const id = randomUUID();
    const now = ctx.clock.now();
    return db.transaction(async (tx) => {
      const row = await repo.insertOrg(tx, {
        id,
        parentId: parent.id,
        path: childPath(parent.path, id),
        depth: parent.depth + 1,
        name: input.name,
        shortName: input.shortName ?? null,
        kind: input.kind,
        categoryCode: input.categoryCode ?? null,
        regionCode: input.regionCode ?? null,
        address: input.address ?? null,
        secretaryName: input.secretaryName ?? null,
        contactPhone: input.contactPhone ?? null,
        establishedOn: input.establishedOn ?? null,
        createdAt: now,
        updatedAt: now,
      });
      await writeAudit(tx, ctx, {
        action: 'org.create',
        result: 'success',
        targetType: 'org',
        targetId: row.id,
        targetLabel: row.name,
        after: auditView(row),
      });
      return detailOf(actor, row, tx);
    });
  }

  async function update(ctx: RequestContext, id: string, input: UpdateOrgInput) {
    const actor = requireActor(ctx);
    // Scope first, outside the transaction (a denial is audited on its own).
    await loadInScope(ctx, id);
    return db.transaction(async (tx) => {
      const before = await repo.findInScopeForUpdate(tx, actor, id);
      if (!before) throw notFound(ORG);
      const counts = await repo.countChildren(tx, id);
      const abilities = orgAbilities(actor, {
        path: before.path,
        kind: before.kind as OrgKind,
        dissolved: !!before.dissolvedOn,
        hasActiveChildren: counts.active > 0,
      });
      if (!abilities.update) throw forbidden();
      if (before.version !== input.version) throw versionConflict();
      const { version, ...changes } = input;
      if (changes.kind && changes.kind !== before.kind) {
        if (before.parentId) {
          const [parent] = await tx.query.org.findMany({
            where: (o, { eq }) => eq(o.id, before.parentId!),
          });
          if (parent) checkContains(parent.kind as OrgKind, changes.kind);
        }
        const kids = await tx.query.org.findMany({
          where: (o, { eq }) => eq(o.parentId, id),
          columns: { kind: true },
        });
        for (const k of kids) checkContains(changes.kind, k.kind as OrgKind);
      }
      await checkRegion(tx, changes.regionCode);
      const after = await repo.updateOrg(tx, id, version, changes, ctx.clock.now());
      if (!after) throw versionConflict();
      await writeAudit(tx, ctx, {
        action: 'org.update',
        result: 'success',
        targetType: 'org',
        targetId: id,
        targetLabel: after.name,
        before: auditView(before),
        after: auditView(after),
      });
      return detailOf(actor, after, tx);
    });
  }

  async function move(ctx: RequestContext, id: string, input: MoveOrgInput) {
    const actor = requireActor(ctx);
    // Both ends must be in scope; either one missing or outside answers 404.
    const node = await loadInScope(ctx, id);
    const target = await loadInScope(ctx, input.newParentId);
    const abilities = orgAbilities(actor, {
      path: node.path,
      kind: node.kind as OrgKind,
      dissolved: !!node.dissolvedOn,
      hasActiveChildren: false,
    });
    if (!abilities.move) throw forbidden();
    if (!canMoveUnder(node.path, target.path)) {
      throw new AppError('validation_failed', '不能把组织调整到它自己或它的下级组织之下');
    }
    if (target.dissolvedOn) throw new AppError('conflict', '目标上级组织已撤销');
    checkContains(target.kind as OrgKind, node.kind as OrgKind);
    return db.transaction(async (tx) => {
      const locked = await repo.findInScopeForUpdate(tx, actor, id);
      if (!locked) throw notFound(ORG);
      if (locked.version !== input.version) throw versionConflict();
      const oldParentNames = await repo.namesOf(tx, locked.parentId ? [locked.parentId] : []);
      const newPath = childPath(target.path, id);
      await repo.moveSubtree(tx, locked.path, newPath, target.depth + 1 - locked.depth);
      const after = await repo.updateOrg(
        tx,
        id,
        locked.version,
        { parentId: target.id },
        ctx.clock.now(),
      );
      if (!after) throw versionConflict();
      await writeAudit(tx, ctx, {
        action: 'org.move',
        result: 'success',
        targetType: 'org',
        targetId: id,
        targetLabel: after.name,
        before: {
          parentId: locked.parentId,
          parentName: oldParentNames.get(locked.parentId ?? '') ?? null,
          path: locked.path,
        },
        after: { parentId: target.id, parentName: target.name, path: after.path },
      });
      return detailOf(actor, after, tx);
    });
  }

  async function dissolve(ctx: RequestContext, id: string, input: DissolveOrgInput) {
    const actor = requireActor(ctx);
    await loadInScope(ctx, id);
    return db.transaction(async (tx) => {
      const before = await repo.findInScopeForUpdate(tx, actor, id);
      if (!before) throw notFound(ORG);
      // Whether it may be dissolved at all comes first; live children only delay it.
      const allowed = orgAbilities(actor, {
        path: before.path,
        kind: before.kind as OrgKind,
        dissolved: !!before.dissolvedOn,
        hasActiveChildren: false,
      });
      if (!allowed.dissolve) throw forbidden();
      const counts = await repo.countChildren(tx, id);
      if (counts.active > 0) {
        throw new AppError('conflict', '该组织还有未撤销的下级组织，请先撤销或调整它们');
      }
      if (before.version !== input.version) throw versionConflict();
      const after = await repo.updateOrg(
        tx,
        id,
        input.version,
        { dissolvedOn: input.dissolvedOn, dissolveReason: input.reason },
        ctx.clock.now(),
      );
      if (!after) throw versionConflict();
      await writeAudit(tx, ctx, {
        action: 'org.dissolve',
        result: 'success',
        targetType: 'org',
        targetId: id,
        targetLabel: after.name,
        reason: input.reason,
        before: auditView(before),
        after: auditView(after),
      });
      return detailOf(actor, after, tx);
    });
  }

  async function createServicePoint(ctx: RequestContext, input: CreateServicePointInput) {
    const actor = requireActor(ctx);
    const o = await loadInScope(ctx, input.orgId);
    if (o.dissolvedOn) throw new AppError('conflict', '该组织已撤销');
    const now = ctx.clock.now();
    void actor;
    return db.transaction(async (tx) => {
      const row = await repo.insertServicePoint(tx, {
        orgId: o.id,
        level: input.level,
        name: input.name,
        address: input.address ?? null,
        phone: input.phone ?? null,
        openingHours: input.openingHours ?? null,
        createdAt: now,
        updatedAt: now,
      });
      await writeAudit(tx, ctx, {
        action: 'service_point.create',
        result: 'success',
        targetType: 'service_point',
        targetId: row.id,
        targetLabel: row.name,
        after: { ...toServicePoint(row) },
      });
      return toServicePoint(row);
    });
  }

  async function updateServicePoint(
    ctx: RequestContext,
    id: string,
    input: UpdateServicePointInput,
  ) {
    const actor = requireActor(ctx);
    const found = await repo.findServicePointWithScope(db, actor, id);
    if (!found || !found.inScope) {
      if (found) {
        await writeAuditAlone(db, ctx, {
          action: 'access.denied',
          result: 'denied',
          targetType: 'service_point',
          targetId: id,
          reason: 'out_of_scope',
        });
      }
      throw notFound('服务站点');
    }
    const { version, ...changes } = input;
    return db.transaction(async (tx) => {
      const after = await repo.updateServicePoint(tx, id, version, changes, ctx.clock.now());
      if (!after) throw versionConflict();
      await writeAudit(tx, ctx, {
        action: 'service_point.update',
        result: 'success',
        targetType: 'service_point',
        targetId: id,
        targetLabel: after.name,
        before: { ...toServicePoint(found.point) },
        after: { ...toServicePoint(after) },
      });
      return toServicePoint(after);
    });
  }

  return {
    children,
    search,
    lookup,
    directory,
    get,
    create,
    update,
    move,
    dissolve,
    createServicePoint,
    updateServicePoint,
  };
}
