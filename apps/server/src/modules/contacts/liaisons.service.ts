import { z } from 'zod';
import type {
  AssignLiaisonInput,
  AssignLiaisonResponse,
  Assignment,
  CreateLiaisonInput,
  Liaison,
  LiaisonCandidatesQuery,
  LiaisonCandidatesResponse,
  LiaisonListQuery,
  LiaisonListResponse,
  RetireLiaisonInput,
  UpdateAssignmentInput,
  UpdateLiaisonInput,
} from '@liudong/contracts';
import { LIAISON_CANDIDATE_LIMIT } from '@liudong/contracts';
import { chinaDateOf, maskName, maskPhone, parsePhone } from '@liudong/domain';
import { requireActor, type RequestContext } from '../../platform/actor';
import { auditDenied, writeAudit } from '../../platform/audit';
import type { FieldCipher } from '../../platform/crypto';
import { decodeCursor, encodeCursor } from '../../platform/cursor';
import type { Db } from '../../platform/db';
import {
  AppError,
  forbidden,
  invalidField,
  notFound,
  versionConflict,
} from '../../platform/errors';
import { phoneBlindIndex } from '../members/member-fields';
import { contactAbilities } from './contacts.policy';
import * as contactRepo from './contacts.repository';
import { subjectOf, subtreeOf, toAssignment } from './contacts.service';
import * as repo from './liaisons.repository';

const LIAISON = '联络员';
const ASSIGNMENT = '联络安排';
const MEMBER = '党员';

const LIAISON_PHONE_CONTEXT = repo.LIAISON_PHONE_CONTEXT;

const ListCursor = z.object({ name: z.string().max(100), id: z.uuid() });

const assignConflict = () =>
  new AppError('conflict', '有党员刚刚被他人分配了联络员，请刷新列表后重试');

/**
 * Liaisons and 三定 assignments (issue 4 §1; DOMAIN.md §4). A liaison is an account of the scope
 * or a named person without one; every outbound member gets one liaison, a schedule and a duty.
 */
export function createLiaisonService(deps: { db: Db; cipher: FieldCipher }) {
  const { db, cipher } = deps;
  const todayOf = (ctx: RequestContext) => chinaDateOf(ctx.clock.now());

  function toLiaison(r: repo.LiaisonRow): Liaison {
    return {
      id: r.id,
      orgId: r.org_id,
      orgName: r.org_name,
      accountId: r.account_id,
      username: r.username,
      name: r.name,
      title: r.title,
      phoneMasked: r.phone_enc
        ? maskPhone(cipher.decrypt(r.phone_enc, LIAISON_PHONE_CONTEXT))
        : null,
      active: r.active,
      leftOn: r.left_on,
      memberCount: r.member_count,
      version: r.version,
    };
  }

  /** The phone as stored: normalized, encrypted, with its blind index; a clear 400 if invalid. */
  function phoneFields(raw: string | null | undefined) {
    if (raw === undefined) return {};
    if (raw === null || raw === '') return { phoneEnc: null, phoneBidx: null };
    const p = parsePhone(raw);
    if (!p.ok) throw invalidField('phone', `联络员电话：${p.message}`);
    return {
      phoneEnc: cipher.encrypt(p.phone, LIAISON_PHONE_CONTEXT),
      phoneBidx: phoneBlindIndex(cipher, p.phone),
      phone: p.phone,
    };
  }

  /** A liaison of the actor's subtree; anything else answers 404 and is audited. */
  async function loadLiaison(ctx: RequestContext, id: string, field?: string) {
    const actor = requireActor(ctx);
    const row = await repo.liaisonWithScope(db, id, actor.orgPath);
    if (!row || !row.in_scope) {
      if (row) await auditDenied(db, ctx, 'liaison', id, 'out_of_scope');
      if (field)
        throw new AppError('not_found', '所选联络员不存在', [
          { path: field, message: '所选联络员不存在' },
        ]);
      throw notFound(LIAISON);
    }
    return row;
  }

  async function list(ctx: RequestContext, q: LiaisonListQuery): Promise<LiaisonListResponse> {
    const path = await subtreeOf(db, ctx, q.orgId);
    const after = decodeCursor(q.cursor, ListCursor);
    const rows = await repo.listLiaisons(db, {
      path,
      q: q.q,
      includeInactive: q.includeInactive ?? false,
      after,
      limit: q.limit,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      items: page.map(toLiaison),
      nextCursor:
        rows.length > q.limit && last ? encodeCursor({ name: last.name, id: last.id }) : null,
    };
  }

  /**
   * Accounts the actor may link as a liaison (新增联络员): business roles in the scope (or the
   * subtree of `orgId`, itself in scope), by username or display name. An officer has no
   * accounts list (account.read is the security admin's, SECURITY.md 12), so only what the pick
   * needs is answered; an account outside the scope is never listed (SECURITY.md 9).
   */
  async function candidates(
    ctx: RequestContext,
    q: LiaisonCandidatesQuery,
  ): Promise<LiaisonCandidatesResponse> {
    const path = await subtreeOf(db, ctx, q.orgId);
    const rows = await repo.liaisonCandidates(db, {
      path,
      q: q.q || undefined,
      limit: LIAISON_CANDIDATE_LIMIT,
    });
    return {
      items: rows.map((r) => ({
        id: r.id,
        username: r.username,
        displayName: r.display_name,
        // Where the pick puts the new liaison by default (the officer may change it).
        orgId: r.org_id,
        orgName: r.org_name,
        activeLiaison: r.active_liaison,
      })),
    };
  }

  async function get(ctx: RequestContext, id: string) {
    return toLiaison(await loadLiaison(ctx, id));
  }

  /**
   * Names a liaison (定人). One record per account (the unique index): creating one again for an
   * account that already is an active liaison is a 409 naming where; for an account whose liaison
   * record was retired, the record is taken up again (active, at the given org) — the same
   * person, with their history.
   */
  async function create(ctx: RequestContext, input: CreateLiaisonInput): Promise<Liaison> {
    const actor = requireActor(ctx);
    await subtreeOf(db, ctx, input.orgId);
    let name = input.name || null;
    let existing: repo.LiaisonRow | null = null;
    if (input.accountId) {
      const acc = await repo.accountInScope(db, input.accountId, actor.orgPath);
      if (!acc || !acc.in_scope) {
        if (acc) await auditDenied(db, ctx, 'account', input.accountId, 'out_of_scope');
        throw new AppError('not_found', '账号不存在', [
          { path: 'accountId', message: '账号不存在或不在本组织范围内' },
        ]);
      }
      name = name ?? acc.display_name;
      existing = await repo.liaisonOfAccount(db, input.accountId, actor.orgPath);
      if (existing?.active)
        throw new AppError(
          'conflict',
          `该账号已登记为联络员（${existing.in_scope ? existing.org_name : '其他组织'}），每个账号只有一条联络员记录，请直接使用或编辑该记录`,
          [{ path: 'accountId', message: '该账号已是联络员' }],
        );
    }
    if (!name) throw invalidField('name', '请选择账号，或填写联络员姓名');
    const phone = phoneFields(input.phone);
    const title = input.title || null;
    let id: string;
    try {
      id = await db.transaction(async (tx) => {
        let newId: string;
        if (existing) {
          const ok = await repo.updateLiaison(
            tx,
            existing.id,
            existing.version,
            {
              orgId: input.orgId,
              name: name!,
              title,
              ...('phoneEnc' in phone
                ? { phoneEnc: phone.phoneEnc, phoneBidx: phone.phoneBidx }
                : {}),
              active: true,
              leftOn: null,
            },
            ctx.clock.now(),
          );
          if (!ok) throw versionConflict();
          newId = existing.id;
        } else {
          newId = await repo.insertLiaison(tx, {
            orgId: input.orgId,
            accountId: input.accountId ?? null,
            name: name!,
            title,
            phoneEnc: phone.phoneEnc ?? null,
            phoneBidx: phone.phoneBidx ?? null,
            by: actor.accountId,
          });
        }
        await writeAudit(tx, ctx, {
          action: existing ? 'liaison.reactivate' : 'liaison.create',
          result: 'success',
          targetType: 'liaison',
          targetId: newId,
          targetLabel: name,
          after: {
            orgId: input.orgId,
            accountId: input.accountId ?? null,
            name,
            title,
            phone: phone.phone ?? null,
          },
        });
        return newId;
      });
    } catch (err) {
      if (repo.isUniqueViolation(err, 'liaison_account_key'))
        throw new AppError('conflict', '该账号刚刚被他人登记为联络员，请刷新后查看');
      throw err;
    }
    return get(ctx, id);
  }

  async function update(ctx: RequestContext, id: string, input: UpdateLiaisonInput) {
    const current = await loadLiaison(ctx, id);
    if (current.version !== input.version) throw versionConflict();
    const phone = phoneFields(input.phone);
    const title = input.title === undefined ? undefined : input.title || null;
    await db.transaction(async (tx) => {
      const ok = await repo.updateLiaison(
        tx,
        id,
        input.version,
        {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(title !== undefined ? { title } : {}),
          ...('phoneEnc' in phone ? { phoneEnc: phone.phoneEnc, phoneBidx: phone.phoneBidx } : {}),
        },
        ctx.clock.now(),
      );
      if (!ok) throw versionConflict();
      await writeAudit(tx, ctx, {
        action: 'liaison.update',
        result: 'success',
        targetType: 'liaison',
        targetId: id,
        targetLabel: input.name ?? current.name,
        before: { name: current.name, title: current.title, version: current.version },
        after: {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(title !== undefined ? { title } : {}),
          ...(phone.phone !== undefined || input.phone === null
            ? { phone: phone.phone ?? null }
            : {}),
          version: current.version + 1,
        },
      });
    });
    return get(ctx, id);
  }

  /**
   * A liaison leaves (issue 4 §1): marked inactive, and every open assignment moves to the
   * successor with the same category, interval and duty — one transaction, one audit record.
   */
  async function retire(ctx: RequestContext, id: string, input: RetireLiaisonInput) {
    const actor = requireActor(ctx);
    const current = await loadLiaison(ctx, id);
    if (!current.active)
      throw new AppError('conflict', `联络员${current.name}已于${current.left_on ?? ''}离任`);
    if (current.version !== input.version) throw versionConflict();
    if (input.toLiaisonId === id)
      throw invalidField('toLiaisonId', '接替的联络员不能是离任者本人，请另选一名联络员');
    const successor = await loadLiaison(ctx, input.toLiaisonId, 'toLiaisonId');
    if (!successor.active)
      throw invalidField('toLiaisonId', `联络员${successor.name}已离任，请另选一名在任的联络员`);
    if (input.leftOn > todayOf(ctx)) throw invalidField('leftOn', '离任日期不能晚于今天');
    try {
      return await db.transaction(async (tx) => {
        const ok = await repo.updateLiaison(
          tx,
          id,
          input.version,
          { active: false, leftOn: input.leftOn },
          ctx.clock.now(),
        );
        if (!ok) throw versionConflict();
        const moved = await repo.moveAssignments(tx, {
          from: id,
          to: successor.id,
          on: input.leftOn,
          reason: input.reason,
          by: actor.accountId,
        });
        await writeAudit(tx, ctx, {
          action: 'liaison.retire',
          result: 'success',
          targetType: 'liaison',
          targetId: id,
          targetLabel: current.name,
          reason: input.reason,
          before: { active: true, version: current.version },
          after: {
            active: false,
            leftOn: input.leftOn,
            toLiaisonId: successor.id,
            moved,
            version: current.version + 1,
          },
        });
        return { moved };
      });
    } catch (err) {
      if (repo.isUniqueViolation(err, 'liaison_assignment_one_open')) throw assignConflict();
      throw err;
    }
  }

  /**
   * 定人 in bulk (issue 4 §1): a list of members or every outbound member matching a filter, in
   * one set-based statement pair and one audit record for the batch, however many members (a
   * branch officer assigns liaisons to all outbound members in a minute).
   */
  async function assign(
    ctx: RequestContext,
    input: AssignLiaisonInput,
  ): Promise<AssignLiaisonResponse> {
    const actor = requireActor(ctx);
    const today = todayOf(ctx);
    const on = input.assignedOn ?? today;
    if (on > today) throw invalidField('assignedOn', '分配日期不能晚于今天');
    const liaison = await loadLiaison(ctx, input.liaisonId, 'liaisonId');
    if (!liaison.active)
      throw invalidField('liaisonId', `联络员${liaison.name}已离任，请另选一名在任的联络员`);
    let target;
    let audited: Record<string, unknown>;
    if ('memberIds' in input.target) {
      const ids = [...new Set(input.target.memberIds)];
      const counted = await repo.countMembers(db, ids, actor.orgPath);
      if (counted.in_scope < ids.length) {
        // Some ids name no member, or one outside the scope: answered alike (SECURITY.md 9).
        if (counted.first_out)
          await auditDenied(
            db,
            ctx,
            'member',
            counted.first_out,
            'out_of_scope',
            `${ids.length - counted.in_scope}人`,
          );
        throw notFound(MEMBER);
      }
      target = repo.assignmentTargetSql({ scopePath: actor.orgPath, memberIds: ids });
      const outbound = await repo.countTargets(db, target);
      if (outbound < ids.length)
        throw invalidField(
          'target.memberIds',
          `所选党员中有${ids.length - outbound}人目前没有未结束的流出登记，只能为外出的党员分配联络员，请去掉这些党员后重试`,
        );
      audited = { memberCount: ids.length };
    } else {
      const f = input.target.filter;
      const path = await subtreeOf(db, ctx, f.orgId);
      if (f.liaisonId) await loadLiaison(ctx, f.liaisonId, 'target.filter.liaisonId');
      target = repo.assignmentTargetSql({
        scopePath: actor.orgPath,
        filter: { path, unassignedOnly: f.unassignedOnly, liaisonId: f.liaisonId },
      });
      audited = {
        filter: {
          orgId: f.orgId,
          unassignedOnly: f.unassignedOnly,
          liaisonId: f.liaisonId ?? null,
        },
      };
    }
    try {
      return await db.transaction(async (tx) => {
        const r = await repo.assignBulk(tx, {
          target,
          liaisonId: liaison.id,
          duty: input.duty,
          intervalMonths: input.intervalMonths ?? null,
          category: input.category ?? null,
          on,
          by: actor.accountId,
        });
        if (r.assigned > 0)
          await writeAudit(tx, ctx, {
            action: 'liaison.assign',
            result: 'success',
            targetType: 'liaison',
            targetId: liaison.id,
            targetLabel: liaison.name,
            after: {
              ...audited,
              assigned: r.assigned,
              reassigned: r.ended,
              unchanged: r.total - r.assigned,
              assignedOn: on,
              category: input.category ?? null,
              intervalMonths: input.intervalMonths ?? null,
            },
          });
        return { assigned: r.assigned, unchanged: r.total - r.assigned };
      });
    } catch (err) {
      if (repo.isUniqueViolation(err, 'liaison_assignment_one_open')) throw assignConflict();
      throw err;
    }
  }

  /** 定时·定责 for one member: the duty, the member's own interval, the category. */
  async function updateAssignment(
    ctx: RequestContext,
    id: string,
    input: UpdateAssignmentInput,
  ): Promise<Assignment> {
    const actor = requireActor(ctx);
    const settings = await contactRepo.loadContactSettings(db);
    const current = await repo.assignmentById(db, id, actor.orgPath, settings);
    if (!current) throw notFound(ASSIGNMENT);
    const m = await contactRepo.memberAccess(db, actor, current.member_id);
    const abilities = m ? contactAbilities(actor, subjectOf(m)) : null;
    if (!m || !abilities?.visible) {
      await auditDenied(db, ctx, 'liaison_assignment', id, 'out_of_scope');
      throw notFound(ASSIGNMENT);
    }
    if (current.ended_on)
      throw new AppError('conflict', `该联络安排已于${current.ended_on}结束，不能再修改`);
    if (!abilities.assign) {
      if (!m.direction)
        throw new AppError('conflict', '该党员目前没有未结束的流出登记，联络安排不能再修改');
      // The host side or the liaison sees the member but the 三定 is the home side's.
      await auditDenied(db, ctx, 'liaison_assignment', id, 'not_home_side', maskName(m.name));
      throw forbidden();
    }
    if (current.version !== input.version) throw versionConflict();
    await db.transaction(async (tx) => {
      const ok = await repo.updateAssignment(tx, id, input.version, {
        ...(input.duty !== undefined ? { duty: input.duty } : {}),
        ...(input.intervalMonths !== undefined ? { intervalMonths: input.intervalMonths } : {}),
        ...(input.category !== undefined ? { category: input.category } : {}),
      });
      if (!ok) throw versionConflict();
      await writeAudit(tx, ctx, {
        action: 'assignment.update',
        result: 'success',
        targetType: 'liaison_assignment',
        targetId: id,
        targetLabel: maskName(m.name),
        before: {
          duty: current.duty,
          intervalMonths: current.interval_months,
          category: current.category,
          version: current.version,
        },
        after: {
          ...(input.duty !== undefined ? { duty: input.duty } : {}),
          ...(input.intervalMonths !== undefined ? { intervalMonths: input.intervalMonths } : {}),
          ...(input.category !== undefined ? { category: input.category } : {}),
          version: current.version + 1,
        },
      });
    });
    return toAssignment((await repo.assignmentById(db, id, actor.orgPath, settings))!);
  }

  return { list, candidates, get, create, update, retire, assign, updateAssignment };
}
