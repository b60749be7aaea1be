import { z } from 'zod';
import type {
  MobilityDetail,
  MobilityLedgerItem,
  MobilityListQuery,
  MobilityListResponse,
  MobilityTransitionInput,
  RegisterInflowInput,
  RegisterOutflowInput,
  TemporaryBranchSuggestionsResponse,
} from '@liudong/contracts';
import {
  MOBILITY_STATUS_LABELS,
  canTransition,
  chinaDateOf,
  cityCodeOf,
  maskAddress,
  maskName,
  maskPhone,
  mobilityRangeOf,
  parseIdNumber,
  parsePhone,
  provinceCodeOf,
  temporaryBranchSuggestions,
  type Industry,
  type MobilityDirection,
  type MobilityRange,
  type MobilityReason,
  type MobilityStatus,
  type Occupation,
  type UnitType,
  placeName,
  REGION_PLACEHOLDERS,
} from '@liudong/domain';
import { requireActor, type Actor, type RequestContext } from '../../platform/actor';
import { auditDenied, writeAudit } from '../../platform/audit';
import type { FieldCipher } from '../../platform/crypto';
import { decodeCursor, encodeCursor } from '../../platform/cursor';
import type { Db, Tx } from '../../platform/db';
import {
  AppError,
  forbidden,
  notFound,
  versionConflict,
  invalidField,
} from '../../platform/errors';
import { findWithScope as findOrgWithScope } from '../orgs/orgs.repository';
import * as certificateRepo from '../certificates/certificates.repository';
import * as memberRepo from '../members/members.repository';
import { FIELD, idNumberBlindIndex, nameKeys, phoneBlindIndex } from '../members/member-fields';
import { mayMoveTo, mobilityAbilities } from './mobility.policy';
import * as repo from './mobility.repository';

const MEMBER = '党员';
const MOBILITY = '流动记录';
const ORG = '组织';

const LedgerCursor = z.object({ leftOn: z.iso.date(), id: z.uuid() });

const invalid = invalidField;

const CLOSING: readonly MobilityStatus[] = ['returned', 'transferred', 'ended'];
const CHECK_IN: readonly MobilityStatus[] = ['settled', 'serving'];

export function createMobilityService(deps: { db: Db; cipher: FieldCipher }) {
  const { db, cipher } = deps;
  const today = (ctx: RequestContext) => chinaDateOf(ctx.clock.now());

  const decrypt = (value: string | null, context: string) =>
    value === null ? null : cipher.decrypt(value, context);

  async function loadOrgInScope(ctx: RequestContext, orgId: string) {
    const found = await findOrgWithScope(db, requireActor(ctx), orgId);
    if (!found) throw notFound(ORG);
    if (!found.inScope) {
      await auditDenied(db, ctx, 'org', orgId, 'out_of_scope');
      throw notFound(ORG);
    }
    return found.org;
  }

  /** An out-of-scope episode is a 404 like a missing one, and logged (SECURITY.md 9). */
  async function loadInScope(ctx: RequestContext, id: string) {
    const found = await repo.findWithScope(db, requireActor(ctx), id, today(ctx));
    if (!found) throw notFound(MOBILITY);
    if (!found.homeInScope && !found.hostInScope) {
      await auditDenied(db, ctx, 'mobility', id, 'out_of_scope');
      throw notFound(MOBILITY);
    }
    return found;
  }

  async function requireRegion(handle: Db, code: string, path: string) {
    if (!(await repo.regionExists(handle, code)))
      throw invalid(path, `行政区划代码 ${code} 不存在`);
  }

  /** A referenced org (host or home) may be anywhere in the system; it must exist. */
  async function requireOrg(handle: Db, id: string, path: string) {
    const o = await repo.orgById(handle, id);
    if (!o) throw invalid(path, '所选党组织不存在');
    return o;
  }

  function itemOf(actor: Actor, r: repo.LedgerRow): MobilityLedgerItem {
    const m = r.mobility;
    const phone = decrypt(r.phoneEnc, FIELD.phone.context);
    const subject = {
      direction: m.direction as MobilityDirection,
      status: m.status as MobilityStatus,
      homeInScope: r.homeInScope,
      hostInScope: r.hostInScope,
    };
    return {
      id: m.id,
      memberId: m.memberId,
      memberName: r.memberName,
      phoneMasked: phone === null ? null : maskPhone(phone),
      direction: subject.direction,
      status: subject.status,
      homeOrgId: m.homeOrgId,
      homeOrgName: r.homeOrgName,
      registeredOn: m.registeredOn,
      leftOn: m.leftOn,
      destinationRegionCode: m.destinationRegionCode,
      destinationName: placeName([r.regionGrandparentName, r.regionParentName, r.regionName]),
      hostOrgId: m.hostOrgId,
      hostOrgName: r.hostOrgName,
      checkedInOn: m.checkedInOn,
      endedOn: m.endedOn,
      reason: m.reason as MobilityReason,
      mobilityRange: (m.mobilityRange as MobilityRange | null) ?? null,
      version: m.version,
      warnings: { shouldTransfer: r.shouldTransfer },
      abilities: mobilityAbilities(actor, subject),
    };
  }

  async function detailOf(
    handle: Db | Tx,
    actor: Actor,
    id: string,
    asOf: string,
    hide?: { memberName: string },
  ): Promise<MobilityDetail> {
    const r = await repo.findWithScope(handle, actor, id, asOf);
    if (!r) throw notFound(MOBILITY);
    const m = r.mobility;
    const steps = await memberRepo.transitionsOf(handle, [id]);
    const address = decrypt(m.destinationAddressEnc, FIELD.destinationAddress.context);
    const item = itemOf(actor, r);
    return {
      ...item,
      // A record of another county linked by ID number: show what the actor wrote, nothing of it.
      ...(hide ? { memberName: hide.memberName, phoneMasked: null } : {}),
      employer: m.employer,
      industry: (m.industry as Industry | null) ?? null,
      unitType: (m.unitType as UnitType | null) ?? null,
      originalOccupation: (m.originalOccupation as Occupation | null) ?? null,
      reasonNote: m.reasonNote,
      expectedMonths: m.expectedMonths,
      hostContact: m.hostContact,
      endNote: m.endNote,
      destinationAddressMasked: address === null ? null : maskAddress(address),
      timeline: steps.map((s) => ({
        fromStatus: (s.fromStatus as MobilityStatus | null) ?? null,
        toStatus: s.toStatus as MobilityStatus,
        at: s.at.toISOString(),
        actorName: s.actorName ?? null,
        note: s.note,
      })),
    };
  }

  /** The audited fields of an episode: ids, dates and codes; the address is masked by the trail. */
  function auditView(m: repo.MobilityRow) {
    return {
      memberId: m.memberId,
      direction: m.direction,
      status: m.status,
      homeOrgId: m.homeOrgId,
      homeOrgText: m.homeOrgText,
      homeRegionCode: m.homeRegionCode,
      registeredOn: m.registeredOn,
      leftOn: m.leftOn,
      destinationRegionCode: m.destinationRegionCode,
      destinationAddress: decrypt(m.destinationAddressEnc, FIELD.destinationAddress.context),
      reason: m.reason,
      mobilityRange: m.mobilityRange,
      hostOrgId: m.hostOrgId,
      hostOrgText: m.hostOrgText,
      checkedInOn: m.checkedInOn,
      endedOn: m.endedOn,
      version: m.version,
    };
  }

  const openOutflowConflict = (open: { status: string; leftOn: string } | null) =>
    new AppError(
      'conflict',
      `该党员已有未结束的流出登记（${
        open
          ? `${MOBILITY_STATUS_LABELS[open.status as MobilityStatus]}，${open.leftOn} 流出`
          : '刚刚由他人登记'
      }），请先办理返回或转出`,
    );

  function checkRegisteredOn(ctx: RequestContext, registeredOn: string | undefined) {
    const on = registeredOn ?? today(ctx);
    if (on > today(ctx)) throw invalid('registeredOn', '登记日期不能晚于今天');
    return on;
  }

  /** 《流动党员情况登记表》: the home side registers a member of its orgs leaving. */
  async function registerOutflow(
    ctx: RequestContext,
    memberId: string,
    input: RegisterOutflowInput,
  ): Promise<MobilityDetail> {
    const actor = requireActor(ctx);
    // Scope and policy first, outside the transaction: a denial is audited on its own.
    const found = await memberRepo.findWithScope(db, actor, memberId);
    if (!found) throw notFound(MEMBER);
    if (!found.homeInScope) {
      if (!found.hostInScope) {
        await auditDenied(db, ctx, 'member', memberId, 'out_of_scope');
        throw notFound(MEMBER);
      }
      // Seen from the host side: the record is shown there, so a 403 hides nothing.
      await auditDenied(db, ctx, 'member', memberId, 'host_side_register_outflow');
      throw forbidden();
    }
    const home = await repo.orgById(db, found.member.orgId!);
    const registeredOn = checkRegisteredOn(ctx, input.registeredOn);
    await requireRegion(db, input.destinationRegionCode, 'destinationRegionCode');
    if (input.hostOrgId) await requireOrg(db, input.hostOrgId, 'hostOrgId');
    const homeRegion = home ? await repo.regionOfOrg(db, home.path) : null;
    const now = ctx.clock.now();
    try {
      return await db.transaction(async (tx) => {
        // One registration per member at a time: the second waits here, then sees the first.
        const locked = await repo.lockMember(tx, memberId);
        if (!locked || locked.orgId !== found.member.orgId) throw notFound(MEMBER);
        const open = await repo.openOutflowOf(tx, memberId);
        if (open) throw openOutflowConflict(open);
        const row = await repo.insertMobility(tx, {
          memberId,
          direction: 'outflow',
          status: 'registered',
          homeOrgId: locked.orgId,
          registeredOn,
          leftOn: input.leftOn,
          destinationRegionCode: input.destinationRegionCode,
          destinationAddressEnc: input.destinationAddress
            ? cipher.encrypt(input.destinationAddress, FIELD.destinationAddress.context)
            : null,
          employer: input.employer || null,
          industry: input.industry ?? null,
          unitType: input.unitType ?? null,
          originalOccupation: input.originalOccupation ?? null,
          reason: input.reason,
          reasonNote: input.reasonNote || null,
          expectedMonths: input.expectedMonths ?? null,
          mobilityRange: mobilityRangeOf(homeRegion, input.destinationRegionCode),
          hostOrgId: input.hostOrgId ?? null,
          hostOrgText: input.hostOrgText || null,
          createdAt: now,
          updatedAt: now,
        });
        await repo.insertTransition(tx, {
          mobilityId: row.id,
          fromStatus: null,
          toStatus: 'registered',
          at: now,
          actorAccountId: actor.accountId,
          note: null,
        });
        await writeAudit(tx, ctx, {
          action: 'mobility.register',
          result: 'success',
          targetType: 'mobility',
          targetId: row.id,
          targetLabel: maskName(found.member.name),
          after: auditView(row),
        });
        return detailOf(tx, actor, row.id, today(ctx));
      });
    } catch (err) {
      // Lost a race the lock did not see (PostgreSQL): the unique partial index held the line.
      if (repo.isSecondOpenOutflow(err))
        throw openOutflowConflict(await repo.openOutflowOf(db, memberId));
      throw err;
    }
  }

  /**
   * A member arriving from elsewhere, registered by the host side. The person is found by the
   * ID number's blind index: an existing record is linked and left untouched; one in another
   * scope is not shown (its name, phone and org stay out of the answer and of the trail).
   */
  async function registerInflow(
    ctx: RequestContext,
    input: RegisterInflowInput,
  ): Promise<MobilityDetail> {
    const actor = requireActor(ctx);
    const host = await loadOrgInScope(ctx, input.hostOrgId);
    const now = ctx.clock.now();
    const registeredOn = checkRegisteredOn(ctx, input.registeredOn);
    const id = parseIdNumber(input.idNumber, { asOf: now });
    if (!id.ok) throw invalid('idNumber', id.message);
    let phone: string | null = null;
    if (input.phone) {
      const p = parsePhone(input.phone);
      if (!p.ok) throw invalid('phone', p.message);
      phone = p.phone;
    }
    const homeOrg = input.homeOrgId ? await requireOrg(db, input.homeOrgId, 'homeOrgId') : null;
    if (input.homeRegionCode) await requireRegion(db, input.homeRegionCode, 'homeRegionCode');
    const homeRegion =
      input.homeRegionCode ?? (homeOrg ? await repo.regionOfOrg(db, homeOrg.path) : null);
    const hostRegion = await repo.regionOfOrg(db, host.path);
    const bidx = idNumberBlindIndex(cipher, id.idNumber);

    return db.transaction(async (tx) => {
      const existing = await memberRepo.findByIdNumberBidx(tx, actor, bidx);
      let memberId: string;
      if (existing) {
        memberId = existing.id;
      } else {
        const created = await memberRepo.insertMember(tx, {
          orgId: null,
          name: input.name,
          ...nameKeys(input.name),
          gender: id.gender,
          birthDate: id.birthDate,
          idNumberEnc: cipher.encrypt(id.idNumber, FIELD.idNumber.context),
          idNumberBidx: bidx,
          phoneEnc: phone === null ? null : cipher.encrypt(phone, FIELD.phone.context),
          phoneBidx: phone === null ? null : phoneBlindIndex(cipher, phone),
          membership: input.membership,
          createdAt: now,
          updatedAt: now,
        });
        // A concurrent registration of the same person won the unique index.
        if (!created) throw new AppError('conflict', '该党员正在由他人登记，请稍后重试');
        memberId = created.id;
      }
      const row = await repo.insertMobility(tx, {
        memberId,
        direction: 'inflow',
        status: 'registered',
        homeOrgId: homeOrg?.id ?? null,
        homeOrgText: homeOrg ? null : input.homeOrgText || null,
        homeRegionCode: input.homeRegionCode ?? null,
        registeredOn,
        leftOn: input.arrivedOn,
        destinationRegionCode: hostRegion,
        destinationAddressEnc: input.currentAddress
          ? cipher.encrypt(input.currentAddress, FIELD.destinationAddress.context)
          : null,
        employer: input.employer || null,
        industry: input.industry ?? null,
        unitType: input.unitType ?? null,
        reason: input.reason,
        reasonNote: input.reasonNote || null,
        expectedMonths: input.expectedMonths ?? null,
        mobilityRange: mobilityRangeOf(homeRegion, hostRegion),
        hostOrgId: host.id,
        // Registered by the receiving org on arrival: that is the check-in.
        checkedInOn: input.arrivedOn,
        hostContact: input.hostContact || null,
        createdAt: now,
        updatedAt: now,
      });
      await repo.insertTransition(tx, {
        mobilityId: row.id,
        fromStatus: null,
        toStatus: 'registered',
        at: now,
        actorAccountId: actor.accountId,
        note: input.certificateNumber ? `流动党员活动证：${input.certificateNumber}` : null,
      });
      await writeAudit(tx, ctx, {
        action: 'mobility.register_inflow',
        result: 'success',
        targetType: 'mobility',
        targetId: row.id,
        targetLabel: maskName(input.name),
        after: {
          ...auditView(row),
          member: existing ? 'linked' : 'created',
          certificateNumber: input.certificateNumber ?? null,
        },
      });
      return detailOf(
        tx,
        actor,
        row.id,
        today(ctx),
        existing && !existing.visible ? { memberName: input.name } : undefined,
      );
    });
  }

  /** One step along the life cycle, with its timeline entry and audit record, all or nothing. */
  async function transition(
    ctx: RequestContext,
    id: string,
    input: MobilityTransitionInput,
  ): Promise<MobilityDetail> {
    const actor = requireActor(ctx);
    const found = await loadInScope(ctx, id);
    const subject = {
      direction: found.mobility.direction as MobilityDirection,
      status: found.mobility.status as MobilityStatus,
      homeInScope: found.homeInScope,
      hostInScope: found.hostInScope,
    };
    // A closed episode is refused below with its own message; the policy decides the sides.
    if (!CLOSING.includes(subject.status) && !mayMoveTo(actor, subject, input.to)) {
      await auditDenied(db, ctx, 'mobility', id, `transition_${input.to}`);
      throw forbidden();
    }
    const closing = CLOSING.includes(input.to);
    const checkIn =
      input.hostOrgId !== undefined ||
      input.hostOrgText !== undefined ||
      input.checkedInOn !== undefined ||
      input.hostContact !== undefined;
    if (checkIn && !CHECK_IN.includes(input.to))
      throw invalid('to', '接收党组织和报到信息只能在“已落实”或“服务中”时填写');
    if (!closing && (input.endedOn !== undefined || input.endNote !== undefined))
      throw invalid('endedOn', '结束日期和结束说明只能在返回、转出或终止时填写');
    // An outflow ends as transferred only through the transfer workflow (issue 3 §5): the receipt
    // moves the member's affiliation and closes the episode in one step. By hand it would leave
    // the member in the home org with the episode closed (条例 Art. 25: the home org stays
    // responsible until the receipt).
    if (input.to === 'transferred' && subject.direction === 'outflow')
      throw invalid(
        'to',
        '流出党员转出组织关系请在“组织关系转接”中办理，登记回执后本次流动自动结束',
      );
    if (input.to === 'returned') {
      if (!input.endedOn) throw invalid('endedOn', '办理返回须填写返回日期');
      if (!input.endNote) throw invalid('endNote', '办理返回须填写外出期间的表现情况');
    }
    if (input.hostOrgId) await requireOrg(db, input.hostOrgId, 'hostOrgId');
    const now = ctx.clock.now();
    const asOf = today(ctx);

    return db.transaction(async (tx) => {
      const before = await repo.lockMobility(tx, id);
      if (!before) throw notFound(MOBILITY);
      if (before.version !== input.version) throw versionConflict();
      const from = before.status as MobilityStatus;
      if (!canTransition(from, input.to))
        throw invalid(
          'to',
          `不能从“${MOBILITY_STATUS_LABELS[from]}”变更为“${MOBILITY_STATUS_LABELS[input.to]}”`,
        );
      const endedOn = closing ? (input.endedOn ?? asOf) : undefined;
      if (endedOn && endedOn < before.leftOn)
        throw invalid('endedOn', '结束日期不能早于流出（流入）日期');
      if (endedOn && endedOn > asOf) throw invalid('endedOn', '结束日期不能晚于今天');
      if (input.checkedInOn && input.checkedInOn < before.leftOn)
        throw invalid('checkedInOn', '报到日期不能早于流出日期');
      const values: Partial<repo.MobilityInsert> = { status: input.to };
      if (endedOn) values.endedOn = endedOn;
      if (input.endNote !== undefined) values.endNote = input.endNote || null;
      if (input.hostOrgId !== undefined || input.hostOrgText !== undefined) {
        values.hostOrgId = input.hostOrgId ?? null;
        values.hostOrgText = input.hostOrgText || null;
      }
      if (input.checkedInOn !== undefined) values.checkedInOn = input.checkedInOn;
      if (input.hostContact !== undefined) values.hostContact = input.hostContact || null;
      const after = await repo.updateMobility(tx, id, input.version, values, now);
      if (!after) throw versionConflict();
      await repo.insertTransition(tx, {
        mobilityId: id,
        fromStatus: from,
        toStatus: input.to,
        at: now,
        actorAccountId: actor.accountId,
        note: input.note || null,
      });
      // The certificate is for the time away (DOMAIN.md §3): when the outflow it was issued for
      // ends, it is handed back (return) or cancelled (an exceptional end), in the same step.
      let endedCertificateId: string | null = null;
      if (after.direction === 'outflow' && endedOn) {
        const held = await certificateRepo.findIssuedOf(tx, after.memberId);
        if (held && (held.mobilityId === id || held.mobilityId === null)) {
          const returning = input.to === 'returned';
          const ended = await certificateRepo.updateCertificate(
            tx,
            held.id,
            held.version,
            {
              status: returning ? 'returned' : 'cancelled',
              endedOn,
              endReason: returning ? '流动结束返回，交回活动证' : '流动终止，活动证注销',
            },
            now,
          );
          if (!ended) throw versionConflict();
          endedCertificateId = held.id;
        }
      }
      await writeAudit(tx, ctx, {
        action: 'mobility.transition',
        result: 'success',
        targetType: 'mobility',
        targetId: id,
        targetLabel: maskName(found.memberName),
        before: auditView(before),
        after: { ...auditView(after), endedCertificateId },
      });
      return detailOf(tx, actor, id, asOf);
    });
  }

  async function list(ctx: RequestContext, q: MobilityListQuery): Promise<MobilityListResponse> {
    const actor = requireActor(ctx);
    const underPath = q.orgId ? (await loadOrgInScope(ctx, q.orgId)).path : undefined;
    const rows = await repo.ledger(db, actor, today(ctx), {
      direction: q.direction,
      status: q.status,
      underPath,
      shouldTransfer: q.shouldTransfer,
      after: decodeCursor(q.cursor, LedgerCursor),
      limit: q.limit,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1)?.mobility;
    return {
      items: page.map((r) => itemOf(actor, r)),
      nextCursor:
        rows.length > q.limit && last ? encodeCursor({ leftOn: last.leftOn, id: last.id }) : null,
    };
  }

  /** DOMAIN.md §3: 3+ members of one org at one destination city → a temporary branch. */
  async function suggestions(ctx: RequestContext): Promise<TemporaryBranchSuggestionsResponse> {
    const actor = requireActor(ctx);
    const rows = await repo.openOutflowsInScope(db, actor);
    const groups = temporaryBranchSuggestions(
      rows.map((r) => ({
        memberId: r.memberId,
        homeOrgId: r.homeOrgId!,
        destinationRegionCode: r.destinationRegionCode,
        open: true,
      })),
    );
    const memberName = new Map(rows.map((r) => [r.memberId, r.memberName]));
    const orgName = new Map(rows.map((r) => [r.homeOrgId!, r.homeOrgName ?? '']));
    const codes = new Set<string>();
    for (const g of groups) {
      codes.add(g.destinationCityCode);
      codes.add(provinceCodeOf(g.destinationCityCode));
    }
    const names = await repo.regionNames(db, [...codes]);
    const cityName = (code: string) => {
      const city = cityCodeOf(code) ? names.get(code) : undefined;
      return city && !REGION_PLACEHOLDERS.has(city)
        ? city
        : (names.get(provinceCodeOf(code)) ?? null);
    };
    return {
      items: groups.map((g) => ({
        homeOrgId: g.homeOrgId,
        homeOrgName: orgName.get(g.homeOrgId) ?? '',
        destinationCityCode: g.destinationCityCode,
        destinationCityName: cityName(g.destinationCityCode),
        members: g.memberIds.map((id) => ({ id, name: memberName.get(id) ?? '' })),
      })),
    };
  }

  return { registerOutflow, registerInflow, transition, list, suggestions };
}
